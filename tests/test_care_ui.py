"""The care workbook's panels without a browser: set values, click, read the store and the screen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lessonkit.resources import data_path
from lessonkit.services import ledger, load_demo, risks
from lessonkit.store import MemoryWorkspace, Workspace
from lessonkit.store.base import Store
from lessonkit.ui import due_list, ledger_stock, mou_due, mutual_aid_ledger, risk_register

HARBOUR = "Harbour Tenants Circle (invented)"
VALLEY = "Green Valley Youth Forum (invented)"


@pytest.fixture
def store() -> Store:
    """Forms on the memory store (the store tests run on both stores)."""
    ws = MemoryWorkspace()
    load_demo(ws, data_path("demo", "convening.json"))
    return ws.store("demo")


def test_add_promote_rate_and_review_risks(store: Store) -> None:
    screen = risk_register(store=store)
    register, forms = screen.children
    add, rate, review = forms.children
    assert "register is empty" in register.listing.value and register.chart.layout.display == "none"
    add.title.value, add.category.value = "Phones <b>searched</b>", "digital-security"
    add.likelihood.value, add.impact.value, add.group.value = 4, 5, "harbour tenants circle (invented)"
    add.mitigations.value, add.who.value, add.how.value = "wipe phones\n\ncarry burners", VALLEY, "call the lawyer"
    add.review_date.value = date(2026, 5, 1)
    add.save.click()
    assert "Added risk 1" in add.status.value
    made = risks.get_risk(store, 1)
    assert made.group == HARBOUR and made.mitigations == ("wipe phones", "carry burners") and add.title.value == ""
    assert "&lt;b&gt;searched&lt;/b&gt;" in register.listing.value and "<b>searched" not in register.listing.value
    assert register.chart.layout.display is None and register.chart.value[:4] == b"\x89PNG"
    assert "call the lawyer" in register.plans.value
    add.source.value = 3  # Falcon's risk note
    add.category.value = "physical-safety"
    add.save.click()
    promoted = risks.get_risk(store, 2)
    assert promoted.note_id == 3 and promoted.sensitivity.value == "restricted"
    assert [v for _l, v in add.source.options] == [0]  # promoted notes leave the list
    rate.risk.value, rate.group.value, rate.likelihood.value, rate.impact.value = 1, VALLEY, 2, 5
    rate.save.click()
    rate.group.value, rate.likelihood.value = HARBOUR, 5
    rate.save.click()
    assert "rated risk 1" in rate.status.value and "color:#b71c1c" in register.listing.value  # contested
    review.risk.value, review.likelihood.value, review.note.value = 1, 2, "phones wiped"
    review.next_review.value = date(2099, 8, 1)
    review.save.click()
    assert "Reviewed risk 1" in review.status.value and risks.get_risk(store, 1).score == 10


def test_a_refused_risk_keeps_what_was_typed_and_names_the_field(store: Store) -> None:
    add = risk_register(store=store).children[1].children[0]
    add.title.value, add.description.value, add.group.value = "", "They film the door", "Nobody"
    add.save.click()
    assert "Not saved. Title: must not be empty" in add.status.value
    add.title.value = "Filming"
    add.save.click()
    assert "Not saved. Raised by (group): " in add.status.value and "not a party" in add.status.value
    assert add.description.value == "They film the door" and risks.list_risks(store) == []


def test_ledger_forms_add_change_status_and_correct(store: Store) -> None:
    listing, forms = mutual_aid_ledger(store=store).children
    line, status, correct = forms.children
    assert "ledger is empty" in listing.listing.value
    line.giver.value, line.receiver.value, line.kind.value = "Falcon", HARBOUR, "money"
    line.quantity.value, line.unit.value, line.what.value = "lots", "EUR", "bus <i>tickets</i>"
    line.save.click()
    assert "Not saved. Quantity: 'lots' is not a number." in line.status.value.replace("&#x27;", "'")
    assert line.what.value == "bus <i>tickets</i>" and ledger.list_lines(store) == []
    line.quantity.value, line.due.value = "100", date(2026, 1, 10)
    line.evidence.value, line.by.value = "receipt", "DEMO-BBBB"
    line.save.click()
    assert "Added line 1" in line.status.value and ledger.list_lines(store)[0].author_id == 2
    assert "bus &lt;i&gt;tickets" in listing.listing.value
    assert [v for _l, v in status.line.options] == [1]
    status.line.value, status.state.value = 1, "delivered"
    status.save.click()
    assert "line 1 is now delivered" in status.status.value
    correct.line.value, correct.quantity.value = 1, "120"
    correct.save.click()
    assert "Not saved. Why:" in correct.status.value and correct.quantity.value == "120"
    correct.reason.value = "it was 120"
    correct.save.click()
    assert "reversal 3, corrected line 4" in correct.status.value
    assert [v for _l, v in status.line.options] == [4] and listing.listing.value.count("color:#78909c") == 3
    assert [r.to_dict()["net"] for r in ledger.ledger_balance(store)] == [-120, 120]


def test_stock_open_needs_and_balance(store: Store) -> None:
    ledger.add_line(store, VALLEY, HARBOUR, "goods", 30, "kg", "rice", status="delivered")
    ledger.add_line(store, HARBOUR, "Falcon", "goods", 10, "kg", "rice", status="delivered")
    ledger.add_line(store, VALLEY, HARBOUR, "money", 200, "EUR", "rent", due="2026-01-15")
    panel = ledger_stock(store=store, today=date(2026, 2, 1))
    assert HARBOUR in panel.stock.value and ">20<" in panel.stock.value and panel.chart.layout.display is None
    assert "rent" in panel.needs.value and "rent" in panel.pledges.value
    panel.today.value = date(2026, 1, 10)
    assert "Nothing pledged is past its date" in panel.needs.value
    assert ">-30<" in panel.balance.value


def test_one_due_list_in_the_care_and_memorandum_workbooks(store: Store) -> None:
    risks.add_risk(store, "Rain", "logistics", 3, 3, review_date="2026-11-25", owner=VALLEY)
    ledger.add_line(store, VALLEY, HARBOUR, "money", 200, "EUR", "rent", due="2026-11-01")
    care = due_list(store=store, today=date(2026, 11, 21))
    assert "Review the risk &#x27;Rain&#x27;" in care.items.value and "rent" in care.items.value
    assert "Review of the memorandum" in care.items.value
    memorandum = mou_due(store=store, today=date(2026, 11, 21))
    assert "Review the risk &#x27;Rain&#x27;" in memorandum.items.value and "Coordinating now" in memorandum.items.value


def test_the_workbooks_cells_share_one_hub_so_a_save_refreshes_the_others(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    load_demo(Workspace(home), data_path("demo", "convening.json"))
    due = due_list("demo", str(home), today=date(2026, 11, 21))
    add = risk_register("demo", str(home)).children[1].children[0]
    add.title.value, add.review_date.value = "Rain", date(2026, 11, 30)
    add.save.click()
    assert "Added risk 1" in add.status.value and "Review the risk &#x27;Rain&#x27;" in due.items.value
