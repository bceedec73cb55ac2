"""The tactic brief without a browser: what it keeps and cuts, its HTML (escaped, headings in the brief's language),
which modules may be printed, and `lessonkit library brief` wired to a stand-in printer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from lessonkit.cli import main
from lessonkit.domain.brief import allocate, clip, make_brief, plain_lines
from lessonkit.domain.library import Module
from lessonkit.errors import ValidationError
from lessonkit.export import brief_page
from lessonkit.export.brief_html import brief_html
from lessonkit.i18n import using_language
from lessonkit.resources import data_path
from lessonkit.services.library import add_module
from lessonkit.services.library_brief import brief_source, brief_sources
from lessonkit.services.library_io import import_library_json
from lessonkit.store import MemoryWorkspace, Workspace

TOOLBOX_BODY = """Blockades stop the bad guys (see: [TACTIC: Banner hang](https://x.org/banner) and [PRINCIPLE: Escalate
strategically](https://x.org/esc)). Read **the guide** and *plan*.

- Build a crew.
- Scout, scout, scout.
  Know your choke points.

![tile](https://x.org/tile.png)
<b>Be creative.</b>
"""


def module(**fields: Any) -> Module:
    data = {"slug": "blockade", "title": "Blockade", "type": "tactic", **fields}
    return Module.from_dict(data)


def test_markdown_becomes_plain_paragraphs_and_items() -> None:
    assert plain_lines(TOOLBOX_BODY) == [
        "Blockades stop the bad guys. Read the guide and plan.",
        "• Build a crew.",
        "• Scout, scout, scout. Know your choke points.",
        "Be creative.",
    ]


def test_clip_cuts_at_a_sentence_or_a_word_and_says_so() -> None:
    assert clip("Short.", 50) == ("Short.", False)
    text = "First sentence is here. Second sentence is a good deal longer than the first one."
    assert clip(text, 40) == ("First sentence is here. …", True)
    cut, was_cut = clip("one two three four five six seven", 20)
    assert was_cut and cut.endswith(" …") and len(cut) <= 20 and cut.startswith("one two")


def test_the_budget_goes_whole_to_short_texts_and_evenly_to_long_ones() -> None:
    assert allocate([100, 5000, 5000], 2100) == [100, 1000, 1000]
    assert allocate([100, 200], 5000) == [100, 200]
    assert allocate([0, 9000], 1000) == [0, 1000]


def test_a_brief_keeps_what_the_issue_lists_and_cuts_to_the_budget() -> None:
    long = " ".join(f"Sentence number {i} about the tactic." for i in range(400))
    full = module(
        summary="Stop something bad.",
        sections={"overview": long, "why_it_worked": "It was loud.", "risks": long, "learn_more": "- [Guide](https://g)"},
        context={"legal": "Protest needs a permit."},
        signals=[{"what": "Turnout", "value": 300, "unit": "people", "baseline": 40, "source": "count"}],
        licence="CC BY-NC-SA 4.0",
        attribution="Beautiful Trouble: A. Author",
        source_url="https://beautifultrouble.org/toolbox/tool/blockade",
    )
    brief = make_brief(full, budget=2000)
    assert [s.key for s in brief.sections] == ["overview", "why_it_worked", "risks"]  # overview: no how_to_use
    assert brief.sections[1].lines == ("It was loud.",) and not brief.sections[1].shortened
    assert brief.sections[0].shortened and brief.sections[0].lines[-1].endswith("…")
    assert sum(len(line) for s in brief.sections for line in s.lines) <= 2100
    assert brief.shortened and brief.links == (("Guide", "https://g"),)
    assert brief.context == (("legal", "Protest needs a permit."),)
    assert brief.signals == ("Turnout: 300 people (40) — count",)
    with_how = make_brief(module(sections={"overview": "Intro.", "how_to_use": "Do this."}))
    assert [s.key for s in with_how.sections] == ["how_to_use"]


def test_the_page_escapes_the_module_and_names_its_licence() -> None:
    page = brief_html(
        make_brief(module(title="<script>alert(1)</script>", summary="a & b", licence="CC BY-NC-SA 4.0"))
    )
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "a &amp; b" in page
    assert "CC BY-NC-SA 4.0" in page and "same licence" in page and "No recorded lineage." in page


def test_headings_follow_the_language_and_the_text_stays_as_written() -> None:
    with using_language("ar"):
        page = brief_html(make_brief(module(summary="Stop it.", sections={"risks": "Arrests."})))
    assert '<html lang="ar" dir="rtl">' in page and "Stop it." in page and '<p dir="auto">Arrests.</p>' in page


@pytest.fixture
def library() -> Any:
    store = MemoryWorkspace().library()
    import_library_json(store, data_path("demo", "library.json"))
    return store


def test_lineage_and_the_level_decide_what_is_printed(library: Any) -> None:
    online = brief_source(library, "demo-mock-award-online")
    assert [(s.direction, s.title, s.mode) for s in online.lineage] == [("up", "Mock award ceremony", "mixture")]
    parent = brief_source(library, "demo-mock-award")
    assert ("down", "Mock award, online edition", "mixture") in [(s.direction, s.title, s.mode) for s in parent.lineage]
    secret = {"slug": "secret-route", "title": "Secret route", "type": "tactic", "sensitivity": "restricted"}
    add_module(library, secret)
    with pytest.raises(ValidationError, match="--up-to restricted"):
        brief_source(library, "secret-route")
    everything = brief_sources(library)
    assert everything.held_back == ["secret-route"] and len(everything.sources) == 7
    assert len(brief_sources(library, up_to="restricted").sources) == 8
    assert "↑" in brief_page(online) and "Mock award ceremony" in brief_page(online)


class FakePrinter:
    """Stands in for Chromium: a one-page PDF for every page it is given."""

    started: list[str | None] = []
    printed: list[str] = []

    def __init__(self, executable: str | None = None) -> None:
        FakePrinter.started.append(executable)

    def pdf_bytes(self, html: str, paper: str = "A4") -> bytes:
        FakePrinter.printed.append(paper)
        return b"%PDF-1.4 /Type /Page " + paper.encode()

    def close(self) -> None:
        pass


def cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), *args])


def test_the_command_prints_one_or_all_with_one_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lessonkit.export import brief as brief_export

    monkeypatch.setattr(brief_export, "PdfPrinter", FakePrinter)
    FakePrinter.started, FakePrinter.printed = [], []
    ws = Workspace(tmp_path / "ws")
    import_library_json(ws.library(), data_path("demo", "library.json"))
    add_module(ws.library(), {"slug": "secret-route", "title": "Secret route", "type": "tactic",
                              "sensitivity": "restricted"})
    one = cli(ws.home, "library", "brief", "demo-kitchen-forum", "--out", str(tmp_path / "kitchen.pdf"))
    assert one.exit_code == 0, one.output
    assert (tmp_path / "kitchen.pdf").read_bytes().startswith(b"%PDF") and FakePrinter.printed == ["A4"]
    done = cli(ws.home, "library", "brief", "--all", "--out", str(tmp_path / "kit"), "--paper", "letter",
               "--format", "json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert len(data["briefs"]) == 7 and data["held_back"] == ["secret-route"] and data["paper"] == "letter"
    assert {b["pages"] for b in data["briefs"]} == {1} and all(Path(b["path"]).exists() for b in data["briefs"])
    assert "Printing briefs" in done.stderr and len(FakePrinter.started) == 2  # one browser per command
    assert FakePrinter.printed[1:] == ["Letter"] * 7
    for args, needle in (
        (["--out", "x.pdf"], "--all"),
        (["demo-kitchen-forum", "--all", "--out", "x"], "--all"),
        (["secret-route", "--out", "x.pdf"], "--up-to restricted"),
        (["demo-kitchen-forum", "--out", "x.pdf", "--lang", "xx"], "no catalogue"),
        (["demo-kitchen-form", "--out", "x.pdf"], "demo-kitchen-forum"),
    ):
        bad = cli(ws.home, "library", "brief", *args)
        lines = [line for line in bad.stderr.splitlines() if line.strip()]
        assert bad.exit_code != 0 and len(lines) == 1 and needle in lines[0], (args, bad.output)


class OverflowingPrinter(FakePrinter):
    """Two pages while the HTML is longer than ``limit`` characters."""

    limit = 6000

    def pdf_bytes(self, html: str, paper: str = "A4") -> bytes:
        return b"/Type /Page " * (2 if len(html) > self.limit else 1)


def test_a_brief_that_overflows_is_printed_again_shorter(library: Any, tmp_path: Path) -> None:
    from lessonkit.export import print_briefs

    long = " ".join(f"Sentence number {i} about the tactic." for i in range(600))
    add_module(library, {"slug": "long-one", "title": "Long one", "type": "tactic", "sections": {"overview": long}})
    source = brief_source(library, "long-one")
    printer: Any = OverflowingPrinter()
    (done,) = print_briefs([(source, tmp_path / "long.pdf")], printer=printer)
    assert done.pages == 1 and done.tries > 1 and len(brief_page(source, share=1.0)) > OverflowingPrinter.limit
    printer.limit = 10
    (never,) = print_briefs([(source, tmp_path / "never.pdf")], printer=printer)
    assert never.pages == 2 and never.tries == 5  # every try made; the last one is kept and reported
