"""Stock levels, open needs and each group's balance, from the mutual-aid ledger (with a chart of the stock)."""

from __future__ import annotations

from datetime import date
from typing import Any

import ipywidgets as widgets

from lessonkit.domain import validation as v
from lessonkit.domain.ledger import kind_label
from lessonkit.domain.ledger_book import Book, balance, open_needs, open_pledges, stock
from lessonkit.i18n import _, format_date, format_number
from lessonkit.services.ledger import list_lines
from lessonkit.store.base import Store
from lessonkit.ui.care_common import WIDE, CareHub, CarePanel, hub_for, none_yet
from lessonkit.ui.html import heading, message, table


class StockPanel(CarePanel):
    """What each group holds now (table and chart), the pledges past their date, every open pledge, the balance."""

    def __init__(self, hub: CareHub, today: date | None = None) -> None:
        super().__init__(hub)
        self.today = widgets.DatePicker(value=today or v.now().date(), description=_("As of"), style=WIDE)
        self.today.observe(lambda _c: self.refresh(), names="value")
        self.stock = widgets.HTML()
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="44em", display="none"))
        self.needs = widgets.HTML()
        self.pledges = widgets.HTML()
        self.balance = widgets.HTML()
        self.children = [
            widgets.HTML(heading(_("Stock levels"))), self.stock, self.chart,
            widgets.HTML(heading(_("Open needs: pledged, not delivered, past their date"))), self.today, self.needs,
            widgets.HTML(heading(_("Every open pledge"), 4)), self.pledges,
            widgets.HTML(heading(_("Balance: received and given, per group and unit"), 4)), self.balance,
        ]
        self.refresh()

    def refresh(self) -> None:
        from lessonkit.export import stock_chart

        view = self.hub.view()
        shown = view.ledger(list_lines(self.hub.store))
        book = Book.of(s.line for s in shown)
        rows = stock(book)
        if rows:
            names = [view.party(r.party) for r in rows]
            self.stock.value = table(
                [_("Group"), _("Resource"), _("Held now"), _("Unit")],
                [(n, kind_label(r.kind), format_number(r.held), r.unit) for n, r in zip(names, rows, strict=True)],
            )
            self.chart.value = stock_chart(rows, names)
            self.chart.layout.display = None
        else:
            self.stock.value = none_yet(_("No group holds money or goods from the ledger now."))
            self.chart.layout.display = "none"
        day = self.today.value or v.now().date()
        late = open_needs(book, day)
        self.needs.value = (
            message(_("Nothing pledged is past its date."), "ok") if not late else table(
                [_("Line"), _("From"), _("To"), _("Quantity"), _("What for"), _("Due")],
                [(e.id, view.party(e.giver), view.party(e.receiver), f"{format_number(e.quantity)} {e.unit}",
                  e.what, format_date(e.due) if e.due else "") for e in late],
            )
        )
        pledged = open_pledges(book)
        self.pledges.value = none_yet(_("No open pledge.")) if not pledged else table(
            [_("Line"), _("From"), _("To"), _("Quantity"), _("What for"), _("Due")],
            [(e.id, view.party(e.giver), view.party(e.receiver), f"{format_number(e.quantity)} {e.unit}", e.what,
              format_date(e.due) if e.due else _("no date")) for e in pledged],
        )
        sums = balance(book)
        self.balance.value = none_yet(_("Nothing was delivered yet.")) if not sums else table(
            [_("Group"), _("Unit"), _("Received"), _("Given"), _("Net")],
            [(view.party(r.party), r.unit, format_number(r.received), format_number(r.given), format_number(r.net))
             for r in sums],
        )


def ledger_stock(
    convening: str | None = None, home: str | None = None, store: Store | None = None, today: date | None = None
) -> Any:
    """Stock levels with a chart, open needs (pledged, not delivered, past their date), and the balance."""
    return StockPanel(hub_for(convening, home, store), today)
