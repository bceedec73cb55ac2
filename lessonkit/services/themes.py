"""Themes of a session's notes: suggested by grouping what an audience may see, then curated by the facilitator.

Suggestions are worked out on demand and never stored. Only the notes the disclosure layer lets the audience see
are grouped (by default the room, ``convening``), so a note withheld by consent never shapes a suggestion shown to
the room, nor the words of its label. The facilitator accepts a suggestion (it becomes a stored :class:`Theme`),
renames, merges, splits it or moves a note to another theme; a note belongs to at most one theme, and a theme left
without notes is removed. Shown again later, a theme keeps only the notes its audience may see at that time
(:meth:`Disclosure.themes`).

Grouping loads scikit-learn on first use (a second or two); showing and curating themes does not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from lessonkit.domain import validation as v
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.records import Note
from lessonkit.domain.theme_words import label_of, telling_words
from lessonkit.domain.themes import Theme, note_ids
from lessonkit.errors import NotFoundError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.disclosure import Disclosure, Purpose, ShownTheme
from lessonkit.services.sessions import load_session
from lessonkit.store.base import Store, Tx

THEMES = "themes"
NOTES = "notes"
ROOM = Sensitivity.CONVENING  # the audience of the live board and of participants' phones


@dataclass(frozen=True)
class Suggestion:
    """A group of notes that read alike, with its most telling words; not stored until accepted."""

    note_ids: tuple[int, ...]
    words: tuple[str, ...]
    texts: tuple[str, ...] = ()  # the notes' words, as the audience may see them

    @property
    def label(self) -> str:
        return label_of(self.words)


def clustering_text(note: Note) -> str:
    """What a note is grouped by: its words, its tags and the translations people gave it (so that notes written in
    different languages can meet where an interpreter translated them)."""
    return " ".join([note.text, *note.tags, *(t.text for t in note.translations)])


def list_themes(store: Store, session_id: int | None = None) -> list[Theme]:
    """The accepted themes (of one session), as stored, in the order they were accepted."""
    with store.read() as tx:
        docs = tx.all(THEMES)
    return [Theme.from_dict(d) for d in docs if session_id is None or d.get("session_id") == session_id]


def shown_themes(
    store: Store, session_id: int, level: object = ROOM, purpose: Purpose | str = Purpose.BOARD
) -> list[ShownTheme]:
    """The session's accepted themes as ``level`` may see them (see :meth:`Disclosure.themes`)."""
    disclosure = Disclosure.open(store, level, purpose)
    return disclosure.themes(list_themes(store, session_id), disclosure.notes([session_id]))


def suggest_themes(
    store: Store,
    session_id: int | str,
    level: object = ROOM,
    threshold: float | None = None,
    *,
    include_accepted: bool = False,
) -> list[Suggestion]:
    """Groups of the session's notes that ``level`` may see and that no accepted theme holds yet (all of them with
    ``include_accepted``), largest first. ``threshold``: how far apart notes of one group may be (0 to 1; higher
    gives fewer, larger groups; default :data:`lessonkit.domain.clustering.DEFAULT_THRESHOLD`)."""
    from lessonkit.domain.clustering import DEFAULT_THRESHOLD, cluster_texts

    with store.read() as tx:
        session = load_session(tx, session_id)
    disclosure = Disclosure.open(store, level, Purpose.BOARD)
    found = disclosure.notes([session.id or 0])
    taken = set() if include_accepted else {i for t in list_themes(store, session.id) for i in t.note_ids}
    free = [s.note for s in found.shown if s.note.id not in taken]
    limit = DEFAULT_THRESHOLD if threshold is None else _threshold(threshold)
    corpus = [s.note.text for s in found.shown]
    return [
        Suggestion(
            tuple(free[i].id or 0 for i in group),
            tuple(telling_words([free[i].text for i in group], corpus)),
            tuple(free[i].text for i in group),
        )
        for group in cluster_texts([clustering_text(n) for n in free], limit)
    ]


