"""The agenda's services on both stores, and `lessonkit agenda …` through CliRunner."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from lessonkit import services
from lessonkit.cli import main
from lessonkit.domain.agenda import AgendaLink, BlockState
from lessonkit.errors import NotFoundError, ValidationError
from lessonkit.resources import data_path
from lessonkit.services import agenda_links
from lessonkit.services.agenda import (
    add_block,
    agenda_view,
    end_block,
    next_block,
    overrun_text,
    run_late,
    skip_block,
    start_block,
)
from lessonkit.services.tables import CONVENING_TABLES, check_record
from lessonkit.store import MemoryWorkspace, Workspace
from lessonkit.store.base import Store
from lessonkit.store.memory import MemoryStore
from lessonkit.store.workspace import BaseWorkspace


def at(hhmm: str) -> datetime:
    return datetime.fromisoformat(f"2026-03-10T{hhmm}")


def is_open(store: Store, session_id: int) -> bool:
    return services.get_session(store, session_id).is_open


@pytest.fixture(scope="module")
def demo_tables() -> dict[str, list[dict[str, Any]]]:
    """The demo convening's records, loaded once (loading it takes most of a second)."""
    ws = MemoryWorkspace()
    services.load_demo(ws, data_path("demo", "convening.json"))
    with ws.store("demo").read() as tx:
        return {name: tx.all(name) for name in CONVENING_TABLES}


@pytest.fixture
def demo(demo_tables: dict[str, list[dict[str, Any]]]) -> Store:
    store = MemoryStore()
    with store.transaction() as tx:
        for name, docs in demo_tables.items():
            for doc in docs:
                tx.insert_with_id(name, doc["id"], doc)
    return store


@pytest.fixture
def day(workspace: BaseWorkspace) -> Store:
    """A convening on 2026-03-10 with two closed sessions and a morning: opening, listening (session 1), questions
    (session 2), a round-up that links both sessions."""
    services.create_convening(workspace, "day", "A day", languages="en", start="2026-03-10")
    store = workspace.store("day")
    services.add_session(store, "Listening: what our communities need", ["?"], is_open=False)
    services.add_session(store, "Listening: questions for each other", ["?"], is_open=False)
    add_block(store, "Opening circle", 30, "09:00")
    add_block(store, "Listening", 60, links=["session:1"])
    add_block(store, "Questions", 45, links=["session:2"])
    add_block(store, "Round-up", 30, links=["session:2", "session:1"])
    return store


def test_blocks_follow_each_other_on_the_convening_day(day: Store) -> None:
    view = agenda_view(day, at("08:00"))
    assert [(s.block.title, s.start, s.end) for s in view.slots] == [
        ("Opening circle", at("09:00"), at("09:30")),
        ("Listening", at("09:30"), at("10:30")),
        ("Questions", at("10:30"), at("11:15")),
        ("Round-up", at("11:15"), at("11:45")),
    ]
    assert view.links[2] == ["session 1: Listening: what our communities need"]
    assert view.current is None and view.next is not None and view.next.block.title == "Opening circle"
    assert overrun_text(view.day_of(None)) == "The day ends at 11:45, as planned."  # type: ignore[arg-type]
    with day.read() as tx:
        for doc in tx.all("agenda"):
            check_record("agenda", doc)  # what the services write is what a bundle accepts


def test_facilitators_take_turns_from_the_memorandum_rotation(demo: Store) -> None:
    for title in ("Opening circle", "Listening", "Questions", "Round-up"):
        add_block(demo, title, 30, "09:00")
    add_block(demo, "Lunch", 60, facilitator="Sol")
    view = agenda_view(demo, at("08:00"))
    # the demo memorandum rotates Harbour -> Green Valley -> Falcon; nobody's turn yet on 2026-03-10: the first
    assert [view.facilitators[b] for b in (1, 2, 3, 4, 5)] == [
        ("Harbour Tenants Circle (invented)", True),
        ("Green Valley Youth Forum (invented)", True),
        ("Falcon", True),
        ("Harbour Tenants Circle (invented)", True),
        ("Sol", False),
    ]


