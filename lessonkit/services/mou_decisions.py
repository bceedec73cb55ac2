"""Deciding on the memorandum: positions per party and clause, status steps, signatures, what is due."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from lessonkit.domain import validation as v
from lessonkit.domain.mou_decisions import Position, Stance
from lessonkit.domain.mou_schedule import SOON_DAYS, DueItem
from lessonkit.domain.mou_status import MouRecord, MouStatus, Signature, after_signature, check_can_sign, move
from lessonkit.domain.mou_translation import refs_for
from lessonkit.errors import ValidationError
from lessonkit.i18n import _
from lessonkit.services.mou import POSITIONS, SIGNATURES, load_state, write_record
from lessonkit.store.base import Store, Tx


def record_position(
    store: Store, party: str, clause_key: str, stance: str | Stance, reason: str = "", recorded_by: str = ""
) -> Position:
    """Add a party's position on a clause of the latest version (earlier positions stay in the history)."""
    with store.transaction() as tx:
        return position_in(tx, party, clause_key, stance, reason, recorded_by)


def position_in(
    tx: Tx, party: str, clause_key: str, stance: str | Stance, reason: str = "", recorded_by: str = ""
) -> Position:
    state = load_state(tx)
    if state.record.status is MouStatus.ENDED:
        raise ValidationError("status", _("this memorandum has ended: positions can no longer be recorded."))
    named = state.record.party(party)
    latest = state.latest
    if latest.clause(clause_key) is None:
        raise ValidationError(
            "clause",
            _("there is no clause '{key}' in version {n}: choose a current clause.").format(
                key=clause_key, n=latest.number
            ),
        )
    position = Position.from_dict(
        {
            "party": named.name,
            "clause_key": clause_key,
            "stance": stance,
            "reason": reason,
            "version": latest.number,
            "recorded_by": recorded_by,
        }
    )
    return replace(position, id=tx.insert(POSITIONS, position.to_dict()))


def set_status(store: Store, status: str | MouStatus, by: str, note: str = "") -> MouRecord:
    """Take one step of draft → proposed → agreed, or signed → under review → renewed | ended."""
    with store.transaction() as tx:
        state = load_state(tx)
        record = move(state.record, status, by, state.latest.number, state.blocks(), note)
        write_record(tx, record)
        return record


def sign(
    store: Store,
    party: str,
    signatory: str,
    role: str,
    signed_on: date | str | None = None,
    version: int | None = None,
    recorded_by: str = "",
) -> Signature:
    """Record one party's signature on the latest agreed version; the last one makes it signed.

    The authoritative text is what is signed; the signature records its language and each translation there was
    (which one, the version it translated, whether it was out of date)."""
    with store.transaction() as tx:
        state = load_state(tx)
        number = state.latest.number if version is None else int(version)
        signature = Signature.from_dict(
            {
                "party": party,
                "signatory": signatory,
                "role": role,
                "version": number,
                "signed_on": signed_on or v.now().date().isoformat(),
            }
        )
        named = check_can_sign(state.record, signature, state.latest.number, state.blocks(), state.signatures)
        refs = refs_for(state.versions, state.translations, number)
        signature = replace(signature, party=named.name, language=state.record.language, translations=refs)
        signature = replace(signature, id=tx.insert(SIGNATURES, signature.to_dict()))
        by = recorded_by.strip() or signature.signatory
        record = after_signature(state.record, state.signatures + (signature,), number, by)
        if record is not state.record:
            write_record(tx, record)
        return signature


def due(store: Store, today: date | None = None, soon_days: int = SOON_DAYS) -> list[DueItem]:
    """What is overdue or due soon: the memorandum's review, consent re-evaluations, handovers and metric reports,
    with the convening's other dates (consent reviews, risk reviews, pledges). See ``services.due.what_is_due``."""
    from lessonkit.services.due import what_is_due

    return what_is_due(store, today, soon_days)
