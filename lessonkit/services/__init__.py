"""Use cases. They take a Store (or a workspace) and domain values; they know no widgets, files or pandas."""

from lessonkit.services.consent import change_consent
from lessonkit.services.convenings import create_convening, get_convening, list_convenings, load_demo, open_convening
from lessonkit.services.notes import (
    hide_note,
    import_notes_csv,
    list_notes,
    merge_notes,
    raise_sensitivity,
    submit_note,
)
from lessonkit.services.participants import (
    add_participant,
    list_participants,
    participant_by_code,
    remember_language,
    set_consent,
    set_pseudonym,
)
from lessonkit.services.sessions import add_session, get_session, list_sessions, set_session_open

__all__ = [
    "add_participant",
    "add_session",
    "change_consent",
    "create_convening",
    "get_convening",
    "get_session",
    "hide_note",
    "import_notes_csv",
    "list_convenings",
    "list_notes",
    "list_participants",
    "list_sessions",
    "load_demo",
    "merge_notes",
    "open_convening",
    "participant_by_code",
    "raise_sensitivity",
    "remember_language",
    "set_consent",
    "set_pseudonym",
    "set_session_open",
    "submit_note",
]
