"""What is due: one list for the convening (the memorandum's dates, consent reviews, risk reviews, pledges), shown
in the memorandum workbook and in the care workbook (see :func:`lessonkit.services.due.what_is_due`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import ipywidgets as widgets

from lessonkit.domain import validation as v
from lessonkit.domain.mou_schedule import DueItem, DueState, due_label
from lessonkit.i18n import _, format_date
from lessonkit.services.due import what_is_due
from lessonkit.store.base import Store
from lessonkit.ui.care_common import WIDE, CareHub, CarePanel, hub_for
from lessonkit.ui.html import esc, heading, message

COLOURS = {DueState.OVERDUE: "#b71c1c", DueState.DUE: "#ef6c00"}


def kind_label(kind: str) -> str:
    """What a due item is about, for readers (the kind itself stays a code)."""
    labels = {
        "review": _("memorandum"),
        "consent": _("memorandum"),
        "report": _("memorandum"),
        "handover": _("memorandum"),
        "rotation": _("memorandum"),
        "consent-review": _("consent"),
        "risk": _("risk"),
        "pledge": _("pledge"),
    }
    return labels.get(kind, kind)


def due_html(items: Sequence[DueItem]) -> str:
    """The items as a list, overdue ones in red; a calm line when nothing is due."""
    if not items:
        return message(_("Nothing is due in this period."), "ok")
    rows = "".join(
        f"<li><b style='color:{COLOURS[i.state]}'>{esc(due_label(i.state))}</b> {esc(format_date(i.on))} "
        f"[{esc(kind_label(i.kind))}]: <span dir='auto'>{esc(i.what)}</span></li>"
        for i in items
    )
    return f"<ul>{rows}</ul>"


class DueList(CarePanel):
    """What is due or overdue across the convening, as of a day, within a number of days."""

    def __init__(self, hub: CareHub, today: date | None = None, days: int = 30) -> None:
        super().__init__(hub)
        self.today = widgets.DatePicker(value=today or v.now().date(), description=_("As of"), style=WIDE)
        self.days = widgets.BoundedIntText(value=days, min=1, max=365, description=_("Due within (days)"),
                                           style=WIDE)
        self.items = widgets.HTML()
        for w in (self.today, self.days):
            w.observe(lambda _c: self.refresh(), names="value")
        self.children = [widgets.HTML(heading(_("What is due"))), widgets.HBox([self.today, self.days]), self.items]
        self.refresh()

    def refresh(self) -> None:
        day = self.today.value or v.now().date()
        self.items.value = due_html(what_is_due(self.hub.store, day, int(self.days.value)))


def due_list(
    convening: str | None = None, home: str | None = None, store: Store | None = None, today: date | None = None
) -> Any:
    """What is due across the convening: the memorandum's dates, consent reviews, risk reviews, open pledges."""
    return DueList(hub_for(convening, home, store), today)
