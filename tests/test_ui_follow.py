"""Forms that follow the room, without a browser: the shared follower, and each participant form's reaction when the
facilitator opens or closes what it shows (nothing typed is lost)."""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

import pytest

from lessonkit import services
from lessonkit.domain.mou_status import MouStatus
from lessonkit.resources import data_path
from lessonkit.services.library_io import import_library_json
from lessonkit.services.mou import create_in, load_state, load_template, write_record
from lessonkit.services.mou_amendments import decline_amendment
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import open_round, set_round_open
from lessonkit.store import MemoryWorkspace
from lessonkit.store.base import Store
from lessonkit.store.memory import MemoryStore
from lessonkit.ui.follow import Follower, FollowsRoom, Repeater, follow_in_kernel
from lessonkit.ui.mou_amend import AmendmentForm
from lessonkit.ui.participant import ListeningForm
from lessonkit.ui.scoring import ScoringForm

# --- the follower itself ---------------------------------------------------------------------------------------


class CountingStore(MemoryStore):
    """A memory store that counts how often its data is read (``version()`` is not a read)."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def read(self):  # type: ignore[no-untyped-def]
        self.reads += 1
        return super().read()


def test_a_follower_reads_only_when_the_store_changed_and_shows_only_real_changes() -> None:
    store = CountingStore()
    shown: list[object] = []
    follower = Follower(store, lambda: tuple(d["x"] for d in store.all("t")), shown.append, initial=())
    assert follower.check() is False and store.reads == 1  # the first look always reads: nothing missed
    for _ in range(50):
        assert follower.check() is False
    assert store.reads == 1 and follower.checks == 51  # fifty looks at the version, no read
    store.insert("t", {"x": 1})
    assert follower.check() is True and shown == [(1,)]
    store.insert("other", {"y": 2})  # the store changed, what is followed did not: read once, nothing shown
    assert follower.check() is False and shown == [(1,)] and follower.reads == 3


def test_a_failed_read_is_tried_again_and_the_pace_slows_when_the_room_is_quiet() -> None:
    now = [0.0]
    store = MemoryStore()
    attempts = []

    def read() -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("file being replaced")
        return 1

    follower = Follower(store, read, lambda s: None, initial=0, clock=lambda: now[0], quiet_after_s=60)
    with pytest.raises(OSError):
        follower.check()
    assert follower.check() is True and len(attempts) == 2  # the version stayed unseen: read again
    assert follower.delay() == follower.interval_s
    now[0] = 61.0
    assert follower.delay() == follower.slow_interval_s > follower.interval_s
    store.insert("t", {})
    follower.check()
    assert follower.delay() == follower.interval_s  # a change brings the quick pace back


class FakeLoop:
    """Stands in for the kernel's event loop: records the timers a Repeater sets."""

    def __init__(self) -> None:
        self.callbacks: list[Any] = []
        self.timers: list[tuple[float, Any]] = []

    def add_callback(self, fn: Any) -> None:
        self.callbacks.append(fn)

    def call_later(self, delay: float, fn: Any) -> None:
        self.timers.append((delay, fn))


def test_in_a_kernel_the_checks_run_on_its_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    loop = FakeLoop()
    monkeypatch.setattr("lessonkit.ui.follow.kernel_loop", lambda: loop)
    steps: list[int] = []
    repeater = Repeater(lambda: steps.append(1), lambda: 2.0).start()
    assert repeater._thread is None and len(loop.callbacks) == 1  # no thread in a kernel
    loop.callbacks.pop()()  # the loop runs the first scheduling
    delay, tick = loop.timers.pop()
    assert delay == 2.0 and steps == []
    tick()
    assert steps == [1] and len(loop.timers) == 1
    repeater.stop()
    loop.timers.pop()[1]()
    assert steps == [1] and loop.timers == []  # stopped: no further step, no further timer


