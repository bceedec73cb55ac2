"""The participant page that follows the room (``room.ipynb``), without a browser: it shows the form for what the
running agenda block opens and switches when the facilitator moves on, keeping what was typed, the join code and
the language; a new kind of form (votes) is one registration."""

from __future__ import annotations

from datetime import datetime

import pytest

from lessonkit import services
from lessonkit.domain.agenda import AgendaLink
from lessonkit.errors import ValidationError
from lessonkit.resources import data_path
from lessonkit.services import agenda_links
from lessonkit.services.agenda import add_block, end_block, start_block
from lessonkit.services.library_io import import_library_json
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import open_round, set_round_open
from lessonkit.services.vote_agenda import vote_choices
from lessonkit.services.votes import (
    cast_ballot,
    close_vote,
    get_vote,
    my_ballot,
    open_vote,
    prepare_vote,
    set_vote_open,
)
from lessonkit.store import MemoryWorkspace
from lessonkit.store.base import Store
from lessonkit.store.workspace import BaseWorkspace
from lessonkit.ui import room as room_ui
from lessonkit.ui.participant import ListeningForm
from lessonkit.ui.room import RoomPage, Visitor
from lessonkit.ui.scoring import ScoringForm
from lessonkit.ui.vote import VoteForm

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


def test_a_kind_without_a_form_here_is_passed_over(demo_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A block's link whose kind has no room form (here: votes unregistered) gives way to the block's next link."""
    monkeypatch.setattr(room_ui, "ROOM_FORMS", {k: f for k, f in room_ui.ROOM_FORMS.items() if k != "vote"})
    monkeypatch.setattr(room_ui, "PROVIDERS", [])
    vote = prepare_vote(demo_store, 1, 2, "notes")
    add_block(demo_store, "Priorities", 15, NINE, links=[AgendaLink("vote", vote.id or 0), AgendaLink("session", 1)])
    page = page_for(demo_store)
    follower = page.following()
    start_block(demo_store, 1, NINE)
    follower.check()
    assert isinstance(page.children[0], ListeningForm)
    assert get_vote(demo_store, vote.id or 0).is_open  # the agenda still opened it


# --- dot votes on the room page ------------------------------------------------------------------------------------


@pytest.fixture
def demo_room(demo_store: Store) -> Store:
    """The demo: session 1 open (notes 1, 2 and 4 for the room), session 2 closed (notes 5 and 6)."""
    return demo_store


def test_an_open_vote_takes_the_page_and_the_dots_cast_are_stored(demo_room: Store) -> None:
    page = RoomPage(demo_room, Visitor("DEMO-AAAA", ["en", "es"], "en", False))
    follower = page.following()
    listening = page.children[0]
    assert isinstance(listening, ListeningForm)
    listening.text.value = "Half a thought"
    listening.picker.value = "es"  # the participant picks a language
    vote = open_vote(demo_room, 1, 3, "notes")
    assert follower.check() is True
    form = page.children[0]
    assert isinstance(form, VoteForm) and form.vote.id == vote.id
    assert form.code.value == "DEMO-AAAA" and form.language == "es"  # the code and the language go along
    form.picker.value = "en"
    form.dots[1].value, form.dots[4].value = 2, 1
    form.submit.click()
    assert "counted" in form.status.value
    mine = my_ballot(demo_room, vote.id or 0, "DEMO-AAAA")
    assert mine is not None and sorted(mine.dots) == [1, 1, 4]
    close_vote(demo_room, vote.id or 0)
    assert follower.check() is True
    assert page.children[0] is listening and listening.text.value == "Half a thought"  # nothing typed is lost
    assert listening.language == "en"  # the language chosen on the vote form came back with the participant


def test_an_open_vote_comes_before_an_open_round(demo_workspace: BaseWorkspace) -> None:
    store = demo_workspace.store("demo")
    import_library_json(demo_workspace.library(), data_path("demo", "library.json"))
    made = open_round(store, demo_workspace.library(), "demo-kitchen-forum", "Our town", load_rubric())
    assert room_ui.room_now(store) == ("scoring_round", made.id)
    vote = open_vote(store, 1, 3, "notes")
    assert room_ui.room_now(store) == ("vote", vote.id)
    close_vote(store, vote.id or 0)
    assert room_ui.room_now(store) == ("scoring_round", made.id)


def test_a_block_linking_a_vote_opens_it_when_it_starts_and_closes_it_when_it_ends(demo_room: Store) -> None:
    prepared = prepare_vote(demo_room, 2, 3, "notes")
    assert not prepared.is_open and prepared.items == () and prepared.closed is None
    add_block(demo_room, "Priorities", 15, NINE, links=[f"vote:{prepared.id}"])
    assert agenda_links.link_label(demo_room, AgendaLink("vote", prepared.id or 0)) == (
        f"vote {prepared.id}: 3 dots on the notes of session 2"
    )
    page = page_for(demo_room)
    follower = page.following()
    moved = start_block(demo_room, 1, NINE)
    assert moved.opened and not moved.failed, moved
    opened = get_vote(demo_room, prepared.id or 0)
    assert opened.is_open and opened.items == (5, 6)  # its items taken when it opened
    assert follower.check() is True
    shown = page.children[0]
    assert isinstance(shown, VoteForm) and shown.vote.id == prepared.id
    end_block(demo_room, NINE)
    assert not get_vote(demo_room, prepared.id or 0).is_open
    assert follower.check() is True and isinstance(page.children[0], ListeningForm)


def test_an_anonymous_vote_is_never_opened_again_by_the_agenda(demo_room: Store) -> None:
    prepared = prepare_vote(demo_room, 1, 2, "notes", anonymous=True)
    add_block(demo_room, "Priorities", 15, NINE, links=[f"vote:{prepared.id}"])
    add_block(demo_room, "Listening", 15, links=["session:1"])
    add_block(demo_room, "Priorities again", 15, links=[f"vote:{prepared.id}"])
    assert start_block(demo_room, 1, NINE).opened
    assert get_vote(demo_room, prepared.id or 0).key  # opened once: it has its key
    assert start_block(demo_room, 2, NINE).closed  # closes it
    moved = start_block(demo_room, 3, NINE)  # and will not open it again
    assert moved.failed and "cannot open again" in moved.failed[0][1]
    closed = get_vote(demo_room, prepared.id or 0)
    assert not closed.is_open and closed.key == ""
    assert prepared.id not in [i for i, _name in vote_choices(demo_room)]


def test_a_closed_vote_that_is_not_anonymous_opens_again_with_its_ballots(demo_room: Store) -> None:
    vote = open_vote(demo_room, 1, 2, "notes")
    cast_ballot(demo_room, vote.id or 0, "DEMO-BBBB", [2])
    close_vote(demo_room, vote.id or 0)
    again = set_vote_open(demo_room, vote.id or 0, True)
    assert again.is_open and again.items == vote.items and again.closed is None
    assert my_ballot(demo_room, vote.id or 0, "DEMO-BBBB") is not None
    with pytest.raises(ValidationError, match="still open"):
        set_vote_open(demo_room, prepare_vote(demo_room, 1, 2, "notes").id or 0, True)
