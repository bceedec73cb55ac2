"""The agenda of a convening: add blocks, start them (opening what they link), move on, run late, skip.

Where the blocks now fall, who facilitates each and how much the day overruns are computed on every read
(:func:`agenda_view`) from what is stored: the plan and what actually happened. Starting a block opens what it links
(sessions, scoring rounds, and any kind registered in :mod:`lessonkit.services.agenda_links`); moving on closes
what the ended block opened, unless the next block links it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from lessonkit.domain.agenda import AgendaBlock, AgendaLink, BlockState, parse_start, state_label
from lessonkit.domain.agenda_flow import (
    DayPlan,
    Slot,
    Timer,
    agenda_day,
    days,
    facilitators,
    parties_in_turn,
    plan_order,
    reflow,
    running,
    timer,
    upcoming,
)
from lessonkit.domain.mou_parts import RotationSlot
from lessonkit.domain.mou_status import MouStatus
from lessonkit.errors import LessonkitError, NotFoundError, ValidationError
from lessonkit.i18n import _, ngettext
from lessonkit.services.agenda_links import check_link, link_label, try_set_open
from lessonkit.services.convenings import get_convening
from lessonkit.store.base import Store, Tx

TABLE = "agenda"


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _blocks(tx: Tx) -> list[AgendaBlock]:
    return plan_order([AgendaBlock.from_dict(d) for d in tx.all(TABLE)])


def list_blocks(store: Store) -> list[AgendaBlock]:
    """Every block, in the planned order."""
    with store.read() as tx:
        return _blocks(tx)


def _load(tx: Tx, block_id: int | str) -> AgendaBlock:
    key = str(block_id).strip()
    doc = tx.get(TABLE, int(key)) if key.isdigit() and int(key) > 0 else None
    if doc is None:
        known = ", ".join(f"{b.id} ({b.title})" for b in _blocks(tx)) or _("none yet")
        raise NotFoundError(_("There is no agenda block '{id}' (blocks: {known}).").format(id=block_id, known=known))
    return AgendaBlock.from_dict(doc)


def get_block(store: Store, block_id: int | str) -> AgendaBlock:
    with store.read() as tx:
        return _load(tx, block_id)


def default_day(store: Store) -> date:
    """The day a time without a date falls on: the last block's, else the convening's first day, else today."""
    blocks = list_blocks(store)
    if blocks:
        return agenda_day(blocks[-1].planned_start)
    start = get_convening(store).start
    return start or date.today()


def add_block(
    store: Store,
    title: str,
    minutes: int,
    start: datetime | str | None = None,
    facilitator: str = "",
    links: Iterable[AgendaLink | str] = (),
) -> AgendaBlock:
    """Add a block. ``start`` as a datetime or as typed ("09:30", "2026-03-10 09:30"); by default right after the
    last block. Every link must point at something there."""
    parsed = [link if isinstance(link, AgendaLink) else AgendaLink.parse(link) for link in links]
    for link in parsed:
        check_link(store, link)
    if start is None or start == "":
        existing = list_blocks(store)
        if not existing:
            raise ValidationError("start", _("give the first block's start time, e.g. 09:30."))
        when = max(b.planned_end for b in existing)
    elif isinstance(start, datetime):
        when = start
    else:
        when = parse_start(start, default_day(store))
    block = AgendaBlock.from_dict(
        {
            "title": title,
            "planned_start": when.isoformat(),
            "minutes": minutes,
            "facilitator": facilitator,
            "links": [link.to_dict() for link in parsed],
        }
    )
    doc_id = store.insert(TABLE, block.to_dict())
    return replace(block, id=doc_id)


@dataclass(frozen=True)
class Moved:
    """What a step of the agenda did: the block started and the one ended (if any), what was opened and closed,
    and what could not be (label, error)."""

    started: AgendaBlock | None = None
    ended: AgendaBlock | None = None
    opened: tuple[str, ...] = ()
    closed: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = field(default=())


def _switch(store: Store, wanted: int | str | None, now: datetime | None, skip: bool = False) -> Moved:
    """End the running block, then start ``wanted`` (None: the next planned one; with ``skip``, none)."""
    at = (now or _now()).replace(microsecond=0)
    with store.transaction() as tx:
        blocks = _blocks(tx)
        current = next((b for b in blocks if b.state is BlockState.RUNNING), None)
        target: AgendaBlock | None = None
        if wanted is not None:
            target = _load(tx, wanted)
            if target.state is BlockState.RUNNING:
                raise ValidationError("block", _("'{title}' is already running.").format(title=target.title))
        elif not skip:
            nxt = upcoming(reflow(blocks, at))
            target = nxt.block if nxt else None
        ended = current.ended(at) if current else None
        if ended is not None:
            tx.update(TABLE, ended.id or 0, ended.to_dict())
        started = target.started(at) if target is not None else None
        if started is not None:
            tx.update(TABLE, started.id or 0, started.to_dict())
    keep = set(started.links) if started else set()
    closing = [link for link in (ended.links if ended else ()) if link not in keep]
    closed, failed = _set_all(store, closing, False)
    opened, failed_open = _set_all(store, started.links if started else (), True)
    return Moved(started, ended, opened, closed, failed + failed_open)


def _set_all(
    store: Store, links: Sequence[AgendaLink], is_open: bool
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    done, failed = [], []
    for link in links:
        label, error = try_set_open(store, link, is_open)
        if error is None:
            done.append(label)
        else:
            failed.append((label, error))
    return tuple(done), tuple(failed)


def start_block(store: Store, block_id: int | str | None = None, now: datetime | None = None) -> Moved:
    """Start a block (by default the next one), ending the one running; opens what it links."""
    moved = _switch(store, block_id, now)
    if moved.started is None:
        raise ValidationError("block", _("There is no block left to start: add one with `lessonkit agenda add`."))
    return moved


def next_block(store: Store, now: datetime | None = None) -> Moved:
    """End the running block and start the next one (when there is one)."""
    return _switch(store, None, now)


def end_block(store: Store, now: datetime | None = None) -> Moved:
    """End the running block without starting another (a break, the end of the day)."""
    return _switch(store, None, now, skip=True)


def skip_block(store: Store, block_id: int | str) -> AgendaBlock:
    """Mark a block still to come as skipped: it takes no time, and the blocks after it can catch up."""
    with store.transaction() as tx:
        block = _load(tx, block_id)
        if block.state is not BlockState.PLANNED:
            raise ValidationError(
                "block",
                _("Only a block still to come can be skipped; '{title}' is {state}.").format(
                    title=block.title, state=state_label(block.state)
                ),
            )
        skipped = replace(block, state=BlockState.SKIPPED)
        tx.update(TABLE, block.id or 0, skipped.to_dict())
    return skipped


def run_late(store: Store, minutes: int, now: datetime | None = None) -> AgendaBlock:
    """The running block takes ``minutes`` more; when none runs, the next block starts ``minutes`` later."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 600:
        raise ValidationError("minutes", _("give the minutes as a whole number from 1 to 600."))
    at = now or _now()
    with store.transaction() as tx:
        blocks = _blocks(tx)
        slots = reflow(blocks, at)
        current = running(slots)
        if current is not None:
            changed = replace(current.block, extra_minutes=current.block.extra_minutes + minutes)
        else:
            nxt = upcoming(slots)
            if nxt is None:
                raise ValidationError("block", _("There is no block left to run late: the agenda is done."))
            changed = replace(nxt.block, delay_minutes=nxt.block.delay_minutes + minutes)
        tx.update(TABLE, changed.id or 0, changed.to_dict())
    return changed


