"""Pure revision, sharing and conflict logic of the library sync (no server, no store)."""

from __future__ import annotations

import pytest

from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.library import Module
from lessonkit.domain.library_conflicts import compare_modules
from lessonkit.domain.modules import ShareLevel
from lessonkit.domain.revisions import (
    Leaf,
    Merge,
    body_digest,
    child,
    conflicts,
    couch_doc,
    knows,
    leaf_from_doc,
    merge,
    parse_rev,
    resolve,
    slug_of,
    winner,
)
from lessonkit.domain.schema import upgrade
from lessonkit.domain.sharing import check_share, may_leave
from lessonkit.errors import ValidationError

BODY = {"slug": "m", "title": "T", "type": "tactic", "summary": "one"}


def test_revisions_are_numbered_and_deterministic() -> None:
    first = child(None, body_digest(BODY))
    assert parse_rev(first.rev)[0] == 1 and first.ids == (parse_rev(first.rev)[1],) and first.here
    assert child(None, body_digest(dict(BODY))).rev == first.rev  # same import on two laptops: same revision
    second = child(first, body_digest({**BODY, "summary": "two"}))
    assert second.generation == 2 and second.ancestry() == [second.rev, first.rev]
    assert child(first, body_digest({**BODY, "summary": "other"})).rev != second.rev
    with pytest.raises(ValueError):
        parse_rev("x-abc")


def test_digest_ignores_local_bookkeeping() -> None:
    assert body_digest({**BODY, "id": 7, "updated": "2024-01-01T00:00:00", "_rev": "1-a"}) == body_digest(BODY)
    assert body_digest({**BODY, "summary": "changed"}) != body_digest(BODY)


def test_winner_is_chosen_as_couchdb_does() -> None:
    base = child(None, "d0")
    a, b = child(base, "da"), child(base, "db")
    assert winner([a, b]) is max(a, b, key=lambda x: parse_rev(x.rev)[1])
    longer = child(a, "da2")
    assert winner([longer, b]) is longer
    gone = child(longer, "", deleted=True)
    assert winner([gone, b]) is b  # a live revision beats a deletion, however long its history
    assert conflicts([gone, b]) == []  # and a deleted branch is not a conflict


def test_merge_knows_extends_or_branches() -> None:
    base = child(None, "d0")
    mine = child(base, "mine")
    theirs = child(base, "theirs")
    assert merge([mine], base) == ((mine,), Merge.KNOWN)
    assert merge([base], mine) == ((mine,), Merge.EXTENDED)
    leaves, outcome = merge([mine], theirs)
    assert outcome is Merge.BRANCHED and set(leaves) == {mine, theirs} and len(conflicts(leaves)) == 1
    assert knows(leaves, base.rev) and not knows(leaves, "9-zzz")


def test_resolution_keeps_one_live_leaf_and_deletes_the_others() -> None:
    base = child(None, "d0")
    a, b = child(base, "a"), child(base, "b")
    settled = resolve([a, b], "merged")
    live = [x for x in settled if not x.deleted]
    assert len(live) == 1 and live[0].generation == 3 and winner([a, b]).rev in live[0].ancestry()
    assert conflicts(settled) == [] and len([x for x in settled if x.deleted]) == 1
    # A peer that still has the conflict receives both new revisions and ends with one live leaf too.
    other = (a, b)
    for leaf in settled:
        other = merge(other, leaf)[0]
    assert conflicts(other) == [] and winner(other).rev == live[0].rev


def test_documents_from_and_to_couchdb() -> None:
    doc = {"_id": "module:m", "_rev": "2-bb", "_revisions": {"start": 2, "ids": ["bb", "aa"]}, **BODY}
    leaf = leaf_from_doc(doc)
    assert leaf.ancestry() == ["2-bb", "1-aa"] and leaf.body == BODY and not leaf.here
    with pytest.raises(ValueError):
        leaf_from_doc({**doc, "_revisions": {"start": 2, "ids": ["cc", "aa"]}})
    tomb = child(leaf, "", deleted=True)
    sent = couch_doc("module:m", tomb, BODY)
    assert sent["_deleted"] is True and "title" not in sent  # a deletion carries no content
    assert sent["_revisions"] == {"start": 3, "ids": [*tomb.ids]}
    assert "id" not in couch_doc("module:m", leaf, {**BODY, "id": 4})
    assert slug_of("module:m") == "m" and slug_of("_design/x") is None
    assert Leaf.from_dict(leaf.to_dict()) == leaf


def module(**kw: object) -> Module:
    return Module.from_dict({**BODY, **kw})


@pytest.mark.parametrize(
    ("share", "sensitivity", "leaves"),
    [
        ("local", "public", False),
        ("local", "network", False),
        ("network", "network", True),
        ("network", "public", True),
        ("public", "public", True),
        ("network", "convening", False),
        ("public", "restricted", False),
    ],
)
def test_only_shared_network_content_may_leave(share: str, sensitivity: str, leaves: bool) -> None:
    assert may_leave(module(share=share, sensitivity=sensitivity)) is leaves


def test_share_levels_the_sensitivity_does_not_allow_are_refused() -> None:
    with pytest.raises(ValidationError, match="never leaves this laptop"):
        check_share(module(sensitivity="restricted"), ShareLevel.NETWORK)
    with pytest.raises(ValidationError, match="--level network"):
        check_share(module(sensitivity="network"), ShareLevel.PUBLIC)
    check_share(module(sensitivity="convening"), ShareLevel.LOCAL)
    check_share(module(sensitivity="public"), ShareLevel.PUBLIC)


def test_modules_written_before_sharing_existed_stay_local() -> None:
    old = {**BODY, "schema_version": 1}
    assert upgrade("module", old)["share"] == "local"
    assert Module.from_dict(old).share is ShareLevel.LOCAL
    assert module().share is ShareLevel.LOCAL and module().sensitivity is Sensitivity.NETWORK


def test_two_versions_compare_field_by_field_word_by_word() -> None:
    a = module(summary="Hold the square at dawn", sections={"risks": "Police kettling"})
    b = module(summary="Hold the plaza at dawn", sections={"risks": "Police kettling"}, tags=["occupy"])
    diffs = {d.key: d for d in compare_modules(a, b)}
    assert set(diffs) == {"summary", "tags"}
    assert diffs["summary"].as_text() == "Hold the [-square-] {+plaza+} at dawn"
    assert diffs["tags"].left == "" and diffs["tags"].right == "occupy"
