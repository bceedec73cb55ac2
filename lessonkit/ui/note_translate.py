"""Human translations of notes, for a facilitator or an interpreter: beside the original, never instead of it.

Choose a note, the language to translate into, write the translation and your name; it is saved with the time and
shown on the board and in reports under the original words. There is no machine translation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from lessonkit import services
from lessonkit.domain.records import Note
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _, language_name, pgettext
from lessonkit.store.base import Store
from lessonkit.ui.content_html import lang_attrs, language_badge, translations_html
from lessonkit.ui.context import open_store
from lessonkit.ui.html import esc, excerpt, message

_WIDE = {"description_width": "initial"}


def note_choice(note: Note) -> str:
    """One dropdown line (plain text): number, language, excerpt."""
    lang = f"[{note.language}] " if note.language else ""
    return f"#{note.id} {lang}{excerpt(note.text, 50)}"


class NoteTranslationPanel(widgets.VBox):
    """Choose a note, a language and write its translation; who translated it is recorded."""

    def __init__(self, store: Store, session_id: int | None, on_change: Callable[[], Any] | None = None) -> None:
        self.store = store
        self.session_id = session_id
        self.on_change = on_change
        self.notes: dict[int, Note] = {}
        layout = {"width": "100%", "max_width": "48em"}
        self.note = widgets.Dropdown(description=pgettext("a participant's note", "Note"), style=_WIDE, layout=layout)
        self.original = widgets.HTML()
        self.language = widgets.Dropdown(description=_("Translate into"), style=_WIDE)
        self.text = widgets.Textarea(
            description=_("Translation"),
            style=_WIDE,
            layout=widgets.Layout(width="100%", max_width="48em", height="6em"),
        )
        self.by = widgets.Text(description=_("Translated by"), placeholder=_("your name"), style=_WIDE)
        self.save = widgets.Button(description=_("Save translation"), button_style="primary")
        self.reload = widgets.Button(description=_("Reload notes"), icon="refresh")
        self.status = widgets.HTML()
        super().__init__(
            children=[
                widgets.HBox([self.note, self.reload]),
                self.original,
                self.language,
                self.text,
                self.by,
                self.save,
                self.status,
            ]
        )
        self.note.observe(self._on_note, names="value")
        self.save.on_click(lambda _b: self._save())
        self.reload.on_click(lambda _b: self.load())
        self.load()

    def load(self) -> None:
        """Read the session's notes again (visible ones; consent obeyed), keeping the current choice."""
        current = self.note.value
        notes = services.list_notes(self.store, self.session_id, include_hidden=False) if self.session_id else []
        self.notes = {n.id: n for n in notes if n.id is not None}
        self.note.options = [(note_choice(n), n.id) for n in notes]
        self.note.value = current if current in self.notes else (notes[0].id if notes else None)
        self._on_note()

    def _on_note(self, change: Any = None) -> None:
        note = self.notes.get(self.note.value) if self.note.value is not None else None
        if note is None:
            self.original.value = message(_("No visible notes in this session yet."), "info")
            self.language.options = []
            return
        self.original.value = (
            f'<div style="max-width:48em;padding:.3em .6em;border-left:4px solid #90a4ae;background:#fafafa">'
            f"{language_badge(note.language)} <span{lang_attrs(note.language)} style='white-space:pre-wrap'>"
            f"{esc(note.text)}</span>{translations_html(note)}</div>"
        )
        keep = self.language.value
        languages = [t for t in services.get_convening(self.store).languages if t != note.language]
        self.language.options = [(language_name(t), t) for t in languages]
        self.language.value = keep if keep in languages else (languages[0] if languages else None)

    def _save(self) -> None:
        if self.note.value is None or self.language.value is None:
            self.status.value = message(_("Note: choose a note and a language first."), "error")
            return
        labels = {"translations.text": self.text.description, "translations.by": self.by.description}
        try:
            note = services.translate_note(
                self.store, int(self.note.value), self.language.value, self.text.value, self.by.value
            )
        except ValidationError as exc:
            field = labels.get(exc.field, exc.field)
            text = _("Not saved. {field}: {problem}").format(field=field, problem=exc.message)
            self.status.value = message(text, "error")
            return
        except LessonkitError as exc:
            self.status.value = message(_("Not saved. {error}").format(error=exc), "error")
            return
        self.text.value = ""
        self.load()
        self.status.value = message(
            _("Saved the {language} translation of note #{id}, beside the original.").format(
                language=language_name(note.translations[-1].language), id=note.id
            ),
            "ok",
        )
        if self.on_change is not None:
            self.on_change()


def note_translations(
    convening: str | None = None,
    session: int | str | None = None,
    home: str | None = None,
    board: Any = None,
) -> NoteTranslationPanel:
    """Translate a session's notes. With ``board=`` (a LiveBoard): its session; the board refreshes at once."""
    from lessonkit.ui.board import pick_session

    if board is not None:
        chosen = board.session
        return NoteTranslationPanel(board.store, chosen.id if chosen else None, on_change=lambda: board.refresh())
    store = open_store(convening, home)
    chosen = pick_session(store, session)
    return NoteTranslationPanel(store, chosen.id if chosen else None)
