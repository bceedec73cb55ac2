"""Transferability scoring as pure functions: comparison modes, weights, critical gating, spread."""

from __future__ import annotations

import copy
import json

import pytest

from lessonkit.domain.rubric import Comparison, ContextProfile, Rubric, check_rating, check_ratings
from lessonkit.domain.scoring import Candidate, gap_of, match, median, rank, score
from lessonkit.errors import ValidationError
from lessonkit.resources import data_path

LEVELS = ["none", "little", "some", "much", "all"]


def crit(
    cid: str, comparison: str = "similar", weight: float = 1, critical: bool = False, **extra: object
) -> dict:
    return {
        "id": cid,
        "name": cid.title(),
        "description": f"about {cid}",
        "levels": LEVELS,
        "weight": weight,
        "critical": critical,
        "comparison": comparison,
        **extra,
    }


def rubric(*criteria: dict, critical_gap: int = 2) -> Rubric:
    return Rubric.from_dict(
        {"id": "test", "title": "Test", "critical_gap": critical_gap, "criteria": list(criteria)}
    )


@pytest.mark.parametrize(
    ("mode", "source", "target", "gap"),
    [
        ("similar", 3, 1, 2),
        ("similar", 1, 3, 2),
        ("similar", 2, 2, 0),
        ("target_at_least", 3, 1, 2),
        ("target_at_least", 1, 3, 0),
        ("target_at_most", 3, 1, 0),
        ("target_at_most", 1, 3, 2),
    ],
)
def test_each_comparison_mode_counts_only_its_unfavourable_direction(
    mode: str, source: int, target: int, gap: int
) -> None:
    assert gap_of(Comparison(mode), source, target) == gap
    assert match(Comparison(mode), source, target) == 1 - gap / 4


def test_overall_is_the_weighted_mean_of_criterion_scores() -> None:
    r = rubric(crit("a", weight=3), crit("b", weight=1))
    result = score(r, {"a": 4, "b": 4}, [{"a": 4, "b": 0}])
    # a matches fully (1.0 × 3), b not at all (0.0 × 1): 75 out of 100
    assert result.overall == 75.0
    heavier_b = score(rubric(crit("a", weight=1), crit("b", weight=3)), {"a": 4, "b": 4}, [{"a": 4, "b": 0}])
    assert heavier_b.overall == 25.0


def test_a_failing_critical_criterion_flags_do_not_transfer_as_is() -> None:
    r = rubric(crit("civic", "target_at_least", critical=True), crit("media"))
    ok = score(r, {"civic": 3, "media": 2}, [{"civic": 2, "media": 2}])  # one level short: allowed
    assert not ok.do_not_transfer
    bad = score(r, {"civic": 3, "media": 2}, [{"civic": 1, "media": 2}])  # two levels short
    assert bad.do_not_transfer
    assert [c.id for c in bad.failing] == ["civic"]
    assert bad.verdict == "do not transfer as is"
    assert bad.gaps[0].fails and bad.gaps[0].criterion_id == "civic"
    # the same gap on a criterion that is not critical lowers the score but does not gate
    soft = score(
        rubric(crit("civic", "target_at_least"), crit("media")),
        {"civic": 3, "media": 2},
        [{"civic": 1, "media": 2}],
    )
    assert not soft.do_not_transfer and soft.overall == bad.overall


def test_critical_gap_threshold_comes_from_the_rubric() -> None:
    strict = rubric(crit("legal", "target_at_most", critical=True), critical_gap=1)
    assert score(strict, {"legal": 1}, [{"legal": 2}]).do_not_transfer


def test_spread_between_assessors_is_shown_not_averaged_away() -> None:
    r = rubric(crit("civic", "target_at_least", critical=True), crit("media"))
    result = score(
        r,
        {"civic": 3, "media": 2},
        [{"civic": 3, "media": 0}, {"civic": 1, "media": 4}, {"civic": 3, "media": 2}],
    )
    civic = result.criteria[0]
    assert civic.ratings == (3.0, 1.0, 3.0)
    assert civic.target == 3.0 and civic.spread == 2.0
    assert civic.score == 1.0 and civic.score_low == 0.5 and civic.score_high == 1.0
    assert not civic.fails and civic.contested  # one assessor's rating would fail it
    assert result.overall_low < result.overall <= result.overall_high
    assert result.assessors == 3
    assert "disagree" in result.verdict


def test_median_of_an_even_number_of_ratings() -> None:
    assert median([0, 4]) == 2.0
    assert median([1, 2, 4, 4]) == 3.0


