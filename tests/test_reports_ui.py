"""The export screen without a browser: set values, click, read the files and the store."""

from __future__ import annotations

import json
from pathlib import Path

import report_seed

from lessonkit.services.redact_terms import list_terms
from lessonkit.store import Workspace
from lessonkit.ui.reports import reports_panel


def test_terms_preview_data_export_and_a_report(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    report_seed.seed(Workspace(home))
    panel = reports_panel("demo", str(home))
    redaction, reports = panel.redaction, panel.reports  # type: ignore[attr-defined]
    assert panel.level.value == "public"  # type: ignore[attr-defined]

    redaction.term.value = "Harbour Tenants Circle"
    redaction.add.click()
    assert "Harbour Tenants Circle" in list_terms(Workspace(home).store("demo")) and redaction.term.value == ""
    redaction.term.value = "Nowhere"
    redaction.remove.click()
    assert "Not changed" in redaction.status.value and redaction.term.value == "Nowhere"  # the form keeps it

    redaction.preview_button.click()
    assert "At level public" in redaction.preview.value and "kiri.moana@example.org" in redaction.preview.value
    assert "Safe house" not in redaction.preview.value  # the restricted note is not exported at this level

    reports.out_dir.value = str(tmp_path / "out")
    reports.what.value, reports.data_fmt.value = "positions", "json"
    reports.export.click()
    data = json.loads((tmp_path / "out" / "demo-positions.json").read_text(encoding="utf-8"))
    assert data["level"] == "public" and "Wrote 4 rows" in reports.status.value

    reports.kind.value, reports.fmt.value = "summary", "html"
    reports.make.click()
    page = tmp_path / "out" / "demo-summary.html"
    assert page.exists() and "Convening summary" in page.read_text(encoding="utf-8")
    assert reports.progress.value == reports.progress.max == 1 and "Wrote" in reports.status.value
