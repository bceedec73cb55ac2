"""Ten real Beautiful Trouble modules, imported with the toolbox importer, print as one-page briefs (A4, and two on
Letter), all through one browser; each page carries the module's title, its attribution and its licence."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from lessonkit.export import print_briefs
from lessonkit.export.browser import PdfPrinter
from lessonkit.services.importers.beautiful_trouble import import_beautiful_trouble
from lessonkit.services.library_brief import brief_sources
from lessonkit.store import MemoryWorkspace

pytestmark = pytest.mark.browser

CORPUS = next(
    (
        p / "shared/corpora/beautiful-trouble/toolbox.json"
        for p in Path(__file__).resolve().parents
        if (p / "shared/corpora/beautiful-trouble/toolbox.json").exists()
    ),
    None,
)
# Tactics, a principle, methodologies and stories; short and long (bt-abolition is the longest of the toolbox).
TEN = [
    "bt-blockade",
    "bt-advanced-leafleting",
    "bt-banner-hang",
    "bt-civil-disobedience",
    "bt-power-mapping",
    "bt-spectrum-of-allies",
    "bt-battle-in-seattle",
    "bt--thisflag",
    "bt-joy-is-a-revolutionary-force",
    "bt-abolition",
]


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) is needed to read the PDFs")
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(CORPUS is None, reason="the Beautiful Trouble corpus is not in ../shared/corpora")
def test_ten_real_modules_print_as_one_page_briefs(chromium_executable: str, tmp_path: Path) -> None:
    assert CORPUS is not None
    library = MemoryWorkspace().library()
    import_beautiful_trouble(library, CORPUS)
    chosen = brief_sources(library, TEN, "public")
    assert [s.module.slug for s in chosen.sources] == TEN
    with PdfPrinter(chromium_executable) as printer:
        a4 = print_briefs([(s, tmp_path / f"{s.module.slug}.pdf") for s in chosen.sources], printer=printer)
        letter = print_briefs(
            [(s, tmp_path / "letter" / f"{s.module.slug}.pdf") for s in chosen.sources[:2]],
            paper="letter",
            printer=printer,
        )
    counted = {}
    for result, source in zip(a4, chosen.sources, strict=True):
        info = poppler("pdfinfo", str(result.path))
        counted[result.slug] = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        assert "(A4)" in info
        text = " ".join(poppler("pdftotext", str(result.path), "-").split())
        module = source.module
        assert module.title in text and "CC BY-NC-SA 4.0" in text and module.attribution in text, result.slug
        assert module.source_url in text
    assert counted == dict.fromkeys(TEN, 1), counted
    assert all(r.pages == 1 for r in a4 + letter)
    for result in letter:
        assert "(letter)" in poppler("pdfinfo", str(result.path))
