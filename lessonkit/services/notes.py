"""Listening notes: submit (consent obeyed), list, moderate, import from paper cards."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from lessonkit.domain import privacy, rules
from lessonkit.domain import validation as v
from lessonkit.domain.levels import Moderation, Sensitivity, level_name, parse_enum
from lessonkit.domain.records import Note, Participant, Session
from lessonkit.domain.translations import NoteTranslation
from lessonkit.errors import LessonkitError, NotFoundError, ValidationError
from lessonkit.i18n import _, ngettext
from lessonkit.services.participants import by_code, find_by_code, match_code
from lessonkit.services.sessions import TABLE as SESSIONS
from lessonkit.services.sessions import first_language, load_session, session_from
from lessonkit.store.base import Store, Tx

TABLE = "notes"
CSV_COLUMNS = ("session", "category", "text", "tags", "sensitivity", "join_code", "language")


def _build(
    tx: Tx,
    session_id: int,
    category: str,
    text: str,
    tags: Iterable[str] | str,
    sensitivity: str,
    join_code: str | None,
    source: str,
    language: str | None = None,
) -> Note:
    """The validated note (without id), after checking the session, the author and their consent."""
    session = load_session(tx, session_id)
    author = find_by_code(tx, join_code) if join_code else None
    return _checked(session, author, category, text, tags, sensitivity, source, language=language)


def _checked(
    session: Session,
    author: Participant | None,
    category: str,
    text: str,
    tags: Iterable[str] | str,
    sensitivity: str,
    source: str,
    created: str | None = None,
    language: str | None = None,
) -> Note:
    """The note ``author`` (None: anonymous) adds to ``session``, validated, consent obeyed (``created``: now;
    ``language``: the one it is written in, '' when not recorded)."""
    rules.check_can_contribute(session, author, require_open=(source == "form"))
    note = Note.from_dict(
        {
            "session_id": session.id,
            "category": category,
            "text": text,
            "tags": tags,
            "sensitivity": sensitivity,
            "author_id": author.id if author else None,
            "source": source,
            "language": language or "",
            "created": created,
        }
    )
    rules.check_sensitivity(author, note.sensitivity)
    return note


def submit_note(
    store: Store,
    session_id: int,
    category: str,
    text: str,
    tags: Iterable[str] | str = (),
    sensitivity: str = "convening",
    join_code: str | None = None,
    source: str = "form",
    language: str | None = None,
) -> Note:
    """Add one note. ``join_code=None`` is an anonymous contribution (only where the session allows it).

    ``language`` is the code of the language the note is written in (the form offers the convening's languages,
    starting with the form's own); None leaves it unrecorded.

    ``source="form"`` is a participant's own submission (the session must be open); ``"paper"`` is a card typed
    in later by the facilitator, allowed after the session closed. Consent is obeyed either way. Notes are only
    ever added here, so many participants' submissions are written side by side (``Store.append``).
    """
    built: list[Note] = []

    def build(tx: Tx) -> dict[str, Any]:
        built.append(_build(tx, session_id, category, text, tags, sensitivity, join_code, source, language))
        return built[-1].to_dict()

    doc_id = store.append(TABLE, build)
    return Note.from_dict({**built[-1].to_dict(), "id": doc_id})


def list_notes(
    store: Store, session_id: int | None = None, include_hidden: bool = True, respect_consent: bool = True
) -> list[Note]:
    """The notes of a convening (or one session), as stored: for moderation. By default notes of authors who have
    since withdrawn consent to being recorded are left out. Whatever shows or exports notes reads them through
    :class:`lessonkit.services.disclosure.Disclosure` instead."""
    with store.read() as tx:
        docs = tx.all(TABLE)
        people = {d["id"]: Participant.from_dict(d) for d in tx.all("participants")} if respect_consent else {}
    notes = [Note.from_dict(d) for d in docs if session_id is None or d["session_id"] == session_id]
    if respect_consent:
        notes = [n for n in notes if privacy.still_consented(people.get(n.author_id) if n.author_id else None)]
    return notes if include_hidden else [n for n in notes if n.moderation is Moderation.VISIBLE]


def _load(tx: Tx, note_id: int) -> Note:
    doc = tx.get(TABLE, int(note_id))
    if doc is None:
        raise NotFoundError(_("There is no note {id}.").format(id=note_id))
    return Note.from_dict(doc)


def _touch(fields: dict[str, Any]) -> dict[str, Any]:
    return {**fields, "updated": v.now().isoformat()}


def hide_note(store: Store, note_id: int, hidden: bool = True) -> Note:
    """Hide a note from the board (or show it again). Nothing is deleted."""
    with store.transaction() as tx:
        _load(tx, note_id)
        state = Moderation.HIDDEN if hidden else Moderation.VISIBLE
        tx.update(TABLE, note_id, _touch({"moderation": state.value, "merged_into": None}))
        return _load(tx, note_id)


def merge_notes(store: Store, duplicate_id: int, into_id: int) -> Note:
    """Fold a duplicate into another note of the same session; the board counts it on the kept note."""
    if int(duplicate_id) == int(into_id):
        raise ValidationError("into", _("a note cannot be merged into itself."))
    with store.transaction() as tx:
        dup, keep = _load(tx, duplicate_id), _load(tx, into_id)
        if dup.session_id != keep.session_id:
            raise ValidationError("into", _("both notes must belong to the same session."))
        if keep.moderation is not Moderation.VISIBLE:
            raise ValidationError("into", _("merge into a visible note."))
        tx.update(TABLE, duplicate_id, _touch({"moderation": Moderation.MERGED.value, "merged_into": int(into_id)}))
        for other in tx.search(TABLE, lambda d: d.get("merged_into") == int(duplicate_id)):
            tx.update(TABLE, other["id"], {"merged_into": int(into_id)})
        return _load(tx, duplicate_id)


def raise_sensitivity(store: Store, note_id: int, level: str | Sensitivity) -> Note:
    """Make a note more private. Lowering is refused: a person's words only ever become more protected here."""
    new = parse_enum(Sensitivity, "sensitivity", level)
    with store.transaction() as tx:
        note = _load(tx, note_id)
        if new.rank < note.sensitivity.rank:  # type: ignore[attr-defined]
            raise ValidationError(
                "sensitivity",
                _("the note is already '{cur}'; moderation can only raise sensitivity.").format(
                    cur=level_name(note.sensitivity)
                ),
            )
        tx.update(TABLE, note_id, _touch({"sensitivity": new.value}))  # type: ignore[attr-defined]
        return _load(tx, note_id)


def translate_note(store: Store, note_id: int, language: str, text: str, by: str) -> Note:
    """Add a person's translation of a note into ``language``, beside the original (which never changes).

    ``by`` is who translated it (a facilitator or an interpreter); the time is recorded. A second translation into
    the same language is kept too; the latest is the one shown.
    """
    translation = NoteTranslation.from_dict({"language": language, "text": text, "by": by})
    with store.transaction() as tx:
        note = _load(tx, note_id)
        if translation.language == note.language:
            raise ValidationError(
                "language",
                _("the note is written in '{lang}': a translation goes into another language.").format(
                    lang=note.language
                ),
            )
        done = note.translations + (translation,)
        tx.update(TABLE, note_id, {**note.to_dict(), "translations": [t.to_dict() for t in done]})
        return _load(tx, note_id)


def _read_csv(source: str | Path | io.TextIOBase) -> list[dict[str, str]]:
    """The rows of a cards CSV; a column that is not one of CSV_COLUMNS, a row with more cells than the header
    and an unclosed quote are errors naming the column or the row (the header is row 1)."""
    if isinstance(source, (str, Path)):
        try:
            with open(source, encoding="utf-8-sig", newline="") as f:
                return _read_csv(f)  # type: ignore[arg-type]
        except OSError as exc:
            raise ValidationError(str(source), _("cannot be read: {e}").format(e=exc.strerror)) from exc
        except UnicodeDecodeError:
            raise ValidationError(str(source), _("is not UTF-8 text: save it as 'CSV UTF-8'.")) from None
    reader = csv.DictReader(source, strict=True)  # type: ignore[arg-type]
    try:
        columns = reader.fieldnames or []
    except csv.Error as exc:
        raise ValidationError(
            _("row {n}").format(n=1), _("cannot be read as CSV ({e}). Nothing was imported.").format(e=exc)
        ) from None
    for column in columns:
        if column not in CSV_COLUMNS:
            raise ValidationError(
                "columns",
                _("the CSV has a column '{col}' that is not one of {all}: rename or remove it. "
                  "Nothing was imported.").format(col=column, all=", ".join(CSV_COLUMNS)),
            )
    missing = {"session", "category", "text"} - set(columns)
    if missing:
        raise ValidationError(
            "columns",
            ngettext(
                "the CSV lacks the column {cols}; expected: {all}.",
                "the CSV lacks the columns {cols}; expected: {all}.",
                len(missing),
            ).format(cols=", ".join(sorted(missing)), all=", ".join(CSV_COLUMNS)),
        )
    rows: list[dict[str, str]] = []
    try:
        for row in reader:
            if None in row:
                raise ValidationError(
                    _("row {n}").format(n=len(rows) + 2),
                    _("has more cells than the header has columns. Nothing was imported."),
                )
            rows.append(row)
    except csv.Error as exc:
        where = _("row {n}").format(n=len(rows) + 2)
        if "end of data" in str(exc):
            raise ValidationError(
                where, _("a quoted cell is never closed (a '\"' is missing). Nothing was imported.")
            ) from None
        raise ValidationError(where, _("cannot be read as CSV ({e}). Nothing was imported.").format(e=exc)) from None
    return rows


def import_notes_csv(store: Store, source: str | Path | io.TextIOBase) -> list[Note]:
    """Import paper cards from CSV (columns: session, category, text, tags, sensitivity, join_code, language).

    ``session`` is a session id or exact title. All or nothing: one bad row and nothing is saved; the error
    names the row and the field. Linear in the number of rows: the sessions and participants are looked up once,
    every row is validated once, and the notes are written in one transaction.
    """
    rows = _read_csv(source)
    with store.transaction() as tx:
        first = first_language(tx)
        sessions = [session_from(d, first) for d in tx.all(SESSIONS)]
        by_key = {**{str(s.id): s for s in sessions}, **{s.title.casefold(): s for s in sessions}}
        people = by_code(tx)
        created = v.now().isoformat()
        notes = []
        for number, row in enumerate(rows, start=2):
            try:
                key = (row.get("session") or "").strip()
                session = by_key.get(key, by_key.get(key.casefold()))
                if session is None:
                    raise ValidationError("session", _("no session '{s}'.").format(s=key))
                code = (row.get("join_code") or "").strip()
                notes.append(
                    _checked(
                        session,
                        match_code(people, code) if code else None,
                        row.get("category") or "",
                        row.get("text") or "",
                        row.get("tags") or "",
                        row.get("sensitivity") or "convening",
                        "paper",
                        created,
                        (row.get("language") or "").strip() or None,
                    )
                )
            except LessonkitError as exc:  # a bad value, an unknown code, a consent that refuses: named by row
                raise ValidationError(
                    _("row {n}").format(n=number), _("{e} Nothing was imported.").format(e=exc)
                ) from exc
        return [replace(note, id=tx.insert(TABLE, note.to_dict())) for note in notes]
