"""Paper cards, typed in or imported from a CSV file: what ``lessonkit notes add`` and ``notes import`` do.

A card goes through the same ``submit_note`` (source "paper": allowed after the session closed, consent obeyed);
a CSV goes through ``import_notes_csv``: all or nothing. What was typed stays in the form after a mistake.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import ipywidgets as widgets

from lessonkit import services
from lessonkit.domain.levels import Category, Sensitivity, category_label, level_name
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _, language_name, ngettext
from lessonkit.services.disclosure import Disclosure, Purpose
from lessonkit.store.base import Store
from lessonkit.ui.context import open_context
from lessonkit.ui.html import heading, message

_WIDE = {"description_width": "initial"}
AUTO = ""  # the sensitivity chosen for the author: convening, or stricter when their consent asks


def card_level(store: Store, join_code: str) -> str:
    """'convening', or the author's consent level when that is stricter (the disclosure layer decides)."""
    author = services.participant_by_code(store, join_code) if join_code else None
    view = Disclosure.open(store, Sensitivity.RESTRICTED, Purpose.BOARD)
    return view.level_of(Sensitivity.CONVENING, author.id if author else None).value


class PaperCards(widgets.VBox):
    """Type in one card, or import a CSV of cards (columns: session, category, text, tags, sensitivity,
    join_code, language)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.session = widgets.Dropdown(description=_("Session"), style=_WIDE)
        self.category = widgets.Dropdown(
            options=[(category_label(c), c.value) for c in Category], description=_("Category"), style=_WIDE
        )
        self.text = widgets.Textarea(
            description=_("The words on the card"),
            style=_WIDE,
            layout=widgets.Layout(width="100%", max_width="40em", height="5em"),
            continuous_update=False,
        )
        self.tags = widgets.Text(description=_("Tags"), placeholder="housing,security", style=_WIDE,
                                 continuous_update=False)
        self.code = widgets.Text(
            description=_("Join code on the card"), placeholder=_("empty: an anonymous card"), style=_WIDE,
            continuous_update=False,
        )
        self.language = widgets.Dropdown(description=_("Written in"), style=_WIDE)
        self.sensitivity = widgets.Dropdown(
            options=[(_("convening, or stricter if the author's consent asks"), AUTO)]
            + [(level_name(s), s.value) for s in Sensitivity],
            value=AUTO,
            description=_("May travel up to"),
            style=_WIDE,
        )
        self.add = widgets.Button(description=_("Add card"), button_style="primary")
        self.upload = widgets.FileUpload(accept=".csv", multiple=False, description=_("CSV file"))
        self.import_button = widgets.Button(description=_("Import cards"), icon="upload")
        self.status = widgets.HTML()
        super().__init__(
            [
                widgets.HTML(heading(_("Type in a paper card"), 4)),
                self.session,
                self.category,
                self.text,
                self.tags,
                self.code,
                self.language,
                self.sensitivity,
                self.add,
                widgets.HTML(heading(_("Import cards from a CSV file"), 4)),
                widgets.HTML(
                    message(
                        _(
                            "Columns: session (id or exact title), category, text, tags, sensitivity, join_code, "
                            "language. All or nothing: one bad row and nothing is imported."
                        ),
                        "info",
                    )
                ),
                widgets.HBox([self.upload, self.import_button]),
                self.status,
            ]
        )
        self.add.on_click(lambda _b: self._add())
        self.import_button.on_click(lambda _b: self._import())
        self.render()

    def render(self) -> None:
        sessions = services.list_sessions(self.store)
        keep = self.session.value
        self.session.options = [(f"#{s.id} {s.title}", s.id) for s in sessions]
        ids = [s.id for s in sessions]
        self.session.value = keep if keep in ids else (ids[0] if ids else None)
        languages = services.get_convening(self.store).languages
        chosen = self.language.value
        self.language.options = [(language_name(t), t) for t in languages]
        self.language.value = chosen if chosen in languages else languages[0]

    def _add(self) -> None:
        labels = {
            "session": self.session.description,
            "category": self.category.description,
            "text": self.text.description,
            "tags": self.tags.description,
            "join_code": self.code.description,
            "sensitivity": self.sensitivity.description,
        }
        try:
            if self.session.value is None:
                raise ValidationError("session", _("add a session first."))
            code = self.code.value.strip()
            level = self.sensitivity.value or card_level(self.store, code)
            note = services.submit_note(
                self.store, int(self.session.value), self.category.value, self.text.value, self.tags.value, level,
                code or None, source="paper", language=self.language.value,
            )
        except ValidationError as exc:
            field = labels.get(exc.field, exc.field)
            self.status.value = message(_("Not added. {field}: {problem}").format(field=field, problem=exc.message),
                                        "error")
            return
        except LessonkitError as exc:
            self.status.value = message(_("Not added. {error}").format(error=exc), "error")
            return
        self.text.value, self.tags.value, self.code.value = "", "", ""
        self.status.value = message(
            _("Added note {id} to session {session} ({level}).").format(
                id=note.id, session=note.session_id, level=level_name(note.sensitivity)
            ),
            "ok",
        )

    def _import(self) -> None:
        files = list(self.upload.value)
        if not files:
            self.status.value = message(_("Choose a CSV file first."), "error")
            return
        upload: Any = files[0]
        name = upload["name"] if isinstance(upload, dict) else upload.name
        raw = bytes(upload["content"] if isinstance(upload, dict) else upload.content)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.status.value = message(
                _("{file} is not UTF-8 text: save it as 'CSV UTF-8'. Nothing was imported.").format(file=name), "error"
            )
            return
        try:
            added = services.import_notes_csv(self.store, io.StringIO(text, newline=""))
        except csv.Error as exc:
            self.status.value = message(
                _("{file} is not a readable CSV file ({e}). Nothing was imported.").format(file=name, e=exc), "error"
            )
            return
        except LessonkitError as exc:
            self.status.value = message(_("{file}: {error}").format(file=name, error=exc), "error")
            return
        self.upload.value = ()
        self.status.value = message(
            ngettext("Imported {n} card from {file}.", "Imported {n} cards from {file}.", len(added)).format(
                n=len(added), file=name
            ),
            "ok",
        )


def paper_cards(convening: str | None = None, home: str | None = None, store: Any = None) -> PaperCards:
    """Type in or import the paper cards of a convening (default: LESSONKIT_CONVENING, else 'demo')."""
    if store is None:
        store, _slug, _ws = open_context(convening, home)
    return PaperCards(store)


__all__ = ["PaperCards", "card_level", "paper_cards"]
