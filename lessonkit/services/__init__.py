"""Use cases. They take a Store (or a workspace) and domain values; they know no widgets, files or pandas."""

from lessonkit.services.consent import change_consent
from lessonkit.services.convenings import (
    create_convening,
    get_convening,
    list_convenings,
    load_demo,
    open_convening,
    set_languages,
)
from lessonkit.services.glossary import add_term, list_terms
from lessonkit.services.notes import (
    hide_note,
    import_notes_csv,
    list_notes,
    merge_notes,
    raise_sensitivity,
    submit_note,
    translate_note,
)
from lessonkit.services.participants import (
    add_participant,
    list_participants,
    participant_by_code,
    remember_language,
    set_consent,
    set_pseudonym,
)
from lessonkit.services.sessions import add_session, get_session, list_sessions, set_session_open, translate_session

__all__ = [
    "add_participant",
    "add_session",
    "add_term",
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
    "list_terms",
    "load_demo",
    "merge_notes",
    "open_convening",
    "participant_by_code",
    "raise_sensitivity",
    "remember_language",
    "set_consent",
    "set_languages",
    "set_pseudonym",
    "set_session_open",
    "submit_note",
    "translate_note",
    "translate_session",
]
