"""The risk register and the mutual-aid ledger on both stores: use cases, the disclosure layer, withdrawal,
the shared "what is due", and bundles that carry them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import report_seed

from lessonkit import services
from lessonkit.errors import ConsentError, NotFoundError, ValidationError
from lessonkit.export.bundle import export_bundle, import_bundle
from lessonkit.export.bundle_checks import TABLE_KINDS
from lessonkit.services import ledger, risks
from lessonkit.services.disclosure import Disclosure, Purpose
from lessonkit.services.due import what_is_due
from lessonkit.services.groups import known_groups
from lessonkit.services.mou_decisions import due
from lessonkit.services.redact_terms import add_terms
from lessonkit.services.tables import check_record
from lessonkit.services.withdraw import withdraw_participant
from lessonkit.store import Workspace
from lessonkit.store.base import Store
from lessonkit.store.workspace import BaseWorkspace

HARBOUR = "Harbour Tenants Circle (invented)"
VALLEY = "Green Valley Youth Forum (invented)"
KIRI_EVIDENCE = "Kiri counted the envelopes twice at the night shift"
SOL_RISK = "Landlords film everyone who enters the hall"


@pytest.fixture
def store(demo_store: Store) -> Store:
    return demo_store


def tables(store: Store, *names: str) -> str:
    with store.read() as tx:
        return json.dumps({n: tx.all(n) for n in names}, ensure_ascii=False)


# --- the register -------------------------------------------------------------------------------------------


def test_groups_are_the_memorandums_parties_in_its_spelling(store: Store) -> None:
    assert known_groups(store) == [HARBOUR, VALLEY, "Falcon"]
    made = risks.add_risk(store, "Phones searched", "digital-security", 4, 5, group="harbour tenants circle (INVENTED)")
    assert made.group == HARBOUR and made.anonymous is False and made.sensitivity.value == "convening"
    with pytest.raises(ValidationError, match="not a party") as err:
        risks.rate_risk(store, made.id or 0, "Nobody", 2, 2)
    assert err.value.field == "group"


def test_without_a_memorandum_groups_are_free_names_offered_again(workspace: BaseWorkspace) -> None:
    services.create_convening(workspace, "plain", "Plain")
    store = workspace.store("plain")
    made = risks.add_risk(store, "Rain", "logistics", 5, 2)
    risks.rate_risk(store, made.id or 0, "Bakers", 4, 2)
    ledger.add_line(store, "Cooks", "bakers", "goods", 3, "kg", "flour")
    assert known_groups(store) == ["Bakers", "Cooks"]


def test_each_group_rates_once_and_the_register_shows_the_spread(store: Store) -> None:
    a = risks.add_risk(store, "Rain", "logistics", 5, 4)
    b = risks.add_risk(store, "Police", "legal", 4, 5)
    risks.rate_risk(store, b.id or 0, HARBOUR, 1, 5)
    risks.rate_risk(store, b.id or 0, VALLEY, 4, 4)
    again = risks.rate_risk(store, b.id or 0, HARBOUR.upper(), 2, 5)  # replaces Harbour's first rating
    register = risks.register(store)
    assert [j.risk.id for j in register] == [b.id, a.id]  # 20 and 20: the higher impact first
    first = register[0]
    assert [(r.group, r.likelihood, r.impact) for r in first.ratings] == [(VALLEY, 4, 4), (HARBOUR, 2, 5)]
    assert (first.likelihood_spread, first.impact_spread, first.contested) == (2, 1, True)
    assert again.group == HARBOUR and len(risks.list_ratings(store)) == 2
    with pytest.raises(NotFoundError, match="no risk 99"):
        risks.rate_risk(store, 99, HARBOUR, 1, 1)


def test_a_review_changes_the_agreed_rating_and_keeps_the_plan_parts_not_given(store: Store) -> None:
    made = risks.add_risk(store, "Raid", "physical-safety", 3, 5, contingency={"who": VALLEY, "how": "phone tree"},
                          mitigations=["two exits"], owner=HARBOUR, review_date="2026-03-01")
    after = risks.review_risk(store, made.id or 0, by="Harbour", note="new exits", likelihood=2,
                              next_review="2026-06-01", on=date(2026, 3, 1), contingency={"channel": "Signal"})
    assert (after.likelihood, after.impact, after.review_date) == (2, 5, date(2026, 6, 1))
    assert after.contingency.who == VALLEY and after.contingency.channel == "Signal" and after.mitigations == (
        "two exits",)
    assert risks.get_risk(store, made.id or 0) == after


def test_a_risk_note_is_promoted_with_its_author_and_never_shared_wider(store: Store) -> None:
    assert [n.id for n in risks.risk_notes(store)] == [3]
    made = risks.promote_note(store, 3, 3, 4, category="physical-safety", sensitivity="public")
    assert made.note_id == 3 and made.author_id == 3 and made.sensitivity.value == "restricted"  # the note's level
    assert made.title.startswith("Phone lists of members") and made.description.endswith("first names.")
    assert risks.risk_notes(store) == []
    with pytest.raises(ValidationError, match="already risk"):
        risks.promote_note(store, 3, 3, 4)
    with pytest.raises(ValidationError, match="not a risk"):
        risks.promote_note(store, 1, 3, 4)


def test_consent_rules_who_may_raise_a_risk(store: Store) -> None:
    with pytest.raises(ConsentError, match="not to be recorded"):
        risks.add_risk(store, "x", "other", 1, 1, join_code="DEMO-DDDD")
    with pytest.raises(ValidationError, match="consent allows sharing up to 'network'"):
        risks.add_risk(store, "x", "other", 1, 1, join_code="DEMO-AAAA", sensitivity="public")
    assert risks.list_risks(store) == []


# --- the ledger ---------------------------------------------------------------------------------------------


def test_the_ledger_is_append_only(store: Store) -> None:
    first = ledger.add_line(store, "falcon", HARBOUR, "money", "100", "EUR", "travel", due="2026-01-10")
    stored = store.get("ledger", first.id or 0)
    ledger.change_status(store, first.id or 0, "delivered", on=date(2026, 1, 9))
    reversal, new = ledger.correct_line(store, first.id or 0, "it was 120", {"quantity": "120"})
    assert new is not None and new.status.value == "delivered"  # the current status carries over
    with pytest.raises(ValidationError, match="act on line 4 instead"):
        ledger.change_status(store, first.id or 0, "used")
    before = tables(store, "ledger")
    with pytest.raises(ValidationError, match="cannot become"):
        ledger.change_status(store, new.id or 0, "pledged")
    assert tables(store, "ledger") == before  # a refused change writes nothing
    lines = ledger.list_lines(store)
    assert [(e.op.value, e.refers_to) for e in lines] == [("entry", None), ("status", 1), ("reversal", 1),
                                                         ("correction", 1)]
    assert store.get("ledger", first.id or 0) == stored and first.giver == "Falcon"
    assert [r.to_dict() for r in ledger.ledger_balance(store)] == [
        {"party": "Falcon", "unit": "EUR", "received": 0, "given": 120, "net": -120},
        {"party": HARBOUR, "unit": "EUR", "received": 120, "given": 0, "net": 120},
    ]


def test_evidence_words_need_the_speakers_consent(store: Store) -> None:
    with pytest.raises(ConsentError):
        ledger.add_line(store, HARBOUR, VALLEY, "time", 3, "hours", "childcare", evidence="said so",
                        join_code="DEMO-DDDD")
    line = ledger.add_line(store, HARBOUR, VALLEY, "time", 3, "hours", "childcare", join_code="DEMO-DDDD")
    assert line.author_id is None  # no words, so nobody's words


# --- through the disclosure layer -------------------------------------------------------------------------


def seed_care(store: Store) -> None:
    add_terms(store, report_seed.EXTRA_TERMS)
    risks.add_risk(store, "Raid at Lakeview Community Hall", "physical-safety", 3, 5, group=HARBOUR, owner="Falcon",
                   contingency={"who": "Falcon", "how": "call Kiri Moana", "channel": "+44 20 7946 0958"},
                   sensitivity="public")
    risks.rate_risk(store, 1, "Falcon", 2, 4)
    risks.add_risk(store, "Safe house address", "physical-safety", 5, 5, sensitivity="restricted")
    risks.add_risk(store, SOL_RISK, "reputational", 2, 3, join_code="DEMO-AAAA", sensitivity="network")
    ledger.add_line(store, "Falcon", HARBOUR, "money", 100, "EUR", "bus tickets", status="delivered",
                    evidence=KIRI_EVIDENCE, join_code="DEMO-BBBB", sensitivity="public")
    ledger.add_line(store, VALLEY, HARBOUR, "goods", 10, "kg", "rice", due="2026-01-01", evidence="Sol weighed it",
                    join_code="DEMO-AAAA", sensitivity="public")
    ledger.add_line(store, VALLEY, "Falcon", "money", 50, "EUR", "bail", status="delivered", sensitivity="restricted")


def test_at_public_a_group_named_after_a_person_is_never_named_and_words_follow_consent(store: Store) -> None:
    seed_care(store)
    scope = Disclosure.open(store, "public")
    shown = scope.risks(risks.register(store))
    assert [s.risk.id for s in shown] == [1]  # the restricted and the network risk are withheld
    (raid,) = shown
    assert raid.raised_by == HARBOUR and raid.owner == "a participant" and raid.who_acts == "a participant"
    assert "Lakeview" not in raid.risk.title and "Kiri" not in raid.risk.contingency.how
    assert "7946" not in raid.risk.contingency.channel and scope.party("Falcon") == "a participant"
    lines = scope.ledger(ledger.list_lines(store))
    assert [(s.giver, s.receiver, s.line.quantity) for s in lines] == [("a participant", HARBOUR, 100),
                                                                      (VALLEY, HARBOUR, 10)]
    assert "Kiri" not in lines[0].line.evidence and "envelopes" in lines[0].line.evidence
    assert lines[1].evidence_withheld and lines[1].line.evidence == ""  # Sol shares up to network only
    assert scope.tally.withheld == 4 and scope.tally.included == 3
    network = Disclosure.open(store, "network")
    assert [s.risk.id for s in network.risks(risks.register(store))] == [1, 3]
    assert not network.ledger(ledger.list_lines(store))[1].evidence_withheld


def test_the_facilitators_own_view_names_groups_as_written(store: Store) -> None:
    seed_care(store)
    view = Disclosure.open(store, "restricted", Purpose.BOARD)
    assert view.party("Falcon") == "Falcon" and len(view.risks(risks.register(store))) == 3
    assert view.risks(risks.register(store))[2].raised_by == "Patient Heron"  # Sol: credited by pseudonym
    report = Disclosure.open(store, "convening")
    assert report.party("Falcon") == "a participant" and report.party(HARBOUR) == HARBOUR


# --- withdrawal, due dates, bundles ---------------------------------------------------------------------------


def test_withdrawal_removes_words_from_risks_and_evidence_never_the_accounting(store: Store) -> None:
    seed_care(store)
    promoted = risks.promote_note(store, 3, 2, 5)  # Falcon's note
    numbers = [(e.giver, e.receiver, e.quantity, e.status) for e in ledger.list_lines(store)]
    assert withdraw_participant(store, "DEMO-BBBB").counts()["ledger"] == 1
    done = withdraw_participant(store, "DEMO-AAAA")
    assert (done.risks, done.ledger) == (1, 1)
    assert withdraw_participant(store, "DEMO-CCCC").risks == 1
    board = Disclosure.open(store, "restricted", Purpose.BOARD)
    assert board.party("Falcon") == "Falcon"  # the accounting keeps the party as the memorandum names it
    assert Disclosure.open(store, "convening").party("Falcon") == "a participant"  # never their name in a report
    text = tables(store, "risks", "ledger")
    for words in (KIRI_EVIDENCE, "Sol weighed it", SOL_RISK, "Phone lists of members"):
        assert words not in text
    assert [(e.giver, e.receiver, e.quantity, e.status) for e in ledger.list_lines(store)] == numbers
    after = risks.get_risk(store, promoted.id or 0)
    assert after.note_id is None and after.author_id is None and (after.likelihood, after.impact) == (2, 5)
    assert risks.get_risk(store, 1).contingency.how == "call Kiri Moana"  # the groups' plan is not Kiri's words
    with store.read() as tx:
        for name in ("risks", "risk_ratings", "ledger"):
            assert all(check_record(name, d) for d in tx.all(name))


def test_withdrawn_words_leave_the_files_on_disk(disk_workspace: Workspace) -> None:
    report_seed.seed(disk_workspace)
    store = disk_workspace.store("demo")
    seed_care(store)
    withdraw_participant(store, "DEMO-BBBB")
    files = [p for p in (disk_workspace.home / "convenings").iterdir() if p.is_file()]
    assert files and not any(KIRI_EVIDENCE.encode() in p.read_bytes() for p in files)


def test_one_due_list_holds_memorandum_consent_risk_and_pledge_dates(store: Store) -> None:
    seed_care(store)
    risks.review_risk(store, 1, next_review="2026-12-10", on=date(2026, 11, 1))
    items = what_is_due(store, date(2026, 11, 21))
    kinds = {i.kind for i in items}
    assert {"risk", "pledge", "consent-review", "consent", "review", "report"} <= kinds
    assert items[0].state.value == "overdue" and due(store, date(2026, 11, 21)) == items


def test_a_bundle_carries_the_register_and_the_ledger(workspace: BaseWorkspace, tmp_path: Path) -> None:
    report_seed.seed(workspace)
    store = workspace.store("demo")
    seed_care(store)
    risks.promote_note(store, 3, 2, 2)
    ledger.correct_line(store, 1, "it was 110", {"quantity": 110})
    assert {"risks", "risk_ratings", "ledger"} <= set(TABLE_KINDS)
    path = export_bundle(workspace, "demo", tmp_path / "demo.zip")
    import_bundle(workspace, path, as_slug="copy")
    names = ("risks", "risk_ratings", "ledger")
    assert json.loads(tables(workspace.store("copy"), *names)) == json.loads(tables(store, *names))
    assert ledger.ledger_balance(workspace.store("copy")) == ledger.ledger_balance(store)
