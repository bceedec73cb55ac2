"""The facilitator's agenda panel: the day's blocks where they now fall, a countdown, and the buttons that run it.

*Start* opens what the block links (sessions, scoring rounds, votes once they can be linked); *Next block* ends the
running one (closing what it opened) and starts the next; *We are running late* gives the running block more minutes
(or, between blocks, starts the next one later) and the table shows where the rest of the day now falls and how much
it overruns.
The panel follows the store (a command typed in a terminal shows here too) and ticks once a second while it is shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

import ipywidgets as widgets

from lessonkit.domain.agenda import AgendaBlock, AgendaLink, BlockState
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _, ngettext, pgettext
from lessonkit.services.agenda import (
    AgendaView,
    Moved,
    add_block,
    agenda_view,
    list_blocks,
    next_block,
    off_day_text,
    run_late,
    skip_block,
    start_block,
)
from lessonkit.services.agenda_links import link_choices
from lessonkit.store.base import Store
from lessonkit.ui.agenda_html import agenda_table_html, now_html, timer_html, timer_row
from lessonkit.ui.context import open_store
from lessonkit.ui.follow import FOLLOW_S, Follower, Repeater
from lessonkit.ui.html import message

__all__ = ["AgendaPanel", "agenda_panel"]

log = logging.getLogger(__name__)
_WIDE = {"description_width": "initial"}
Clock = Callable[[], datetime]


class AgendaPanel(widgets.VBox):
    """Countdown and current block, the re-flowed table, the run buttons, and a small form to add a block."""

    def __init__(
        self, store: Store, refresh_s: float = FOLLOW_S, tick_s: float = 1.0, clock: Clock = datetime.now
    ) -> None:
        self.store = store
        self.clock = clock
        self.view: AgendaView = agenda_view(store, clock())
        self.timer = widgets.HTML()
        self.now = widgets.HTML()
        self.table = widgets.HTML()
        self.block = widgets.Dropdown(description=pgettext("agenda", "Block"), style=_WIDE)
        self.start_button = widgets.Button(
            description=pgettext("agenda button", "Start"), button_style="primary", icon="play"
        )
        self.next_button = widgets.Button(description=_("Next block"), icon="step-forward")
        self.skip_button = widgets.Button(description=_("Skip"), icon="forward")
        self.late_minutes = widgets.BoundedIntText(value=5, min=1, max=600, description=_("Minutes"), style=_WIDE)
        self.late_button = widgets.Button(description=_("We are running late"), icon="clock-o")
        self.title = widgets.Text(description=_("Title"), style=_WIDE, continuous_update=False)
        self.start = widgets.Text(
            description=pgettext("start time", "Start"),
            placeholder=_("HH:MM, empty: after the last block"),
            style=_WIDE,
            continuous_update=False,
        )
        self.minutes = widgets.BoundedIntText(value=30, min=1, max=24 * 60, description=_("Minutes"), style=_WIDE)
        self.facilitator = widgets.Text(
            description=_("Facilitator"),
            placeholder=_("empty: from the memorandum's rotation"),
            style=_WIDE,
            continuous_update=False,
        )
        self.links = widgets.SelectMultiple(description=_("Opens"), style=_WIDE, rows=4)
        self.add_button = widgets.Button(description=_("Add block"), icon="plus")
        self.status = widgets.HTML()
        run = widgets.HBox([self.block, self.start_button, self.skip_button])
        late = widgets.HBox([self.next_button, self.late_minutes, self.late_button])
        adding = widgets.VBox(
            [
                widgets.HTML("<h4>{}</h4>".format(_("Add a block"))),
                self.title,
                self.start,
                self.minutes,
                self.facilitator,
                self.links,
                self.add_button,
            ]
        )
        super().__init__([timer_row(self.timer, self.now), self.table, run, late, self.status, adding])
        self.start_button.on_click(lambda _b: self._act(self._start))
        self.next_button.on_click(lambda _b: self._act(lambda: self._moved(next_block(self.store, self.clock()))))
        self.skip_button.on_click(lambda _b: self._act(self._skip))
        self.late_button.on_click(lambda _b: self._act(self._late))
        self.add_button.on_click(lambda _b: self._act(self._add))
        self._minute = ""
        self.render()
        self.follower = Follower(
            store, self._followed, lambda _state: self.render(), self._followed(), interval_s=refresh_s
        )
        self.ticker = Repeater(self.tick, lambda: tick_s, name="lessonkit-agenda-timer")
        if refresh_s > 0:
            self.follower.start()
        if tick_s > 0:
            self.ticker.start()

    # --- showing -----------------------------------------------------------------------------------------------

    def _followed(self) -> tuple[tuple[AgendaBlock, ...], tuple[tuple[str, AgendaLink], ...]]:
        return tuple(list_blocks(self.store)), tuple(link_choices(self.store))

    def render(self) -> None:
        """Read the agenda afresh and redraw everything (after any change in the store)."""
        self.view = agenda_view(self.store, self.clock())
        self.table.value = agenda_table_html(self.view)
        self.now.value = now_html(self.view)
        self.timer.value = timer_html(self.view.timer(self.clock()))
        self._minute = self.clock().strftime("%H:%M")
        wanted = self.block.value
        upcoming = self.view.next
        options = [
            (f"{s.block.id}. {s.block.title}", s.block.id)
            for s in self.view.slots
            if s.block.state is not BlockState.RUNNING
        ]
        self.block.options = options
        ids = [ident for _label, ident in options]
        self.block.value = wanted if wanted in ids else (upcoming.block.id if upcoming else (ids[0] if ids else None))
        chosen = set(self.links.value)
        self.links.options = list(link_choices(self.store))
        self.links.value = tuple(link for _label, link in self.links.options if link in chosen)
        self.next_button.disabled = self.view.current is None and upcoming is None

    def tick(self) -> None:
        """Once a second: the countdown; once a minute, the table too (a running late block pushes the rest)."""
        now = self.clock()
        if now.strftime("%H:%M") != self._minute:
            self.render()
            return
        self.timer.value = timer_html(self.view.timer(now))

    # --- acting --------------------------------------------------------------------------------------------------

    def _act(self, action: Callable[[], str]) -> None:
        try:
            self.status.value = action()
        except ValidationError as exc:
            fields = {
                "title": self.title,
                "start": self.start,
                "minutes": self.minutes,
                "facilitator": self.facilitator,
            }
            label = fields[exc.field].description if exc.field in fields else exc.field
            self.status.value = message(_("{field}: {problem}").format(field=label, problem=exc.message), "error")
        except LessonkitError as exc:
            self.status.value = message(str(exc), "error")
        except Exception:  # a fault must not leave the panel dead in front of the room
            log.exception("agenda action failed")
            self.status.value = message(_("Something went wrong: see the log. Nothing else was changed."), "error")
        self.render()

    def _moved(self, moved: Moved) -> str:
        lines = []
        if moved.ended is not None:
            lines.append(_("Ended: {title}.").format(title=moved.ended.title))
        lines += [_("Closed {what}.").format(what=label) for label in moved.closed]
        if moved.started is not None:
            lines.append(_("Started: {title}.").format(title=moved.started.title))
            off_day = off_day_text(moved.started)
            if off_day:
                lines.append(off_day)
        lines += [_("Opened {what}.").format(what=label) for label in moved.opened]
        failed = [
            message(_("Could not open or close {what}: {error}").format(what=label, error=error), "error")
            for label, error in moved.failed
        ]
        if not lines and not failed:
            lines.append(_("Nothing is running and no block is left: the agenda is done."))
        return "".join(message(line, "ok") for line in lines) + "".join(failed)

    def _start(self) -> str:
        return self._moved(start_block(self.store, self.block.value, self.clock()))

    def _skip(self) -> str:
        if self.block.value is None:
            return message(_("Choose a block first."), "error")
        skipped = skip_block(self.store, self.block.value)
        return message(_("Skipped: {title}.").format(title=skipped.title), "ok")

    def _late(self) -> str:
        minutes = int(self.late_minutes.value)
        changed = run_late(self.store, minutes, self.clock())
        text = (
            ngettext(
                "{title}: {n} more minute; the rest of the day moves.",
                "{title}: {n} more minutes; the rest of the day moves.",
                minutes,
            )
            if changed.state is BlockState.RUNNING
            else ngettext(
                "{title} starts {n} minute later; the rest of the day moves.",
                "{title} starts {n} minutes later; the rest of the day moves.",
                minutes,
            )
        )
        return message(text.format(title=changed.title, n=minutes), "ok")

    def _add(self) -> str:
        made = add_block(
            self.store,
            self.title.value,
            int(self.minutes.value),
            self.start.value.strip() or None,
            self.facilitator.value,
            list(self.links.value),
        )
        self.title.value = self.start.value = self.facilitator.value = ""
        self.links.value = ()
        return message(_("Added block {id}: {title}.").format(id=made.id, title=made.title), "ok")

    # --- lifetime ------------------------------------------------------------------------------------------------

    def stop(self) -> None:
        """End the polling and the ticking (what is on screen stays as it is)."""
        for name in ("follower", "ticker"):
            part = getattr(self, name, None)  # a screen refused while being built has none
            if part is not None:
                part.stop()

    def close(self) -> None:
        self.stop()
        super().close()


def agenda_panel(
    convening: str | None = None, home: str | None = None, refresh_s: float = FOLLOW_S, tick_s: float = 1.0
) -> AgendaPanel:
    """The agenda of a convening with its countdown and run buttons (see :class:`AgendaPanel`)."""
    return AgendaPanel(open_store(convening, home), refresh_s=refresh_s, tick_s=tick_s)
