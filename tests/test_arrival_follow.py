"""Pages from the pool that follow the room: built for nobody, they look at nothing while they wait (30 waiting kernels
cost no CPU), take their visitor's link on arrival as the room is *then*, and only then start following it. Without a
browser; the kernel's event loop is a stand-in (tests/test_ui_follow.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from test_arrival import home, pooled  # noqa: F401  (fixtures)
from test_ui_follow import FakeLoop
from test_ui_participant import all_text

from lessonkit import services
from lessonkit.i18n import _, using_language
from lessonkit.resources import data_path
from lessonkit.services.library_io import import_library_json
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import open_round, set_round_open
from lessonkit.services.votes import close_vote, open_vote
from lessonkit.store import Workspace
from lessonkit.store.base import Store
from lessonkit.ui import sealed
from lessonkit.ui.agree import AgreeForm, agree_app
from lessonkit.ui.arrival import AWAITING_CLASS, ParticipantPage
from lessonkit.ui.mou_amend import AmendmentForm, amendment_app
from lessonkit.ui.participant import ListeningForm, participant_app
from lessonkit.ui.room import RoomPage, room_app
from lessonkit.ui.scoring import ScoringForm, scoring_app
from lessonkit.ui.vote import VoteForm, vote_app

Arrive = Callable[[dict[str, str]], None]


@pytest.fixture
def loop(monkeypatch: pytest.MonkeyPatch) -> FakeLoop:
    """As in a kernel: following runs on the kernel's event loop (here, one that only records)."""
    fake = FakeLoop()
    monkeypatch.setattr("lessonkit.ui.follow.kernel_loop", lambda: fake)
    return fake


def demo(home: str) -> Store:  # noqa: F811
    return Workspace(Path(home)).store("demo")


def open_demo_round(home: str) -> int:  # noqa: F811
    ws = Workspace(Path(home))
    import_library_json(ws.library(), data_path("demo", "library.json"))
    made = open_round(ws.store("demo"), ws.library(), "demo-kitchen-forum", "Our town", load_rubric())
    return made.id or 0


def test_a_pooled_form_follows_only_once_its_visitor_is_there(home: str, pooled: list[Arrive], loop: FakeLoop) -> None:  # noqa: F811
    page = participant_app("demo", home)
    assert isinstance(page, ParticipantPage) and isinstance(page.form, ListeningForm)
    assert page.form.follower is None and loop.callbacks == []  # waiting in the pool: nothing looks at the store
    pooled[0]({"QUERY_STRING": "code=DEMO-AAAA"})
    follower = page.form.follower
    assert follower is not None and follower.running and len(loop.callbacks) == 1
    page.close()
    assert not follower.running


def test_a_session_opened_while_the_page_waited_is_there_on_arrival_and_later_ones_follow(
    home: str, pooled: list[Arrive], loop: FakeLoop  # noqa: F811
) -> None:
    store = demo(home)
    services.set_session_open(store, 1, False)  # type: ignore[arg-type]
    page = participant_app("demo", home)
    form = page.form
    assert isinstance(form, ListeningForm) and form.sessions == [] and form.submit.disabled
    assert "Reload" not in all_text(form)  # it waits and says it will show the session by itself
    services.set_session_open(store, 1, True)  # type: ignore[arg-type]
    pooled[0]({"QUERY_STRING": "lang=es"})
    assert page.form is form and form.session.value == 1 and not form.submit.disabled
    assert form.status.value == "" and form.language == "es"  # a fresh page: nothing about what changed unseen
    assert form.follower is not None and form.follower.check() is False  # already up to date
    services.set_session_open(store, 2, True)  # type: ignore[arg-type]
    assert form.follower.check() is True and [s.id for s in form.sessions] == [1, 2]


def test_the_room_page_from_the_pool_shows_what_the_room_does_on_arrival_with_the_visitors_link(
    home: str, pooled: list[Arrive], loop: FakeLoop  # noqa: F811
) -> None:
    page = room_app("demo", home)
    room = page.form
    assert isinstance(page, ParticipantPage) and isinstance(room, RoomPage)
    built = room.children[0]
    assert isinstance(built, ListeningForm) and room.follower is None
    open_demo_round(home)  # the facilitator opened a round while the page waited
    pooled[0]({"QUERY_STRING": "code=DEMO-BBBB&lang=fr"})
    scoring = room.children[0]
    assert isinstance(scoring, ScoringForm) and scoring.round is not None and scoring.round.target_name == "Our town"
    assert (scoring.code.value, scoring.language) == ("DEMO-BBBB", "fr") and AWAITING_CLASS not in page._dom_classes
    assert list(room.forms.values()) == [scoring]  # the form built for nobody is gone
    assert room.follower is not None and room.follower.running and scoring.follower is not None
    set_round_open(demo(home), scoring.round.id or 0, False)
    assert room.follower.check() is True
    listening = room.children[0]
    assert isinstance(listening, ListeningForm) and (listening.code.value, listening.language) == ("DEMO-BBBB", "fr")


