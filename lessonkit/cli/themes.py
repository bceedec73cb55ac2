"""``lessonkit notes themes``: the themes of a session's notes, accepted ones first, then suggestions."""

from __future__ import annotations

from typing import Any

import click

from lessonkit.cli.common import emit, format_option
from lessonkit.cli.helpers import open_store
from lessonkit.cli.notes import notes
from lessonkit.domain.levels import Sensitivity
from lessonkit.i18n import _
from lessonkit.services import get_session
from lessonkit.services.themes import shown_themes, suggest_themes

COLUMNS = ("id", "label", "notes", "note_ids")


@notes.command(
    "themes",
    help=_(
        "Group a session's notes into themes, offline: the themes the facilitator accepted (with an id), then "
        "suggestions for the notes no theme holds yet (id empty), each labelled by its most telling words. Only "
        "the notes --level may see are grouped. Accept, rename, merge and split themes in workbook 07."
    ),
)
@click.argument("slug")
@click.option("--session", "session_id", required=True, type=int, help=_("Id of the session (see `session list`)."))
@click.option(
    "--level",
    type=click.Choice([s.value for s in Sensitivity]),
    default=Sensitivity.CONVENING.value,
    show_default=True,
    help=_("Who will see the themes: only the notes this audience may see are grouped (convening: the room)."),
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.01, 1.0),
    help=_("How different notes of one theme may be, from 0 to 1 (higher: fewer, larger themes; default 0.9)."),
)
@format_option("table", "json")
@click.pass_context
def themes(ctx: click.Context, slug: str, session_id: int, level: str, threshold: float | None, fmt: str) -> None:
    store = open_store(ctx, slug)
    session = get_session(store, session_id)
    rows: list[dict[str, Any]] = [
        {"id": t.theme.id, "label": t.label, "words": list(t.words), "note_ids": [s.note.id for s in t.notes]}
        for t in shown_themes(store, session.id or 0, level)
    ]
    rows += [
        {"id": None, "label": s.label, "words": list(s.words), "note_ids": list(s.note_ids)}
        for s in suggest_themes(store, session.id or 0, level, threshold)
    ]
    if fmt == "json":
        emit(rows, fmt)
        return
    emit([{**r, "notes": len(r["note_ids"])} for r in rows], fmt, COLUMNS)
