"""Amendments: participants propose (identified by join code), the facilitator accepts or declines with a
note.

A proposal holds a person's words. Its sensitivity is the stricter of "convening" and the person's consent,
and someone whose consent says not to record them cannot propose (nothing is saved). Accepting a proposal
saves a new version of the memorandum in the same transaction.
"""

from __future__ import annotations

from dataclasses import replace

from lessonkit.domain import privacy
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.mou_amendment import (
    Amendment,
    AmendmentStatus,
    apply_amendment,
    check_changes_something,
    check_pending,
    decided,
    existing_clause,
)
from lessonkit.domain.mou_state import MouState
from lessonkit.domain.mou_status import MouStatus
from lessonkit.domain.records import Participant
from lessonkit.errors import ConsentError, NotFoundError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.mou import AMENDMENTS, load_state, save_in
from lessonkit.services.participants import find_by_code
from lessonkit.store.base import Store, Tx


def party_of(state: MouState, person: Participant) -> str:
    """The party a participant belongs to ('' when their group is not a party)."""
    for party in state.record.parties:
        if person.id in party.participant_ids:
            return party.name
    own = (person.organization or person.name).casefold()
    return next((p.name for p in state.record.parties if p.name.casefold() == own), "")


def propose_amendment(store: Store, join_code: str, clause_key: str, text: str, reason: str) -> Amendment:
    """A participant proposes new text for a clause of the current version."""
    with store.transaction() as tx:
        return propose_in(tx, join_code, clause_key, text, reason)


def propose_in(tx: Tx, join_code: str, clause_key: str, text: str, reason: str) -> Amendment:
    person = find_by_code(tx, join_code)
    if not person.consent.record:
        raise ConsentError(
            _(
                "Your consent says your words are not to be recorded, so nothing was saved. "
                "Talk to the facilitator if you want to propose a change."
            )
        )
    state = load_state(tx)
    if state.record.status is MouStatus.ENDED:
        raise ValidationError("clause", _("this memorandum has ended: it takes no more proposals."))
    clause = existing_clause(state.latest, clause_key)
    amendment = Amendment.from_dict(
        {
            "clause_key": clause.key,
            "clause_title": clause.title,
            "text": text,
            "reason": reason,
            "participant_id": person.id,
            "base_version": state.latest.number,
            "party": party_of(state, person),
            "sensitivity": privacy.effective_sensitivity(Sensitivity.CONVENING, person).value,
        }
    )
    check_changes_something(clause, amendment.text)
    return replace(amendment, id=tx.insert(AMENDMENTS, amendment.to_dict()))


def _load(tx: Tx, amendment_id: int) -> Amendment:
    doc = tx.get(AMENDMENTS, int(amendment_id))
    if doc is None:
        raise NotFoundError(_("There is no proposal {id}.").format(id=amendment_id))
    return Amendment.from_dict(doc)


def accept_amendment(store: Store, amendment_id: int, by: str, note: str = "") -> Amendment:
    """Apply the proposed text to the latest version as a new version, and mark the proposal accepted."""
    with store.transaction() as tx:
        amendment = _load(tx, amendment_id)
        check_pending(amendment)
        author = tx.get("participants", amendment.participant_id)
        if author is None or not Participant.from_dict(author).consent.record:
            raise ConsentError(
                _(
                    "The author of proposal {id} is no longer registered or has withdrawn consent to be "
                    "recorded: their words cannot go into the memorandum. Decline it with a note."
                ).format(id=amendment.id)
            )
        state = load_state(tx)
        clauses = apply_amendment(state.latest, amendment)
        result = decided(amendment, AmendmentStatus.ACCEPTED, by, note, state.latest.number + 1)
        summary = _("Accepted proposal {id} on '{title}'").format(id=amendment.id, title=amendment.clause_title)
        save_in(tx, state, clauses, result.decided_by, summary, amendment_id=amendment.id)
        tx.update(AMENDMENTS, int(amendment_id), result.to_dict())
        return result


def decline_amendment(store: Store, amendment_id: int, by: str, note: str) -> Amendment:
    """Decline a proposal; the note (required) tells the person why."""
    with store.transaction() as tx:
        amendment = _load(tx, amendment_id)
        check_pending(amendment)
        result = decided(amendment, AmendmentStatus.DECLINED, by, note)
        tx.update(AMENDMENTS, int(amendment_id), result.to_dict())
        return result


def list_amendments(store: Store, status: AmendmentStatus | None = None) -> list[Amendment]:
    with store.read() as tx:
        items = [Amendment.from_dict(d) for d in tx.all(AMENDMENTS)]
    return [a for a in items if status is None or a.status is status]


def amendments_for_code(store: Store, join_code: str) -> list[Amendment]:
    """A participant's own proposals, with the facilitator's decision and note."""
    with store.read() as tx:
        person = find_by_code(tx, join_code)
        return [Amendment.from_dict(d) for d in tx.search(AMENDMENTS, lambda d: d["participant_id"] == person.id)]
