"""A theme the facilitator accepted: notes of one session that belong together, and the name shown for them.

A theme stores which notes it groups, never their words: what the room sees of it (which of its notes, and the label
made of their most telling words) is worked out each time it is shown, from the notes the disclosure layer lets that
audience see. So a note whose author narrows or withdraws consent leaves the theme, and its words leave the label.
A name the facilitator typed replaces the suggested words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.errors import ValidationError
from lessonkit.i18n import _

MAX_THEME_NAME = 120
MAX_THEME_NOTES = 5000


def note_ids(field: str, value: object, *, required: bool = True) -> tuple[int, ...]:
    """Ids of notes, each once, in the order given."""
    if value is None:
        value = []
    if not isinstance(value, (list, tuple)):
        raise ValidationError(field, _("must be a list of note numbers."))
    out: list[int] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or item < 1:
            raise ValidationError(field, _("'{value}' is not a note number.").format(value=item))
        if item not in out:
            out.append(item)
    if required and not out:
        raise ValidationError(field, _("a theme needs at least one note."))
    if len(out) > MAX_THEME_NOTES:
        raise ValidationError(field, _("at most {n} notes, please.").format(n=MAX_THEME_NOTES))
    return tuple(out)


@dataclass(frozen=True)
class Theme:
    session_id: int
    note_ids: tuple[int, ...]
    name: str = ""  # the facilitator's name for it; "" shows its most telling words
    created: datetime = field(default_factory=v.now)
    updated: datetime | None = None
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Theme:
        data = upgrade("theme", data)
        session_id = data.get("session_id")
        if isinstance(session_id, bool) or not isinstance(session_id, int):
            raise ValidationError("session_id", _("choose a session."))
        return cls(
            id=data.get("id"),
            session_id=session_id,
            note_ids=note_ids("note_ids", data.get("note_ids")),
            name=v.text("name", data.get("name"), max_length=MAX_THEME_NAME, required=False, multiline=False),
            created=v.iso_datetime("created", data["created"]) if data.get("created") else v.now(),
            updated=v.iso_datetime("updated", data["updated"]) if data.get("updated") else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["theme"],
            "session_id": self.session_id,
            "note_ids": list(self.note_ids),
            "name": self.name,
            "created": self.created.isoformat(),
            "updated": self.updated.isoformat() if self.updated else None,
        }
