"""The participant page that follows the room (``room.ipynb``), without a browser: it shows the form for what the
running agenda block opens and switches when the facilitator moves on, keeping what was typed, the join code and
the language; a new kind of form (votes) is one registration."""

from __future__ import annotations

from datetime import datetime

import ipywidgets as widgets
import pytest

from lessonkit import services
from lessonkit.domain.agenda import AgendaLink
from lessonkit.resources import data_path
from lessonkit.services import agenda_links
from lessonkit.services.agenda import add_block, end_block, start_block
from lessonkit.services.library_io import import_library_json
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import open_round, set_round_open
from lessonkit.store import MemoryWorkspace
from lessonkit.store.base import Store
from lessonkit.ui import room as room_ui
from lessonkit.ui.participant import ListeningForm
from lessonkit.ui.room import RoomPage, Visitor, register_room_form
from lessonkit.ui.scoring import ScoringForm

NINE = datetime(2026, 3, 10, 9, 0)


@pytest.fixture
def room() -> Store:
    ws = MemoryWorkspace()
    services.create_convening(ws, "room", "Room", languages="en,es", start="2026-03-10")
    store = ws.store("room")
    services.add_session(store, "Morning", ["What do you need?"])
    services.add_session(store, "Afternoon", ["What worked?"], is_open=False)
    services.add_participant(store, "Sol")
    import_library_json(ws.library(), data_path("demo", "library.json"))
    made = open_round(store, ws.library(), "demo-kitchen-forum", "Our town", load_rubric())
    set_round_open(store, made.id or 0, False)
    return store


def page_for(store: Store) -> RoomPage:
    return RoomPage(store, Visitor(None, ["en", "es"], "en", False))


def test_the_page_switches_with_the_agenda_and_keeps_what_was_typed(room: Store) -> None:
    page = page_for(room)
    follower = page.following()
    listening = page.children[0]
    assert isinstance(listening, ListeningForm)
    listening.code.value, listening.text.value = "ABCD-EFGH", "Half a thought"
    listening.set_language("es")
    add_block(room, "Scoring", 20, NINE, links=["scoring_round:1"])
    add_block(room, "Afternoon", 20, links=["session:2"])
    start_block(room, 1, NINE)
    assert follower.check() is True
    scoring = page.children[0]
    assert isinstance(scoring, ScoringForm) and scoring.round is not None and scoring.round.target_name == "Our town"
    assert scoring.code.value == "ABCD-EFGH" and scoring.language == "es"  # the visitor's code and language go along
    start_block(room, 2, NINE)  # closes the round, opens the afternoon session
    assert follower.check() is True
    afternoon = page.children[0]
    assert isinstance(afternoon, ListeningForm) and afternoon is not listening
    assert afternoon.session.value == 2 and afternoon.language == "es"
    end_block(room, NINE)  # nothing runs: the newest open session, i.e. back to the first form
    services.set_session_open(room, 2, False)  # type: ignore[arg-type]
    follower.check()
    assert page.children[0] is listening and listening.text.value == "Half a thought"  # nothing typed is lost


def test_without_an_agenda_an_open_round_comes_before_listening(room: Store) -> None:
    page = page_for(room)
    follower = page.following()
    assert isinstance(page.children[0], ListeningForm)
    set_round_open(room, 1, True)
    assert follower.check() is True and isinstance(page.children[0], ScoringForm)
    set_round_open(room, 1, False)
    assert follower.check() is True and isinstance(page.children[0], ListeningForm)


def test_a_new_kind_of_form_is_one_registration(room: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """How votes join: the agenda may link one, the room page shows its form; unregistered kinds are passed over."""
    votes = {7: False}
    monkeypatch.setattr(room_ui, "ROOM_FORMS", dict(room_ui.ROOM_FORMS))
    monkeypatch.setattr(agenda_links, "LINK_KINDS", dict(agenda_links.LINK_KINDS))
    agenda_links.register_link_kind("vote", set_open=lambda s, i, o: votes.__setitem__(i, o), label=lambda s, i: "Dots")
    add_block(room, "Priorities", 15, NINE, links=[AgendaLink("vote", 7), AgendaLink("session", 1)])
    page = page_for(room)
    follower = page.following()
    start_block(room, 1, NINE)
    assert votes[7] is True
    follower.check()
    assert isinstance(page.children[0], ListeningForm)  # no vote form here: the block's next link
    register_room_form(
        "vote", build=lambda s, i, who: widgets.HTML(f"vote {i} for {who.code}"), open_now=lambda s: None
    )
    services.add_participant(room, "Ana")  # any change in the store makes the page look again
    assert follower.check() is True
    shown = page.children[0]
    assert isinstance(shown, widgets.HTML) and shown.value == "vote 7 for None"
