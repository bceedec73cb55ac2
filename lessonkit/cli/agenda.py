"""``lessonkit agenda add|list|start|next|late|skip``: the day's blocks, a timer, and what each block opens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from lessonkit.cli.common import emit, format_option, main
from lessonkit.cli.helpers import CommandGroup, echo_record, open_store, record_format_option
from lessonkit.domain.agenda import AgendaBlock, BlockState, state_label
from lessonkit.domain.agenda_flow import Slot, clock_text
from lessonkit.i18n import _
from lessonkit.services.agenda import (
    AgendaView,
    Moved,
    add_block,
    agenda_view,
    next_block,
    off_day_text,
    overrun_text,
    run_late,
    skip_block,
    start_block,
)
from lessonkit.store.base import Store

LIST_COLUMNS = ("id", "start", "end", "planned", "minutes", "title", "facilitator", "state", "late", "links")


@main.group(
    cls=CommandGroup,
    help=_("Plan the day in blocks, start them (opening what they link), move on, and re-plan when running late."),
)
def agenda() -> None:
    pass


def _hhmm(moment: datetime | None) -> str:
    return moment.strftime("%H:%M") if moment else ""


def slot_row(view: AgendaView, slot: Slot) -> dict[str, Any]:
    """One block as scripts read it (``--format json``): planned and re-flowed times in ISO form."""
    b = slot.block
    name, rotated = view.facilitators.get(b.id or 0, ("", False))
    day = view.day_of(slot)
    return {
        "id": b.id,
        "title": b.title,
        "state": b.state.value,
        "planned_start": b.planned_start.isoformat(),
        "start": slot.start.isoformat() if slot.start else None,
        "end": slot.end.isoformat() if slot.end else None,
        "minutes": b.minutes,
        "extra_minutes": b.extra_minutes,
        "delay_minutes": b.delay_minutes,
        "late_minutes": slot.late_minutes,
        "facilitator": name,
        "facilitator_from_rotation": rotated,
        "links": [str(link) for link in b.links],
        "link_labels": view.links.get(b.id or 0, []),
        "started_at": b.started_at.isoformat() if b.started_at else None,
        "ended_at": b.ended_at.isoformat() if b.ended_at else None,
        "day": slot.day.isoformat(),
        "day_overrun_minutes": day.overrun_minutes if day else 0,
    }


def _table_row(view: AgendaView, slot: Slot) -> dict[str, Any]:
    row = slot_row(view, slot)
    b = slot.block
    return {
        **row,
        "start": _hhmm(slot.start),
        "end": _hhmm(slot.end),
        "planned": f"{b.planned_start:%a %H:%M}",
        "state": state_label(b.state),
        "late": f"+{slot.late_minutes}" if slot.late_minutes else "",
        "facilitator": row["facilitator"] + (" *" if row["facilitator_from_rotation"] else ""),
        "links": ", ".join(row["links"]),
    }


@agenda.command("add", help=_("Add a block to the agenda."))
@click.argument("slug")
@click.option("--title", required=True, help=_("What the block is, e.g. 'Listening: what we need'."))
@click.option("--minutes", required=True, type=int, help=_("How long it is planned to last."))
@click.option(
    "--start",
    help=_(
        "Planned start: HH:MM (on the day of the last block, else the convening's first day) or "
        "'YYYY-MM-DD HH:MM'. Default: right after the last block."
    ),
)
@click.option(
    "--facilitator",
    default="",
    help=_("Who facilitates it. Default: the parties take turns, from the memorandum's rotating leadership."),
)
@click.option(
    "--link",
    "links",
    multiple=True,
    metavar="KIND:ID",
    help=_("What starting the block opens: session:ID, scoring_round:ID or vote:ID; repeat for several."),
)
@record_format_option()
@click.pass_context
def add(
    ctx: click.Context,
    slug: str,
    title: str,
    minutes: int,
    start: str | None,
    facilitator: str,
    links: tuple[str, ...],
    fmt: str,
) -> None:
    store = open_store(ctx, slug)
    made = add_block(store, title, minutes, start, facilitator, links)
    view = agenda_view(store)
    slot = next(s for s in view.slots if s.block.id == made.id)
    echo_record(
        fmt,
        slot_row(view, slot),
        [
            _("Added block {id}: {title}, {start}–{end}.").format(
                id=made.id, title=made.title, start=_hhmm(made.planned_start), end=_hhmm(made.planned_end)
            )
        ],
    )


@agenda.command("list", help=_("List the agenda: each block where it now falls, who facilitates it, what it opens."))
@click.argument("slug")
@format_option("table", "csv", "json")
@click.pass_context
def list_(ctx: click.Context, slug: str, fmt: str) -> None:
    view = agenda_view(open_store(ctx, slug))
    if fmt == "json":
        emit([slot_row(view, s) for s in view.slots], fmt)
        return
    emit([_table_row(view, s) for s in view.slots], fmt, LIST_COLUMNS)
    if fmt == "table":
        _summary(view)


def _summary(view: AgendaView) -> None:
    if any(view.facilitators.get(s.block.id or 0, ("", False))[1] for s in view.slots):
        click.echo(_("* facilitator from the memorandum's rotating leadership"))
    current, upcoming = view.current, view.next
    if current is not None:
        left = view.timer()
        click.echo(
            _("Now: {title}, {left} left (until {end}).").format(
                title=current.block.title, left=clock_text(left.remaining) if left else "", end=_hhmm(current.end)
            )
        )
    if upcoming is not None:
        click.echo(_("Next: {title} at {start}.").format(title=upcoming.block.title, start=_hhmm(upcoming.start)))
    day = view.day_of(None)
    if day is not None:
        click.echo(overrun_text(day))


def _report_move(fmt: str, store: Store, moved: Moved, nothing: str) -> None:
    view = agenda_view(store)
    started = next((s for s in view.slots if moved.started and s.block.id == moved.started.id), None)
    lines = []
    if moved.ended is not None:
        lines.append(_("Ended block {id}: {title}.").format(id=moved.ended.id, title=moved.ended.title))
    lines += [_("Closed {what}.").format(what=label) for label in moved.closed]
    if started is not None:
        lines.append(
            _("Started block {id}: {title}, until {end}.").format(
                id=started.block.id, title=started.block.title, end=_hhmm(started.end)
            )
        )
        off_day = off_day_text(started.block)
        if off_day:
            lines.append(off_day)
    elif moved.ended is None:
        lines.append(nothing)
    lines += [_("Opened {what}.").format(what=label) for label in moved.opened]
    lines += [
        _("Could not open or close {what}: {error}").format(what=label, error=error) for label, error in moved.failed
    ]
    day = view.day_of(started)
    if day is not None:
        lines.append(overrun_text(day))
    data: dict[str, Any] = {
        "started": slot_row(view, started) if started else None,
        "ended": moved.ended.id if moved.ended else None,
        "opened": list(moved.opened),
        "closed": list(moved.closed),
        "failed": [{"what": label, "error": error} for label, error in moved.failed],
    }
    echo_record(fmt, data, lines)


@agenda.command(
    "start", help=_("Start a block (by default the next one): ends the running block, opens what it links.")
)
@click.argument("slug")
@click.argument("block_id", metavar="ID", required=False)
@record_format_option()
@click.pass_context
def start(ctx: click.Context, slug: str, block_id: str | None, fmt: str) -> None:
    store = open_store(ctx, slug)
    _report_move(fmt, store, start_block(store, block_id), "")


@agenda.command("next", help=_("End the running block (closing what it opened) and start the next one."))
@click.argument("slug")
@record_format_option()
@click.pass_context
def next_(ctx: click.Context, slug: str, fmt: str) -> None:
    store = open_store(ctx, slug)
    _report_move(fmt, store, next_block(store), _("Nothing is running and no block is left: the agenda is done."))


@agenda.command(
    "late",
    help=_(
        "We run MINUTES late: the running block takes that much longer (or, between blocks, the next one starts "
        "that much later); the rest of the day moves and the overrun is shown."
    ),
)
@click.argument("slug")
@click.argument("minutes", type=int)
@record_format_option()
@click.pass_context
def late(ctx: click.Context, slug: str, minutes: int, fmt: str) -> None:
    store = open_store(ctx, slug)
    changed = run_late(store, minutes)
    view = agenda_view(store)
    slot = next(s for s in view.slots if s.block.id == changed.id)
    lines = [
        _("{title} now runs {start}–{end}.").format(title=changed.title, start=_hhmm(slot.start), end=_hhmm(slot.end))
    ]
    moved = [
        s for s in view.slots if s.block.state is BlockState.PLANNED and s.block.id != changed.id and s.late_minutes
    ]
    lines += [
        _("{title}: now at {start} (planned {planned}).").format(
            title=s.block.title, start=_hhmm(s.start), planned=_hhmm(s.block.planned_start)
        )
        for s in moved
    ]
    day = view.day_of(slot)
    if day is not None:
        lines.append(overrun_text(day))
    echo_record(fmt, slot_row(view, slot), lines)


@agenda.command("skip", help=_("Skip a block still to come: it takes no time, and the blocks after it can catch up."))
@click.argument("slug")
@click.argument("block_id", metavar="ID")
@record_format_option()
@click.pass_context
def skip(ctx: click.Context, slug: str, block_id: str, fmt: str) -> None:
    store = open_store(ctx, slug)
    skipped: AgendaBlock = skip_block(store, block_id)
    view = agenda_view(store)
    slot = next(s for s in view.slots if s.block.id == skipped.id)
    day = view.day_of(slot)
    lines = [_("Skipped block {id}: {title}.").format(id=skipped.id, title=skipped.title)]
    if day is not None:
        lines.append(overrun_text(day))
    echo_record(fmt, slot_row(view, slot), lines)
