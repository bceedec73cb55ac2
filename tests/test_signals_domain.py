"""Signals as evidence and after-action reflections: the domain rules, without a store (milliseconds each)."""

from __future__ import annotations

from datetime import date

import pytest

from lessonkit.domain import rules
from lessonkit.domain.library import Module
from lessonkit.domain.modules import Signal as ModulesSignal
from lessonkit.domain.records import Consent, Participant
from lessonkit.domain.reflections import Reflection, as_prompt, carried_prompts, open_questions
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.domain.signals import (
    OutcomeType,
    Period,
    ResultClass,
    Signal,
    SignalReview,
    add_signal,
    factor_list,
    review_signal,
)
from lessonkit.errors import ConsentError, SchemaVersionError, ValidationError

# --- periods ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024", "2024-01-01", "2024-12-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2023-12", "2023-12-01", "2023-12-31"),
        ("2024-03-05", "2024-03-05", "2024-03-05"),
        ("2024-03/2024-06", "2024-03-01", "2024-06-30"),
        ("2023..2024-01-15", "2023-01-01", "2024-01-15"),
        ({"start": "2024-01-01", "end": "2024-01-31"}, "2024-01-01", "2024-01-31"),
    ],
)
def test_a_period_covers_every_day_its_parts_name(text: object, start: str, end: str) -> None:
    period = Period.parse(text)
    assert period is not None and (period.start.isoformat(), period.end.isoformat()) == (start, end)
    assert Period.parse(period.to_dict()) == period


@pytest.mark.parametrize("text", ["2024-06/2024-03", "March 2024", "2024-13", "2024-02-30", "24"])
def test_a_period_that_is_not_one_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as found:
        Period.parse(text, "signal.period")
    assert found.value.field == "signal.period"


def test_empty_periods_are_none_and_the_middle_is_where_a_chart_puts_it() -> None:
    assert Period.parse("") is None and Period.parse(None) is None
    assert Period.parse("2024-03")
    assert Period.parse("2024-01-01/2024-01-03").middle == date(2024, 1, 2)  # type: ignore[union-attr]


# --- signals -----------------------------------------------------------------------------------------------


def test_the_version_2_fields_keep_their_names_and_place() -> None:
    s = Signal.from_dict({"what": "Turnout", "value": "120", "unit": "people", "baseline": 80, "source": "count"})
    assert ModulesSignal is Signal  # still importable where it was
    assert list(s.to_dict())[:5] == ["what", "value", "unit", "baseline", "source"]
    assert (s.what, s.value, s.unit, s.baseline, s.source) == ("Turnout", 120.0, "people", 80.0, "count")
    assert s.outcome is OutcomeType.OTHER and s.result is None and s.change == 40 and s.relative_change == 0.5


def test_a_signal_round_trips_with_everything_evidence_needs() -> None:
    data = {
        "what": "Press mentions", "value": 14, "unit": "articles", "baseline": 2, "source": "Media log",
        "outcome": "message-recall", "period": "2025-06", "campaign": "River", "place": "North", "context": "city",
        "factors": "humour; a named polluter\nhumour", "reported_by": "Ana", "organisation": "Org A",
        "origin": "reflection",
        "reviews": [{"reviewer": "Bo", "organisation": "Org B", "date": "2025-07-01", "result": "mixed"}],
    }
    s = Signal.from_dict(data)
    assert s.factors == ("humour", "a named polluter") and s.result is ResultClass.MIXED
    assert Signal.from_dict(s.to_dict()) == s


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("outcome", "turnout", "signals.outcome"),
        ("value", "many", "signals.value"),
        ("period", "soon", "signals.period"),
        ("reviews", [{"reviewer": "Bo", "organisation": "B", "date": "2025-01-01", "result": "win"}],
         "signals.reviews[0].result"),
        ("campaign", "two\nlines", "signals.campaign"),
    ],
)
def test_a_bad_signal_field_is_named(field: str, value: object, where: str) -> None:
    with pytest.raises(ValidationError) as found:
        Signal.from_dict({"what": "x", field: value})
    assert found.value.field == where


