"""The conflict panel without a browser: a conflict is built by merging a revision "from another laptop"."""

from __future__ import annotations

import pytest

from lessonkit.domain.revisions import body_digest, child, couch_doc, winner
from lessonkit.services.library import add_module, edit_module, get_module
from lessonkit.services.library_conflicts import list_conflicts
from lessonkit.services.library_revs import REVS, Record, merge_received, stamp
from lessonkit.services.library_share import share_modules
from lessonkit.store import MemoryWorkspace
from lessonkit.store.base import Store
from lessonkit.ui.library_conflicts import ConflictPanel, side_by_side_html

HOSTILE = "<img src=x onerror=alert(1)> at the square"


@pytest.fixture
def library() -> Store:
    """A shared module edited here and, differently, on another laptop: a conflict."""
    store = MemoryWorkspace().library()
    add_module(store, {"slug": "march", "title": "March", "type": "tactic", "summary": "Meet at the square at dawn"})
    share_modules(store, ["march"], "network")
    stamp(store)
    base = Record.from_doc(store.all(REVS)[0])
    theirs_body = {**get_module(store, "march").to_dict(), "summary": HOSTILE, "sections": {"risks": "Kettling"}}
    theirs = child(winner(base.leaves), body_digest(theirs_body))
    edit_module(store, "march", {"summary": "Meet at the square at noon"})
    stamp(store)
    merge_received(store, [couch_doc("module:march", theirs, theirs_body)])
    assert [c.slug for c in list_conflicts(store)] == ["march"]
    return store


def test_both_versions_side_by_side_escaped(library: Store) -> None:
    html = side_by_side_html(list_conflicts(library)[0])
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
    assert "<del" in html and "<ins" in html and "Summary" in html


def test_keeping_a_version_settles_the_conflict(library: Store) -> None:
    panel = ConflictPanel(library)
    assert panel.module.value == "march" and "Kettling" in panel.compare.value
    shown = list_conflicts(library)[0].versions[0].module.summary
    panel.keep_shown.click()
    assert list_conflicts(library) == [] and get_module(library, "march").summary == shown
    assert "Settled" in panel.status.value


def test_a_merged_version_keeps_what_the_person_typed_on_error(library: Store) -> None:
    panel = ConflictPanel(library)
    assert set(panel._editors) >= {"summary", "sections.risks"}
    panel._editors["summary"].value = "Meet at the square at dawn or noon"
    panel._editors["sections.risks"].value = "Kettling near the bridge"
    panel.save_merge.click()
    module = get_module(library, "march")
    assert module.summary == "Meet at the square at dawn or noon"
    assert module.section("risks") == "Kettling near the bridge"
    assert list_conflicts(library) == [] and "Merged version saved" in panel.status.value


def test_an_invalid_merge_is_refused_and_nothing_changes(library: Store) -> None:
    panel = ConflictPanel(library)
    if "title" not in panel._editors:
        panel._editors["title"] = type(panel._editors["summary"])(value="")
    panel._editors["title"].value = ""
    panel.save_merge.click()
    assert "Not saved" in panel.status.value and list_conflicts(library) != []


def test_no_conflicts_says_where_they_come_from() -> None:
    panel = ConflictPanel(MemoryWorkspace().library())
    assert "lessonkit library sync" in panel.children[0].value
