"""Memorandum use cases against both stores: each refused change leaves everything as it was."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from lessonkit.domain.mou import Clause
from lessonkit.domain.mou_amendment import AmendmentStatus
from lessonkit.domain.mou_status import MouStatus
from lessonkit.errors import AlreadyExistsError, ConsentError, NotFoundError, ValidationError
from lessonkit.resources import data_path
from lessonkit.services import add_participant, create_convening, load_demo
from lessonkit.services.mou import add_party, create_mou, get_mou, has_mou, remove_party, save_version
from lessonkit.services.mou_amendments import (
    accept_amendment,
    amendments_for_code,
    decline_amendment,
    propose_amendment,
)
from lessonkit.services.mou_decisions import due, record_position, set_status, sign
from lessonkit.services.participants import set_consent
from lessonkit.store.base import Store
from lessonkit.store.workspace import BaseWorkspace

HARBOUR, VALLEY = "Harbour Circle", "Valley Forum"


@pytest.fixture
def store(workspace: BaseWorkspace) -> Store:
    create_convening(workspace, "mou-test", "MoU test")
    store = workspace.store("mou-test")
    add_participant(store, "Ana", HARBOUR)
    add_participant(store, "Ben", VALLEY)
    add_participant(store, "Quiet", "Hidden Group", consent={"record": False})
    return store


@pytest.fixture
def mou(store: Store) -> Store:
    create_mou(store, "Facilitator", parties=[HARBOUR, VALLEY])
    return store


def code_of(store: Store, name: str) -> str:
    return next(d["join_code"] for d in store.all("participants") if d["name"] == name)


def edited(store: Store, key: str, text: str) -> list[Clause]:
    return [replace(c, text=text) if c.key == key else c for c in get_mou(store).latest.clauses]


def agree_and_sign_all(store: Store) -> None:
    set_status(store, "proposed", "Fac")
    set_status(store, "agreed", "Fac")
    n = get_mou(store).latest.number
    sign(store, HARBOUR, "Ana", "Coordinator", "2026-03-12", n)
    sign(store, VALLEY, "Ben", "Member", "2026-03-12", n)


# --- create, parties ---


def test_create_from_template(mou: Store) -> None:
    state = get_mou(mou)
    assert state.record.status is MouStatus.DRAFT
    assert [v.number for v in state.versions] == [1]
    assert [p.name for p in state.record.parties] == [HARBOUR, VALLEY]
    assert state.record.parties[0].participant_ids  # linked to the registered participant
    with pytest.raises(AlreadyExistsError):
        create_mou(mou, "Facilitator")


def test_unknown_party_is_refused_and_nothing_is_created(store: Store) -> None:
    with pytest.raises(ValidationError, match="'Nobody Org' is not a group of this convening"):
        create_mou(store, "Facilitator", parties=[HARBOUR, "Nobody Org"])
    with pytest.raises(ValidationError, match="not a group"):  # consent says: do not record
        create_mou(store, "Facilitator", parties=["Hidden Group"])
    assert not has_mou(store)
    with pytest.raises(NotFoundError, match="no memorandum yet"):
        get_mou(store)


def test_add_and_remove_party_are_logged(store: Store) -> None:
    create_mou(store, "Facilitator", parties=[HARBOUR])
    record = add_party(store, "valley forum", "Fac")
    assert [p.name for p in record.parties] == [HARBOUR, VALLEY]
    with pytest.raises(AlreadyExistsError):
        add_party(store, VALLEY, "Fac")
    record = remove_party(store, HARBOUR, "Fac")
    assert [p.name for p in record.parties] == [VALLEY]
    assert [h.shown_note for h in record.history] == [f"party added: {VALLEY}", f"party removed: {HARBOUR}"]


def test_history_steps_are_stored_as_codes_and_said_in_the_readers_language(store: Store) -> None:
    """What lessonkit writes in the history itself is data (an event and its values), never a translated sentence:
    a step taken by someone working in Spanish reads in English here, and in Spanish there."""
    from lessonkit.i18n import using_language

    create_mou(store, "Facilitator", parties=[HARBOUR])
    with using_language("es"):
        add_party(store, "valley forum", "Fac")
    stored = get_mou(store).record.to_dict()["history"][-1]
    assert (stored["note"], stored["event"], stored["values"]) == ("", "party added", {"name": VALLEY})
    step = get_mou(store).record.history[-1]
    assert step.shown_note == f"party added: {VALLEY}"
    with using_language("es"):
        assert VALLEY in step.shown_note
    assert type(step).from_dict(stored) == step


# --- versions ---


def test_save_makes_immutable_versions(mou: Store) -> None:
    v2 = save_version(mou, edited(mou, "purpose", "To learn together."), "Fac", "Purpose shortened", based_on=1)
    assert v2.number == 2 and v2.author == "Fac" and v2.summary == "Purpose shortened"
    state = get_mou(mou)
    assert state.version(1).clause("purpose").text != "To learn together."  # type: ignore[union-attr]
    assert state.version(2).clause("purpose").text == "To learn together."  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("key", "text", "summary", "based_on", "match"),
    [
        ("purpose", "  ", "x", 1, "empty"),
        ("purpose", "Same.", "", 1, "summary"),
        ("scope", None, "nothing", 1, "nothing changed"),
        ("purpose", "New.", "stale", 0, "after you opened version 0"),
    ],
)
def test_bad_saves_change_nothing(
    mou: Store, key: str, text: str | None, summary: str, based_on: int, match: str
) -> None:
    clauses = [c.to_dict() for c in get_mou(mou).latest.clauses]
    if text is not None:
        next(c for c in clauses if c["key"] == key)["text"] = text
    with pytest.raises(ValidationError, match=match):
        save_version(mou, clauses, "Fac", summary, based_on=based_on)
    assert [v.number for v in get_mou(mou).versions] == [1]


def test_rotation_must_name_parties(mou: Store) -> None:
    clauses = [c.to_dict() for c in get_mou(mou).latest.clauses]
    rotation = next(c for c in clauses if c["kind"] == "rotation")
    rotation["rotation"] = [{"party": "Stranger", "start": "2026-01-01", "end": "2026-06-30"}]
    with pytest.raises(ValidationError, match="'Stranger' is not a party"):
        save_version(mou, clauses, "Fac", "rotation")
    rotation["rotation"] = [{"party": HARBOUR, "start": "2026-01-01", "end": "2026-06-30"}]
    assert save_version(mou, clauses, "Fac", "rotation").number == 2


# --- positions, status, signatures ---


@pytest.mark.parametrize(
    ("party", "clause", "stance", "reason", "match"),
    [
        ("Stranger", "purpose", "agree", "", "not a party"),
        (HARBOUR, "nope", "agree", "", "no clause 'nope'"),
        (HARBOUR, "purpose", "block", "", "block needs a reason"),
    ],
)
def test_bad_positions_are_refused(mou: Store, party: str, clause: str, stance: str, reason: str, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        record_position(mou, party, clause, stance, reason)
    assert get_mou(mou).positions == ()


def test_block_stops_agreement_and_signing_until_lifted(mou: Store) -> None:
    set_status(mou, "proposed", "Fac")
    record_position(mou, VALLEY, "resources", "block", "No travel fund.")
    record_position(mou, HARBOUR, "data_sharing", "concern", "Photos.")
    with pytest.raises(ValidationError, match="No travel fund"):
        set_status(mou, "agreed", "Fac")
    assert get_mou(mou).record.status is MouStatus.PROPOSED
    record_position(mou, VALLEY, "resources", "agree")
    set_status(mou, "agreed", "Fac")
    record_position(mou, VALLEY, "scope", "block", "Changed our mind.")
    with pytest.raises(ValidationError, match="block"):
        sign(mou, HARBOUR, "Ana", "Coordinator", "2026-03-12", 1)
    state = get_mou(mou)
    assert state.signatures == () and [p.reason for p in state.concerns()] == ["Photos."]
    assert len(state.positions) == 4  # history kept: nothing overwritten


def test_signatures_bound_to_version_and_editing_starts_a_draft(mou: Store) -> None:
    save_version(mou, edited(mou, "purpose", "To learn together."), "Fac", "v2")
    set_status(mou, "proposed", "Fac")
    set_status(mou, "agreed", "Fac")
    with pytest.raises(ValidationError, match="latest agreed version"):
        sign(mou, HARBOUR, "Ana", "Coordinator", "2026-03-12", 1)
    with pytest.raises(ValidationError, match="not a party"):
        sign(mou, "Stranger", "Ana", "Coordinator", "2026-03-12", 2)
    sign(mou, HARBOUR, "Ana", "Coordinator", "2026-03-12", 2)
    with pytest.raises(AlreadyExistsError):
        sign(mou, HARBOUR, "Ana", "Coordinator", "2026-03-12", 2)
    assert get_mou(mou).record.status is MouStatus.AGREED
    sign(mou, VALLEY, "Ben", "Member", "2026-03-13", 2)
    state = get_mou(mou)
    assert state.record.status is MouStatus.SIGNED and state.record.signed_version == 2
    signed_text = state.version(2).to_dict()

    v3 = save_version(mou, edited(mou, "scope", "Only visits."), "Fac", "after signing")
    state = get_mou(mou)
    assert v3.number == 3 and state.record.status is MouStatus.DRAFT and state.record.signed_version == 2
    assert state.version(2).to_dict() == signed_text
    assert {s.version for s in state.signatures} == {2}
    with pytest.raises(ValidationError, match="latest agreed version"):
        sign(mou, HARBOUR, "Ana", "Coordinator", "2026-03-12", 3)


def test_review_renew_and_end(mou: Store) -> None:
    agree_and_sign_all(mou)
    set_status(mou, "under review", "Fac")
    set_status(mou, "renewed", "Fac", note="another year")
    set_status(mou, "ended", "Fac", note="handed over to local groups")
    with pytest.raises(ValidationError, match="ended"):
        save_version(mou, edited(mou, "scope", "More."), "Fac", "too late")
    with pytest.raises(ValidationError, match="cannot become"):
        set_status(mou, "draft", "Fac")
    assert due(mou, today=date(2030, 1, 1)) == []


# --- amendments ---


def test_participant_proposes_and_facilitator_accepts(mou: Store) -> None:
    code = code_of(mou, "Ben")
    proposal = propose_amendment(mou, code.lower(), "resources", "A shared travel fund pays visits.", "Fairer.")
    assert proposal.party == VALLEY and proposal.status is AmendmentStatus.PENDING and proposal.base_version == 1
    accepted = accept_amendment(mou, proposal.id, "Fac", "Thank you")  # type: ignore[arg-type]
    state = get_mou(mou)
    assert accepted.status is AmendmentStatus.ACCEPTED and accepted.result_version == 2
    assert state.latest.clause("resources").text == "A shared travel fund pays visits."  # type: ignore[union-attr]
    assert state.latest.amendment_id == proposal.id and state.latest.author == "Fac"
    with pytest.raises(ValidationError, match="already accepted"):
        decline_amendment(mou, proposal.id, "Fac", "no")  # type: ignore[arg-type]
    assert [a.status for a in amendments_for_code(mou, code)] == [AmendmentStatus.ACCEPTED]


def test_words_of_someone_who_withdrew_consent_are_not_accepted(mou: Store) -> None:
    proposal = propose_amendment(mou, code_of(mou, "Ana"), "scope", "Everything.", "Why not.")
    ana = next(d["id"] for d in mou.all("participants") if d["name"] == "Ana")
    set_consent(mou, ana, {"record": False})
    with pytest.raises(ConsentError, match="withdrawn consent"):
        accept_amendment(mou, proposal.id, "Fac")  # type: ignore[arg-type]
    assert get_mou(mou).latest.number == 1
    assert decline_amendment(mou, proposal.id, "Fac", "Consent withdrawn.").status is AmendmentStatus.DECLINED  # type: ignore[arg-type]


def test_decline_needs_a_note(mou: Store) -> None:
    proposal = propose_amendment(mou, code_of(mou, "Ana"), "scope", "Everything.", "Why not.")
    with pytest.raises(ValidationError, match="note"):
        decline_amendment(mou, proposal.id, "Fac", "")  # type: ignore[arg-type]
    declined = decline_amendment(mou, proposal.id, "Fac", "Too wide for now.")  # type: ignore[arg-type]
    assert declined.status is AmendmentStatus.DECLINED and declined.note == "Too wide for now."
    assert [v.number for v in get_mou(mou).versions] == [1]


@pytest.mark.parametrize(
    ("who", "clause", "text", "reason", "error", "match"),
    [
        ("Quiet", "scope", "New.", "r", ConsentError, "not to be recorded"),
        (None, "scope", "New.", "r", NotFoundError, "not found"),
        ("Ana", "gone", "New.", "r", ValidationError, "no longer exists"),
        ("Ana", "scope", "  ", "r", ValidationError, "proposed text"),
        ("Ana", "scope", "New.", "", ValidationError, "reason"),
    ],
)
def test_bad_proposals_change_nothing(
    mou: Store, who: str | None, clause: str, text: str, reason: str, error: type[Exception], match: str
) -> None:
    code = code_of(mou, who) if who else "ZZZZ-ZZZZ"
    with pytest.raises(error, match=match):
        propose_amendment(mou, code, clause, text, reason)
    assert get_mou(mou).amendments == ()


def test_accepting_a_proposal_for_a_removed_clause_is_refused(mou: Store) -> None:
    proposal = propose_amendment(mou, code_of(mou, "Ana"), "disputes", "Talk first.", "Clearer.")
    clauses = [c for c in get_mou(mou).latest.clauses if c.key != "disputes"]
    save_version(mou, clauses, "Fac", "Dispute clause merged into decisions")
    with pytest.raises(ValidationError, match="no longer exists"):
        accept_amendment(mou, proposal.id, "Fac")  # type: ignore[arg-type]
    state = get_mou(mou)
    assert state.pending()[0].id == proposal.id and state.latest.number == 2


# --- the demo convening ---


def test_demo_has_a_starting_memorandum(demo_store: Store) -> None:
    state = get_mou(demo_store)
    assert state.record.status is MouStatus.PROPOSED and state.latest.number == 3
    assert [b.party for b in state.blocks()] == ["Green Valley Youth Forum (invented)"]
    assert len(state.pending()) == 1 and state.pending()[0].clause_key == "resources"
    kinds = {i.kind for i in due(demo_store, today=date(2026, 11, 21))}
    assert {"consent", "review", "report"} <= kinds


def test_bad_demo_memorandum_leaves_the_workspace_untouched(workspace: BaseWorkspace, tmp_path: Path) -> None:
    seed = json.loads(data_path("demo", "convening.json").read_text(encoding="utf-8"))
    mou = json.loads(data_path("demo", "mou.json").read_text(encoding="utf-8"))
    mou["positions"].append({"party": "Falcon", "clause": "scope", "stance": "block", "reason": ""})
    seed["mou"] = mou
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed), encoding="utf-8")
    with pytest.raises(ValidationError, match="block needs a reason"):
        load_demo(workspace, path)
    assert workspace.slugs() == []
