"""The agenda panel and the projector, without a browser: set values, click, read the store and the HTML."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from lessonkit import services
from lessonkit.domain.agenda_flow import Timer, TimerStage
from lessonkit.errors import ValidationError
from lessonkit.services.agenda import add_block, list_blocks, start_block
from lessonkit.services.notes import submit_note
from lessonkit.store import MemoryWorkspace
from lessonkit.store.base import Store
from lessonkit.ui.agenda import AgendaPanel
from lessonkit.ui.agenda_html import timer_html
from lessonkit.ui.projector_view import Projector, projector_prompts_html


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: str) -> None:
        self.now = datetime.fromisoformat(start)

    def __call__(self) -> datetime:
        return self.now

    def forward(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture
def room() -> Store:
    ws = MemoryWorkspace()
    services.create_convening(ws, "room", "Room", languages="en,es,ar", start="2026-03-10")
    store = ws.store("room")
    services.add_session(
        store,
        "Listening",
        ["What do you <b>need</b>?"],
        translations={"es": {"title": "Escucha", "prompts": ["¿Qué necesitas?"]}},
        is_open=False,
        allow_anonymous=True,
    )
    services.add_participant(store, "Sol")
    return store


def test_the_panel_adds_starts_runs_late_and_moves_on(room: Store) -> None:
    clock = Clock("2026-03-10T08:55")
    panel = AgendaPanel(room, refresh_s=0, tick_s=0, clock=clock)
    assert "No blocks yet" in panel.table.value
    panel.add_button.click()
    assert "Start: give the first block&#x27;s start time" in panel.status.value
    panel.start.value = "09:00"
    panel.add_button.click()
    assert "Title: must not be empty" in panel.status.value and panel.start.value == "09:00"  # kept
    panel.title.value, panel.minutes.value = "Opening <circle>", 10
    panel.add_button.click()
    assert "Added block 1" in panel.status.value and panel.title.value == ""
    assert "Opening &lt;circle&gt;" in panel.table.value and "<circle>" not in panel.table.value
    panel.title.value, panel.minutes.value = "Listening", 30
    panel.links.value = (panel.links.options[0][1],)  # session 1
    panel.add_button.click()
    assert [b.title for b in list_blocks(room)] == ["Opening <circle>", "Listening"]

    clock.forward(5)
    panel.start_button.click()  # the next block: the opening, started at 09:00
    assert "Started: Opening &lt;circle&gt;" in panel.status.value and "10:00" in panel.timer.value
    clock.forward(8.5)  # 1:30 of 10 minutes left: 15% -> warn
    panel.tick()
    assert "lk-timer-warn" in panel.timer.value and "1:30" in panel.timer.value
    panel.late_minutes.value = 5
    panel.late_button.click()
    assert "5 more minutes" in panel.status.value
    assert "09:15" in panel.table.value and "<s " in panel.table.value  # the listening moved, planned time struck
    assert "5 minutes over the plan" in panel.table.value
    clock.forward(7)
    panel.next_button.click()
    assert "Opened session 1: Listening" in panel.status.value and services.get_session(room, 1).is_open
    clock.forward(31)
    panel.next_button.click()
    assert "Closed session 1: Listening" in panel.status.value and not services.get_session(room, 1).is_open
    assert panel.next_button.disabled  # nothing left


def test_the_panel_follows_commands_typed_elsewhere(room: Store) -> None:
    clock = Clock("2026-03-10T08:55")
    panel = AgendaPanel(room, refresh_s=0, tick_s=0, clock=clock)
    add_block(room, "Typed in a terminal", 20, "09:00")
    assert panel.follower.check() is True and "Typed in a terminal" in panel.table.value
    start_block(room, now=clock())
    panel.follower.check()
    assert "lk-timer-calm" in panel.timer.value


def test_the_countdown_says_its_stage_in_words_not_only_colour() -> None:
    total = timedelta(minutes=10)
    assert timer_html(None) == ""
    html = {stage: timer_html(Timer(timedelta(seconds=30), total, stage)) for stage in TimerStage}
    assert "Time to wrap up" in html[TimerStage.WARN] and "Almost out of time" in html[TimerStage.URGENT]
    assert "Time is up" in html[TimerStage.OVER] and "wrap up" not in html[TimerStage.CALM]
    assert len({h.split("background:")[1][:7] for h in html.values()}) == 4  # four colours


def test_the_projector_shows_the_block_the_prompts_in_each_language_and_the_room_board(room: Store) -> None:
    clock = Clock("2026-03-10T09:00")
    add_block(room, "Listening", 30, "09:00", links=["session:1"])
    start_block(room, now=clock())
    code = services.list_participants(room)[0].join_code
    submit_note(room, 1, "need", "A room to meet, <script>x</script>", join_code=code, sensitivity="convening")
    submit_note(room, 1, "risk", "Names of our lawyers", join_code=code, sensitivity="restricted")
    screen = Projector(room, refresh_s=0, tick_s=0, clock=clock)
    assert "Listening" in screen.now.value and "30:00" in screen.timer.value
    assert "What do you &lt;b&gt;need&lt;/b&gt;?" in screen.prompts.value and "¿Qué necesitas?" in screen.prompts.value
    assert 'lang="es"' in screen.prompts.value and 'lang="ar"' not in screen.prompts.value  # no Arabic text to show
    board = screen.board.board.value
    assert "A room to meet, &lt;script&gt;" in board and "<script>x" not in board
    assert "Names of our lawyers" not in board and "kept off this screen" in board  # counted, never shown
    assert screen.board.language_filter.layout.display == "none"  # no controls in front of the room
    screen.full.value = True
    assert "lk-projector-full" in screen._dom_classes
    screen.full.value = False
    assert "lk-projector-full" not in screen._dom_classes
    with pytest.raises(ValidationError, match="never 'restricted'"):
        Projector(room, audience="restricted", refresh_s=0, tick_s=0)


def test_the_projector_follows_the_agenda(room: Store) -> None:
    clock = Clock("2026-03-10T08:50")
    add_block(room, "Opening", 10, "09:00")
    add_block(room, "Listening", 30, links=["session:1"])
    screen = Projector(room, refresh_s=0, tick_s=0, clock=clock)
    assert "Next: Opening at 09:00" in screen.now.value and screen.timer.value == ""
    start_block(room, now=clock())
    screen.follower.check()
    assert "Opening" in screen.now.value and screen.timer.value and screen.board.layout.display == "none"
    start_block(room, now=clock())
    screen.follower.check()
    assert "Escucha" in screen.prompts.value and screen.board.layout.display != "none"


def test_prompts_only_in_the_languages_the_session_has(room: Store) -> None:
    session = services.get_session(room, 1)
    html = projector_prompts_html(session, ["ar", "es"])
    assert html.index('lang="en"') < html.index('lang="es"') and 'lang="ar"' not in html


def test_the_projector_page_is_served_only_from_the_facilitators_lab() -> None:
    from lessonkit.cli.serve_run import projector_url
    from lessonkit.resources import participant_notebooks, workbooks_path

    assert workbooks_path("projector.ipynb").exists()
    served = {p.name for p in participant_notebooks().rglob("*")}
    assert "projector.ipynb" not in served and not any("agenda" in name for name in served)
    lab = "http://127.0.0.1:8888/lab?token=t0k"
    assert projector_url(lab) == "http://127.0.0.1:8888/voila/render/projector.ipynb?token=t0k"
