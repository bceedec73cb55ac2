"""Notes as a pandas table, read through the disclosure layer (attribution and sensitivity follow consent).

pandas is imported inside ``notes_dataframe`` only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lessonkit.domain.levels import Sensitivity
from lessonkit.services.disclosure import Disclosure, Purpose
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
    "author",  # str: as consent allows at the level: name (inside the convening), pseudonym or "a participant"
    "moderation",  # str: visible / hidden / merged
    "created",  # datetime (UTC)
)


def note_rows(
    store: Store,
    session_id: int | None = None,
    include_hidden: bool = False,
    level: str | Sensitivity = Sensitivity.RESTRICTED,
) -> list[dict[str, object]]:
    """One plain dict per note that may be shown at ``level`` (default: restricted, the facilitator's own view),
    keyed by NOTE_COLUMNS (visible notes only unless ``include_hidden``)."""
    found = Disclosure.open(store, level, Purpose.BOARD).notes(
        [session_id] if session_id is not None else None, include_hidden=include_hidden
    )
    return [
        {
            "id": s.note.id,
            "session": s.note.session_id,
            "category": s.note.category.value,
            "text": s.note.text,
            "tags": ", ".join(s.note.tags),
            "sensitivity": s.level.value,
            "author": s.author,
            "moderation": s.note.moderation.value,
            "created": s.note.created,
        }
        for s in found.shown
    ]


def notes_dataframe(
    store: Store,
    session_id: int | None = None,
    include_hidden: bool = False,
    level: str | Sensitivity = Sensitivity.RESTRICTED,
) -> pd.DataFrame:
    """The notes of a convening (or one session) that may be shown at ``level``, as a DataFrame with the columns
    NOTE_COLUMNS. Hidden and merged notes are left out unless ``include_hidden``. Its HTML view escapes every cell.
    """
    import pandas as pd

    frame = pd.DataFrame(note_rows(store, session_id, include_hidden, level), columns=list(NOTE_COLUMNS))
    frame["created"] = pd.to_datetime(frame["created"], utc=True)
    return frame
