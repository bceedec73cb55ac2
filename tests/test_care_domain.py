"""The risk register and the mutual-aid ledger as pure rules: records, ranking, spread, due dates, the book."""

from __future__ import annotations

from datetime import date

import pytest

from lessonkit.domain.ledger import Entry, Op, Status
from lessonkit.domain.ledger_book import (
    Book,
    balance,
    correction,
    open_needs,
    open_pledges,
    pledge_items,
    status_change,
    stock,
)
from lessonkit.domain.mou_schedule import DueState
from lessonkit.domain.risk_register import (
    Band,
    JointRisk,
    band,
    groups_of,
    joint,
    matrix,
    ranked,
    review_items,
    reviewed,
)
from lessonkit.domain.risks import Risk, RiskCategory, RiskRating
from lessonkit.errors import NotFoundError, SchemaVersionError, ValidationError


def risk(id: int, likelihood: int, impact: int, **more: object) -> Risk:
    return Risk.from_dict({"id": id, "title": f"risk {id}", "category": "legal", "likelihood": likelihood,
                           "impact": impact, **more})


# --- risks ---------------------------------------------------------------------------------------------------


def test_a_risk_round_trips_and_takes_the_issues_category_words() -> None:
    r = Risk.from_dict({
        "title": "Phones searched at the border", "category": "Digital security", "likelihood": "4", "impact": 5,
        "mitigations": ["wipe phones", "  ", "carry burners"], "contingency": {"who": "Legal team", "how": "call",
                                                                              "channel": "hotline"},
        "review_date": "2026-05-01", "sensitivity": "network",
    })
    assert r.category is RiskCategory.DIGITAL_SECURITY and r.score == 20 and r.mitigations == ("wipe phones",
                                                                                               "carry burners")
    assert Risk.from_dict({**r.to_dict(), "id": 7}) == Risk.from_dict({**r.to_dict(), "id": 7})
    assert [c.value for c in RiskCategory] == ["legal", "digital-security", "physical-safety", "public-health",
                                               "political-volatility", "reputational", "logistics", "other"]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("likelihood", 6, "from 1 to 5"),
        ("impact", 0, "from 1 to 5"),
        ("likelihood", True, "from 1 to 5"),
        ("category", "weather", "is not one of"),
        ("category", "", "choose a category"),
        ("title", "two\nlines", "one line"),
        ("sensitivity", "secret", "is not one of"),
        ("review_date", "soon", "YYYY-MM-DD"),
    ],
)
def test_a_risk_refuses_bad_input_naming_the_field(field: str, value: object, words: str) -> None:
    good = {"title": "t", "category": "legal", "likelihood": 3, "impact": 3}
    with pytest.raises(ValidationError, match=words) as err:
        Risk.from_dict({**good, field: value})
    assert err.value.field == field


def test_newer_risk_records_are_refused() -> None:
    with pytest.raises(SchemaVersionError):
        Risk.from_dict({"title": "t", "category": "legal", "likelihood": 3, "impact": 3, "schema_version": 99})


def test_ranking_is_by_score_then_impact_then_age() -> None:
    risks = [risk(1, 5, 4), risk(2, 4, 5), risk(3, 2, 2), risk(4, 5, 5), risk(5, 4, 5)]
    assert [r.id for r in ranked(risks)] == [4, 2, 5, 1, 3]


def test_each_groups_rating_the_spread_and_contested_risks() -> None:
    ratings = [RiskRating(1, "North", 2, 5), RiskRating(1, "south", 4, 4), RiskRating(2, "North", 3, 3)]
    register = joint([risk(1, 3, 5), risk(2, 3, 3), risk(3, 1, 1)], ratings)
    first = register[0]
    assert first.risk.id == 1 and first.likelihood_spread == 2 and first.impact_spread == 1 and first.contested
    assert first.score_range == (10, 16) and first.rating_of("SOUTH") == ratings[1]
    assert not register[1].contested and register[1].score_range == (9, 9)
    assert register[2].ratings == () and register[2].score_range is None and register[2].likelihood_spread == 0
    assert groups_of(register) == ["North", "south"]