# --- reading the agenda as it now stands --------------------------------------------------------------------


def rotation_slots(store: Store) -> tuple[RotationSlot, ...]:
    """The memorandum's rotating-leadership schedule (none without a memorandum, or once it ended)."""
    from lessonkit.services.mou import get_mou  # the memorandum's services are only needed here

    try:
        state = get_mou(store)
    except NotFoundError:
        return ()
    if state.record.status is MouStatus.ENDED:
        return ()
    return tuple(s for clause in state.latest.clauses for s in clause.rotation)


@dataclass(frozen=True)
class AgendaView:
    """The agenda at one moment: every block where it now falls, who facilitates it, what it links."""

    now: datetime
    slots: list[Slot]
    facilitators: dict[int, tuple[str, bool]]
    links: dict[int, list[str]]  # block id -> labels of what it links ("session 1: …")
    days: list[DayPlan]

    @property
    def current(self) -> Slot | None:
        return running(self.slots)

    @property
    def next(self) -> Slot | None:
        return upcoming(self.slots)

    def timer(self, now: datetime | None = None) -> Timer | None:
        current = self.current
        return timer(current.block, now or self.now) if current else None

    def facilitator(self, block: AgendaBlock) -> str:
        return self.facilitators.get(block.id or 0, ("", False))[0]

    def day_of(self, slot: Slot | None) -> DayPlan | None:
        """The day of ``slot`` (by default the current or next block's day)."""
        slot = slot or self.current or self.next
        if slot is None:
            return None
        return next((d for d in self.days if d.day == slot.day), None)


def _labels(store: Store, block: AgendaBlock) -> list[str]:
    out = []
    for link in block.links:
        try:
            out.append(link_label(store, link))
        except LessonkitError:
            out.append(_("{link} (not found)").format(link=link))
    return out


def agenda_view(store: Store, now: datetime | None = None) -> AgendaView:
    at = (now or _now()).replace(microsecond=0)
    blocks = list_blocks(store)
    slots = reflow(blocks, at)
    day = agenda_day(blocks[0].planned_start) if blocks else at.date()
    parties = parties_in_turn(rotation_slots(store), day) if blocks else []
    return AgendaView(
        now=at,
        slots=slots,
        facilitators=facilitators(blocks, parties),
        links={b.id or 0: _labels(store, b) for b in blocks},
        days=days(slots),
    )


def duration_text(minutes: int) -> str:
    """A length of time for a person: "45 minutes", "2 hours", "1 h 05 min"."""
    minutes = abs(int(minutes))
    if minutes < 60:
        return ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)
    hours, rest = divmod(minutes, 60)
    if rest == 0:
        return ngettext("{n} hour", "{n} hours", hours).format(n=hours)
    return _("{h} h {m:02d} min").format(h=hours, m=rest)


def overrun_text(plan: DayPlan) -> str:
    """How the day stands, in one sentence."""
    minutes = plan.overrun_minutes
    same_day = plan.end.date() == plan.planned_end.date()
    end = plan.end.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M")
    if minutes > 0:
        return _("The day now ends at {end}: {late} over the plan.").format(end=end, late=duration_text(minutes))
    if minutes < 0:
        return _("The day now ends at {end}: {early} ahead of the plan.").format(end=end, early=duration_text(minutes))
    return _("The day ends at {end}, as planned.").format(end=end)


def off_day_text(block: AgendaBlock) -> str:
    """A line when a block started on another day than it was planned for (its plan is kept), else ""."""
    if block.started_at is None or agenda_day(block.started_at) == agenda_day(block.planned_start):
        return ""
    return _("'{title}' was planned for {planned} and started on {day}: times are measured against the plan.").format(
        title=block.title,
        planned=agenda_day(block.planned_start).isoformat(),
        day=agenda_day(block.started_at).isoformat(),
    )
