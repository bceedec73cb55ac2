"""Bundles carry the room (themes, votes and ballots, statements and answers) and bring it back unchanged; a bundle
shared with another convening carries none of it (ballots and answers are people's choices, kept home); an
encrypted convening keeps the room unreadable at rest, and its participant pages say plainly that voting and
agreeing are not available there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from crypto_support import encrypted_convening, leaks

from lessonkit import services
from lessonkit.export.bundle import export_bundle, import_bundle, read_bundle
from lessonkit.export.bundle_checks import TABLE_KINDS
from lessonkit.export.bundle_share import share_bundle
from lessonkit.services.opinions import add_statement, answer_statement
from lessonkit.services.themes import accept_theme
from lessonkit.services.votes import cast_ballot, close_vote, open_vote, vote_results
from lessonkit.store import Workspace, keyring
from lessonkit.store.base import Store
from lessonkit.store.workspace import BaseWorkspace
from lessonkit.ui.agree import agree_app
from lessonkit.ui.vote import vote_app

THEME = "Rooftop tanks of the Zeta block"
STATEMENT = "The Omega bridge committee should hold the keys"
ROOM = ("themes", "votes", "ballots", "statements", "opinion_answers")


def seed_room(store: Store) -> None:
    theme = accept_theme(store, 1, [1, 2], name="Meeting places")
    open_vote(store, 1, 2, "themes")
    cast_ballot(store, 1, "DEMO-AAAA", [theme.id, theme.id])
    cast_ballot(store, 1, "DEMO-BBBB", [theme.id], source="paper")
    close_vote(store, 1)
    open_vote(store, 1, 1, "notes", anonymous=True)
    cast_ballot(store, 2, "DEMO-AAAA", [4])
    close_vote(store, 2)  # the key that linked the ballot to a person is gone before the bundle is made
    typed = add_statement(store, 1, "Leadership should rotate every season.")
    from_note = add_statement(store, 1, note_id=1)
    answer_statement(store, typed.id or 0, "DEMO-AAAA", "agree")
    answer_statement(store, from_note.id or 0, "DEMO-BBBB", "pass")


def room_tables(store: Store) -> str:
    with store.read() as tx:
        return json.dumps({t: tx.all(t) for t in ROOM}, sort_keys=True)


def test_a_bundle_carries_the_room_and_brings_it_back(demo_workspace: BaseWorkspace, tmp_path: Path) -> None:
    store = demo_workspace.store("demo")
    seed_room(store)
    assert set(ROOM) <= set(TABLE_KINDS)
    path = export_bundle(demo_workspace, "demo", tmp_path / "demo.zip")
    tables = read_bundle(path)
    assert [len(tables[t]) for t in ROOM] == [1, 2, 3, 2, 2]  # type: ignore[index]
    assert all(not d["key"] for d in tables["votes"])  # type: ignore[index]
    import_bundle(demo_workspace, path, as_slug="copy")
    copy = demo_workspace.store("copy")
    assert room_tables(copy) == room_tables(store)
    assert vote_results(copy, 1).tally == vote_results(store, 1).tally


def test_a_shared_bundle_leaves_the_room_at_home(demo_workspace: BaseWorkspace, tmp_path: Path) -> None:
    seed_room(demo_workspace.store("demo"))
    path, _scope = share_bundle(demo_workspace, "demo", tmp_path / "shared.zip", "public")
    assert not set(ROOM) & set(read_bundle(path))  # type: ignore[arg-type]


def test_an_encrypted_convening_keeps_the_room_unreadable_and_its_phones_told_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At rest the room is encrypted like every table; the participant server of such a convening only appends to
    the index it publishes (no votes, no statements in it), so the vote and agree pages say they are not available
    instead of failing."""
    ws = Workspace(tmp_path / "ws")
    encrypted_convening(ws, "safe")
    store = ws.store("safe")
    code = services.add_participant(store, "Ana").join_code
    session = services.add_session(store, "Water", "What do you need?", allow_anonymous=True)
    sid = session.id or 0
    services.submit_note(store, sid, "need", "Water tanks on the roof", join_code=code)
    accept_theme(store, sid, [1], name=THEME)
    open_vote(store, sid, 1, "themes")
    cast_ballot(store, 1, code, [1])
    answer_statement(store, add_statement(store, sid, STATEMENT).id or 0, code, "agree")
    assert leaks(ws.home, [THEME, STATEMENT]) == []
    monkeypatch.setenv("LESSONKIT_HOME", str(ws.home))
    monkeypatch.setenv("LESSONKIT_CONVENING", "safe")
    monkeypatch.setenv("LESSONKIT_ROLE", "participant")
    keyring.forget_all()
    assert "not available" in vote_app().value  # type: ignore[attr-defined]
    assert "not available" in agree_app().value  # type: ignore[attr-defined]
