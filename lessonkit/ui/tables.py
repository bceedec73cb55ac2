"""The notes as a pandas table in a workbook (pandas escapes every cell in its HTML view)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lessonkit.export import notes_dataframe
from lessonkit.ui.context import open_store

if TYPE_CHECKING:
    import pandas as pd


def notes_table(
    convening: str | None = None,
    session: int | str | None = None,
    home: str | None = None,
    include_hidden: bool = False,
) -> pd.DataFrame:
    """The notes of a convening, or of one session (id or title), as a DataFrame (see NOTE_COLUMNS).

    Attribution and sensitivity follow each author's consent; hidden and merged notes only with
    ``include_hidden=True``.
    """
    store = open_store(convening, home)
    session_id = None
    if session not in (None, ""):
        from lessonkit.ui.board import pick_session

        chosen = pick_session(store, session)
        session_id = chosen.id if chosen else None
    return notes_dataframe(store, session_id, include_hidden=include_hidden)
