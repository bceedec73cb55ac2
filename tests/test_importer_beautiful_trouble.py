"""The Beautiful Trouble importer on the real corpus in ../shared/corpora (skipped when it is absent)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from lessonkit.domain.modules import ModuleType
from lessonkit.errors import ValidationError
from lessonkit.services.importers.beautiful_trouble import import_beautiful_trouble, parse_toolbox
from lessonkit.services.library import edit_module, get_module, list_modules
from lessonkit.services.library_search import related_modules, search_modules
from lessonkit.store.workspace import BaseWorkspace

CORPUS = Path(__file__).parents[2] / "shared/corpora/beautiful-trouble/toolbox.json"

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason=f"the Beautiful Trouble corpus is not at {CORPUS}")


@pytest.fixture(scope="module")
def corpus() -> dict:
    return json.loads(CORPUS.read_text(encoding="utf-8"))


def test_every_item_is_parsed_with_the_readme_counts(corpus: dict) -> None:
    modules, report = parse_toolbox(corpus)
    assert len(modules) == len(corpus["items"]) == 331 and not report.skipped
    sections = Counter(key for m in modules for key in m.sections)
    assert sections["why_it_worked"] == 58
    assert sections["risks"] == 85
    assert sections["how_to_use"] == 16
    assert sections["overview"] == 331
    types = Counter(m.type for m in modules)
    assert types[ModuleType.TACTIC] == 55 + 21  # tactics + Beautiful Solutions solutions
    assert types[ModuleType.STORY] == 68 + 26
    tags = Counter(t for m in modules for t in m.tags)
    assert tags["bt-type:principle"] == 78 and tags["set:anti-authoritarianism"] == 32
    assert Counter(r for m in modules for r in m.regions)["north-america"] == 30
    assert not any(t.startswith("region:") for m in modules for t in m.tags)


def test_attribution_licence_and_source_are_kept(corpus: dict) -> None:
    modules, _ = parse_toolbox(corpus)
    first = modules[0]
    item = corpus["items"][0]
    assert first.slug == item["slug"] and first.licence == "CC BY-NC-SA 4.0"
    assert first.source_url == item["source_url"]
    assert item["attribution"]["author"] in first.attribution and "Beautiful Trouble" in first.attribution
    assert first.authors[0].name == item["attribution"]["author"]
    assert all(m.licence and m.source_url.startswith("https://") for m in modules)


def test_related_names_are_resolved_or_reported(corpus: dict) -> None:
    modules, report = parse_toolbox(corpus)
    slugs = {m.slug for m in modules}
    assert all(r in slugs for m in modules for r in m.related)
    total = sum(len(i["metadata"]["related"]) for i in corpus["items"])
    resolved = sum(len(m.related) for m in modules)
    reported = sum(len(x) for x in report.unresolved.values())
    assert resolved + reported == total
    # the README: this copy holds 331 of 413 items, so links to the 82 others cannot resolve
    assert len(report.unresolved_names) == 82
    joy = next(m for m in modules if m.slug == "bt-joy-is-a-revolutionary-force")
    assert "bt-conflict-kitchen" in joy.related and "bsol-conflict-kitchen" not in joy.related


def test_import_reimport_local_edit_and_links(workspace: BaseWorkspace) -> None:
    store = workspace.library()
    ticks: list[int] = []
    totals: list[int] = []
    first = import_beautiful_trouble(store, CORPUS, progress=ticks.append, on_total=totals.append)
    assert len(first.imported) == 331 and sum(ticks) == totals[0]
    again = import_beautiful_trouble(store, CORPUS)
    assert again.summary()["unchanged"] == 331 and not again.imported and not again.updated
    assert len(list_modules(store)) == 331  # updated rather than duplicated

    edit_module(store, "bt-cultural-disobedience", {"summary": "Our own summary."})
    third = import_beautiful_trouble(store, CORPUS)
    assert [s for s, _ in third.skipped] == ["bt-cultural-disobedience"] and len(third.unchanged) == 330
    assert get_module(store, "bt-cultural-disobedience").summary == "Our own summary."

    rel = related_modules(store, "bt-joy-is-a-revolutionary-force")
    assert rel.links_to and not rel.missing
    assert search_modules(store, "dancing", type="principle")


def test_a_malformed_item_is_reported_and_skipped(workspace: BaseWorkspace, corpus: dict, tmp_path: Path) -> None:
    broken = json.loads(json.dumps(corpus))
    broken["items"][3]["title"] = None
    broken["items"][7] = "not an object"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    report = import_beautiful_trouble(workspace.library(), path)
    assert len(report.imported) == 329
    assert [s for s, _ in report.skipped] == [corpus["items"][3]["slug"], "#8"]
    assert "title" in report.skipped[0][1]


def test_a_file_of_the_wrong_shape_leaves_the_library_untouched(workspace: BaseWorkspace, tmp_path: Path) -> None:
    for text in ('{"modules": []}', "[1, 2]", "not json"):
        path = tmp_path / "wrong.json"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ValidationError, match="Beautiful Trouble|JSON"):
            import_beautiful_trouble(workspace.library(), path)
    assert list_modules(workspace.library()) == []


def test_an_import_interrupted_half_way_leaves_nothing_behind(workspace: BaseWorkspace) -> None:
    ticks = 0

    def crash_while_storing(n: int) -> None:
        nonlocal ticks
        ticks += n
        if ticks > 331 + 100:  # all items parsed, 100 stored: then the machine "fails"
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_beautiful_trouble(workspace.library(), CORPUS, progress=crash_while_storing)
    assert list_modules(workspace.library()) == []
