"""Scoring services on both stores: profiles, score and rank, scoring rounds with join codes and consent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lessonkit.errors import ConsentError, NotFoundError, SessionClosedError, ValidationError
from lessonkit.resources import data_path
from lessonkit.services.library_io import import_library_json
from lessonkit.services.scoring import (
    get_profile,
    load_profile,
    load_rubric,
    rank_library,
    save_profile,
    score_module,
)
from lessonkit.services.scoring_rounds import (
    latest_open_round,
    list_rounds,
    open_round,
    round_ratings,
    round_result,
    save_round_target,
    set_round_open,
    submit_ratings,
)
from lessonkit.store.workspace import BaseWorkspace

RUBRIC = load_rubric()
CAPITAL = data_path("profiles", "capital-under-pressure.json")
COASTAL = data_path("profiles", "coastal-city.json")


def all_ratings(value: int = 2, **override: int) -> dict[str, int]:
    return {**{c.id: value for c in RUBRIC.criteria}, **override}


@pytest.fixture
def library(demo_workspace: BaseWorkspace):  # type: ignore[no-untyped-def]
    store = demo_workspace.library()
    import_library_json(store, data_path("demo", "library.json"))
    return store


def test_example_profiles_load(tmp_path: Path) -> None:
    for path in sorted(data_path("profiles").glob("*.json")):
        assert load_profile(path, RUBRIC).ratings
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "No civic", "ratings": {"media_ecosystem": 2}}), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_profile(bad, RUBRIC)
    assert "civic_space" in str(err.value) and "critical" in str(err.value)


def test_score_and_rank_explain_themselves(library) -> None:  # type: ignore[no-untyped-def]
    capital = load_profile(CAPITAL, RUBRIC)
    result = score_module(library, "demo-banner-relay", capital, RUBRIC)
    assert result.do_not_transfer and result.gaps[0].criterion_id == "civic_space"
    assert any("fined" in c for c in result.gaps[0].cautions)
    ranking = rank_library(library, capital, RUBRIC)
    assert ranking.rows[0].slug == "demo-kitchen-forum"
    assert "demo-lobby-sit-in" not in [r.slug for r in ranking.rows]  # retired
    assert ranking.without_profile == 1  # the principle has no source profile
    endorsed = rank_library(library, load_profile(COASTAL, RUBRIC), RUBRIC, endorsed_only=True)
    assert {r.slug for r in endorsed.rows} == {"demo-banner-relay", "demo-kitchen-forum", "demo-mock-award"}
    with pytest.raises(ValidationError, match="no source profile"):
        score_module(library, "demo-listen-first", capital, RUBRIC)
    with pytest.raises(NotFoundError):
        score_module(library, "no-such-module", capital, RUBRIC)


def test_profiles_are_kept_in_the_convening(demo_workspace: BaseWorkspace) -> None:
    store = demo_workspace.store("demo")
    save_profile(store, load_profile(CAPITAL, RUBRIC))
    save_profile(store, load_profile(CAPITAL, RUBRIC))  # same name: replaced, not repeated
    assert get_profile(store, "Capital under pressure (invented)", RUBRIC).ratings["legal_risk"] == 3
    with pytest.raises(NotFoundError):
        get_profile(store, "Elsewhere", RUBRIC)


def test_a_scoring_round_from_opening_to_result(library, demo_workspace: BaseWorkspace) -> None:  # type: ignore[no-untyped-def]
    store = demo_workspace.store("demo")
    with pytest.raises(ValidationError, match="not endorsed"):
        open_round(store, library, "demo-phone-tree", "Our town", RUBRIC)
    rnd = open_round(store, library, "demo-banner-relay", "Our town", RUBRIC, target_description="Invented.")
    assert latest_open_round(store) == rnd and rnd.source["civic_space"] == 4
    assert round_result(store, rnd.id, RUBRIC).result is None

    submit_ratings(store, rnd.id, "DEMO-AAAA", all_ratings(2, civic_space=4), RUBRIC)
    submit_ratings(store, rnd.id, "demo bbbb", all_ratings(2, civic_space=1), RUBRIC)
    submit_ratings(store, rnd.id, "DEMO-CCCC", all_ratings(3, civic_space=3), RUBRIC)
    submit_ratings(store, rnd.id, "DEMO-AAAA", all_ratings(2, civic_space=3), RUBRIC)  # replaces the first
    assert len(round_ratings(store, rnd.id)) == 3

    outcome = round_result(store, rnd.id, RUBRIC)
    civic = outcome.result.criteria[0]  # type: ignore[union-attr]
    assert outcome.assessors == 3 and civic.ratings == (1.0, 3.0, 3.0) and civic.target == 3.0
    assert civic.contested and not civic.fails

    profile = save_round_target(store, rnd.id, RUBRIC, name="Our town")
    assert profile.ratings["civic_space"] == 3
    assert rank_library(library, profile, RUBRIC).rows


@pytest.mark.parametrize(
    ("code", "ratings", "error", "match"),
    [
        ("DEMO-AAAA", all_ratings(2, civic_space=5), ValidationError, "outside 0–4"),
        ("DEMO-AAAA", {"civic_space": 2}, ValidationError, "rate it"),
        ("DEMO-AAAA", all_ratings(2, legal_risk="x"), ValidationError, "not a rating"),  # type: ignore[arg-type]
        ("NOPE-NOPE", all_ratings(), NotFoundError, "not found"),
        ("", all_ratings(), ValidationError, "join code"),
        ("DEMO-DDDD", all_ratings(), ConsentError, "consent"),
    ],
)
def test_bad_ratings_save_nothing(
    library,
    demo_workspace: BaseWorkspace,
    code: str,  # type: ignore[no-untyped-def]
    ratings: dict,
    error: type,
    match: str,
) -> None:
    store = demo_workspace.store("demo")
    rnd = open_round(store, library, "demo-kitchen-forum", "Here", RUBRIC)
    with pytest.raises(error, match=match):
        submit_ratings(store, rnd.id, code, ratings, RUBRIC)
    assert round_ratings(store, rnd.id) == []


def test_a_closed_round_takes_no_ratings(library, demo_workspace: BaseWorkspace) -> None:  # type: ignore[no-untyped-def]
    store = demo_workspace.store("demo")
    rnd = open_round(store, library, "demo-kitchen-forum", "Here", RUBRIC)
    set_round_open(store, rnd.id, False)
    with pytest.raises(SessionClosedError):
        submit_ratings(store, rnd.id, "DEMO-AAAA", all_ratings(), RUBRIC)
    assert latest_open_round(store) is None and len(list_rounds(store)) == 1
    with pytest.raises(NotFoundError):
        submit_ratings(store, 99, "DEMO-AAAA", all_ratings(), RUBRIC)


def test_a_restricted_module_is_never_shown_to_participants(library, demo_workspace: BaseWorkspace) -> None:  # type: ignore[no-untyped-def]
    from lessonkit.services.library import edit_module

    edit_module(library, "demo-kitchen-forum", {"sensitivity": "restricted"})
    with pytest.raises(ConsentError, match="restricted"):
        open_round(demo_workspace.store("demo"), library, "demo-kitchen-forum", "Here", RUBRIC)


def test_withdrawn_consent_removes_ratings_from_the_result(library, demo_workspace: BaseWorkspace) -> None:  # type: ignore[no-untyped-def]
    from lessonkit.services.participants import participant_by_code, set_consent

    store = demo_workspace.store("demo")
    rnd = open_round(store, library, "demo-kitchen-forum", "Here", RUBRIC)
    submit_ratings(store, rnd.id, "DEMO-AAAA", all_ratings(1), RUBRIC)
    submit_ratings(store, rnd.id, "DEMO-BBBB", all_ratings(3), RUBRIC)
    assert round_result(store, rnd.id, RUBRIC).assessors == 2
    person = participant_by_code(store, "DEMO-BBBB")
    set_consent(store, person.id, {**person.consent.to_dict(), "record": False})  # type: ignore[arg-type]
    outcome = round_result(store, rnd.id, RUBRIC)
    assert outcome.assessors == 1 and outcome.result.criteria[0].ratings == (1.0,)  # type: ignore[union-attr]
