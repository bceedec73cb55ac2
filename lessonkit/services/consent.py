"""Consent that its owner can change: narrow, widen, withdraw; every change kept with its time and author.

Narrowing takes effect at once everywhere, because every front end reads consent through the disclosure layer when
it shows or exports anything. Widening by the facilitator needs the person's confirmation written in the note of
the change; a person widening their own consent on the form needs none. Review dates remind: :func:`due_reviews`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from lessonkit.domain.consent import (
    BY_FACILITATOR,
    BY_PARTICIPANT,
    ConsentChange,
    Direction,
    compare,
    review_state,
    with_changes,
)
from lessonkit.domain.records import Participant
from lessonkit.errors import ConsentError, NotFoundError
from lessonkit.i18n import _
from lessonkit.services.participants import TABLE as PARTICIPANTS
from lessonkit.services.participants import find_by_code
from lessonkit.store.base import Store, Tx

TABLE = "consent_changes"


@dataclass(frozen=True)
class Changed:
    person: Participant  # as they are now
    change: ConsentChange | None  # None when the consent was already like this


def _find(tx: Tx, who: int | str) -> Participant:
    if isinstance(who, int):
        doc = tx.get(PARTICIPANTS, who)
        if doc is None:
            raise NotFoundError(_("There is no participant {id}.").format(id=who))
        return Participant.from_dict(doc)
    return find_by_code(tx, who)


def change_in(
    tx: Tx, who: int | str, changes: dict[str, Any], by: str, by_participant: bool = False, note: str = ""
) -> Changed:
    person = _find(tx, who)
    assert person.id is not None
    new = with_changes(person.consent, changes)
    if new == person.consent:
        return Changed(person, None)
    direction = compare(person.consent, new)
    if direction.widens and not by_participant and not note.strip():
        raise ConsentError(
            _(
                "This change widens the consent of participant {id}: ask them first, and write their confirmation "
                "in the note of the change (e.g. --confirmed-by-participant \"said yes in person on 4 May\")."
            ).format(id=person.id)
        )
    change = ConsentChange(person.id, person.consent, new, by, by_participant, note.strip())
    tx.update(PARTICIPANTS, person.id, {"consent": new.to_dict()})
    doc_id = tx.insert(TABLE, change.to_dict())
    return Changed(Participant.from_dict({**person.to_dict(), "consent": new.to_dict(), "id": person.id}),
                   ConsentChange.from_dict({**change.to_dict(), "id": doc_id}))


def change_consent(
    store: Store,
    who: int | str,
    changes: dict[str, Any],
    by: str = "",
    by_participant: bool = False,
    note: str = "",
) -> Changed:
    """Change parts of a person's consent (``who``: participant id or join code; ``changes``: record,
    attribution, share_up_to, review_date; None leaves a part as it is, '' clears the review date)."""
    with store.transaction() as tx:
        return change_in(tx, who, changes, by or (BY_PARTICIPANT if by_participant else BY_FACILITATOR),
                         by_participant, note)


def record_change(tx: Tx, change: ConsentChange) -> None:
    """Keep a change made elsewhere (a withdrawal) in the history."""
    tx.insert(TABLE, change.to_dict())


def consent_history(store: Store, participant_id: int | None = None) -> list[ConsentChange]:
    """Every change (of one person, or of everyone), oldest first."""
    with store.read() as tx:
        docs = tx.all(TABLE)
    changes = [ConsentChange.from_dict(d) for d in docs]
    return [c for c in changes if participant_id is None or c.participant_id == participant_id]


def narrowed_since(store: Store, since: datetime) -> list[ConsentChange]:
    """Changes since ``since`` that narrowed someone's consent (the board says so)."""
    return [
        c for c in consent_history(store) if c.at >= since and c.direction is Direction.NARROWER
    ]


def due_reviews(store: Store, today: date | None = None) -> list[tuple[Participant, str]]:
    """People whose consent review is overdue or due within a week: (person, 'overdue' | 'due soon'),
    most urgent first."""
    day = today or date.today()
    with store.read() as tx:
        people = [Participant.from_dict(d) for d in tx.all(PARTICIPANTS)]
    due = [(p, state) for p in people if (state := review_state(p.consent, day))]
    return sorted(due, key=lambda x: (x[0].consent.review_date or day, x[0].id or 0))