def test_bands_and_the_matrix_cells() -> None:
    assert [band(s) for s in (1, 4, 5, 9, 10, 14, 15, 25)] == [Band.LOW, Band.LOW, Band.MEDIUM, Band.MEDIUM,
                                                               Band.HIGH, Band.HIGH, Band.SEVERE, Band.SEVERE]
    cells = matrix([risk(1, 2, 3), risk(2, 2, 3), risk(3, 5, 5)])
    assert [r.id for r in cells[(2, 3)]] == [1, 2] and [r.id for r in cells[(5, 5)]] == [3]


def test_a_review_keeps_history_and_moves_the_agreed_rating() -> None:
    r = risk(1, 4, 5, review_date="2026-03-01")
    after = reviewed(r, date(2026, 3, 1), "North", "phones wiped", likelihood=2, next_review="2026-06-01")
    assert (after.likelihood, after.impact, after.review_date) == (2, 5, date(2026, 6, 1))
    assert after.reviews[-1].note == "phones wiped" and after.reviews[-1].likelihood == 2
    again = reviewed(after, date(2026, 6, 1))
    assert again.review_date is None and (again.likelihood, again.impact) == (2, 5) and len(again.reviews) == 2
    with pytest.raises(ValidationError, match="after this one"):
        reviewed(r, date(2026, 3, 1), next_review="2026-02-01")
    assert Risk.from_dict({**again.to_dict(), "id": 1}) == again


def test_reviews_due_join_the_shared_due_list() -> None:
    items = review_items([risk(1, 3, 3, review_date="2026-01-10", owner="North"), risk(2, 3, 3,
                          review_date="2026-02-20"), risk(3, 3, 3)], date(2026, 2, 1), 30)
    assert [(i.kind, i.state, i.party) for i in items] == [("risk", DueState.OVERDUE, "North"),
                                                          ("risk", DueState.DUE, "")]


# --- the ledger ----------------------------------------------------------------------------------------------


def line(id: int, **more: object) -> Entry:
    base = {"id": id, "from": "North", "to": "South", "kind": "money", "quantity": 100, "unit": "EUR",
            "what": "travel", "on": "2026-01-05"}
    return Entry.from_dict({**base, **more})


def test_a_line_round_trips_and_refuses_what_cannot_be_accounted() -> None:
    e = line(1, quantity="12,5", status="delivered", due="2026-02-01")
    assert e.quantity == 12.5 and Entry.from_dict({**e.to_dict(), "id": 1}) == e
    assert line(2, quantity="50").to_dict()["quantity"] == 50  # whole numbers stay whole in JSON
    for field, value, words in [("quantity", 0, "greater than zero"), ("quantity", "lots", "not a number"),
                                ("quantity", float("nan"), "greater than zero"), ("kind", "love", "is not one of"),
                                ("to", "north", "two different groups"), ("status", "lost", "is not one of")]:
        with pytest.raises(ValidationError, match=words) as err:
            line(3, **{field: value})
        assert err.value.field == field
    with pytest.raises(ValidationError, match="say why"):
        line(4, op="reversal", refers_to=1)
    with pytest.raises(ValidationError, match="points at a line"):
        line(4, op="status", status="used")


def test_a_correction_is_a_reversal_plus_a_new_line_and_the_original_stays() -> None:
    book = Book.of([line(1, evidence="receipt", author_id=2)])
    reversal, new = correction(book, 1, "it was 120", {"quantity": "120", "to": "West"})
    assert reversal.op is Op.REVERSAL and reversal.refers_to == 1 and reversal.quantity == 100
    assert reversal.evidence == "" and reversal.reason == "it was 120"
    assert new is not None and new.op is Op.CORRECTION and new.refers_to == 1 and new.quantity == 120
    assert new.receiver == "West" and new.evidence == "receipt" and new.author_id == 2
    book = Book.of([*book.lines, Entry.from_dict({**reversal.to_dict(), "id": 2}),
                    Entry.from_dict({**new.to_dict(), "id": 3})])
    assert [e.id for e in book.live()] == [3] and book.lines[0].quantity == 100
    with pytest.raises(ValidationError, match="act on line 3 instead"):
        correction(book, 1, "again", {"quantity": 5})
    with pytest.raises(ValidationError, match="act on line 3 instead"):
        correction(book, 2, "again", {"quantity": 5})
    with pytest.raises(ValidationError, match="nothing would change"):
        correction(book, 3, "same", {"quantity": 120})
    with pytest.raises(ValidationError, match="cannot be corrected"):
        correction(book, 3, "no", {"recorded": "2026-01-01"})
    with pytest.raises(NotFoundError):
        correction(book, 9, "no", {"quantity": 1})


