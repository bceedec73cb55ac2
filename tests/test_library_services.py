"""Library services on both stores: add, edit, review, search, related, lineage, JSON import and export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lessonkit.domain.modules import ReviewStatus
from lessonkit.errors import AlreadyExistsError, NotFoundError, ValidationError
from lessonkit.resources import data_path
from lessonkit.services.library import (
    add_module,
    change_status,
    edit_module,
    get_module,
    list_modules,
    review_module,
    set_source_profile,
)
from lessonkit.services.library_io import export_library, import_library_json
from lessonkit.services.library_search import facets, lineage, related_modules, search_modules
from lessonkit.services.scoring import load_rubric
from lessonkit.store.workspace import BaseWorkspace

SAMPLE = data_path("demo", "library.json")


@pytest.fixture
def library(workspace: BaseWorkspace):  # type: ignore[no-untyped-def]
    store = workspace.library()
    report = import_library_json(store, SAMPLE)
    assert report.summary()["imported"] == 7 and not report.skipped
    return store


def test_sample_library_imports_and_reimport_changes_nothing(library) -> None:  # type: ignore[no-untyped-def]
    again = import_library_json(library, SAMPLE)
    assert again.summary() == {
        "imported": 0,
        "updated": 0,
        "unchanged": 7,
        "skipped": 0,
        "unresolved links": 0,
    }
    assert len(list_modules(library)) == 7


def test_unknown_module_is_a_clear_error_with_suggestions(library) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError, match="demo-banner-relay"):
        get_module(library, "demo-banner-rely")


def test_add_refuses_a_duplicate_slug(library) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AlreadyExistsError):
        add_module(library, {"slug": "demo-kitchen-forum", "title": "Again", "type": "tactic"})
    added = add_module(library, {"slug": "new-one", "title": "New", "type": "story"})
    assert added.status is ReviewStatus.DRAFT and get_module(library, "new-one").title == "New"


def test_edit_validates_everything_before_saving(library) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        edit_module(library, "demo-kitchen-forum", {"summary": "Fine", "risk_level": "extreme"})
    assert err.value.field == "risk_level"
    assert get_module(library, "demo-kitchen-forum").summary.startswith(
        "Neighbours"
    )  # nothing saved half-way
    with pytest.raises(ValidationError, match="cannot be edited"):
        edit_module(library, "demo-kitchen-forum", {"status": "endorsed"})
    edited = edit_module(library, "demo-kitchen-forum", {"summary": "Shorter.", "risk_level": "medium"})
    assert get_module(library, "demo-kitchen-forum") == edited


def test_local_edit_is_not_overwritten_by_a_reimport(library) -> None:  # type: ignore[no-untyped-def]
    edit_module(library, "demo-mock-award", {"summary": "Our own words."})
    report = import_library_json(library, SAMPLE)
    assert [s for s, _ in report.skipped] == ["demo-mock-award"]
    assert "edited here" in report.skipped[0][1]
    assert get_module(library, "demo-mock-award").summary == "Our own words."
    forced = import_library_json(library, SAMPLE, overwrite=True)
    assert forced.updated == ["demo-mock-award"]
    assert get_module(library, "demo-mock-award").summary != "Our own words."


def test_peer_review_through_the_service(library) -> None:  # type: ignore[no-untyped-def]
    slug = "demo-phone-tree"  # in review, one request for changes so far
    with pytest.raises(ValidationError, match="at least 2"):
        change_status(library, slug, "endorsed")
    review_module(library, slug, "Lena", "Mountain Teachers Network", "endorse", "Good.", on="2026-04-03")
    review_module(library, slug, "Mo", "Riverside Climate Collective", "endorse")
    assert change_status(library, slug, "endorsed").status is ReviewStatus.ENDORSED
    stored = get_module(library, slug)
    assert stored.status is ReviewStatus.ENDORSED and len(stored.reviews) == 3
    with pytest.raises(ValidationError, match="send it to review"):
        review_module(library, "demo-listen-first", "A", "B", "endorse")


def test_source_profile_is_checked_against_the_rubric(library) -> None:  # type: ignore[no-untyped-def]
    rubric = load_rubric()
    with pytest.raises(ValidationError) as err:
        set_source_profile(library, "demo-listen-first", {"media_ecosystem": 2}, rubric)
    assert err.value.field.startswith("source_profile.") and "critical" in err.value.message
    ratings = {"civic_space": 2, "legal_risk": 2, "digital_surveillance": 1}
    assert set_source_profile(library, "demo-listen-first", ratings, rubric).source_profile == ratings


def test_search_full_text_and_filters(library) -> None:  # type: ignore[no-untyped-def]
    assert [m.slug for m in search_modules(library, "trophy")] == ["demo-mock-award"]
    found = [m.slug for m in search_modules(library, "mock award")]
    assert set(found[:2]) == {"demo-mock-award", "demo-mock-award-online"}  # title matches first
    assert {m.slug for m in search_modules(library, type="principle")} == {"demo-listen-first"}
    assert {m.slug for m in search_modules(library, tag="humour", status="endorsed")} == {"demo-mock-award"}
    assert {m.slug for m in search_modules(library, region="demo-south")} == {
        "demo-kitchen-forum",
        "demo-phone-tree",
    }
    assert {m.slug for m in search_modules(library, risk=["high", "medium"])} == {
        "demo-phone-tree",
        "demo-mock-award-online",
        "demo-lobby-sit-in",
    }
    assert search_modules(library, "nothing-like-this") == []
    with pytest.raises(ValidationError, match="risk"):
        search_modules(library, risk="extreme")
    assert ("tactic", 6) in facets(library)["type"]


def test_related_modules_both_ways(library) -> None:  # type: ignore[no-untyped-def]
    rel = related_modules(library, "demo-kitchen-forum")
    assert [m.slug for m in rel.links_to] == ["demo-phone-tree"]
    assert {m.slug for m in rel.linked_from} == {"demo-banner-relay", "demo-listen-first"}
    assert rel.missing == []


def test_lineage_ancestors_and_descendants(library) -> None:  # type: ignore[no-untyped-def]
    up = lineage(library, "demo-mock-award-online")
    assert [(s.depth, s.slug, s.mode.value) for s in up.ancestors] == [
        (1, "demo-mock-award", "mixture"),
        (2, "demo-banner-relay", "inspiration"),
    ]
    down = lineage(library, "demo-kitchen-forum")
    assert {(s.depth, s.slug) for s in down.descendants} == {(1, "demo-phone-tree"), (1, "demo-listen-first")}
    assert lineage(library, "demo-banner-relay").descendants[1].slug == "demo-mock-award-online"


def test_export_obeys_sensitivity_and_round_trips(
    library,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    workspace: BaseWorkspace,
) -> None:
    public = export_library(library, up_to="public")
    assert {m["sensitivity"] for m in public["modules"]} == {"public"}
    everything = export_library(library, up_to="restricted")
    assert len(everything["modules"]) == 7
    path = tmp_path / "export.json"
    path.write_text(json.dumps(everything), encoding="utf-8")
    assert import_library_json(library, path).summary()["unchanged"] == 7


def test_malformed_json_library_is_refused_before_anything_is_written(
    workspace: BaseWorkspace, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"items": []}', encoding="utf-8")
    with pytest.raises(ValidationError, match="modules"):
        import_library_json(workspace.library(), bad)
    half = tmp_path / "half.json"
    half.write_text(
        json.dumps(
            {
                "modules": [
                    {"slug": "ok", "title": "OK", "type": "tactic"},
                    {"slug": "Bad Slug", "title": "x", "type": "tactic"},
                    {"slug": "fake-endorsed", "title": "x", "type": "tactic", "status": "endorsed"},
                ]
            }
        ),
        encoding="utf-8",
    )
    report = import_library_json(workspace.library(), half)
    assert report.imported == ["ok"]
    assert [s for s, _ in report.skipped] == ["Bad Slug", "fake-endorsed"]
    assert [m.slug for m in list_modules(workspace.library())] == ["ok"]