def _threshold(value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = -1.0
    if not 0.0 < number <= 1.0:
        raise ValidationError("threshold", _("'{value}' is not a number between 0 and 1.").format(value=value))
    return number


# --- the facilitator's changes ------------------------------------------------------------------------------------


def _load(tx: Tx, theme_id: int) -> Theme:
    doc = tx.get(THEMES, int(theme_id))
    if doc is None:
        raise NotFoundError(_("There is no theme {id}.").format(id=theme_id))
    return Theme.from_dict(doc)


def _check_notes(tx: Tx, session_id: int, ids: Iterable[int]) -> tuple[int, ...]:
    checked = note_ids("note_ids", list(ids))
    for note_id in checked:
        doc = tx.get(NOTES, note_id)
        if doc is None or doc.get("session_id") != session_id:
            raise ValidationError(
                "note_ids", _("note {id} is not a note of session {session}.").format(id=note_id, session=session_id)
            )
    return checked


def _take_out(tx: Tx, ids: Iterable[int], keep: int | None = None) -> None:
    """Take notes out of every theme but ``keep``; remove themes left empty."""
    wanted = set(ids)
    for doc in tx.all(THEMES):
        if doc["id"] == keep or not wanted & set(doc.get("note_ids") or []):
            continue
        left = [i for i in doc["note_ids"] if i not in wanted]
        if left:
            tx.update(THEMES, doc["id"], {"note_ids": left, "updated": v.now().isoformat()})
        else:
            tx.remove(THEMES, doc["id"])


def _save(tx: Tx, theme: Theme) -> Theme:
    data = theme.to_dict()
    Theme.from_dict(data)  # checked as a bundle would check it
    if theme.id is None:
        return replace(theme, id=tx.insert(THEMES, data))
    tx.update(THEMES, theme.id, data)
    return theme


def accept_theme(store: Store, session_id: int | str, note_ids_: Iterable[int], name: str = "") -> Theme:
    """Store a theme of the session holding these notes (taken out of any other theme), named ``name`` or, when
    empty, by its most telling words each time it is shown."""
    with store.transaction() as tx:
        session = load_session(tx, session_id)
        ids = _check_notes(tx, session.id or 0, note_ids_)
        theme = Theme(session.id or 0, ids, v.text("name", name, max_length=120, required=False, multiline=False))
        _take_out(tx, ids)
        return _save(tx, theme)


def rename_theme(store: Store, theme_id: int, name: str) -> Theme:
    """Give the theme a name (an empty name shows its most telling words again)."""
    with store.transaction() as tx:
        theme = _load(tx, theme_id)
        clean = v.text("name", name, max_length=120, required=False, multiline=False)
        return _save(tx, replace(theme, name=clean, updated=v.now()))


def merge_themes(store: Store, into_id: int, other_id: int) -> Theme:
    """Fold ``other_id`` into ``into_id`` (same session); the merged theme keeps the first one's name."""
    if int(into_id) == int(other_id):
        raise ValidationError("into", _("a theme cannot be merged into itself."))
    with store.transaction() as tx:
        into, other = _load(tx, into_id), _load(tx, other_id)
        if into.session_id != other.session_id:
            raise ValidationError("into", _("both themes must belong to the same session."))
        tx.remove(THEMES, other.id or 0)
        ids = tuple(dict.fromkeys(into.note_ids + other.note_ids))
        return _save(tx, replace(into, note_ids=ids, updated=v.now()))


def split_theme(store: Store, theme_id: int, note_ids_: Iterable[int], name: str = "") -> Theme:
    """Move some of a theme's notes into a new theme of their own; returns the new theme."""
    with store.transaction() as tx:
        theme = _load(tx, theme_id)
        moving = note_ids("note_ids", list(note_ids_))
        stray = [i for i in moving if i not in theme.note_ids]
        if stray:
            raise ValidationError(
                "note_ids", _("note {id} is not in theme {theme}.").format(id=stray[0], theme=theme.id)
            )
        left = tuple(i for i in theme.note_ids if i not in moving)
        if not left:
            raise ValidationError("note_ids", _("leave at least one note in the theme, or rename it instead."))
        _save(tx, replace(theme, note_ids=left, updated=v.now()))
        clean = v.text("name", name, max_length=120, required=False, multiline=False)
        return _save(tx, Theme(theme.session_id, moving, clean))


def move_note(store: Store, note_id: int, theme_id: int | None) -> Theme | None:
    """Move a note into another theme of its session (``None``: out of every theme); returns the theme it joined."""
    with store.transaction() as tx:
        if theme_id is None:
            if tx.get(NOTES, int(note_id)) is None:
                raise NotFoundError(_("There is no note {id}.").format(id=note_id))
            _take_out(tx, [int(note_id)])
            return None
        target = _load(tx, theme_id)
        _check_notes(tx, target.session_id, [int(note_id)])
        _take_out(tx, [int(note_id)], keep=target.id)
        if int(note_id) in target.note_ids:
            return target
        return _save(tx, replace(target, note_ids=target.note_ids + (int(note_id),), updated=v.now()))


def dismiss_theme(store: Store, theme_id: int) -> None:
    """Remove an accepted theme (its notes stay on the board; they may be suggested again)."""
    with store.transaction() as tx:
        _load(tx, theme_id)
        tx.remove(THEMES, int(theme_id))
