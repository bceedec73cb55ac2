"""Notes as a pandas table, with attribution and sensitivity that follow each author's consent.

pandas is imported inside ``notes_dataframe`` only, so that importing this module (the board does, for
``author_label``) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lessonkit.domain import rules
from lessonkit.domain.levels import Attribution, Sensitivity
from lessonkit.domain.records import Note, Participant
from lessonkit.i18n import _
from lessonkit.services.notes import list_notes
from lessonkit.services.participants import list_participants
from lessonkit.store.base import Store

if TYPE_CHECKING:
    import pandas as pd

#: The columns of ``notes_dataframe``, in order.
NOTE_COLUMNS: tuple[str, ...] = (
    "id",  # int: the note's number in this convening
    "session",  # int: the session id
    "category",  # str: need / what worked / risk / question
    "text",  # str: the note as written (data, never markup)
    "tags",  # str: tags joined by ", "
    "sensitivity",  # str: the stricter of the note's level and its author's consent
    "author",  # str: the name when consent allows attribution, else "a participant"
    "moderation",  # str: visible / hidden / merged
    "created",  # datetime (UTC)
)


def participants_by_id(store: Store) -> dict[int, Participant]:
    return {p.id: p for p in list_participants(store) if p.id is not None}


def author_label(note: Note, participants: dict[int, Participant]) -> str:
    """How a note may be credited: named and pseudonymous authors by their chosen name, others anonymously."""
    author = participants.get(note.author_id) if note.author_id is not None else None
    if author is None or author.consent.attribution is Attribution.ANONYMOUS:
        return _("a participant")
    return author.name


def effective_level(note: Note, participants: dict[int, Participant]) -> Sensitivity:
    """The note's sensitivity, never wider than its author's consent allows."""
    author = participants.get(note.author_id) if note.author_id is not None else None
    return rules.effective_sensitivity(note.sensitivity, author)


def note_rows(
    store: Store, session_id: int | None = None, include_hidden: bool = False
) -> list[dict[str, object]]:
    """One plain dict per note, keyed by NOTE_COLUMNS (visible notes only unless ``include_hidden``)."""
    people = participants_by_id(store)
    notes = sorted(list_notes(store, session_id, include_hidden=include_hidden), key=lambda n: n.id or 0)
    return [
        {
            "id": n.id,
            "session": n.session_id,
            "category": n.category.value,
            "text": n.text,
            "tags": ", ".join(n.tags),
            "sensitivity": effective_level(n, people).value,
            "author": author_label(n, people),
            "moderation": n.moderation.value,
            "created": n.created,
        }
        for n in notes
    ]


def notes_dataframe(
    store: Store, session_id: int | None = None, include_hidden: bool = False
) -> pd.DataFrame:
    """The notes of a convening (or one session) as a DataFrame with the columns NOTE_COLUMNS.

    Hidden and merged notes are left out unless ``include_hidden``. Its HTML view escapes every cell.
    """
    import pandas as pd

    frame = pd.DataFrame(note_rows(store, session_id, include_hidden), columns=list(NOTE_COLUMNS))
    frame["created"] = pd.to_datetime(frame["created"], utc=True)
    return frame
