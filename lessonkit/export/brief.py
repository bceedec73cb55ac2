"""Print tactic briefs as one-page PDFs through the reports' Chromium path: one browser for a whole batch.

Each brief is made to fit one page: printed with the texts' usual room, and when the page overflows, printed again
with less (the texts cut shorter, marked "…"). Without a browser the HTML is written instead (``.html``), as for
reports. Files are replaced in one step.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lessonkit.domain.brief import DEFAULT_BUDGET, make_brief
from lessonkit.export.brief_html import PAPERS, brief_html
from lessonkit.export.browser import NoBrowserError, PdfPrinter
from lessonkit.i18n import using_language
from lessonkit.services.library_brief import BriefSource

#: the room for the texts on each try, as a share of the usual (a Letter page is a little shorter than A4)
TRIES = (1.0, 0.8, 0.62, 0.46, 0.33)
PAPER_ROOM = {"a4": 1.0, "letter": 0.94}
_PAGE = re.compile(rb"/Type\s*/Page\b")


@dataclass(frozen=True)
class BriefResult:
    slug: str
    path: Path
    pages: int | None  # None when the HTML was written instead of a PDF
    message: str = ""
    tries: int = 1  # prints it took to fit one page


def page_count(pdf: bytes) -> int:
    """Pages of a PDF as Chromium writes it (each page object says ``/Type /Page``)."""
    return len(_PAGE.findall(pdf))


def _replace(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def brief_page(source: BriefSource, paper: str = "a4", share: float = 1.0, printed: date | None = None) -> str:
    """The HTML of one brief (headings in the current language) with ``share`` of the usual room for its texts."""
    budget = int(DEFAULT_BUDGET * PAPER_ROOM[paper] * share)
    return brief_html(make_brief(source.module, source.lineage, budget), printed)


def _fit(printer: PdfPrinter, source: BriefSource, paper: str, language: str | None) -> tuple[bytes, int, int]:
    """(the PDF, its pages, how many prints it took)."""
    pdf, pages, tries = b"", 0, 0
    for share in TRIES:
        tries += 1
        with using_language(language):
            page = brief_page(source, paper, share)
        pdf = printer.pdf_bytes(page, PAPERS[paper])
        pages = page_count(pdf)
        if pages <= 1:
            break
    return pdf, pages, tries


def print_briefs(
    jobs: Sequence[tuple[BriefSource, Path]],
    *,
    paper: str = "a4",
    language: str | None = None,
    browser: str | None = None,
    progress: Callable[[int], None] | None = None,
    printer: PdfPrinter | None = None,
) -> list[BriefResult]:
    """Print each (module, PDF path) with one browser; ``progress`` hears 1 after each brief. A ``printer`` that is
    given is used and left open (to share one browser with other work); otherwise one is started and closed."""
    if paper not in PAPERS:
        raise ValueError(paper)
    results: list[BriefResult] = []
    owned = printer is None
    printer = PdfPrinter(browser) if printer is None else printer
    try:
        for source, path in jobs:
            if printer is not None:
                try:
                    pdf, pages, tries = _fit(printer, source, paper, language)
                    results.append(BriefResult(source.module.slug, _replace(path, pdf), pages, tries=tries))
                except NoBrowserError as exc:
                    if owned:
                        printer.close()
                    printer = None
                    results.append(_as_html(source, path, paper, language, str(exc)))
            else:
                results.append(_as_html(source, path, paper, language, results[-1].message))
            if progress:
                progress(1)
    finally:
        if printer is not None and owned:
            printer.close()
    return results


def _as_html(source: BriefSource, path: Path, paper: str, language: str | None, message: str) -> BriefResult:
    with using_language(language):
        page = brief_page(source, paper)
    out = _replace(path.with_suffix(".html"), page.encode("utf-8"))
    return BriefResult(source.module.slug, out, None, message)
