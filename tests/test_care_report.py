"""The care and accountability report: the register and the ledger at the level asked for, through the disclosure
layer, with the matrix and the stock chart (its notebook is run by the report kernel in test_reports_render)."""

from __future__ import annotations

from datetime import date

import pytest
import report_seed
from care_seed import HARBOUR, RESTRICTED_RISK, SOL_EVIDENCE, VALLEY, seed

from lessonkit.export.report_care import care_report
from lessonkit.store import MemoryWorkspace
from lessonkit.store.base import Store


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