def test_outcome_types_are_the_words_of_the_issue_in_lower_case_with_hyphens() -> None:
    assert [o.value for o in OutcomeType] == [
        "turnout-shift", "message-recall", "fundraising-efficiency", "policy-win", "participation-retained",
        "harm-avoided", "other",
    ]
    assert [r.value for r in ResultClass] == ["success", "mixed", "failure"]


def test_factors_come_from_lists_or_lines_and_are_limited() -> None:
    assert factor_list("f", ["a", " a ", "b"]) == ("a", "b")
    assert factor_list("f", "") == ()
    with pytest.raises(ValidationError, match="at most"):
        factor_list("f", [str(i) for i in range(21)])


def review(org: str, result: str = "success", who: str = "Bo") -> SignalReview:
    return SignalReview.from_dict({"reviewer": who, "organisation": org, "date": "2025-01-01", "result": result})


def test_peer_review_sets_the_result_class_and_never_the_reporters_organisation() -> None:
    signals = add_signal((), Signal(what="Turnout", organisation="Org A"))
    with pytest.raises(ValidationError) as found:
        review_signal(signals, 1, review("org a"))
    assert found.value.field == "organisation"
    signals = review_signal(signals, 1, review("Org B", "success"))
    assert signals[0].result is ResultClass.SUCCESS and not signals[0].disputed
    signals = review_signal(signals, 1, review("Org C", "failure", "Cy"))
    assert signals[0].result is ResultClass.FAILURE and signals[0].disputed
    signals = review_signal(signals, 1, review("Org C", "success", "cy"))  # the same reviewer again: replaced
    assert [r.reviewer for r in signals[0].reviews] == ["Bo", "cy"] and not signals[0].disputed


def test_reviewing_a_signal_that_is_not_there_says_how_many_there_are() -> None:
    with pytest.raises(ValidationError, match="no signal 2 on this module .it has 1."):
        review_signal((Signal(what="x"),), 2, review("B"))


def test_the_same_measurement_is_not_added_twice() -> None:
    signals = add_signal((), Signal(what="Turnout", value=3, period=Period.parse("2024")))
    assert len(add_signal(signals, Signal(what="Turnout", value=3, period=Period.parse("2023")))) == 2
    with pytest.raises(ValidationError, match="already recorded"):
        add_signal(signals, Signal(what="turnout", value=3.0, period=Period.parse("2024")))


# --- the module schema ------------------------------------------------------------------------------------------


def test_a_version_2_module_is_upgraded_to_evidence_and_version_4_is_refused() -> None:
    assert CURRENT_VERSIONS["module"] == 3 and CURRENT_VERSIONS["reflection"] == 1
    v2 = {"schema_version": 2, "slug": "a", "title": "A", "type": "tactic", "share": "network",
          "signals": [{"what": "Turnout", "value": 3, "unit": "", "baseline": None, "source": ""}]}
    up = upgrade("module", dict(v2))
    assert up["schema_version"] == 3 and up["signals"][0]["outcome"] == "other" and up["signals"][0]["reviews"] == []
    assert upgrade("module", dict(up)) == up  # idempotent
    module = Module.from_dict(v2)
    assert module.signals[0].what == "Turnout" and module.to_dict()["schema_version"] == 3
    with pytest.raises(SchemaVersionError, match="newer"):
        Module.from_dict({**v2, "schema_version": 4})


# --- reflections ------------------------------------------------------------------------------------------------


def reflection(**fields: object) -> Reflection:
    return Reflection.from_dict({"changed": "", "sensitivity": "convening", **fields})


