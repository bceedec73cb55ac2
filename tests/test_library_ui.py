"""Library widgets without a browser: browse, search, filters, related and lineage, peer review form."""

from __future__ import annotations

import pytest

from lessonkit.resources import data_path
from lessonkit.services.library import add_module, get_module
from lessonkit.services.library_io import import_library_json
from lessonkit.store.workspace import Workspace
from lessonkit.ui.library import LibraryBrowser, library_browser, library_status, load_sample_library, module_view
from lessonkit.ui.library_review import ReviewPanel


@pytest.fixture
def library(disk_workspace: Workspace):  # type: ignore[no-untyped-def]
    store = disk_workspace.library()
    import_library_json(store, data_path("demo", "library.json"))
    return store


def test_empty_library_says_how_to_import(disk_workspace: Workspace) -> None:
    home = str(disk_workspace.home)
    assert "library import" in library_status(home).value
    assert "library is empty" in library_browser(home).value
    assert "imported: 7" in load_sample_library(home).value
    assert "not loaded" in load_sample_library(home).value
    assert "7 modules (endorsed: 3)" in library_status(home).value


def test_browser_searches_filters_and_shows_related_and_lineage(library) -> None:  # type: ignore[no-untyped-def]
    browser = LibraryBrowser(library)
    assert len(browser.results.options) == 7 and browser.results.value == "demo-banner-relay"
    browser.query.value = "trophy"
    assert [v for _, v in browser.results.options] == ["demo-mock-award"]
    assert "Mock award ceremony" in browser.detail.value and "Lineage" in browser.detail.value
    browser.goto.value = "demo-mock-award-online"  # jump to a descendant
    assert browser.results.value == "demo-mock-award-online" and browser.query.value == ""
    assert "derived from" in browser.detail.value and "Why it failed" in browser.detail.value
    browser.type.value = "principle"
    assert [v for _, v in browser.results.options] == ["demo-listen-first"]
    browser.type.value = ""
    browser.region.value = "demo-south"
    assert {v for _, v in browser.results.options} == {"demo-kitchen-forum", "demo-phone-tree"}
    browser.query.value = "nothing matches this"
    assert browser.results.options == () and "0 modules found" in browser.count.value


def test_module_text_is_escaped(library, disk_workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    add_module(
        library,
        {
            "slug": "xss",
            "title": "<script>alert(1)</script>",
            "type": "story",
            "sections": {"risks": "<img src=x onerror=alert(1)>"},
        },
    )
    html = module_view("xss", str(disk_workspace.home)).value
    assert "<script>" not in html and "&lt;script&gt;" in html and "<img" not in html
    assert "no module" in module_view("nope", str(disk_workspace.home)).value


def test_review_panel_records_reviews_and_endorses(library) -> None:  # type: ignore[no-untyped-def]
    panel = ReviewPanel(library, "demo-phone-tree")
    panel.reviewer.value, panel.organisation.value, panel.comments.value = "Lena", "", "Good."
    panel.add.click()
    assert "Organisation" in panel.status.value or "organisation" in panel.status.value
    assert panel.comments.value == "Good."  # kept after an error
    for reviewer, org in (("Lena", "Mountain Teachers Network"), ("Mo", "Riverside Climate Collective")):
        panel.reviewer.value, panel.organisation.value = reviewer, org
        panel.add.click()
        assert "Review saved" in panel.status.value
    panel.next_status.value = "endorsed"
    panel.apply.click()
    assert "now endorsed" in panel.status.value
    assert get_module(library, "demo-phone-tree").status.value == "endorsed"
    draft = ReviewPanel(library, "demo-listen-first")
    draft.reviewer.value, draft.organisation.value = "A", "B"
    draft.add.click()
    assert "send it to review" in draft.status.value


def test_editor_saves_everything_or_nothing_and_keeps_input(library) -> None:  # type: ignore[no-untyped-def]
    from lessonkit.ui.library_edit import ModuleEditor

    editor = ModuleEditor(library, "demo-phone-tree")
    assert editor.lineage.value.startswith("demo-kitchen-forum | emulation")
    editor.summary.value = "Changed summary."
    editor.lineage.value += "\ndemo-banner-relay | stealing | the idea"
    editor.save.click()
    assert "lineage[1].mode" in editor.status.value and "Changed summary." == editor.summary.value
    assert get_module(library, "demo-phone-tree").summary.startswith("A text-message chain")  # nothing saved
    editor.lineage.value = editor.lineage.value.replace("stealing", "mixture")
    editor.signals.value = "Evictions delayed | 9 | evictions | 0 | paper tally"
    editor.save.click()
    saved = get_module(library, "demo-phone-tree")
    assert "Saved" in editor.status.value and saved.summary == "Changed summary."
    assert saved.lineage[1].parent == "demo-banner-relay" and saved.signals[0].value == 9.0
    editor.new_slug.value = "our-own-tactic"
    editor.create.click()
    assert editor.module.value == "our-own-tactic" and get_module(library, "our-own-tactic").status.value == "draft"


def test_editing_a_module_keeps_its_signals_evidence(library) -> None:  # type: ignore[no-untyped-def]
    """The editor shows signals as 'what | value | unit | baseline | source' lines; saving must not drop what those
    lines do not show (outcome, period, factors, peer reviews), even when a line's value changes or a line goes."""
    from lessonkit.ui.library_edit import ModuleEditor

    editor = ModuleEditor(library, "demo-banner-relay")
    first, second = editor.signals.value.splitlines()
    editor.summary.value = "Edited."
    editor.signals.value = "\n".join([second, first.replace("| 5 |", "| 6 |")])  # reordered, one value changed
    editor.save.click()
    assert "Saved" in editor.status.value
    media, groups = get_module(library, "demo-banner-relay").signals
    assert (media.what, media.outcome.value, media.factors[0]) == ("Regional media stories", "message-recall",
                                                                  "photogenic banner")
    assert groups.value == 6 and groups.outcome.value == "participation-retained"
    assert groups.result is not None and groups.result.value == "success" and groups.period is not None
