"""Where the agenda's blocks fall on the clock once the day runs late: pure functions, tested without a store.

The rules (one place, so the panel, the projector and the command line agree):

- What already ran keeps its real times; a running block ends at its start plus its length (plus any minutes added
  while running late), and never before now.
- A block still to come starts no earlier than planned (plus any announced delay), no earlier than the block before
  it ends, and — once the day is under way (a block has started) — no earlier than now. Free time between blocks
  (a break, the night) absorbs lateness; nothing moves earlier than planned.
- A skipped block takes no time. A block passed over (a later one was started first) comes after what is running.
- A day runs from 04:00 to 04:00, so a block that crosses midnight stays in its evening. A day's overrun is how much
  later its last block ends than the day was planned to end (negative: ahead of plan).
- The countdown of a running block turns to "warn" with 20% of its time left, "urgent" at 5%, "over" after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from lessonkit.domain.agenda import AgendaBlock, BlockState
from lessonkit.domain.mou_parts import RotationSlot

#: A workshop day ends at 04:00 the next morning (an evening block that crosses midnight stays in its day).
DAY_TURNS_AT = timedelta(hours=4)
WARN_AT = 0.20
URGENT_AT = 0.05


def agenda_day(moment: datetime) -> date:
    """The workshop day a moment belongs to (a block at 00:30 still belongs to the evening before)."""
    return (moment - DAY_TURNS_AT).date()


def plan_order(blocks: Sequence[AgendaBlock]) -> list[AgendaBlock]:
    """The blocks in the order they were planned (planned start, then id)."""
    return sorted(blocks, key=lambda b: (b.planned_start, b.id or 0))


@dataclass(frozen=True)
class Slot:
    """A block as it now falls on the clock (``start``/``end`` None when skipped)."""

    block: AgendaBlock
    start: datetime | None
    end: datetime | None

    @property
    def late(self) -> timedelta:
        """How much later than planned it starts (zero when skipped or early)."""
        if self.start is None:
            return timedelta(0)
        return max(self.start - self.block.planned_start, timedelta(0))

    @property
    def late_minutes(self) -> int:
        return round(self.late.total_seconds() / 60)

    @property
    def day(self) -> date:
        return agenda_day(self.block.planned_start)


def reflow(blocks: Sequence[AgendaBlock], now: datetime) -> list[Slot]:
    """Every block placed on the clock at ``now``, in the order they happen (skipped ones where they were planned)."""
    ordered = plan_order(blocks)
    under_way = any(b.state in (BlockState.RUNNING, BlockState.DONE) for b in ordered)
    history = sorted(
        (b for b in ordered if b.state in (BlockState.RUNNING, BlockState.DONE)),
        key=lambda b: (b.started_at or b.planned_start, b.id or 0),
    )
    placed: dict[int, Slot] = {}
    cursor: datetime | None = None
    for b in history:
        start = b.started_at or b.planned_start
        if b.state is BlockState.DONE:
            end = b.ended_at or start + b.length
        else:
            end = max(start + b.length, now)
        placed[id(b)] = Slot(b, start, end)
        cursor = end if cursor is None else max(cursor, end)
    for b in ordered:
        if b.state is BlockState.SKIPPED:
            placed[id(b)] = Slot(b, None, None)
            continue
        if b.state is not BlockState.PLANNED:
            continue
        start = b.planned_start + timedelta(minutes=b.delay_minutes)
        if cursor is not None:
            start = max(start, cursor)
        if under_way:
            start = max(start, now.replace(microsecond=0))
        end = start + b.length
        placed[id(b)] = Slot(b, start, end)
        cursor = end
    return _in_order(ordered, placed)


def _in_order(ordered: list[AgendaBlock], placed: dict[int, Slot]) -> list[Slot]:
    """The slots by the time they happen; a skipped block stays right after the block planned before it."""
    result = sorted((s for s in placed.values() if s.start is not None), key=lambda s: (s.start, s.block.id or 0))
    after: Slot | None = None
    for b in ordered:
        slot = placed[id(b)]
        if slot.start is not None:
            after = slot
            continue
        at = result.index(after) + 1 if after is not None else 0
        result.insert(at, slot)
        after = slot
    return result


@dataclass(frozen=True)
class DayPlan:
    """One workshop day: when it was planned to end, when it now ends, and the difference."""

    day: date
    planned_end: datetime
    end: datetime

    @property
    def overrun(self) -> timedelta:
        return self.end - self.planned_end

    @property
    def overrun_minutes(self) -> int:
        return round(self.overrun.total_seconds() / 60)


def days(slots: Sequence[Slot]) -> list[DayPlan]:
    """Each day of the agenda with its planned and projected end (skipped blocks count in the plan, not the end)."""
    out: dict[date, tuple[datetime, datetime | None]] = {}
    for s in slots:
        planned, end = out.get(s.day, (s.block.planned_end, None))
        planned = max(planned, s.block.planned_end)
        if s.end is not None:
            end = s.end if end is None else max(end, s.end)
        out[s.day] = (planned, end)
    return [DayPlan(day, planned, end or planned) for day, (planned, end) in sorted(out.items())]


def running(slots: Sequence[Slot]) -> Slot | None:
    return next((s for s in slots if s.block.state is BlockState.RUNNING), None)


def upcoming(slots: Sequence[Slot]) -> Slot | None:
    """The block that comes next (the first still planned, in the order they now happen)."""
    return next((s for s in slots if s.block.state is BlockState.PLANNED), None)


class TimerStage(str, Enum):
    CALM = "calm"
    WARN = "warn"  # 20% of the time left or less
    URGENT = "urgent"  # 5% or less
    OVER = "over"  # the time is up


@dataclass(frozen=True)
class Timer:
    """The countdown of a running block."""

    remaining: timedelta  # negative once over
    total: timedelta
    stage: TimerStage

    @property
    def fraction_left(self) -> float:
        seconds = self.total.total_seconds()
        return max(self.remaining.total_seconds(), 0.0) / seconds if seconds > 0 else 0.0


def stage_of(remaining: timedelta, total: timedelta) -> TimerStage:
    if remaining.total_seconds() <= 0:
        return TimerStage.OVER
    left = remaining / total if total.total_seconds() > 0 else 0.0
    if left <= URGENT_AT:
        return TimerStage.URGENT
    if left <= WARN_AT:
        return TimerStage.WARN
    return TimerStage.CALM


def timer(block: AgendaBlock, now: datetime) -> Timer | None:
    """The countdown of ``block`` at ``now``; None unless it is running."""
    if block.state is not BlockState.RUNNING or block.started_at is None:
        return None
    total = block.length
    remaining = block.started_at + total - now
    return Timer(remaining, total, stage_of(remaining, total))


def clock_text(remaining: timedelta) -> str:
    """``12:05`` (or ``1:02:05``), with a minus sign once over: the digits a countdown shows."""
    seconds = int(round(remaining.total_seconds()))
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes}:{secs:02d}"


# --- who facilitates each block ---------------------------------------------------------------------------

FACILITATION_ROLES = ("facilitation", "coordination")


def parties_in_turn(slots: Sequence[RotationSlot], day: date) -> list[str]:
    """The parties of a memorandum's rotation in their turn order, starting with the one whose turn it is on
    ``day`` (else the next to take over, else the first). Slots of the role "facilitation" are used when there
    are any, else those of "coordination"."""
    for role in FACILITATION_ROLES:
        ordered = sorted((s for s in slots if s.role == role), key=lambda s: s.start)
        if ordered:
            break
    else:
        return []
    parties = list(dict.fromkeys(s.party for s in ordered))
    now = next((s for s in ordered if s.start <= day <= s.end), None) or next(
        (s for s in ordered if s.start > day), ordered[0]
    )
    first = parties.index(now.party)
    return parties[first:] + parties[:first]


def facilitators(blocks: Sequence[AgendaBlock], parties: Sequence[str]) -> dict[int, tuple[str, bool]]:
    """Block id -> (who facilitates it, True when the rotation chose them). A block's own facilitator stands; the
    others take turns among ``parties`` in the planned order (skipped blocks keep their turn, so nobody's block
    moves when another is skipped)."""
    out: dict[int, tuple[str, bool]] = {}
    turn = 0
    for b in plan_order(blocks):
        if b.facilitator:
            out[b.id or 0] = (b.facilitator, False)
        elif parties:
            out[b.id or 0] = (parties[turn % len(parties)], True)
            turn += 1
        else:
            out[b.id or 0] = ("", False)
    return out
