"""Domain rules: validation, consent, sensitivity, schema versions, join codes, the board summary."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from lessonkit.domain import board, privacy, rules
from lessonkit.domain.joincode import ALPHABET, new_join_code, normalize_join_code
from lessonkit.domain.levels import Category, Moderation, Sensitivity
from lessonkit.domain.records import Consent, Convening, Note, Participant, Session
from lessonkit.domain.schema import CURRENT_VERSIONS, UPGRADES, upgrade
from lessonkit.errors import ConsentError, SchemaVersionError, SessionClosedError, ValidationError


def person(share: str = "convening", record: bool = True) -> Participant:
    return Participant(
        name="Sol", join_code="ABCD-EFGH", consent=Consent(record=record, share_up_to=Sensitivity(share)), id=1
    )


def test_sensitivity_order() -> None:
    assert [s.rank for s in Sensitivity] == [0, 1, 2, 3]
    assert Sensitivity.RESTRICTED.at_least_as_private_as(Sensitivity.PUBLIC)
    assert not Sensitivity.PUBLIC.at_least_as_private_as(Sensitivity.NETWORK)


def test_consent_allows_only_levels_at_most_as_wide_as_agreed() -> None:
    assert person("network").consent.allowed_levels() == [
        Sensitivity.NETWORK,
        Sensitivity.CONVENING,
        Sensitivity.RESTRICTED,
    ]
    assert person("public", record=False).consent.allowed_levels() == []
    rules.check_sensitivity(person("network"), Sensitivity.CONVENING)
    with pytest.raises(ValidationError, match="sensitivity.*network"):
        rules.check_sensitivity(person("network"), Sensitivity.PUBLIC)
    assert privacy.effective_sensitivity(Sensitivity.PUBLIC, person("convening")) is Sensitivity.CONVENING


def test_who_may_contribute() -> None:
    open_anon = Session(title="S", is_open=True, allow_anonymous=True)
    rules.check_can_contribute(open_anon, None)
    rules.check_can_contribute(open_anon, person())
    with pytest.raises(SessionClosedError, match="anonymous"):
        rules.check_can_contribute(Session(title="S"), None)
    with pytest.raises(SessionClosedError, match="closed"):
        rules.check_can_contribute(Session(title="S", is_open=False), person())
    with pytest.raises(ConsentError, match="not to be recorded"):
        rules.check_can_contribute(open_anon, person(record=False))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"slug": "Bad Slug", "title": "T"}, "slug"),
        ({"slug": "ok", "title": "  "}, "title"),
        ({"slug": "ok", "title": "T", "start": "2026-13-01"}, "start"),
        ({"slug": "ok", "title": "T", "start": "2026-05-02", "end": "2026-05-01"}, "end"),
    ],
)
def test_convening_validation_names_the_field(data: dict, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        Convening.from_dict(data)
    assert err.value.field == field


def test_note_validation() -> None:
    base = {"session_id": 1, "category": "need", "text": "Water", "sensitivity": "public"}
    note = Note.from_dict({**base, "tags": "Water, #housing, water"})
    assert note.tags == ("water", "housing") and note.category is Category.NEED
    assert Note.from_dict(note.to_dict()) == note
    for field, value in [
        ("category", "gossip"),
        ("text", ""),
        ("sensitivity", "secret"),
        ("text", "x" * 5000),
        ("tags", ",".join(f"t{i}" for i in range(20))),
    ]:
        with pytest.raises(ValidationError) as err:
            Note.from_dict({**base, field: value})
        assert err.value.field == field


def test_records_round_trip_with_schema_version() -> None:
    p = Participant(name="Kiri", join_code="ABCD-EFGH", organization="Youth", consent=Consent(review_date=None))
    doc = p.to_dict()
    assert doc["schema_version"] == CURRENT_VERSIONS["participant"]
    assert Participant.from_dict(doc) == p
    s = Session(title="Listening", prompts=("a", "b"), allow_anonymous=True)
    assert Session.from_dict(s.to_dict()) == s


def test_schema_upgrade_chain_and_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    assert upgrade("convening", {"title": "old"})["schema_version"] == 1  # unversioned records are version 0
    monkeypatch.setitem(CURRENT_VERSIONS, "convening", 2)
    bump = {**UPGRADES["convening"], 1: lambda d: {**d, "schema_version": 2, "x": 1}}
    monkeypatch.setitem(UPGRADES, "convening", bump)
    assert upgrade("convening", {"schema_version": 0}) == {"schema_version": 2, "x": 1}
    with pytest.raises(SchemaVersionError, match="newer"):
        upgrade("convening", {"schema_version": 3})


def test_join_codes() -> None:
    codes = {new_join_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 9 and c[4] == "-" and set(c.replace("-", "")) <= set(ALPHABET) for c in codes)
    assert normalize_join_code(" abcd efgh ") == "ABCD-EFGH"
    taken = {new_join_code()}
    assert new_join_code(taken) not in taken


def test_board_groups_counts_and_merges() -> None:
    t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)

    def note(i: int, cat: str, tags: tuple[str, ...] = (), mod: str = "visible", into: int | None = None) -> Note:
        return Note(
            session_id=1,
            category=Category(cat),
            text=f"n{i}",
            sensitivity=Sensitivity.PUBLIC,
            tags=tags,
            created=t0 + timedelta(minutes=i),
            moderation=Moderation(mod),
            merged_into=into,
            id=i,
        )

    summary = board.summarize(
        [
            note(1, "need", ("water",)),
            note(2, "need", ("water", "land")),
            note(3, "risk"),
            note(4, "need", ("water",), "merged", 1),
            note(5, "question", mod="hidden"),
        ]
    )
    groups = {g.category: g for g in summary.groups}
    assert [n.id for n in groups[Category.NEED].notes] == [2, 1]  # newest first
    assert groups[Category.NEED].merged_counts == {1: 1}
    assert groups[Category.QUESTION].count == 0
    assert summary.tags == [("water", 2), ("land", 1)]
    assert (summary.total, summary.hidden) == (3, 1)
