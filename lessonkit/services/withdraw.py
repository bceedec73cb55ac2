"""Consent withdrawal: a person's words leave the store, and so every later report, data export and bundle.

In one transaction: their notes and after-action reflections are deleted (notes merged into one of them become
visible again), the texts and reasons of their memorandum proposals and the reasons of positions that are theirs
(their own party, or recorded by them) are replaced by a marker, their transferability ratings are deleted, the
words of the risks they raised and of the ledger's evidence notes that are theirs are replaced by the marker (the
groups' plans, ratings and every number of the ledger stay), their dot-vote ballots and agree / disagree answers
and the statements made of their notes are deleted (``room_withdraw``), their consent becomes ``record = false``,
and one audit line is added that counts what was removed, without any of their words.
On a workspace on disk the journal and the last good copy are then rewritten, so the words are gone from the files
too (copies made earlier, such as bundles or folders set aside by ``convening restore``, are not touched).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.consent import BY_FACILITATOR, BY_PARTICIPANT, WITHDRAWN, ConsentChange
from lessonkit.domain.levels import Moderation
from lessonkit.domain.records import Participant
from lessonkit.domain.schema import CURRENT_VERSIONS
from lessonkit.i18n import _
from lessonkit.services import ledger, risks
from lessonkit.services.consent import record_change
from lessonkit.services.participants import TABLE as PARTICIPANTS
from lessonkit.services.participants import find_by_code
from lessonkit.services.room_withdraw import remove_room_records
from lessonkit.store.base import Store, Tx

AUDIT = "audit"
NOTES = "notes"
AMENDMENTS = "mou_amendments"
POSITIONS = "mou_positions"
MOU = "mou"
RATINGS = "scoring_ratings"
REFLECTIONS = "reflections"


def withdrawn_marker() -> str:
    return _("(withdrawn: the author withdrew consent)")


@dataclass(frozen=True)
class Withdrawal:
    """What a withdrawal removed (numbers only)."""

    participant_id: int
    notes: int
    proposals: int
    positions: int
    ratings: int
    risks: int = 0
    ledger: int = 0
    reflections: int = 0
    ballots: int = 0
    answers: int = 0
    statements: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "notes": self.notes,
            "proposals": self.proposals,
            "positions": self.positions,
            "ratings": self.ratings,
            "risks": self.risks,
            "ledger": self.ledger,
            "reflections": self.reflections,
            "ballots": self.ballots,
            "answers": self.answers,
            "statements": self.statements,
        }


def _remove_notes(tx: Tx, person_id: int) -> int:
    mine = tx.search(NOTES, lambda d: d.get("author_id") == person_id)
    ids = {d["id"] for d in mine}
    for doc in tx.search(NOTES, lambda d: d.get("merged_into") in ids and d["id"] not in ids):
        tx.update(NOTES, doc["id"], {"moderation": Moderation.VISIBLE.value, "merged_into": None})
    for doc in mine:
        tx.remove(NOTES, doc["id"])
    return len(mine)


def _clear_proposals(tx: Tx, person_id: int) -> int:
    marker = withdrawn_marker()
    mine = tx.search(AMENDMENTS, lambda d: d.get("participant_id") == person_id)
    for doc in mine:
        tx.update(AMENDMENTS, doc["id"], {"text": marker, "reason": marker})
    return len(mine)


def _own_parties(tx: Tx, person: Participant) -> set[str]:
    """Parties that are this person alone: named after them, or with them as the only member."""
    names = {person.name.casefold()}
    for record in tx.all(MOU):
        for party in record.get("parties") or []:
            if list(party.get("participant_ids") or []) == [person.id]:
                names.add(str(party.get("name", "")).casefold())
    return names


def _clear_positions(tx: Tx, person: Participant) -> int:
    parties = _own_parties(tx, person)
    marker = withdrawn_marker()

    def theirs(d: dict[str, Any]) -> bool:
        by_them = str(d.get("recorded_by", "")).casefold() == person.name.casefold()
        return bool(d.get("reason")) and (str(d.get("party", "")).casefold() in parties or by_them)

    mine = tx.search(POSITIONS, theirs)
    for doc in mine:
        tx.update(POSITIONS, doc["id"], {"reason": marker})
    return len(mine)


def _remove_ratings(tx: Tx, person_id: int) -> int:
    mine = tx.search(RATINGS, lambda d: d.get("participant_id") == person_id)
    for doc in mine:
        tx.remove(RATINGS, doc["id"])
    return len(mine)


def _remove_reflections(tx: Tx, person_id: int) -> int:
    mine = tx.search(REFLECTIONS, lambda d: d.get("author_id") == person_id)
    for doc in mine:
        tx.remove(REFLECTIONS, doc["id"])
    return len(mine)


def withdraw_in(tx: Tx, join_code: str, by: str = "", by_participant: bool = False) -> Withdrawal:
    person = find_by_code(tx, join_code)
    assert person.id is not None
    by = by or (BY_PARTICIPANT if by_participant else BY_FACILITATOR)
    result = Withdrawal(
        participant_id=person.id,
        risks=risks.forget_in(tx, person.id, withdrawn_marker()),  # before their notes go: risks point at them
        ledger=ledger.forget_in(tx, person.id, withdrawn_marker()),
        notes=_remove_notes(tx, person.id),
        proposals=_clear_proposals(tx, person.id),
        positions=_clear_positions(tx, person),
        ratings=_remove_ratings(tx, person.id),
        reflections=_remove_reflections(tx, person.id),
    )
    ballots, answers, statements = remove_room_records(tx, person.id)  # after their notes: statements follow them
    result = replace(result, ballots=ballots, answers=answers, statements=statements)
    consent = replace(person.consent, record=False)
    tx.update(PARTICIPANTS, person.id, {"consent": consent.to_dict()})
    if person.consent.record:
        record_change(tx, ConsentChange(person.id, person.consent, consent, by, by_participant, WITHDRAWN))
    tx.insert(
        AUDIT,
        {
            "schema_version": CURRENT_VERSIONS["audit"],
            "action": "consent withdrawn",
            "participant_id": person.id,
            "by": v.text("by", by, max_length=120, required=False),
            "at": v.now().isoformat(),
            "removed": result.counts(),
        },
    )
    return result


def withdraw_participant(store: Store, join_code: str, by: str = "", by_participant: bool = False) -> Withdrawal:
    """Remove everything a participant said from the convening and record that they withdrew consent (in the
    audit log and the consent history; ``by_participant``: they did it themselves, on the form)."""
    with store.transaction() as tx:
        result = withdraw_in(tx, join_code, by, by_participant)
    forget_old_copies(store)
    return result


def forget_old_copies(store: Store) -> None:
    """Rewrite a disk store's snapshot, journal and last good copy from the current data, encrypted again when the
    convening is (a memory store has no copies)."""
    compact = getattr(store, "compact_now", None)
    if compact is not None:
        compact()


def audit_log(store: Store) -> list[dict[str, Any]]:
    """Every audit line, oldest first."""
    return store.all(AUDIT)