def test_the_room_page_settles_the_form_it_built_in_place_when_the_room_did_not_move(
    home: str, pooled: list[Arrive], loop: FakeLoop  # noqa: F811
) -> None:
    page = room_app("demo", home)
    room = page.form
    assert isinstance(room, RoomPage)
    built = room.children[0]
    assert isinstance(built, ListeningForm)
    built.text.value = "typed at once"
    pooled[0]({"QUERY_STRING": "code=DEMO-AAAA&lang=es&session=2"})
    assert room.children[0] is built and built.text.value == "typed at once"
    assert (built.code.value, built.language, built.session.value) == ("DEMO-AAAA", "es", 1)  # the room picks
    assert room.visitor.code == "DEMO-AAAA" and room.visitor.language == "es"


def test_scoring_from_the_pool_shows_the_round_opened_while_it_waited_and_a_link_may_pin_one(
    home: str, pooled: list[Arrive], loop: FakeLoop  # noqa: F811
) -> None:
    waiting, pinned = scoring_app("demo", home), scoring_app("demo", home)
    assert isinstance(waiting, ParticipantPage) and isinstance(waiting.form, ScoringForm)
    assert waiting.form.round is None and "Reload" not in all_text(waiting)
    ident = open_demo_round(home)
    form = waiting.form
    pooled[0]({"QUERY_STRING": "code=DEMO-AAAA"})
    assert waiting.form is form and form.round is not None and form.round.id == ident and form.status.value == ""
    assert form.code.value == "DEMO-AAAA" and not form.submit.disabled and form.pinned is None
    pooled[1]({"QUERY_STRING": f"code=DEMO-BBBB&round={ident}"})
    assert isinstance(pinned, ParticipantPage) and isinstance(pinned.form, ScoringForm)
    assert pinned.form.pinned == ident and pinned.form.code.value == "DEMO-BBBB"
    assert pinned.form.follower is not None and pinned.form.follower.running


def test_vote_and_agree_pages_come_from_the_pool_and_take_the_code_on_arrival(
    home: str, pooled: list[Arrive], loop: FakeLoop  # noqa: F811
) -> None:
    store = demo(home)
    vote = open_vote(store, 1, 3, "notes")
    voting, stale = vote_app("demo", home), vote_app("demo", home)
    assert isinstance(voting, ParticipantPage) and isinstance(voting.form, VoteForm)
    built = voting.form
    pooled[0]({"QUERY_STRING": "code=DEMO-AAAA&lang=es"})
    assert voting.form is built and built.code.value == "DEMO-AAAA" and built.language == "es"
    close_vote(store, vote.id or 0)  # closed while the second page waited: built anew, it says so
    pooled[1]({"QUERY_STRING": "code=DEMO-BBBB"})
    assert not isinstance(stale.form, VoteForm) and "No vote is open" in all_text(stale)
    agreeing = agree_app("demo", home)
    assert isinstance(agreeing, ParticipantPage)
    pooled[2]({"QUERY_STRING": "code=DEMO-CCCC"})
    form = agreeing.form
    assert not isinstance(form, AgreeForm) or form.code.value == "DEMO-CCCC"
    assert "DEMO-AAAA" not in all_text(agreeing)


def test_an_amendment_page_from_the_pool_takes_the_code_and_follows(
    home: str, pooled: list[Arrive], loop: FakeLoop  # noqa: F811
) -> None:
    page = amendment_app("demo", home)
    assert isinstance(page, ParticipantPage) and isinstance(page.form, AmendmentForm) and page.form.follower is None
    pooled[0]({"QUERY_STRING": "code=DEMO-AAAA"})
    assert page.form.code.value == "DEMO-AAAA" and page.form.follower is not None and page.form.follower.running


def test_on_a_sealed_convening_the_guard_speaks_the_visitors_language(
    home: str, pooled: list[Arrive], loop: FakeLoop, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    monkeypatch.setattr(Workspace, "store", _append_only(Workspace.store))
    asked: list[tuple[dict[str, str], object]] = []
    chosen = sealed.visitor_language
    monkeypatch.setattr(sealed, "visitor_language", lambda p, e=None: asked.append((dict(p), e)) or chosen(p, e))
    page = scoring_app("demo", home)
    pooled[0]({"QUERY_STRING": "code=DEMO-AAAA", "HTTP_ACCEPT_LANGUAGE": "es"})
    with using_language("es"):  # the visitor's browser asks for Spanish
        notice = _(
            "This form is not available: this convening is encrypted, and its participant pages can only add "
            "listening notes and reflections. Please tell the facilitator."
        )
    assert not isinstance(page.form, ScoringForm) and notice in all_text(page)
    assert asked[0] == ({}, {}) and asked[-1] == ({"code": "DEMO-AAAA"}, {"HTTP_ACCEPT_LANGUAGE": "es"})
    assert "DEMO-AAAA" not in all_text(page)


def _append_only(opener: Callable[..., Store]) -> Callable[..., Store]:
    def store(self: Workspace, slug: str) -> Store:
        opened = opener(self, slug)
        opened.append_only = True  # type: ignore[misc]
        return opened

    return store
