"""The forms of the mutual-aid ledger: add a line, record a status change, correct a line (a reversal and the
corrected line, with a reason). Nothing here edits or deletes a line."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit.domain.ledger import ResourceKind, Status, kind_label, status_label
from lessonkit.domain.ledger_book import Book
from lessonkit.i18n import _, format_number
from lessonkit.services.ledger import add_line, change_status, correct_line, get_book
from lessonkit.services.participants import list_participants
from lessonkit.ui.care_common import WIDE, CareHub, CarePanel, area, group_box, keep_choice, level_dropdown, text
from lessonkit.ui.html import excerpt

SAME = ""


def _live_options(book: Book) -> list[tuple[str, Any]]:
    return [
        (
            _("Line {id}: {giver} → {receiver}, {quantity} {unit}, {what} ({status})").format(
                id=e.id, giver=excerpt(e.giver, 24), receiver=excerpt(e.receiver, 24),
                quantity=format_number(e.quantity), unit=e.unit, what=excerpt(e.what, 30),
                status=status_label(e.status),
            ),
            e.id,
        )
        for e in book.live()
    ]


def _speakers(hub: CareHub) -> list[tuple[str, str]]:
    people = [p for p in list_participants(hub.store) if p.consent.record]
    return [(_("(nobody's words in particular)"), "")] + [(p.name, p.join_code) for p in people]


def _evidence(hub: CareHub) -> tuple[widgets.Textarea, widgets.Dropdown]:
    evidence = area(_("Evidence notes"), _("a receipt, who confirmed it, where it is kept"), "3em")
    by = widgets.Dropdown(options=_speakers(hub), description=_("Whose words"), style=WIDE)
    return evidence, by


class LineForm(CarePanel):
    """A resource pledged or moved from one group to another."""

    def __init__(self, hub: CareHub) -> None:
        super().__init__(hub)
        groups = hub.groups()
        self.giver = group_box(_("From"), groups)
        self.receiver = group_box(_("To"), groups)
        self.kind = widgets.Dropdown(options=[(kind_label(k), k.value) for k in ResourceKind],
                                     description=_("Resource"), style=WIDE)
        self.quantity = text(_("Quantity"), _("a number, e.g. 250 or 12.5"))
        self.unit = text(_("Unit"), _("EUR, kg, hours, nights …"))
        self.what = text(_("What for"))
        self.state = widgets.Dropdown(options=[(status_label(s), s.value) for s in Status], description=_("Status"),
                                      style=WIDE)
        self.on = widgets.DatePicker(description=_("Date"), style=WIDE)
        self.due = widgets.DatePicker(description=_("Due (for a pledge)"), style=WIDE)
        self.evidence, self.by = _evidence(hub)
        self.sensitivity = level_dropdown(_("Sensitivity"))
        self.save = widgets.Button(description=_("Add the line"), button_style="primary")
        self.save.on_click(lambda _b: self.submit())
        self.labels = {"from": self.giver, "to": self.receiver, "kind": self.kind, "quantity": self.quantity,
                       "unit": self.unit, "what": self.what, "status": self.state, "on": self.on, "due": self.due,
                       "evidence": self.evidence, "sensitivity": self.sensitivity}
        self.children = [self.giver, self.receiver, self.kind, self.quantity, self.unit, self.what, self.state,
                         self.on, self.due, self.evidence, self.by, self.sensitivity, self.save, self.status]

    def refresh(self) -> None:
        self.giver.options = self.receiver.options = self.hub.groups()
        keep_choice(self.by, _speakers(self.hub))

    def submit(self) -> None:
        def action() -> str:
            made = add_line(
                self.hub.store, self.giver.value, self.receiver.value, self.kind.value, self.quantity.value,
                self.unit.value, self.what.value, self.state.value, on=self.on.value, due=self.due.value,
                evidence=self.evidence.value, join_code=self.by.value or None, sensitivity=self.sensitivity.value,
            )
            for w in (self.quantity, self.what, self.evidence):
                w.value = ""
            return _("Added line {id}.").format(id=made.id)

        self.run(action)


class StatusForm(CarePanel):
    """Record that a live line was delivered, used or returned."""

    def __init__(self, hub: CareHub) -> None:
        super().__init__(hub)
        self.line = widgets.Dropdown(description=_("Line"), style=WIDE, layout=widgets.Layout(width="44em"))
        self.state = widgets.Dropdown(options=[(status_label(s), s.value) for s in Status if s is not Status.PLEDGED],
                                      description=_("Now"), style=WIDE)
        self.on = widgets.DatePicker(description=_("Date"), style=WIDE)
        self.evidence, self.by = _evidence(hub)
        self.save = widgets.Button(description=_("Record the change"), button_style="primary")
        self.save.on_click(lambda _b: self.submit())
        self.labels = {"id": self.line, "status": self.state, "on": self.on, "evidence": self.evidence}
        self.children = [self.line, self.state, self.on, self.evidence, self.by, self.save, self.status]
        self.refresh()

    def refresh(self) -> None:
        keep_choice(self.line, _live_options(get_book(self.hub.store)))
        keep_choice(self.by, _speakers(self.hub))

    def submit(self) -> None:
        def action() -> str:
            made = change_status(self.hub.store, self.line.value or 0, self.state.value, on=self.on.value,
                                 evidence=self.evidence.value, join_code=self.by.value or None)
            self.evidence.value = ""
            return _("Added line {id}: line {ref} is now {status}.").format(
                id=made.id, ref=made.refers_to, status=status_label(made.status)
            )

        self.run(action)


class CorrectionForm(CarePanel):
    """A reversal of a live line and the corrected line (the fields left empty stay as they were)."""

    def __init__(self, hub: CareHub) -> None:
        super().__init__(hub)
        self.line = widgets.Dropdown(description=_("Line"), style=WIDE, layout=widgets.Layout(width="44em"))
        self.reason = text(_("Why"), _("what was wrong"))
        groups = hub.groups()
        self.giver = group_box(_("Giver (corrected)"), groups)
        self.receiver = group_box(_("Receiver (corrected)"), groups)
        self.quantity = text(_("Quantity (corrected)"))
        self.unit = text(_("Unit (corrected)"))
        self.what = text(_("Purpose (corrected)"))
        self.state = widgets.Dropdown(options=[(_("(unchanged)"), SAME)] + [(status_label(s), s.value)
                                                                           for s in Status],
                                      description=_("Status (corrected)"), style=WIDE)
        self.cancel = widgets.Checkbox(description=_("Cancel the line: it should never have been written"),
                                       indent=False)
        self.save = widgets.Button(description=_("Correct the line"), button_style="warning")
        self.save.on_click(lambda _b: self.submit())
        self.labels = {"id": self.line, "reason": self.reason, "from": self.giver, "to": self.receiver,
                       "quantity": self.quantity, "unit": self.unit, "what": self.what, "status": self.state,
                       "cancel": self.cancel, "correction": self.quantity}
        self.children = [self.line, self.reason, self.giver, self.receiver, self.quantity, self.unit, self.what,
                         self.state, self.cancel, self.save, self.status]
        self.refresh()

    def refresh(self) -> None:
        keep_choice(self.line, _live_options(get_book(self.hub.store)))
        self.giver.options = self.receiver.options = self.hub.groups()

    def submit(self) -> None:
        changes = {"from": self.giver.value, "to": self.receiver.value, "quantity": self.quantity.value,
                   "unit": self.unit.value, "what": self.what.value, "status": self.state.value}
        wanted = {k: val for k, val in changes.items() if str(val).strip()}

        def action() -> str:
            reversal, replacement = correct_line(self.hub.store, self.line.value or 0, self.reason.value, wanted,
                                                 cancel=self.cancel.value)
            for w in (self.reason, self.giver, self.receiver, self.quantity, self.unit, self.what):
                w.value = ""
            self.cancel.value = False
            if replacement is None:
                return _("Line {ref} cancelled by line {id}.").format(ref=reversal.refers_to, id=reversal.id)
            return _("Line {ref} corrected: reversal {rev}, corrected line {new}.").format(
                ref=reversal.refers_to, rev=reversal.id, new=replacement.id
            )

        self.run(action)
