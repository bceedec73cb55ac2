"""Share levels, deletion and revision stamping on both stores (no server: what the next sync would send)."""

from __future__ import annotations

import pytest

from lessonkit.domain.modules import ShareLevel
from lessonkit.errors import NotFoundError, ValidationError
from lessonkit.services.library import add_module, edit_module, get_module, list_modules
from lessonkit.services.library_io import import_library_json
from lessonkit.services.library_revs import REVS, Record, stamp
from lessonkit.services.library_share import delete_module, share_modules
from lessonkit.store.base import Store
from lessonkit.store.workspace import BaseWorkspace


@pytest.fixture
def library(workspace: BaseWorkspace) -> Store:
    store = workspace.library()
    add_module(store, {"slug": "open", "title": "Open", "type": "tactic", "sensitivity": "public"})
    add_module(store, {"slug": "partners", "title": "Partners", "type": "tactic"})
    add_module(store, {"slug": "secret", "title": "Secret", "type": "story", "sensitivity": "restricted"})
    return store


def record(store: Store, slug: str) -> Record | None:
    docs = store.search(REVS, lambda d: d.get("slug") == slug)
    return Record.from_doc(docs[0]) if docs else None


def test_new_modules_stay_local_and_get_no_revision(library: Store) -> None:
    assert {m.share for m in list_modules(library)} == {ShareLevel.LOCAL}
    assert stamp(library).new == [] and library.all(REVS) == []


def test_shared_modules_get_a_revision_per_change(library: Store) -> None:
    share_modules(library, ["open"], "public")
    share_modules(library, ["partners"], "network")
    assert sorted(stamp(library).new) == ["open", "partners"]
    assert stamp(library).changed == []  # nothing changed: no new revision
    edit_module(library, "partners", {"summary": "now with a summary"})
    edit_module(library, "partners", {"summary": "and edited twice"})
    assert stamp(library).changed == ["partners"]  # two edits between syncs make one revision
    rec = record(library, "partners")
    assert rec is not None and rec.leaves[0].generation == 2 and rec.seq > record(library, "open").seq


def test_share_refuses_levels_the_sensitivity_forbids_and_changes_nothing(library: Store) -> None:
    with pytest.raises(ValidationError, match="never leaves this laptop"):
        share_modules(library, ["open", "secret"], "network")
    assert get_module(library, "open").share is ShareLevel.LOCAL  # all or nothing
    with pytest.raises(ValidationError, match="--level network"):
        share_modules(library, ["partners"], "public")
    with pytest.raises(NotFoundError):
        share_modules(library, ["nope"], "network")


def test_deleting_before_sharing_leaves_nothing_to_send(library: Store) -> None:
    share_modules(library, ["partners"], "network")
    assert delete_module(library, "partners") is False  # never synced: no record, nothing to send
    assert stamp(library).deleted == [] and record(library, "partners") is None


def test_deleting_or_withdrawing_after_sharing_sends_a_deletion(library: Store) -> None:
    share_modules(library, ["open"], "public")
    share_modules(library, ["partners"], "network")
    stamp(library)
    changes = share_modules(library, ["partners"], "local")
    assert changes[0].withdraws
    assert delete_module(library, "open") is True
    stamped = stamp(library)
    assert stamped.withdrawn == ["partners"] and stamped.deleted == ["open"]
    assert all(x.deleted for x in record(library, "open").leaves)
    assert get_module(library, "partners").share is ShareLevel.LOCAL  # this laptop keeps its copy
    assert stamp(library).withdrawn == []  # sent once
    share_modules(library, ["partners"], "network")
    assert stamp(library).changed == ["partners"]  # shared again: a new revision on top of the deletion
    assert not record(library, "partners").leaves[0].deleted


def test_raising_the_sensitivity_of_a_shared_module_withdraws_it(library: Store) -> None:
    share_modules(library, ["partners"], "network")
    stamp(library)
    edit_module(library, "partners", {"sensitivity": "convening"})
    assert stamp(library).withdrawn == ["partners"]


def test_reimport_keeps_the_share_level_chosen_here(workspace: BaseWorkspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    store = workspace.library()
    path = tmp_path / "lib.json"
    doc = {"slug": "imp", "title": "Imported", "type": "tactic", "sensitivity": "public", "share": "public"}
    path.write_text(json.dumps({"format": "lessonkit-library", "modules": [doc]}))
    import_library_json(store, path)
    assert get_module(store, "imp").share is ShareLevel.PUBLIC
    share_modules(store, ["imp"], "local")
    path.write_text(json.dumps({"format": "lessonkit-library", "modules": [{**doc, "summary": "new text"}]}))
    assert import_library_json(store, path).updated == ["imp"]
    assert get_module(store, "imp").share is ShareLevel.LOCAL


def test_share_by_origin(workspace: BaseWorkspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from lessonkit.services.importers.beautiful_trouble import import_beautiful_trouble

    store = workspace.library()
    toolbox = {
        "studio": {"name": "Beautiful Trouble"},
        "items": [
            {"slug": s, "title": s.title(), "summary": "x", "body": "## How to use\nIt.", "tags": ["bt-type:tactic"]}
            for s in ("alpha", "beta")
        ],
    }
    path = tmp_path / "toolbox.json"
    path.write_text(__import__("json").dumps(toolbox))
    import_beautiful_trouble(store, path)
    assert {m.share for m in list_modules(store)} == {ShareLevel.PUBLIC}  # a published corpus
    changes = share_modules(store, [], "network", origin="beautiful-trouble")
    assert len(changes) == 2 and {m.share for m in list_modules(store)} == {ShareLevel.NETWORK}


def test_sharing_again_after_an_edit_elsewhere_makes_a_conflict_not_an_overwrite(library: Store) -> None:
    from lessonkit.domain.revisions import body_digest, child, couch_doc, winner
    from lessonkit.services.library_conflicts import list_conflicts
    from lessonkit.services.library_revs import merge_received

    share_modules(library, ["partners"], "network")
    stamp(library)
    sent = winner(record(library, "partners").leaves)
    share_modules(library, ["partners"], "local")
    stamp(library)  # withdrawn: a deletion goes out
    theirs = {**get_module(library, "partners").to_dict(), "summary": "edited elsewhere meanwhile", "share": "network"}
    theirs.pop("id", None)
    received = merge_received(library, [couch_doc("module:partners", child(sent, body_digest(theirs)), theirs)])
    assert received.received == ["partners"]
    assert get_module(library, "partners").summary == ""  # a withdrawn module here is never overwritten
    edit_module(library, "partners", {"summary": "edited here"})
    share_modules(library, ["partners"], "network")
    assert stamp(library).changed == ["partners"]
    [conflict] = list_conflicts(library)
    assert {v.module.summary for v in conflict.versions} == {"edited here", "edited elsewhere meanwhile"}
    assert get_module(library, "partners").summary == conflict.versions[0].module.summary
