"""PDF reports printed by Chromium (one browser for the whole file): the text a reader gets, page numbers, no
outside requests, withdrawn words nowhere, and ``jupyter nbconvert --to lessonkit_pdf``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
import report_seed

from lessonkit.export.reports import ReportJob, ReportRunner
from lessonkit.services.withdraw import withdraw_participant
from lessonkit.store import Workspace

pytestmark = pytest.mark.browser


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        if os.environ.get("LESSONKIT_REQUIRE_BROWSER") == "1":
            pytest.fail("pdftotext is missing: apt-get install poppler-utils")
        pytest.skip("pdftotext (poppler-utils) is needed to read the PDF's text")
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "ws"
    report_seed.seed(Workspace(path))
    return path


@pytest.fixture(scope="module")
def runner(chromium_executable: str) -> Iterator[ReportRunner]:
    with ReportRunner(pdf=True, browser=chromium_executable) as r:
        yield r


def test_public_pdfs_hold_no_seeded_secret_and_no_restricted_note(
    runner: ReportRunner, home: Path, tmp_path: Path
) -> None:
    jobs = [
        ReportJob(kind, "demo", tmp_path / f"{kind}.pdf", home=str(home)) for kind in ("listening", "mou", "summary")
    ]
    results = runner.run_all(jobs)
    texts = {r.job.kind: flat(pdf_text(r.path)) for r in results}
    for kind, text in texts.items():
        for secret in report_seed.SECRET_WORDS:
            assert secret not in text, (kind, secret)
        assert "Safe house" not in text and "legal aid" not in text  # restricted and network notes
        assert "Privacy level public: may be shared with anyone" in text
    assert "[name] and [name] at [redacted]" in texts["listening"] and "[phone]" in texts["listening"]
    assert "Door-to-door surveys" in texts["listening"] and "[e-mail]" in texts["listening"]
    assert "Items withheld 7" in texts["listening"] and "Items redacted 1" in texts["listening"]
    assert re.search(r"\b1 ?/ ?[2-9]\b", pdf_text(results[0].path))  # the footer's page numbers
    assert runner.printer is not None and runner.printer.requests == []  # nothing asked of any host


def test_restricted_pdf_and_a_withdrawn_participant(runner: ReportRunner, home: Path, tmp_path: Path) -> None:
    restricted = runner.run(ReportJob("listening", "demo", tmp_path / "r.pdf", level="restricted", home=str(home)))
    assert "Safe house keys" in flat(pdf_text(restricted.path))
    withdraw_participant(Workspace(home).store("demo"), "DEMO-CCCC")
    after = runner.run(ReportJob("listening", "demo", tmp_path / "w.pdf", level="restricted", home=str(home)))
    assert "Safe house" not in flat(pdf_text(after.path)) and "Phone lists of members" not in flat(pdf_text(after.path))


def test_nbconvert_to_lessonkit_pdf(runner: ReportRunner, home: Path, tmp_path: Path, chromium_executable: str) -> None:
    executed = runner.execute(ReportJob("summary", "demo", tmp_path / "x.pdf", home=str(home)))
    notebook = tmp_path / "summary.ipynb"
    nbformat.write(executed, str(notebook))
    env = dict(os.environ, LESSONKIT_CHROMIUM=chromium_executable)
    done = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "lessonkit_pdf", str(notebook)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    text = flat(pdf_text(tmp_path / "summary.pdf"))
    assert "Convening summary" in text and "summary_report(" not in text


def test_the_pdf_shows_the_set_the_disclosure_layer_gives_and_the_log_says_so(
    runner: ReportRunner, tmp_path: Path
) -> None:
    """Board, listing, CSV and DataFrame give this same set (test_disclosure); here the PDF does too."""
    from test_disclosure import CASES, seed_cases

    from lessonkit.services.disclosure import Disclosure
    from lessonkit.services.export_log import list_exports

    home = tmp_path / "ws"
    store, _ids = seed_cases(Workspace(home))
    for level in ("public", "convening"):
        expected = {s.note.text for s in Disclosure.open(store, level).notes().shown}
        result = runner.run(ReportJob("listening", "cases", tmp_path / f"{level}.pdf", level=level, home=str(home)))
        text = flat(pdf_text(result.path))
        candidates = {f"case-{i}" for i in range(len(CASES))} | {"anchor"}
        assert {t for t in candidates if re.search(rf"\b{t}\b", text)} == expected, level
    logged = list_exports(Workspace(home).store("cases"))
    assert [(r.what, r.level.value, r.file) for r in logged] == [
        ("report listening", "public", "public.pdf"),
        ("report listening", "convening", "convening.pdf"),
    ]
    public = Disclosure.open(store, "public")
    public.notes()
    assert logged[0].participant_ids == tuple(sorted(public.tally.participants)) and logged[0].included > 0
    assert "participant_ids" not in pdf_text(tmp_path / "public.pdf")
