"""The agenda's re-flow, days, countdown and facilitator rotation: pure functions, no store."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from lessonkit.domain.agenda import AgendaBlock, AgendaLink, BlockState, parse_start
from lessonkit.domain.agenda_flow import (
    TimerStage,
    agenda_day,
    clock_text,
    days,
    facilitators,
    parties_in_turn,
    reflow,
    running,
    stage_of,
    timer,
    upcoming,
)
from lessonkit.domain.mou_parts import RotationSlot
from lessonkit.errors import ValidationError

DAY = date(2026, 3, 10)


def at(hhmm: str, day: date = DAY) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute)


def block(ident: int, start: str, minutes: int, day: date = DAY, **fields: object) -> AgendaBlock:
    return AgendaBlock(title=f"Block {ident}", planned_start=at(start, day), minutes=minutes, id=ident, **fields)  # type: ignore[arg-type]


def ran(b: AgendaBlock, start: str, end: str | None = None, day: date = DAY) -> AgendaBlock:
    started = b.started(at(start, day))
    return started.ended(at(end, day)) if end else started


def times(slots: list) -> list[tuple[int, str | None, str | None]]:  # type: ignore[type-arg]
    return [
        (s.block.id, s.start.strftime("%H:%M") if s.start else None, s.end.strftime("%H:%M") if s.end else None)
        for s in slots
    ]


# A morning: 09:00 opening (30), 09:30 listening (60), 10:30 break (15), 10:45 scoring (45) -> ends 11:30.
MORNING = [block(1, "09:00", 30), block(2, "09:30", 60), block(3, "10:30", 15), block(4, "10:45", 45)]


def test_before_the_day_starts_the_plan_stands() -> None:
    slots = reflow(MORNING, at("08:00"))
    assert times(slots) == [(1, "09:00", "09:30"), (2, "09:30", "10:30"), (3, "10:30", "10:45"), (4, "10:45", "11:30")]
    (day,) = days(slots)
    assert day.overrun_minutes == 0 and day.end == at("11:30")
    # even viewed after the planned times, nothing started means nothing moved (the timer was not used)
    assert times(reflow(MORNING, at("12:00"))) == times(slots)


def test_a_late_start_pushes_everything_after_it() -> None:
    blocks = [ran(MORNING[0], "09:10"), *MORNING[1:]]
    slots = reflow(blocks, at("09:12"))
    assert times(slots) == [(1, "09:10", "09:40"), (2, "09:40", "10:40"), (3, "10:40", "10:55"), (4, "10:55", "11:40")]
    assert [s.late_minutes for s in slots] == [10, 10, 10, 10]
    assert days(slots)[0].overrun_minutes == 10
    assert running(slots).block.id == 1 and upcoming(slots).block.id == 2  # type: ignore[union-attr]


def test_a_running_block_that_overruns_ends_no_earlier_than_now() -> None:
    blocks = [ran(MORNING[0], "09:00"), *MORNING[1:]]
    slots = reflow(blocks, at("09:42"))  # 30 minutes planned, still going at 09:42
    assert times(slots)[:2] == [(1, "09:00", "09:42"), (2, "09:42", "10:42")]
    assert days(slots)[0].overrun_minutes == 12


def test_minutes_added_while_running_late_extend_the_block() -> None:
    blocks = [replace(ran(MORNING[0], "09:00"), extra_minutes=10), *MORNING[1:]]
    slots = reflow(blocks, at("09:05"))
    assert times(slots)[:2] == [(1, "09:00", "09:40"), (2, "09:40", "10:40")]
    assert timer(blocks[0], at("09:05")).total == timedelta(minutes=40)  # type: ignore[union-attr]


def test_free_time_between_blocks_absorbs_lateness() -> None:
    gap = [block(1, "09:00", 30), block(2, "09:45", 30)]  # 15 minutes free between them
    assert times(reflow([ran(gap[0], "09:10"), gap[1]], at("09:10")))[1] == (2, "09:45", "10:15")
    assert times(reflow([ran(gap[0], "09:20"), gap[1]], at("09:20")))[1] == (2, "09:50", "10:20")


def test_a_block_done_early_does_not_pull_the_next_one_earlier() -> None:
    blocks = [ran(MORNING[0], "09:00", "09:20"), *MORNING[1:]]
    slots = reflow(blocks, at("09:21"))
    assert times(slots)[:2] == [(1, "09:00", "09:20"), (2, "09:30", "10:30")]
    assert days(slots)[0].overrun_minutes == 0


def test_skipping_a_block_lets_the_rest_catch_up() -> None:
    blocks = [ran(MORNING[0], "09:00", "09:50"), replace(MORNING[1], state=BlockState.SKIPPED), *MORNING[2:]]
    slots = reflow(blocks, at("09:50"))
    assert times(slots) == [(1, "09:00", "09:50"), (2, None, None), (3, "10:30", "10:45"), (4, "10:45", "11:30")]
    assert slots[1].late_minutes == 0 and days(slots)[0].overrun_minutes == 0


def test_skipping_the_last_block_ends_the_day_ahead_of_plan() -> None:
    blocks = [*MORNING[:3], replace(MORNING[3], state=BlockState.SKIPPED)]
    (day,) = days(reflow(blocks, at("08:00")))
    assert day.end == at("10:45") and day.overrun_minutes == -45


def test_an_unstarted_block_past_its_time_starts_no_earlier_than_now() -> None:
    blocks = [ran(MORNING[0], "09:00", "09:30"), *MORNING[1:]]  # ended on time, the next one not started
    slots = reflow(blocks, at("09:38"))
    assert times(slots)[1] == (2, "09:38", "10:38") and slots[1].late_minutes == 8


def test_a_delay_announced_before_a_block_starts() -> None:
    blocks = [MORNING[0], replace(MORNING[1], delay_minutes=15), *MORNING[2:]]
    slots = reflow(blocks, at("08:00"))
    assert times(slots)[1:] == [(2, "09:45", "10:45"), (3, "10:45", "11:00"), (4, "11:00", "11:45")]
    assert days(slots)[0].overrun_minutes == 15


def test_a_block_passed_over_comes_after_the_running_one() -> None:
    blocks = [ran(MORNING[0], "09:00", "09:30"), MORNING[1], ran(MORNING[2], "09:30"), MORNING[3]]
    slots = reflow(blocks, at("09:31"))
    assert [s.block.id for s in slots] == [1, 3, 2, 4]
    assert times(slots)[1:] == [(3, "09:30", "09:45"), (2, "09:45", "10:45"), (4, "10:45", "11:30")]


def test_lateness_on_day_one_does_not_move_day_two() -> None:
    day2 = DAY + timedelta(days=1)
    blocks = [
        block(1, "16:00", 60),
        block(2, "17:00", 30),
        block(3, "09:00", 60, day=day2),
        block(4, "10:00", 30, day=day2),
    ]
    blocks[0] = ran(blocks[0], "16:30")
    slots = reflow(blocks, at("16:31"))
    assert times(slots) == [(1, "16:30", "17:30"), (2, "17:30", "18:00"), (3, "09:00", "10:00"), (4, "10:00", "10:30")]
    first, second = days(slots)
    assert (first.day, first.overrun_minutes) == (DAY, 30)
    assert (second.day, second.overrun_minutes) == (day2, 0)


def test_an_evening_block_across_midnight_stays_in_its_day() -> None:
    day2 = DAY + timedelta(days=1)
    blocks = [block(1, "23:30", 60), block(2, "00:30", 30, day=day2)]
    assert agenda_day(blocks[1].planned_start) == DAY  # 00:30 belongs to the evening before
    blocks[0] = ran(blocks[0], "23:45")
    slots = reflow(blocks, at("23:50"))
    assert [(s.start, s.end) for s in slots] == [
        (at("23:45"), at("00:45", day2)),
        (at("00:45", day2), at("01:15", day2)),
    ]
    (day,) = days(slots)
    assert day.day == DAY and day.planned_end == at("01:00", day2) and day.overrun_minutes == 15


def test_the_countdown_changes_colour_at_20_and_5_percent() -> None:
    total = timedelta(minutes=100)
    assert stage_of(timedelta(minutes=21), total) is TimerStage.CALM
    assert stage_of(timedelta(minutes=20), total) is TimerStage.WARN
    assert stage_of(timedelta(minutes=6), total) is TimerStage.WARN
    assert stage_of(timedelta(minutes=5), total) is TimerStage.URGENT
    assert stage_of(timedelta(seconds=1), total) is TimerStage.URGENT
    assert stage_of(timedelta(0), total) is TimerStage.OVER
    b = ran(block(1, "09:00", 10), "09:00")
    assert timer(b, at("09:07")).stage is TimerStage.CALM  # type: ignore[union-attr]
    assert timer(b, at("09:08")).stage is TimerStage.WARN  # type: ignore[union-attr]
    late = timer(b, at("09:12"))
    assert late is not None and late.stage is TimerStage.OVER and clock_text(late.remaining) == "-2:00"
    assert late.fraction_left == 0.0
    assert timer(block(2, "09:00", 10), at("09:05")) is None  # not running: no countdown


def test_clock_text() -> None:
    assert clock_text(timedelta(minutes=12, seconds=5)) == "12:05"
    assert clock_text(timedelta(hours=1, minutes=2, seconds=5)) == "1:02:05"
    assert clock_text(timedelta(seconds=-65)) == "-1:05"
    assert clock_text(timedelta(0)) == "0:00"


ROTATION = (
    RotationSlot("Harbour", date(2026, 1, 1), date(2026, 3, 9)),
    RotationSlot("Valley", date(2026, 3, 10), date(2026, 6, 30)),
    RotationSlot("Falcon", date(2026, 7, 1), date(2026, 12, 31)),
)


def test_parties_take_turns_starting_with_the_one_whose_turn_it_is() -> None:
    assert parties_in_turn(ROTATION, DAY) == ["Valley", "Falcon", "Harbour"]
    assert parties_in_turn(ROTATION, date(2025, 6, 1)) == ["Harbour", "Valley", "Falcon"]  # before: the first
    assert parties_in_turn(ROTATION, date(2027, 6, 1)) == ["Harbour", "Valley", "Falcon"]  # after: the first
    assert parties_in_turn((), DAY) == []
    facilitation = (*ROTATION, RotationSlot("Kitchen", date(2026, 1, 1), date(2026, 12, 31), role="facilitation"))
    assert parties_in_turn(facilitation, DAY) == ["Kitchen"]  # a facilitation rotation wins over coordination


def test_blocks_without_a_facilitator_rotate_and_skipping_keeps_the_turns() -> None:
    blocks = [
        MORNING[0],
        replace(MORNING[1], facilitator="Sol"),
        replace(MORNING[2], state=BlockState.SKIPPED),
        MORNING[3],
    ]
    assert facilitators(blocks, ["Valley", "Falcon"]) == {
        1: ("Valley", True),
        2: ("Sol", False),
        3: ("Falcon", True),
        4: ("Valley", True),
    }
    assert facilitators(blocks, [])[1] == ("", False)


def test_a_block_round_trips_and_refuses_bad_fields() -> None:
    b = replace(
        ran(MORNING[1], "09:35"), links=(AgendaLink("session", 1), AgendaLink("scoring_round", 2)), extra_minutes=5
    )
    assert AgendaBlock.from_dict({**b.to_dict(), "id": 2}) == b
    bad: list[tuple[dict[str, Any], str]] = [
        ({"minutes": 0}, "minutes"),
        ({"minutes": "lots"}, "minutes"),
        ({"title": ""}, "title"),
        ({"state": "paused"}, "state"),
        ({"links": [{"kind": "poll", "id": 1}]}, "links"),
        ({"links": [{"kind": "session", "id": 0}]}, "links"),
        ({"planned_start": "tomorrow"}, "planned_start"),
        ({"state": "running", "started_at": None}, "started_at"),
    ]
    for change, field in bad:
        with pytest.raises(ValidationError) as err:
            AgendaBlock.from_dict({**MORNING[0].to_dict(), **change})
        assert err.value.field == field


def test_links_and_start_times_as_typed() -> None:
    assert AgendaLink.parse("session:3") == AgendaLink("session", 3)
    assert AgendaLink.parse(" vote # 2 ") == AgendaLink("vote", 2)
    with pytest.raises(ValidationError, match="KIND:ID"):
        AgendaLink.parse("session")
    with pytest.raises(ValidationError, match="not a kind of link"):
        AgendaLink.parse("poll:1")
    assert parse_start("9:05", DAY) == at("09:05")
    assert parse_start("2026-03-11 14:30", DAY) == datetime(2026, 3, 11, 14, 30)
    assert parse_start("2026-03-11T14:30:00+00:00", DAY).tzinfo is None
    for typed in ("25:00", "noon", ""):
        with pytest.raises(ValidationError, match="HH:MM"):
            parse_start(typed, DAY)