def test_explanation_names_strongest_matches_and_gaps_with_cautions_and_prompt() -> None:
    r = rubric(
        crit(
            "civic",
            "target_at_least",
            weight=3,
            critical=True,
            context_note="political",
            adaptation_prompt="Which quieter form would work?",
        ),
        crit("media"),
        crit("skills", "target_at_least"),
    )
    result = score(
        r,
        {"civic": 4, "media": 2, "skills": 2},
        [{"civic": 1, "media": 2, "skills": 4}],
        cautions="Police removed the banners.\n\nSecond paragraph.",
        context={"political": "Protest tolerated."},
    )
    assert {c.id for c in result.strongest} == {"media", "skills"}
    gap = result.gaps[0]
    assert gap.criterion_id == "civic" and gap.prompt == "Which quieter form would work?"
    assert "3 levels below" in gap.what
    assert any("Protest tolerated." in c for c in gap.cautions)
    assert any("Police removed the banners." in c and "Second" not in c for c in gap.cautions)


def test_criteria_missing_on_one_side_are_left_out_and_listed() -> None:
    r = rubric(crit("a"), crit("b"))
    result = score(r, {"a": 2}, [{"a": 2, "b": 1}])
    assert result.missing == ("b",) and result.overall == 100.0


def test_no_assessment_is_a_clear_error() -> None:
    with pytest.raises(ValidationError, match="nobody has rated"):
        score(rubric(crit("a")), {"a": 1}, [])


def test_rank_puts_transferable_modules_first_then_by_score() -> None:
    r = rubric(crit("civic", "target_at_least", critical=True), crit("media"))
    target = {"civic": 1, "media": 2}
    cands = [
        Candidate("loud", "Loud", {"civic": 4, "media": 2}),
        Candidate("quiet", "Quiet", {"civic": 1, "media": 0}),
        Candidate("same", "Same", {"civic": 1, "media": 2}),
    ]
    rows = rank(r, cands, target)
    assert [x.slug for x in rows] == ["same", "quiet", "loud"]
    assert rows[-1].result.do_not_transfer


@pytest.mark.parametrize("weight", [0, -1, "2", None, True, float("nan")])
def test_rubric_weights_must_be_positive_numbers(weight: object) -> None:
    with pytest.raises(ValidationError) as err:
        rubric(crit("a", weight=weight))  # type: ignore[arg-type]
    assert err.value.field == "criteria[0].weight"
    assert "positive number" in err.value.message


def test_rubric_needs_five_levels_known_comparison_and_unique_ids() -> None:
    with pytest.raises(ValidationError, match="five levels"):
        rubric({**crit("a"), "levels": ["x"] * 4})
    with pytest.raises(ValidationError, match="similar"):
        rubric(crit("a", comparison="bigger"))
    with pytest.raises(ValidationError, match="twice"):
        rubric(crit("a"), crit("a"))


@pytest.mark.parametrize("value", [-1, 5, 4.5, "high", None, True])
def test_ratings_outside_0_to_4_are_refused(value: object) -> None:
    with pytest.raises(ValidationError, match="0 to 4|0–4"):
        check_rating("ratings.civic", value)


def test_participant_ratings_must_be_whole() -> None:
    with pytest.raises(ValidationError, match="whole"):
        check_rating("ratings.civic", 2.5, whole=True)
    assert check_rating("x", "3", whole=True) == 3


def test_profile_missing_a_critical_criterion_is_refused_naming_it() -> None:
    r = rubric(crit("civic", critical=True), crit("media"))
    with pytest.raises(ValidationError) as err:
        ContextProfile.from_dict({"name": "Here", "ratings": {"media": 2}}, r)
    assert err.value.field == "ratings.civic" and "critical" in err.value.message
    assert ContextProfile.from_dict({"name": "Here", "ratings": {"civic": 1}}, r).ratings == {"civic": 1}
    with pytest.raises(ValidationError, match="not a criterion"):
        check_ratings(r, {"civic": 1, "weather": 2})


def test_default_rubric_is_grounded_and_valid() -> None:
    data = json.loads(data_path("rubrics", "default.json").read_text(encoding="utf-8"))
    r = Rubric.from_dict(data)
    ids = {c.id for c in r.criteria}
    assert {
        "civic_space",
        "legal_risk",
        "media_ecosystem",
        "coalition_strength",
        "resources",
        "organiser_skills",
        "public_acceptability",
        "digital_surveillance",
        "target_audience",
    } == ids
    assert {c.comparison for c in r.criteria} == set(Comparison)
    assert set(r.critical_ids) >= {"civic_space", "legal_risk"}
    citations = " ".join(r.sources)
    assert "Wang" in citations and "Schloemer" in citations
    assert all(c.grounding and c.adaptation_prompt for c in r.criteria)
    broken = copy.deepcopy(data)
    broken["criteria"][0]["weight"] = 0
    with pytest.raises(ValidationError, match="positive"):
        Rubric.from_dict(broken)
