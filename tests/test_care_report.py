"""The care and accountability report: the register and the ledger at the level asked for, through the disclosure
layer, with the matrix and the stock chart; and its notebook run by the report kernel."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import report_seed

from lessonkit.export.report_care import care_report
from lessonkit.export.reports import ReportJob, ReportRunner, convening_plan
from lessonkit.services import ledger, risks
from lessonkit.services.redact_terms import add_terms
from lessonkit.store import MemoryWorkspace, Workspace
from lessonkit.store.base import Store
from lessonkit.store.workspace import BaseWorkspace

HARBOUR = "Harbour Tenants Circle (invented)"
VALLEY = "Green Valley Youth Forum (invented)"
RESTRICTED_RISK = "The safe house on the ridge"
SOL_EVIDENCE = "Sol weighed every sack"


def seed(ws: BaseWorkspace) -> Store:
    report_seed.seed(ws)
    store = ws.store("demo")
    add_terms(store, report_seed.EXTRA_TERMS)
    risks.add_risk(store, "Raid at Lakeview Community Hall", "physical-safety", 3, 5, group=HARBOUR, owner="Falcon",
                   contingency={"who": "Falcon", "how": "call Kiri Moana at +44 20 7946 0958", "channel": "phone"},
                   mitigations=["Meet at the Pinecrest Workers Union"], sensitivity="public")
    risks.rate_risk(store, 1, "Falcon", 1, 5)
    risks.rate_risk(store, 1, VALLEY, 4, 4)
    risks.add_risk(store, "Rain", "logistics", 4, 4, sensitivity="public")
    risks.add_risk(store, RESTRICTED_RISK, "physical-safety", 5, 5, sensitivity="restricted")
    ledger.add_line(store, "Falcon", HARBOUR, "money", 100, "EUR", "bus tickets", status="delivered",
                    evidence="Falcon's card said DEMO-CCCC", join_code="DEMO-BBBB", sensitivity="public")
    ledger.add_line(store, VALLEY, HARBOUR, "goods", 25, "kg", "rice", status="delivered", evidence=SOL_EVIDENCE,
                    join_code="DEMO-AAAA", sensitivity="public")
    ledger.add_line(store, VALLEY, HARBOUR, "money", 40, "EUR", "rent", due="2026-01-15", sensitivity="public")
    ledger.add_line(store, VALLEY, "Falcon", "money", 999, "EUR", "bail", status="delivered", sensitivity="restricted")
    return store


@pytest.fixture(scope="module")
def store() -> Store:
    return seed(MemoryWorkspace())


def text_of(report: object) -> str:
    parts = ("cover", "risks", "plans", "balance", "stock", "needs", "ledger")
    return "\n".join(getattr(report, p).html() for p in parts)


def test_at_public_only_what_may_go_out_and_the_numbers_from_it_alone(store: Store) -> None:
    report = care_report(level="public", store=store, today=date(2026, 2, 1))
    html = text_of(report)
    for secret in (*report_seed.SECRETS, RESTRICTED_RISK, "bail", "999", SOL_EVIDENCE):
        assert secret not in html
    assert "a participant" in html and HARBOUR in html and VALLEY in html  # the groups' own names stay
    balance = report.balance.plain()
    assert f"{HARBOUR} | EUR | 100 | 0 | 100" in balance and f"{VALLEY} | kg | 0 | 25 | -25" in balance
    assert "(withheld: consent)" in report.ledger.plain() and "rent" in report.needs.plain()
    risks_part = report.risks.plain()
    assert risks_part.index("2 | Rain") < risks_part.index("1 | Raid at")  # 16 before 15
    assert report.cover.cover.withheld == 3 and report.matrix.png.startswith(b"\x89PNG")  # type: ignore[union-attr]
    assert report.stock_chart.png.startswith(b"\x89PNG")  # type: ignore[union-attr]


def test_at_restricted_everything_and_each_groups_rating(store: Store) -> None:
    report = care_report(level="restricted", store=store, today=date(2026, 2, 1))
    html = text_of(report)
    assert RESTRICTED_RISK in html and "bail" in html and SOL_EVIDENCE in html
    plain = report.risks.plain()
    assert plain.index(f"3 | {RESTRICTED_RISK}") < plain.index("2 | Rain") < plain.index("1 | Raid at")
    assert "| 1 × 5 | 4 × 4 | 3 / 1 ! |" in plain  # Falcon's and the Valley's own ratings, and the spread


def test_the_report_in_spanish_speaks_spanish_around_the_groups_words(store: Store) -> None:
    report = care_report(level="network", store=store, language="es", today=date(2026, 2, 1))
    assert report.cover.cover.language == "es" and HARBOUR in report.balance.plain()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("care") / "ws"
    seed(Workspace(path))
    return path


def test_the_care_notebook_runs_and_joins_the_convenings_reports(home: Path, tmp_path: Path) -> None:
    plan = convening_plan(Workspace(home).store("demo"), "demo", tmp_path, "html", "public", str(home))
    (care,) = [j for j in plan.jobs if j.kind == "care"]
    with ReportRunner(pdf=False) as runner:
        result = runner.run(care)
    html = result.path.read_text(encoding="utf-8")
    assert result.ok and "Care and accountability" in html and html.count('src="data:image/png;base64,') == 2
    assert "care_report(" not in html and RESTRICTED_RISK not in html
    for secret in report_seed.SECRETS:
        assert secret not in html
    (logged,) = [e for e in Workspace(home).store("demo").all("exports") if e["what"] == "report care"]
    assert logged["level"] == "public"
    assert ReportJob("care", "demo", tmp_path / "x.html").parameters()["level"] == "public"