def test_without_a_memorandum_nobody_is_assigned(day: Store) -> None:
    assert set(agenda_view(day, at("08:00")).facilitators.values()) == {("", False)}


def test_starting_a_block_opens_what_it_links_and_moving_on_closes_it(day: Store) -> None:
    moved = start_block(day, now=at("09:05"))
    assert moved.started is not None and moved.started.title == "Opening circle" and moved.opened == ()
    moved = next_block(day, now=at("09:40"))
    assert moved.ended is not None and moved.ended.state is BlockState.DONE
    assert moved.opened == ("session 1: Listening: what our communities need",) and is_open(day, 1)
    moved = next_block(day, now=at("10:45"))
    assert moved.closed == ("session 1: Listening: what our communities need",)
    assert not is_open(day, 1) and is_open(day, 2)
    moved = next_block(day, now=at("11:30"))  # the round-up links session 2 again: it stays open, 1 reopens
    assert moved.closed == () and is_open(day, 2) and is_open(day, 1)
    view = agenda_view(day, at("11:31"))
    assert view.current is not None and view.current.block.title == "Round-up"
    assert view.day_of(None).overrun_minutes == 15  # type: ignore[union-attr]
    moved = next_block(day, now=at("12:00"))
    assert moved.started is None and moved.ended is not None and not is_open(day, 1) and not is_open(day, 2)
    with pytest.raises(ValidationError, match="no block left"):
        start_block(day, now=at("12:01"))


def test_start_a_chosen_block_end_one_and_refuse_the_running_one(day: Store) -> None:
    start_block(day, 3, now=at("09:00"))
    with pytest.raises(ValidationError, match="already running"):
        start_block(day, 3, now=at("09:01"))
    ended = end_block(day, now=at("09:40"))
    assert ended.started is None and ended.closed == ("session 2: Listening: questions for each other",)
    view = agenda_view(day, at("09:41"))
    assert [s.block.title for s in view.slots][:2] == ["Questions", "Opening circle"]  # the passed-over come after
    with pytest.raises(NotFoundError, match="Opening circle"):
        start_block(day, 42)


def test_running_late_moves_the_rest_and_skipping_catches_up(day: Store) -> None:
    start_block(day, now=at("09:00"))
    changed = run_late(day, 10, now=at("09:25"))
    assert changed.extra_minutes == 10
    view = agenda_view(day, at("09:26"))
    assert view.slots[1].start == at("09:40") and view.day_of(None).overrun_minutes == 10  # type: ignore[union-attr]
    assert "10 minutes over the plan" in overrun_text(view.day_of(None))  # type: ignore[arg-type]
    skip_block(day, 3)
    view = agenda_view(day, at("09:26"))
    assert view.slots[-1].start == at("11:15") and view.day_of(None).overrun_minutes == 0  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="still to come"):
        skip_block(day, 1)
    end_block(day, now=at("09:40"))
    delayed = run_late(day, 5, now=at("09:41"))  # nothing runs: the next block starts later
    assert delayed.title == "Listening" and delayed.delay_minutes == 5
    with pytest.raises(ValidationError, match="from 1 to 600"):
        run_late(day, 0)