def test_outside_a_kernel_a_daemon_thread_repeats_until_stopped() -> None:
    ran = threading.Event()

    def step() -> None:
        ran.set()
        raise RuntimeError("a passing fault is logged, the repeating goes on")

    repeater = Repeater(step, lambda: 0.01).start()
    assert ran.wait(5) and repeater.running
    thread = repeater._thread
    repeater.stop()
    assert thread is not None and not thread.is_alive() and not repeater.running


def test_pages_follow_only_in_a_kernel(demo_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    form = ListeningForm(demo_store)
    follow_in_kernel(form)
    assert form.follower is None  # a test or a script: nothing starts by itself
    loop = FakeLoop()
    monkeypatch.setattr("lessonkit.ui.follow.kernel_loop", lambda: loop)
    follow_in_kernel(form)
    assert form.follower is not None and form.follower.running and loop.callbacks
    form.close()
    assert not form.follower.running


def test_the_mixin_asks_each_form_for_three_methods() -> None:
    class Bare(FollowsRoom):
        store = MemoryStore()

    with pytest.raises(NotImplementedError):
        Bare().following().check()


# --- the listening form -------------------------------------------------------------------------------------------


@pytest.fixture
def room() -> Store:
    ws = MemoryWorkspace()
    services.create_convening(ws, "room", "Room", languages="en,es")
    store = ws.store("room")
    services.add_session(store, "Morning", ["What do you need?"], translations={"es": {"title": "Mañana"}})
    services.add_session(store, "Afternoon", ["What worked?"], is_open=False)
    services.add_participant(store, "Sol")
    return store


def test_a_session_the_facilitator_opens_appears_without_a_reload(room: Store) -> None:
    services.set_session_open(room, 1, False)
    form = ListeningForm(room)
    follower = form.following()
    assert "No session is open" in form.status.value and form.submit.disabled
    form.text.value = "typed while waiting"
    services.set_session_open(room, 2, True)
    assert follower.check() is True
    assert form.session.value == 2 and not form.submit.disabled  # the only one open: chosen
    assert "Now open: “Afternoon”" in form.status.value and form.text.value == "typed while waiting"
    assert "What worked?" in form.prompts.value
    assert follower.check() is False  # nothing changed since


def test_a_note_in_progress_stays_when_its_session_closes(room: Store) -> None:
    form = ListeningForm(room, code=services.list_participants(room)[0].join_code)
    follower = form.following()
    form.text.value = "Our rent doubled <b>this</b> year"
    form.tags.value = "housing"
    services.set_session_open(room, 1, False)
    services.set_session_open(room, 2, True)
    follower.check()
    assert form.text.value == "Our rent doubled <b>this</b> year" and form.tags.value == "housing"
    assert form.session.value is None  # never moved to the other session by itself
    assert "closed “Morning”" in form.status.value and "your words are still here" in form.status.value.lower()
    form.submit.click()
    assert "choose the session" in form.status.value and services.list_notes(room) == []
    form.session.value = 2
    form.submit.click()
    assert services.list_notes(room)[0].session_id == 2


def test_when_every_session_closes_the_words_stay_and_nothing_can_be_sent(room: Store) -> None:
    form = ListeningForm(room)
    follower = form.following()
    form.text.value = "half a thought"
    services.set_session_open(room, 1, False)
    follower.check()
    assert form.submit.disabled and form.session.layout.display == "none"
    assert "submit them when the facilitator opens a session" in form.status.value
    assert "No session is open" in form.status.value and form.text.value == "half a thought"
    assert not form.text.disabled  # the person can keep writing


def test_a_closed_session_without_words_gives_way_to_the_open_one(room: Store) -> None:
    form = ListeningForm(room, language="es", languages=["en", "es"])
    follower = form.following()
    services.set_session_open(room, 2, True)
    follower.check()
    assert form.session.value == 1  # still on the person's choice while it is open
    services.set_session_open(room, 1, False)
    follower.check()
    assert form.session.value == 2 and "Mañana" in form.status.value  # the title in the form's language
    form.set_language("en")
    assert "Morning" in form.status.value and "Mañana" not in form.status.value


# --- the scoring form -----------------------------------------------------------------------------------------------


@pytest.fixture
def scoring(room: Store) -> tuple[Store, Store]:
    library = MemoryStore()
    import_library_json(library, data_path("demo", "library.json"))
    return room, library


def test_the_scoring_form_waits_then_shows_the_round_and_keeps_choices_when_it_closes(
    scoring: tuple[Store, Store],
) -> None:
    store, library = scoring
    form = ScoringForm(store, None, None, code="typed-code")
    follower = form.following()
    assert form.ratings == {} and "No scoring round is open" in form.status.value
    assert form.submit.layout.display == "none"
    form.submit.click()
    assert "No scoring round is open" in form.status.value
    rnd = open_round(store, library, "demo-kitchen-forum", "Our town", load_rubric())
    assert follower.check() is True
    assert form.round == rnd and len(form.ratings) > 5 and "Our town" in form.header.value
    assert "A round is open" in form.status.value and form.code.value == "typed-code"
    assert not form.submit.disabled
    for radio in form.ratings.values():
        radio.value = 3
    set_round_open(store, rnd.id, False)  # type: ignore[arg-type]
    follower.check()
    assert form.submit.disabled and "can no longer be sent" in form.status.value
    assert all(radio.value == 3 for radio in form.ratings.values())
    set_round_open(store, rnd.id, True)  # type: ignore[arg-type]
    follower.check()
    assert not form.submit.disabled and "opened this round again" in form.status.value
    assert all(radio.value == 3 for radio in form.ratings.values())


def test_a_new_round_replaces_a_closed_one_but_a_pinned_link_stays(scoring: tuple[Store, Store]) -> None:
    store, library = scoring
    first = open_round(store, library, "demo-kitchen-forum", "Town one", load_rubric())
    form = ScoringForm(store, load_rubric(), first)
    pinned = ScoringForm(store, load_rubric(), first, pinned=first.id)
    set_round_open(store, first.id, False)  # type: ignore[arg-type]
    second = open_round(store, library, "demo-banner-relay", "Town two", load_rubric())
    form.following().check()
    pinned.following().check()
    assert form.round == second and "Town two" in form.header.value
    assert all(radio.value is None for radio in form.ratings.values())  # a new round starts blank
    assert pinned.round is not None and pinned.round.id == first.id and pinned.submit.disabled


# --- the amendment form ---------------------------------------------------------------------------------------------


def test_the_amendment_form_follows_the_memorandum(room: Store) -> None:
    code = services.list_participants(room)[0].join_code
    form = AmendmentForm(room, code=code)
    follower = form.following()
    assert "no memorandum to amend yet" in form.header.value and form.code.layout.display == "none"
    template = load_template()
    with room.transaction() as tx:
        create_in(tx, "Facilitator", "Our memorandum", (), template)
    assert follower.check() is True
    assert "Our memorandum" in form.header.value and form.form.layout.display != "none"  # the code was in the link
    assert form.go.layout.display == "none" and form.person is not None
    form.text.value = "My better wording"
    with room.transaction() as tx:
        write_record(tx, dataclasses.replace(load_state(tx).record, status=MouStatus.ENDED))
    follower.check()
    assert form.submit.layout.display == "none" and "takes no more proposals" in form.status.value
    assert form.text.value == "My better wording"


def test_a_decision_on_my_proposal_shows_without_a_reload(room: Store) -> None:
    with room.transaction() as tx:
        create_in(tx, "Facilitator", "Our memorandum", (), load_template())
    form = AmendmentForm(room, code=services.list_participants(room)[0].join_code)
    follower = form.following()
    form.text.value = "A clearer purpose"
    form.reason.value = "shorter"
    form.submit.click()
    assert "was sent" in form.status.value
    assert follower.check() is False and "was sent" in form.status.value  # the form already shows it: no redraw
    decline_amendment(room, 1, by="Facilitator", note="Let us talk at lunch")
    assert follower.check() is True and "Let us talk at lunch" in form.mine.value
    assert form.text.value == "A clearer purpose" and "was sent" in form.status.value
