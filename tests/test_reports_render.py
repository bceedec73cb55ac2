"""Report notebooks run with parameters and converted without a browser: HTML, Markdown, and the no-browser path."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import report_seed

from lessonkit.export.reports import ReportJob, ReportRunner, convening_plan
from lessonkit.store import Workspace

OUTSIDE = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reports") / "ws"
    report_seed.seed(Workspace(path))
    return path


@pytest.fixture(scope="module")
def runner() -> Iterator[ReportRunner]:
    with ReportRunner(pdf=False) as r:
        yield r


def job(home: Path, kind: str, out: Path, fmt: str = "html", level: str = "public", **kw: object) -> ReportJob:
    return ReportJob(kind, "demo", out, fmt, level, home=str(home), **kw)  # type: ignore[arg-type]


def test_html_report_has_a_cover_no_code_and_asks_no_other_host(
    runner: ReportRunner, home: Path, tmp_path: Path
) -> None:
    result = runner.run(job(home, "listening", tmp_path / "listening.html"))
    html = result.path.read_text(encoding="utf-8")
    assert result.ok and 'class="lk-cover"' in html and "Items withheld" in html and "public: may be shared" in html
    assert "listening_report(" not in html and "<script" not in html.lower() and "parameters" not in html
    assert OUTSIDE.search(html) is None and "default-src 'none'" in html
    assert 'src="data:image/png;base64,' in html  # the chart, embedded
    for secret in report_seed.SECRETS:
        assert secret not in html
    assert report_seed.RESTRICTED_NOTE not in html


def test_markdown_report_with_the_chart_beside_it(runner: ReportRunner, home: Path, tmp_path: Path) -> None:
    result = runner.run(job(home, "listening", tmp_path / "l.md", "md", "restricted", session=1))
    text = result.path.read_text(encoding="utf-8")
    assert text.lstrip().startswith("# Listening report") and "<div" not in text
    assert report_seed.RESTRICTED_NOTE in text and "\\[e-mail\\]" in text
    (png,) = re.findall(r"\]\((l_files/[^)]+\.png)\)", text)
    assert (tmp_path / png).read_bytes().startswith(b"\x89PNG")


def test_every_kind_of_a_convening_in_one_kernel(runner: ReportRunner, home: Path, tmp_path: Path) -> None:
    plan = convening_plan(Workspace(home).store("demo"), "demo", tmp_path, "html", "network", str(home))
    assert [j.kind for j in plan.jobs] == ["summary", "listening", "listening", "mou", "transfer"]
    seen = []
    results = runner.run_all(plan.jobs, lambda done, total, j: seen.append((done, total)))
    assert seen[-1] == (5, 5) and all(r.ok for r in results)
    pages = {r.job.kind: r.path.read_text(encoding="utf-8") for r in results}
    assert "Convening summary" in pages["summary"] and "Memorandum of understanding" in pages["mou"]
    assert "Transferability brief" in pages["transfer"] and "Scores by criterion" in pages["transfer"]
    assert all(OUTSIDE.search(p) is None for p in pages.values())


def test_the_care_report_joins_the_plan_and_its_notebook_runs(runner: ReportRunner, tmp_path: Path) -> None:
    """Issue 16: the risk register and the ledger, at public, through the same kernel."""
    import care_seed

    home = tmp_path / "care"
    care_seed.seed(Workspace(home))
    plan = convening_plan(Workspace(home).store("demo"), "demo", tmp_path, "html", "public", str(home))
    (care,) = [j for j in plan.jobs if j.kind == "care"]
    result = runner.run(care)
    html = result.path.read_text(encoding="utf-8")
    assert result.ok and "Care and accountability" in html and html.count('src="data:image/png;base64,') == 2
    assert "care_report(" not in html and care_seed.RESTRICTED_RISK not in html and care_seed.HARBOUR in html
    for secret in report_seed.SECRETS:
        assert secret not in html
    (logged,) = [e for e in Workspace(home).store("demo").all("exports") if e["what"] == "report care"]
    assert logged["level"] == "public"


def no_browser_env(home: Path, tmp_path: Path) -> dict[str, str]:
    """LESSONKIT_CHROMIUM pointing nowhere, no Playwright browsers, and a PATH without any chromium."""
    keep = {os.path.dirname(sys.executable), os.path.dirname(shutil.which("lessonkit") or sys.executable)}
    env = dict(os.environ, LESSONKIT_HOME=str(home), LESSONKIT_CHROMIUM=str(tmp_path / "no-such-chromium"))
    env["PLAYWRIGHT_BROWSERS_PATH"] = str(tmp_path / "no-browsers")
    env["PATH"] = os.pathsep.join(sorted(keep))
    assert not any(shutil.which(b, path=env["PATH"]) for b in ("chromium", "google-chrome", "msedge"))
    return env


def test_without_a_browser_the_html_is_written_and_the_message_says_how_to_get_one(home: Path, tmp_path: Path) -> None:
    lessonkit = shutil.which("lessonkit")
    assert lessonkit
    out = tmp_path / "summary.pdf"
    done = subprocess.run(
        [lessonkit, "report", "demo", "--kind", "summary", "--out", str(out)],
        env=no_browser_env(home, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and not out.exists()
    assert "apt-get install chromium" in done.stderr and "LESSONKIT_CHROMIUM" in done.stderr
    page = tmp_path / "summary.html"
    assert page.exists() and "Convening summary" in page.read_text(encoding="utf-8") and str(page) in done.stderr


def test_clear_errors_before_any_kernel_starts(home: Path, tmp_path: Path) -> None:
    from support import run_cli

    bad = run_cli(
        "report", "demo", "--kind", "listening", "--session", "9", "--out", str(tmp_path / "x.pdf"), home=home
    )
    assert bad.returncode == 1 and "There is no session '9'" in bad.stderr
    both = run_cli("report", "demo", "--kind", "mou", "--all", "--out", str(tmp_path), home=home)
    assert both.returncode == 2 and "either --kind" in both.stderr


def test_an_error_in_the_notebook_is_one_clear_message_and_the_kernel_carries_on(
    runner: ReportRunner, home: Path, tmp_path: Path
) -> None:
    from lessonkit.errors import LessonkitError

    with pytest.raises(LessonkitError, match="There is no session '9'"):
        runner.run(job(home, "listening", tmp_path / "x.html", session=9))
    assert runner.run(job(home, "mou", tmp_path / "m.html")).ok