def test_a_reflection_needs_one_answer_or_one_tactic() -> None:
    with pytest.raises(ValidationError) as found:
        reflection(changed=" ", stubborn="", questions="")
    assert found.value.field == "changed"
    assert reflection(tactics=["demo-kitchen-forum"]).tactics[0].module == "demo-kitchen-forum"
    assert reflection(questions="Why?").questions == "Why?"


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"tactics": [{"module": "x", "value": "lots", "outcome": "policy-win"}]}, "tactics[0].value"),
        ({"tactics": [{"module": "x", "went": "great"}]}, "tactics[0].went"),
        ({"tactics": [{"module": "Not A Slug"}]}, "tactics[0].module"),
        ({"tactics": ["x", "x"]}, "tactics"),
        ({"changed": "x", "author_id": True}, "author_id"),
        ({"changed": "x", "source": "fax"}, "source"),
        ({"changed": "x", "sensitivity": "secret"}, "sensitivity"),
        ({"changed": "x" * 4001}, "changed"),
    ],
)
def test_a_bad_reflection_field_is_named(fields: dict[str, object], where: str) -> None:
    with pytest.raises(ValidationError) as found:
        reflection(**fields)
    assert found.value.field == where


def test_a_reflection_round_trips() -> None:
    r = reflection(
        changed="We meet in pairs", stubborn="Landlords", questions="How?", author_id=3, language="es",
        tactics=[{"module": "forum", "went": "mixed", "how": "Forty came", "outcome": "turnout-shift", "value": "40"}],
    )
    assert Reflection.from_dict(r.to_dict()) == r
    assert r.tactics[0].measured and r.texts() == ["We meet in pairs", "Landlords", "How?", "Forty came"]


def test_open_questions_are_one_per_line_without_bullets_each_once() -> None:
    text = "- How do we fund travel?\n\n2) Who keeps the list?\n• how do we fund travel?\n  * What next ?  "
    assert open_questions(text) == ["How do we fund travel?", "Who keeps the list?", "What next ?"]
    assert len(as_prompt("x" * 900)) == 500 and as_prompt("a\nb") == "a b"
    assert carried_prompts(("Old?",), ["old?", "New?", "Newer?"], limit=1) == ("Old?", "New?")


def person(record: bool = True, share: str = "convening") -> Participant:
    consent = Consent.from_dict({"record": record, "share_up_to": share})
    return Participant(name="Ana", join_code="AAAA-BBBB", consent=consent, id=1)


def test_reflecting_obeys_consent_like_notes() -> None:
    rules.check_can_reflect(None)
    rules.check_can_reflect(person())
    with pytest.raises(ConsentError, match="not to be recorded"):
        rules.check_can_reflect(person(record=False))
    from lessonkit.domain.levels import Sensitivity

    with pytest.raises(ValidationError, match="up to 'convening' only"):
        rules.check_sensitivity(person(), Sensitivity.NETWORK)


def test_a_signal_reads_as_one_line_and_versions_that_differ_in_reviews_show_it() -> None:
    from lessonkit.domain.library_conflicts import compare_modules
    from lessonkit.domain.signals import describe_signal

    s = Signal.from_dict({"what": "Turnout", "value": 40, "unit": "people", "baseline": 12, "source": "count",
                          "outcome": "turnout-shift", "period": "2025-03", "place": "South", "factors": ["meals"]})
    line = describe_signal(s)
    assert line == ("Turnout: 40 people (baseline 12) · count · Turnout shift · 2025-03-01/2025-03-31 · South · "
                    "result: not yet reviewed")
    reviewed = review_signal((s,), 1, review("Org B", "failure"))
    assert describe_signal(reviewed[0], full=True).endswith("factors: meals · Bo (Org B): failure")
    base = {"slug": "a", "title": "A", "type": "tactic"}
    left = Module.from_dict({**base, "signals": [s.to_dict()]})
    right = Module.from_dict({**base, "signals": [reviewed[0].to_dict()]})
    assert [d.key for d in compare_modules(left, right)] == ["signals"]