def test_a_cancelled_line_no_longer_counts_and_cannot_change() -> None:
    book = Book.of([line(1, status="delivered")])
    reversal, new = correction(book, 1, "never happened", {}, cancel=True)
    assert new is None
    book = Book.of([*book.lines, Entry.from_dict({**reversal.to_dict(), "id": 2})])
    assert book.live() == [] and balance(book) == []
    with pytest.raises(ValidationError, match="cancelled"):
        status_change(book, 1, "used")


def test_status_changes_follow_the_pledge_to_use_path() -> None:
    book = Book.of([line(1)])
    delivered = status_change(book, 1, "delivered", date(2026, 1, 9), evidence="seen", author_id=3)
    assert delivered.op is Op.STATUS and delivered.refers_to == 1 and delivered.quantity == 100
    book = Book.of([*book.lines, Entry.from_dict({**delivered.to_dict(), "id": 2})])
    assert book.status_of(book.lines[0]) is Status.DELIVERED and [e.status for e in book.live()] == [Status.DELIVERED]
    with pytest.raises(ValidationError, match="cannot become 'pledged'"):
        status_change(book, 1, "pledged")
    with pytest.raises(ValidationError, match=r"line 2 \(status change\) refers to line 1: act on line 1"):
        status_change(book, 2, "used")
    book = Book.of([*book.lines, Entry.from_dict({**status_change(book, 1, "used").to_dict(), "id": 3})])
    with pytest.raises(ValidationError, match="possible next: none"):
        status_change(book, 1, "returned")


def test_balance_counts_only_what_moved_per_group_and_unit() -> None:
    book = Book.of([
        line(1, status="delivered"),
        line(2, status="pledged", quantity=999),
        line(3, status="returned", quantity=999),
        line(4, status="used", quantity=0.1, **{"from": "south", "to": "West"}),
        line(5, status="delivered", quantity=0.2, **{"from": "South", "to": "West"}),
        line(6, status="delivered", kind="goods", quantity=20, unit="kg"),
    ])
    rows = [r.to_dict() for r in balance(book)]
    assert rows == [
        {"party": "North", "unit": "EUR", "received": 0, "given": 100, "net": -100},
        {"party": "North", "unit": "kg", "received": 0, "given": 20, "net": -20},
        {"party": "South", "unit": "EUR", "received": 100, "given": 0.3, "net": 99.7},
        {"party": "South", "unit": "kg", "received": 20, "given": 0, "net": 20},
        {"party": "West", "unit": "EUR", "received": 0.3, "given": 0, "net": 0.3},
    ]


def test_stock_is_what_was_received_less_what_was_used_or_passed_on() -> None:
    book = Book.of([
        line(1, status="delivered", kind="goods", quantity=100, unit="kg"),  # North → South
        line(2, status="delivered", kind="goods", quantity=30, unit="kg", **{"from": "South", "to": "West"}),
        line(3, status="used", kind="goods", quantity=10, unit="kg", **{"from": "South", "to": "East"}),
        line(4, status="delivered", kind="time", quantity=5, unit="hours"),
    ])
    assert [(r.party, r.unit, r.held) for r in stock(book)] == [("South", "kg", 60), ("West", "kg", 30)]


def test_open_needs_are_pledges_past_their_date() -> None:
    book = Book.of([line(1, due="2026-01-20"), line(2, due="2026-03-01"), line(3), line(4, status="delivered",
                                                                                         due="2026-01-01")])
    assert [e.id for e in open_pledges(book)] == [1, 2, 3]
    assert [e.id for e in open_needs(book, date(2026, 2, 1))] == [1]
    items = pledge_items(book, date(2026, 2, 1), 30)
    assert [(i.kind, i.state, i.on) for i in items] == [("pledge", DueState.OVERDUE, date(2026, 1, 20)),
                                                       ("pledge", DueState.DUE, date(2026, 3, 1))]


def test_a_joint_risk_without_ratings_is_not_contested() -> None:
    assert not JointRisk(risk(1, 3, 3)).contested
