"""HTML for the agenda: the countdown (its colour turns at 20% and 5% of the time left), the re-flowed table, the
current block. Every title, name and label is escaped; colours are never the only signal (a word says it too)."""

from __future__ import annotations

from datetime import datetime

import ipywidgets as widgets

from lessonkit.domain.agenda import BlockState, state_label
from lessonkit.domain.agenda_flow import Slot, Timer, TimerStage, clock_text
from lessonkit.i18n import _, pgettext
from lessonkit.services.agenda import AgendaView, overrun_text
from lessonkit.ui.html import esc

#: (text colour, background) of the countdown at each stage.
STAGE_COLOURS = {
    TimerStage.CALM: ("#1b5e20", "#e8f5e9"),
    TimerStage.WARN: ("#7a4100", "#ffe0a3"),
    TimerStage.URGENT: ("#ffffff", "#c62828"),
    TimerStage.OVER: ("#ffffff", "#6a0000"),
}


def stage_words(stage: TimerStage) -> str:
    return {
        TimerStage.CALM: "",
        TimerStage.WARN: _("Time to wrap up"),
        TimerStage.URGENT: _("Almost out of time"),
        TimerStage.OVER: _("Time is up"),
    }[stage]


def hhmm(moment: datetime | None) -> str:
    return moment.strftime("%H:%M") if moment else ""


def timer_html(timer: Timer | None, size: str = "3em") -> str:
    """The countdown of the running block (empty without one), in ``size`` type."""
    if timer is None:
        return ""
    fg, bg = STAGE_COLOURS[timer.stage]
    words = stage_words(timer.stage)
    label = f'<div class="lk-timer-words" style="font-size:.3em">{esc(words)}</div>' if words else ""
    return (
        f'<div class="lk-timer lk-timer-{timer.stage.value}" role="timer" '
        f'style="display:inline-block;min-width:4.5em;text-align:center;padding:.1em .4em;border-radius:.2em;'
        f"font-size:{esc(size)};line-height:1.1;font-weight:bold;font-variant-numeric:tabular-nums;"
        f'color:{fg};background:{bg}">'
        f"{esc(clock_text(timer.remaining))}{label}</div>"
    )


def _row(view: AgendaView, slot: Slot) -> str:
    b = slot.block
    when = hhmm(slot.start)
    if slot.start is not None and slot.late_minutes:
        when += f' <s style="color:#90a4ae">{esc(hhmm(b.planned_start))}</s>'
    name, rotated = view.facilitators.get(b.id or 0, ("", False))
    who = esc(name) + (
        ' <small title="{}">↻</small>'.format(esc(_("from the memorandum's rotation"))) if rotated else ""
    )
    links = "<br>".join(esc(label) for label in view.links.get(b.id or 0, []))
    style = {
        BlockState.RUNNING: "background:#fff8e1;font-weight:bold",
        BlockState.DONE: "color:#78909c",
        BlockState.SKIPPED: "color:#90a4ae;text-decoration:line-through",
    }.get(b.state, "")
    cell = '<td style="padding:.2em .6em;vertical-align:top">{}</td>'
    cells = [
        str(b.id),
        when,
        esc(hhmm(slot.end)),
        str(b.minutes + b.extra_minutes),
        esc(b.title),
        who,
        esc(state_label(b.state)),
        links,
    ]
    return (
        f'<tr class="lk-block lk-block-{b.state.value}" style="{style}">'
        + "".join(cell.format(c) for c in cells)
        + "</tr>"
    )


def agenda_table_html(view: AgendaView) -> str:
    """Every block where it now falls (the planned time struck through when it moved), with the day's overrun."""
    if not view.slots:
        return "<p>{}</p>".format(esc(_("No blocks yet: add the first one below.")))
    headers = [
        pgettext("agenda", "Block"),
        pgettext("start time", "Start"),
        pgettext("end time", "End"),
        _("Minutes"),
        _("Title"),
        _("Facilitator"),
        _("State"),
        _("Opens"),
    ]
    head = "".join(f'<th style="text-align:left;padding:.2em .6em">{esc(h)}</th>' for h in headers)
    rows = "".join(_row(view, s) for s in view.slots)
    day = view.day_of(None)
    line = f'<p class="lk-overrun"><b>{esc(overrun_text(day))}</b></p>' if day else ""
    return (
        f'<table class="lk-agenda" style="border-collapse:collapse"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>{line}"
    )


def now_html(view: AgendaView, size: str = "1.6em") -> str:
    """The running block (title, facilitator, until when), else the next one and when it starts."""
    current, upcoming = view.current, view.next
    parts = []
    if current is not None:
        who = view.facilitator(current.block)
        until = _("until {end}").format(end=hhmm(current.end))
        by = " · " + esc(_("facilitated by {name}").format(name=who)) if who else ""
        parts.append(
            f'<div class="lk-now" style="font-size:{esc(size)}"><b>{esc(current.block.title)}</b> '
            f"<small>({esc(until)}{by})</small></div>"
        )
    if upcoming is not None:
        text = _("Next: {title} at {start}").format(title=upcoming.block.title, start=hhmm(upcoming.start))
        parts.append(f'<div class="lk-next" style="font-size:calc({esc(size)} * .6)">{esc(text)}</div>')
    if not parts:
        parts.append("<p>{}</p>".format(esc(_("Nothing is planned."))))
    return "".join(parts)


def timer_row(timer: widgets.HTML, now: widgets.HTML) -> widgets.HBox:
    """The countdown beside the current block, centred, wrapping under it on a narrow screen, never clipped."""
    for part in (timer, now):
        part.add_class("lk-tall-html")
    style = widgets.HTML(
        "<style>.lk-tall-html .widget-html-content, .lk-tall-html.widget-html-content "
        "{ line-height: 1.2 !important; }</style>"
    )
    return widgets.HBox(
        [style, timer, now],
        layout=widgets.Layout(align_items="center", flex_flow="row wrap", overflow="visible", grid_gap="0 1em"),
    )
