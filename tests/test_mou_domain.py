"""The memorandum's domain: versions, diffs, positions, blocks, signatures, status, rotation, due dates."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest

from lessonkit.domain.mou import Clause, ClauseKind, MouVersion, Party, clause_body, new_clause_key
from lessonkit.domain.mou_amendment import Amendment, apply_amendment
from lessonkit.domain.mou_decisions import Position, Stance, current_positions, is_stale, open_blocks
from lessonkit.domain.mou_diff import Change, Op, diff_as_text, diff_versions, word_diff
from lessonkit.domain.mou_parts import Metric, RotationSlot, parse_lines
from lessonkit.domain.mou_schedule import (
    DueState,
    add_months,
    coordinator_on,
    due_items,
    gaps,
    next_handover,
    round_robin,
)
from lessonkit.domain.mou_status import (
    MouRecord,
    MouStatus,
    Signature,
    after_edit,
    after_signature,
    check_can_sign,
    move,
)
from lessonkit.domain.mou_template import template_from_dict
from lessonkit.errors import AlreadyExistsError, ValidationError
from lessonkit.resources import data_path

A, B = "Harbour Tenants", "Green Valley"
PARTIES = (Party(A), Party(B))


def clause(key: str, text: str, **kw: object) -> Clause:
    return Clause.from_dict({"key": key, "title": key.title(), "text": text, **kw})


def version(n: int, *clauses: Clause) -> MouVersion:
    return MouVersion(n, clauses, "Facilitator", f"version {n}")


def position(party: str, key: str, stance: str, reason: str = "", n: int = 1, pid: int = 1) -> Position:
    return Position.from_dict(
        {"party": party, "clause_key": key, "stance": stance, "reason": reason, "version": n, "id": pid}
    )


V1 = version(1, clause("purpose", "We learn from each other."), clause("scope", "Visits and materials."))


# --- template and clauses ---


def test_template_is_data_with_rotation_and_consent_review() -> None:
    template = template_from_dict(json.loads(data_path("mou", "template.json").read_text(encoding="utf-8")))
    kinds = {c.kind for c in template.clauses}
    assert {
        ClauseKind.ROTATION,
        ClauseKind.CONSENT_REVIEW,
        ClauseKind.METRICS,
        ClauseKind.SIGNATURES,
    } <= kinds
    assert len(template.clauses) == 18
    assert all(c.guidance for c in template.clauses)


def test_template_without_rotation_is_refused() -> None:
    data = {"sections": [{"key": "a", "title": "A", "text": "x", "kind": "consent_review"}]}
    with pytest.raises(ValidationError, match="rotation"):
        template_from_dict(data)


def test_empty_clause_is_refused_naming_it() -> None:
    with pytest.raises(ValidationError, match="Scope.*empty"):
        clause("scope", "   ")


def test_new_clause_key_is_unique() -> None:
    assert new_clause_key("Media & photos", ["media_photos"]) == "media_photos_2"


# --- versions are immutable ---


def test_version_is_frozen_and_round_trips() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        V1.summary = "rewritten"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        V1.clauses[0].text = "rewritten"  # type: ignore[misc]
    assert isinstance(V1.clauses, tuple)
    again = MouVersion.from_dict(V1.to_dict())
    assert again.to_dict() == V1.to_dict()
    assert V1.same_content(again.clauses)


def test_amendment_builds_new_clauses_and_leaves_the_version_alone() -> None:
    amendment = Amendment("scope", "Scope", "Visits only.", "simpler", participant_id=1, base_version=1)
    clauses = apply_amendment(V1, amendment)
    assert clauses[1].text == "Visits only."
    assert V1.clauses[1].text == "Visits and materials."


def test_amendment_to_a_clause_that_no_longer_exists_is_refused() -> None:
    amendment = Amendment("gone", "Gone", "text", "reason", participant_id=1, base_version=1)
    with pytest.raises(ValidationError, match="no longer exists"):
        apply_amendment(V1, amendment)


# --- diffs ---


def test_word_diff_marks_additions_and_removals() -> None:
    segments = word_diff("We learn from each other.", "We learn a lot from each other, always.")
    ops = [(s.op, s.text) for s in segments]
    assert (Op.INSERT, "a lot") in ops
    assert (Op.DELETE, "other.") in ops and (Op.INSERT, "other, always.") in ops
    assert " ".join(s.text for s in segments if s.op is not Op.INSERT) == "We learn from each other."


def test_diff_versions_added_removed_changed_and_text() -> None:
    v2 = version(2, clause("purpose", "We learn from each other, always."), clause("exit", "Hand over."))
    diffs = {d.key: d for d in diff_versions(V1, v2)}
    assert diffs["purpose"].change is Change.CHANGED
    assert diffs["scope"].change is Change.REMOVED
    assert diffs["exit"].change is Change.ADDED
    assert [d.key for d in diff_versions(V1, v2)] == ["purpose", "scope", "exit"]
    text = diff_as_text(V1, v2)
    assert "[-other.-] {+other, always.+}" in text
    assert "{+Hand over.+}" in text and "[-Visits and materials.-]" in text


def test_diff_of_identical_versions_says_so_and_structured_parts_count() -> None:
    assert "No differences." in diff_as_text(V1, version(2, *V1.clauses))
    slot = {"party": A, "start": "2026-01-01", "end": "2026-06-30"}
    with_rotation = version(2, clause("purpose", "We learn from each other.", rotation=[slot]), V1.clauses[1])
    (changed,) = [d for d in diff_versions(V1, with_rotation) if d.change is Change.CHANGED]
    assert any(s.op is Op.INSERT and A in s.text for s in changed.segments)


# --- positions and block gating ---


def test_block_needs_a_reason_concern_does_not() -> None:
    with pytest.raises(ValidationError, match="block needs a reason"):
        position(A, "purpose", "block", "  ")
    assert position(A, "purpose", "concern").reason == ""
    with pytest.raises(ValidationError, match="not one of"):
        position(A, "purpose", "maybe")


def test_latest_position_counts_and_only_on_existing_clauses_of_parties() -> None:
    history = [
        position(A, "purpose", "block", "too vague", pid=1),
        position(A, "purpose", "agree", pid=2),
        position(B, "scope", "block", "no visits", pid=3),
        position("Stranger", "scope", "block", "x", pid=4),
        position(B, "gone", "block", "removed clause", pid=5),
    ]
    assert current_positions(history)[(A.casefold(), "purpose")].stance is Stance.AGREE
    assert [(p.party, p.clause_key) for p in open_blocks(history, V1, PARTIES)] == [(B, "scope")]


def test_position_is_stale_when_the_clause_changed_since() -> None:
    p = position(A, "purpose", "agree")
    v2 = version(2, clause("purpose", "Changed."), V1.clauses[1])
    assert is_stale(p, V1, v2) and not is_stale(p, V1, version(2, *V1.clauses))


def test_agreement_is_refused_while_a_block_is_open() -> None:
    record = MouRecord("MoU", MouStatus.PROPOSED, PARTIES)
    block = position(B, "scope", "block", "no visits")
    with pytest.raises(ValidationError, match="block.*no visits"):
        move(record, "agreed", "Fac", 1, [block])
    agreed = move(record, "agreed", "Fac", 1, [])
    assert agreed.status is MouStatus.AGREED and agreed.agreed_version == 1
    assert agreed.history[-1].old is MouStatus.PROPOSED and agreed.history[-1].by == "Fac"


def test_block_refusals_are_whole_sentences_that_count_and_name_each_block() -> None:
    """Each refusal is one message with its own plural (never "cannot {action} while {n} block(s)")."""
    record = MouRecord("MoU", MouStatus.PROPOSED, PARTIES)
    one = position(B, "scope", "block", "no visits")
    two = position(A, "purpose", "block", "too vague", pid=2)
    with pytest.raises(ValidationError) as caught:
        move(record, "agreed", "Fac", 1, [one])
    assert caught.value.message.startswith(
        "the memorandum cannot be marked agreed while 1 block is open (Green Valley on 'scope': no visits). "
    )
    with pytest.raises(ValidationError, match="agreed while 2 blocks are open .*; Harbour Tenants on 'purpose'"):
        move(record, "agreed", "Fac", 1, [one, two])
    agreed = move(record, "agreed", "Fac", 1, [])
    signature = Signature(A, "Ana", "coordinator", date(2026, 1, 1), 1)
    with pytest.raises(ValidationError, match="cannot be signed while 1 block is open"):
        check_can_sign(agreed, signature, 1, [one], [])


def test_status_refusals_name_statuses_as_people_read_them() -> None:
    with pytest.raises(ValidationError) as caught:
        move(MouRecord("MoU", parties=PARTIES), "agreed", "Fac", 1, [])
    assert caught.value.message == (
        "a memorandum that is 'Draft' cannot become 'Agreed' (possible next: Proposed for decision)."
    )


# --- status machine ---


def test_status_transitions() -> None:
    draft = MouRecord("MoU", parties=PARTIES)
    with pytest.raises(ValidationError, match="add the parties"):
        move(MouRecord("MoU"), "proposed", "Fac", 1, [])
    with pytest.raises(ValidationError, match="cannot become 'Agreed'"):
        move(draft, "agreed", "Fac", 1, [])
    proposed = move(draft, "proposed", "Fac", 1, [])
    agreed = move(proposed, "agreed", "Fac", 1, [])
    with pytest.raises(ValidationError, match="signature"):
        move(agreed, "signed", "Fac", 1, [])
    signed = dataclasses.replace(agreed, status=MouStatus.SIGNED, signed_version=1)
    review = move(signed, "under review", "Fac", 1, [])
    renewed = move(review, "renewed", "Fac", 1, [])
    ended = move(move(renewed, "under review", "Fac", 1, []), "ended", "Fac", 1, [], note="handed over")
    assert ended.status is MouStatus.ENDED and ended.history[-1].note == "handed over"
    with pytest.raises(ValidationError, match="ended"):
        after_edit(ended, "Fac", 2)


def test_editing_a_signed_memorandum_starts_a_new_draft_and_keeps_what_was_signed() -> None:
    signed = MouRecord("MoU", MouStatus.SIGNED, PARTIES, agreed_version=1, signed_version=1)
    draft = after_edit(signed, "Fac", 2)
    assert draft.status is MouStatus.DRAFT and draft.signed_version == 1 and draft.agreed_version == 1
    assert after_edit(draft, "Fac", 3) is draft


# --- signatures ---


def sig(party: str, n: int = 1) -> Signature:
    return Signature.from_dict(
        {"party": party, "signatory": "Ana", "role": "Coordinator", "signed_on": "2026-03-12", "version": n}
    )


def test_signature_is_bound_to_the_latest_agreed_version() -> None:
    agreed = MouRecord("MoU", MouStatus.AGREED, PARTIES, agreed_version=2)
    with pytest.raises(ValidationError, match="latest agreed version"):
        check_can_sign(agreed, sig(A, 1), 2, [], [])
    with pytest.raises(ValidationError, match="not a party"):
        check_can_sign(agreed, sig("Stranger", 2), 2, [], [])
    with pytest.raises(ValidationError, match="block"):
        check_can_sign(agreed, sig(A, 2), 2, [position(B, "scope", "block", "no", 2)], [])
    with pytest.raises(AlreadyExistsError):
        check_can_sign(agreed, sig(A, 2), 2, [], [sig(A, 2)])
    draft_again = dataclasses.replace(agreed, status=MouStatus.DRAFT)
    with pytest.raises(ValidationError, match="latest agreed version"):
        check_can_sign(draft_again, sig(A, 3), 3, [], [])
    assert check_can_sign(agreed, sig(A, 2), 2, [], []).name == A


def test_memorandum_is_signed_when_every_party_signed_that_version() -> None:
    agreed = MouRecord("MoU", MouStatus.AGREED, PARTIES, agreed_version=2)
    assert after_signature(agreed, [sig(A, 2), sig(B, 1)], 2, "Fac") is agreed
    signed = after_signature(agreed, [sig(A, 2), sig(B, 2)], 2, "Fac")
    assert signed.status is MouStatus.SIGNED and signed.signed_version == 2


def test_signature_needs_name_role_and_date() -> None:
    with pytest.raises(ValidationError, match="role"):
        Signature.from_dict({"party": A, "signatory": "Ana", "role": "", "signed_on": "2026-03-12", "version": 1})
    with pytest.raises(ValidationError, match="date"):
        Signature.from_dict({"party": A, "signatory": "Ana", "role": "x", "signed_on": "12/03", "version": 1})


# --- rotation schedule ---


def test_round_robin_schedule_takes_turns_without_overlap() -> None:
    slots = round_robin([A, B], date(2026, 1, 31), months=3, periods=3)
    assert [s.party for s in slots] == [A, B, A]
    assert slots[0].end == date(2026, 4, 29) and slots[1].start == date(2026, 4, 30)
    assert gaps(slots) == []
    assert coordinator_on(slots, date(2026, 5, 1)).party == B  # type: ignore[union-attr]
    assert next_handover(slots, date(2026, 5, 1)).party == A  # type: ignore[union-attr]
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_overlapping_periods_are_refused_and_lines_parse() -> None:
    text = "2026-01-01 | 2026-06-30 | Harbour Tenants\n\n2026-06-01 | 2026-12-31 | Green Valley"
    slots = parse_lines(RotationSlot, "rotation", text)
    with pytest.raises(ValidationError, match="overlap"):
        clause("rotating", "Rotates.", kind="rotation", rotation=[s.to_dict() for s in slots])
    with pytest.raises(ValidationError, match="line 2: .*3 parts"):
        parse_lines(RotationSlot, "rotation", "2026-01-01 | 2026-06-30 | A\n2026-07-01 | B")
    assert RotationSlot.from_line(slots[0].to_line()) == slots[0]


def test_gap_in_the_schedule_is_found() -> None:
    slots = (
        RotationSlot(A, date(2026, 1, 1), date(2026, 3, 31)),
        RotationSlot(B, date(2026, 5, 1), date(2026, 8, 31)),
    )
    assert gaps(slots) == [(date(2026, 4, 1), date(2026, 4, 30))]


# --- review, consent re-evaluation and reports: due and overdue ---


def due_version() -> MouVersion:
    return version(
        1,
        clause(
            "rotation",
            "Rotates.",
            kind="rotation",
            rotation=[
                {"party": A, "start": "2026-01-01", "end": "2026-03-31"},
                {"party": B, "start": "2026-04-10", "end": "2026-09-30"},
            ],
        ),
        clause(
            "consent",
            "Re-evaluated.",
            kind="consent_review",
            consent_reviews=[{"party": A, "on": "2026-03-01"}, {"party": B, "on": "2026-12-01"}],
        ),
        clause(
            "evaluation",
            "Metrics.",
            kind="metrics",
            metrics=[Metric("Visits", "0", "3", "notes", B, date(2026, 4, 20)).to_dict()],
        ),
        clause("duration", "Reviewed.", kind="review", review_date="2026-04-15"),
    )


def test_due_and_overdue_items() -> None:
    items = due_items(due_version(), MouStatus.SIGNED, today=date(2026, 4, 5), soon_days=30)
    summary = [(i.kind, i.state, i.party) for i in items]
    assert ("consent", DueState.OVERDUE, A) in summary
    assert ("review", DueState.DUE, "") in summary
    assert ("report", DueState.DUE, B) in summary
    assert ("handover", DueState.DUE, B) in summary
    assert ("rotation", DueState.OVERDUE, "") in summary  # nobody coordinates between 1 and 9 April
    assert ("consent", DueState.DUE, B) not in summary  # December is not due yet
    assert items[0].state is DueState.OVERDUE


def test_nothing_is_due_once_ended_and_review_not_while_under_review() -> None:
    assert due_items(due_version(), MouStatus.ENDED, today=date(2026, 4, 5)) == []
    kinds = {i.kind for i in due_items(due_version(), MouStatus.UNDER_REVIEW, today=date(2026, 4, 5))}
    assert "review" not in kinds


def test_metrics_and_clause_body_are_structured() -> None:
    (metric,) = parse_lines(Metric, "metrics", "Visits | 0 | 3 | notes | Green Valley | 2026-12-01")
    assert metric.when == date(2026, 12, 1) and Metric.from_line(metric.to_line()) == metric
    with pytest.raises(ValidationError, match="metrics.when"):
        Metric.from_line("Visits | 0 | 3 | notes | Green Valley | soon")
    body = clause_body(due_version().clauses[2])
    assert "Visits" in body and "Green Valley" in body
