"""Case modules: validation, Markdown sections, content hash, peer review rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from lessonkit.domain.library import Module, content_hash, edited_since_import
from lessonkit.domain.library_review import add_review, can_endorse, set_status
from lessonkit.domain.markdown_sections import section_key, sections_by_key, split_sections
from lessonkit.domain.modules import Review, ReviewStatus, Verdict
from lessonkit.errors import ValidationError


def module(**extra: object) -> Module:
    return Module.from_dict(
        {
            "slug": "banner-relay",
            "title": "Banner relay",
            "type": "tactic",
            "authors": [{"name": "Rin", "organisation": "Northside"}],
            **extra,
        }
    )


def review(org: str, verdict: str = "endorse") -> Review:
    return Review.from_dict({"reviewer": "R", "organisation": org, "date": "2026-03-01", "verdict": verdict})


def test_markdown_body_splits_at_level_two_headings_only() -> None:
    body = (
        "Intro text.\n\n## Why it worked\nHumour.\n### A detail\nStill here.\n```\n## not a heading\n```\n"
        "## Potential risks\nFines.\n## Why it worked\nAlso timing."
    )
    sections = split_sections(body)
    assert [s.key for s in sections] == ["overview", "why_it_worked", "risks", "why_it_worked"]
    assert "### A detail" in sections[1].text and "## not a heading" in sections[1].text
    joined = sections_by_key(body)
    assert joined["why_it_worked"].endswith("Also timing.") and joined["risks"] == "Fines."
    assert section_key("How to use:") == "how_to_use" and section_key("Origins of it") == "origins_of_it"


def test_module_round_trips_through_its_dict() -> None:
    m = module(
        sections={"why_it_failed": "Police."},
        signals=[{"what": "Turnout", "value": "120", "unit": "people"}],
        lineage=[{"parent": "kitchen-forum", "mode": "emulation", "adapted": "Moved online."}],
        context={"legal": "Fines."},
        source_profile={"civic_space": 3},
    )
    again = Module.from_dict(m.to_dict())
    assert again == m
    assert m.signals[0].value == 120.0 and m.cautions == "Police."


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("slug", "Not A Slug", "slug"),
        ("type", "protest", "type"),
        ("title", "", "title"),
        ("lineage", [{"parent": "x", "mode": "stealing"}], "lineage[0].mode"),
        ("signals", [{"what": "Turnout", "value": "many"}], "signals[0].value"),
        ("context", {"weather": "rain"}, "context"),
        ("source_profile", {"civic_space": 7}, "source_profile.civic_space"),
    ],
)
def test_bad_module_fields_are_named(field: str, value: object, named: str) -> None:
    with pytest.raises(ValidationError) as err:
        module(**{field: value})
    assert err.value.field == named


def test_content_hash_ignores_review_state_and_detects_edits() -> None:
    m = module(sections={"overview": "Text."})
    imported = replace(m, origin=replace(m.origin, imported_hash=content_hash(m)))
    assert not edited_since_import(imported)
    assert not edited_since_import(replace(imported, status=ReviewStatus.IN_REVIEW, source_profile={"a": 1}))
    assert edited_since_import(imported.with_changes(summary="Changed here."))


def test_endorsing_needs_two_organisations_other_than_the_authors() -> None:
    m = set_status(module(), ReviewStatus.IN_REVIEW)
    m = add_review(m, review("Northside"))  # the authors' own organisation does not count
    m = add_review(m, review("Harbour"))
    m = add_review(m, review("harbour"))  # the same organisation twice counts once
    m = add_review(m, review("Valley", "revise"))  # a request for changes is not an endorsement
    assert not can_endorse(m)
    with pytest.raises(ValidationError, match="at least 2 organisations"):
        set_status(m, ReviewStatus.ENDORSED)
    m = add_review(m, review("Riverside"))
    assert set_status(m, ReviewStatus.ENDORSED).status is ReviewStatus.ENDORSED


def test_review_workflow_moves_only_along_allowed_paths() -> None:
    draft = module()
    with pytest.raises(ValidationError, match="send it to review"):
        add_review(draft, review("Harbour"))
    with pytest.raises(ValidationError, match="can move only to"):
        set_status(draft, ReviewStatus.ENDORSED)
    retired = set_status(draft, ReviewStatus.RETIRED)
    assert set_status(retired, ReviewStatus.DRAFT).status is ReviewStatus.DRAFT
    assert review("X").date == date(2026, 3, 1) and review("X").verdict is Verdict.ENDORSE
