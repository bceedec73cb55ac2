"""The mutual-aid ledger in the care workbook: every line in the order written (entries, reversals, corrections,
status changes; the lines that no longer count greyed), and the forms to add a line, change its status and correct
it (:mod:`lessonkit.ui.ledger_forms`). Stock levels, open needs and the balance: :mod:`lessonkit.ui.stock`."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit.domain.ledger import Entry, Op, kind_label, op_label, status_label
from lessonkit.domain.ledger_book import Book
from lessonkit.i18n import _, format_date, format_number
from lessonkit.services.disclosure import ShownLine
from lessonkit.services.ledger import list_lines
from lessonkit.store.base import Store
from lessonkit.ui.care_common import CareHub, CarePanel, hub_for, none_yet
from lessonkit.ui.html import esc, heading


def _cell(value: object) -> str:
    return f'<td style="padding:.2em .5em;vertical-align:top" dir="auto">{esc(value)}</td>'


def _what_line(e: Entry) -> str:
    if e.op is Op.ENTRY:
        return op_label(e.op)
    return _("{op} of line {ref}").format(op=op_label(e.op), ref=e.refers_to)


def ledger_html(shown: list[ShownLine]) -> str:
    """Every line; the ones that no longer count (reversed ones, reversals, status changes) in grey."""
    book = Book.of(s.line for s in shown)
    headers = [_("Line"), _("Date"), _("Kind of line"), _("From"), _("To"), _("Resource"), _("Quantity"),
               _("Unit"), _("What for"), _("Status"), _("Status now"), _("Due"), _("Reason"), _("Evidence")]
    head = "".join(f'<th style="text-align:start;padding:.2em .5em">{esc(h)}</th>' for h in headers)
    rows = []
    for s in shown:
        e = s.line
        live = book.is_live(e)
        style = "" if live else ' style="color:#78909c"'
        evidence = _("(withheld: consent)") if s.evidence_withheld else e.evidence
        now = status_label(book.status_of(e)) if live else ""
        cells = [e.id, format_date(e.on), _what_line(e), s.giver, s.receiver, kind_label(e.kind),
                 format_number(e.quantity), e.unit, e.what, status_label(e.status), now,
                 format_date(e.due) if e.due else "", e.reason, evidence]
        rows.append(f"<tr{style}>" + "".join(_cell(c) for c in cells) + "</tr>")
    return (
        f'<table class="lk-table" style="border-collapse:collapse"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


class LedgerListing(CarePanel):
    """The ledger, oldest line first."""

    def __init__(self, hub: CareHub) -> None:
        super().__init__(hub)
        self.listing = widgets.HTML()
        self.children = [widgets.HTML(heading(_("Mutual-aid ledger"))), self.listing]
        self.refresh()

    def refresh(self) -> None:
        shown = self.hub.view().ledger(list_lines(self.hub.store))
        if not shown:
            self.listing.value = none_yet(_("The ledger is empty: add the first pledge or delivery below."))
            return
        self.listing.value = ledger_html(shown) + none_yet(
            _("Lines are never edited or deleted: a status change or a correction is a new line. Grey lines no "
              "longer count.")
        )


def mutual_aid_ledger(convening: str | None = None, home: str | None = None, store: Store | None = None) -> Any:
    """The mutual-aid ledger of a convening: its lines, then the forms to add a line, change a status, correct."""
    from lessonkit.ui.ledger_forms import CorrectionForm, LineForm, StatusForm

    hub = hub_for(convening, home, store)
    forms = widgets.Accordion(children=[LineForm(hub), StatusForm(hub), CorrectionForm(hub)])
    forms.titles = (_("Add a line"), _("Delivered, used or returned"), _("Correct a line"))
    return widgets.VBox([LedgerListing(hub), forms])
