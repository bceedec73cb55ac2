"""What running the room keeps of a person, removed when they withdraw consent (called by
:func:`lessonkit.services.withdraw.withdraw_in`, in its transaction).

Their dot-vote ballots (an anonymous vote's ballots carry no person and cannot be found: that is the point) and
their agree / disagree answers are deleted, and statements that showed the words of a note of theirs are deleted with
every answer to them. Themes hold note ids only: a deleted note simply leaves its theme.
"""

from __future__ import annotations

from lessonkit.store.base import Tx

BALLOTS = "ballots"
ANSWERS = "opinion_answers"
STATEMENTS = "statements"
NOTES = "notes"


def remove_room_records(tx: Tx, person_id: int) -> tuple[int, int, int]:
    """Delete the person's ballots and answers and the statements of their (already deleted) notes; returns how many
    ballots and answers of theirs and statements were deleted."""
    gone = {d["id"] for d in tx.all(STATEMENTS) if d.get("note_id") is not None and tx.get(NOTES, d["note_id"]) is None}
    ballots = tx.search(BALLOTS, lambda d: d.get("participant_id") == person_id)
    answers = tx.search(ANSWERS, lambda d: d.get("participant_id") == person_id or d.get("statement_id") in gone)
    for doc in ballots:
        tx.remove(BALLOTS, doc["id"])
    for doc in answers:
        tx.remove(ANSWERS, doc["id"])
    for statement_id in gone:
        tx.remove(STATEMENTS, statement_id)
    return len(ballots), sum(1 for d in answers if d.get("participant_id") == person_id), len(gone)