def test_links_must_exist_and_a_kind_is_one_registration(day: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(NotFoundError, match="no session '9'"):
        add_block(day, "Ghost", 10, links=["session:9"])
    with pytest.raises(NotFoundError, match="no vote 1"):
        add_block(day, "Dots", 10, links=["vote:1"])
    with day.transaction() as tx:
        for doc in tx.all("agenda"):
            tx.remove("agenda", doc["id"])
    with pytest.raises(ValidationError, match="first block's start"):
        add_block(day, "x", 10)
    add_block(day, "Opening", 30, "09:00")

    # the registry: whatever is registered for a kind (here a stand-in for the votes) is what starting a block does
    opened: list[tuple[int, bool]] = []
    monkeypatch.setitem(
        agenda_links.LINK_KINDS,
        "vote",
        agenda_links.LinkKind("vote", lambda store, i, o: opened.append((i, o)), lambda store, i: f"Priorities {i}"),
    )
    dots = add_block(day, "Dots", 10, links=["vote:7"])
    assert dots.links == (AgendaLink("vote", 7),)
    moved = start_block(day, dots.id, now=at("09:00"))
    assert moved.opened == ("vote 7: Priorities 7",) and opened == [(7, True)]
    next_block(day, now=at("09:10"))
    assert opened[-1] == (7, False)


def test_a_link_that_fails_to_open_does_not_stop_the_agenda(day: Store) -> None:
    with day.transaction() as tx:
        tx.remove("sessions", 1)
    moved = start_block(day, 2, now=at("09:00"))
    assert moved.started is not None and moved.opened == ()
    assert moved.failed[0][0] == "session:1" and "no session" in moved.failed[0][1]
    assert agenda_view(day, at("09:01")).links[2] == ["session:1 (not found)"]


# --- the command line -----------------------------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "ws"
    services.load_demo(Workspace(home), data_path("demo", "convening.json"))
    return home


def cli(home: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--home", str(home), "agenda", *args])
    return result


def test_agenda_commands(home: Path) -> None:
    assert cli(home, "add", "demo", "--title", "Opening", "--start", "09:00", "--minutes", "30").exit_code == 0
    added = cli(
        home, "add", "demo", "--title", "Listening", "--minutes", "60", "--link", "session:1", "--format", "json"
    )
    assert json.loads(added.stdout)["planned_start"] == "2026-03-10T09:30:00"
    listed = cli(home, "list", "demo")
    assert "Opening" in listed.stdout and "session:1" in listed.stdout and "as planned" in listed.stdout
    rows = json.loads(cli(home, "list", "demo", "--format", "json").stdout)
    assert [r["title"] for r in rows] == ["Opening", "Listening"]
    assert rows[0]["facilitator"] == "Harbour Tenants Circle (invented)" and rows[0]["facilitator_from_rotation"]
    started = cli(home, "start", "demo")
    assert started.exit_code == 0 and "Started block 1: Opening" in started.stdout
    late = cli(home, "late", "demo", "10")
    assert late.exit_code == 0 and "Listening: now at" in late.stdout and "over the plan" in late.stdout
    moved = json.loads(cli(home, "next", "demo", "--format", "json").stdout)
    assert moved["started"]["id"] == 2 and moved["ended"] == 1 and moved["opened"][0].startswith("session 1")
    done = cli(home, "next", "demo")
    assert "Ended block 2" in done.stdout and "Closed session 1" in done.stdout
    assert "the agenda is done" in cli(home, "next", "demo").stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("add", "demo", "--title", "X", "--minutes", "10", "--start", "noon"), "HH:MM"),
        (("add", "demo", "--title", "X", "--minutes", "10", "--start", "9:00", "--link", "vote:1"), "no vote 1"),
        (("add", "demo", "--title", "X", "--minutes", "0", "--start", "9:00"), "minutes"),
        (("start", "demo", "3"), "no agenda block '3'"),
        (("late", "demo", "5"), "agenda is done"),
        (("skip", "demo", "x"), "no agenda block 'x'"),
        (("list", "nowhere"), "nowhere"),
    ],
)
def test_agenda_mistakes_are_one_line(tmp_path: Path, args: tuple[str, ...], needle: str) -> None:
    home = tmp_path / "ws"
    services.create_convening(Workspace(home), "demo", "Demo", languages="en", start="2026-03-10")
    result = cli(home, *args)
    assert result.exit_code != 0 and "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:") and needle in lines[0], result.stderr
