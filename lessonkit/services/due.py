"""What is due: one list for the whole convening, overdue first.

The memorandum's dates (its review, the parties' consent re-evaluations, handovers, metric reports), each
participant's consent review, the risk register's reviews and the ledger's pledges not delivered by their date.
Every screen that says what is due reads this list (the memorandum's panel, the care workbook, ``mou due``).
"""

from __future__ import annotations

from datetime import date

from lessonkit.domain import validation as v
from lessonkit.domain.ledger_book import pledge_items
from lessonkit.domain.mou_schedule import SOON_DAYS, DueItem, DueState, due_state
from lessonkit.domain.records import Participant
from lessonkit.domain.risk_register import review_items
from lessonkit.domain.risks import Risk
from lessonkit.i18n import _
from lessonkit.services.ledger import load_book
from lessonkit.services.mou import load_state
from lessonkit.services.participants import TABLE as PARTICIPANTS
from lessonkit.services.risks import TABLE as RISKS
from lessonkit.store.base import Store, Tx


def _consent_items(tx: Tx, today: date, soon_days: int) -> list[DueItem]:
    items = []
    for doc in tx.all(PARTICIPANTS):
        person = Participant.from_dict(doc)
        due = person.consent.review_date
        state = due_state(due, today, soon_days) if due and person.consent.record else None
        if state is not None and due is not None:
            what = _("Review the consent of {name} with them").format(name=person.name)
            items.append(DueItem("consent-review", what, due, state))
    return items


def what_is_due(store: Store, today: date | None = None, soon_days: int = SOON_DAYS) -> list[DueItem]:
    """Everything overdue or due within ``soon_days`` of ``today``, overdue first, then by date."""
    day = today or v.now().date()
    with store.read() as tx:
        items = load_state(tx).due(day, soon_days) if tx.all("mou") else []
        items += _consent_items(tx, day, soon_days)
        items += review_items((Risk.from_dict(d) for d in tx.all(RISKS)), day, soon_days)
        items += pledge_items(load_book(tx), day, soon_days)
    return sorted(items, key=lambda i: (i.state is not DueState.OVERDUE, i.on, i.kind))
