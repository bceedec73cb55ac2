"""The convening's languages, and sessions' titles and prompts in each of them (facilitator's set-up screen).

A session is written once, in its original language; translations of its title and prompts are added here. A
participant reading in a language without a translation sees the original, marked as such.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from lessonkit import services
from lessonkit.domain.records import Session
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _, language_name
from lessonkit.store.base import Store
from lessonkit.ui.content_html import lang_attrs
from lessonkit.ui.html import esc, heading, message

_WIDE = {"description_width": "initial"}


def _problem(exc: LessonkitError, labels: dict[str, str]) -> str:
    if isinstance(exc, ValidationError):
        field = labels.get(exc.field, labels.get(exc.field.split(".")[0], exc.field))
        return _("Not saved. {field}: {problem}").format(field=field, problem=exc.message)
    return _("Not saved. {error}").format(error=exc)


class LanguagesPanel(widgets.VBox):
    """The convening's languages as codes (en, es, ar…), the first being the one a text is assumed to be in."""

    def __init__(self, store: Store, on_change: Callable[[], Any] | None = None) -> None:
        self.store = store
        self.on_change = on_change
        self.listing = widgets.HTML()
        self.codes = widgets.Text(
            description=_("Languages (codes, comma-separated)"),
            placeholder=_("e.g. en,es,fr,pt,ar,ru"),
            style=_WIDE,
            continuous_update=False,
        )
        self.save = widgets.Button(description=_("Save languages"))
        self.status = widgets.HTML()
        super().__init__(
            children=[
                widgets.HTML(heading(_("Languages"), 4)),
                self.listing,
                widgets.HBox([self.codes, self.save]),
                self.status,
            ]
        )
        self.save.on_click(lambda _b: self._save())
        self.render()

    def render(self) -> None:
        languages = services.get_convening(self.store).languages
        self.codes.value = ",".join(languages)
        names = ", ".join(f"<span{lang_attrs(t)}>{esc(language_name(t))}</span> ({esc(t)})" for t in languages)
        self.listing.value = f"<p>{names}</p>"

    def _save(self) -> None:
        try:
            services.set_languages(self.store, self.codes.value)
        except LessonkitError as exc:
            self.status.value = message(_problem(exc, {"languages": self.codes.description}), "error")
            return
        self.render()
        self.status.value = message(_("Saved the convening's languages."), "ok")
        if self.on_change is not None:
            self.on_change()


def languages_line(session: Session) -> str:
    """The session's languages: the original marked with an asterisk (plain text, for tables)."""
    return ", ".join([f"{session.language}*", *(t.language for t in session.translations)])


class SessionTranslationPanel(widgets.VBox):
    """Choose a session and a language; write its title and prompts in that language (in the original's order)."""

    def __init__(self, store: Store, on_change: Callable[[], Any] | None = None) -> None:
        self.store = store
        self.on_change = on_change
        self.sessions: dict[int, Session] = {}
        self.session = widgets.Dropdown(description=_("Session"), style=_WIDE)
        self.language = widgets.Dropdown(description=_("Language"), style=_WIDE)
        self.original = widgets.HTML()
        self.title = widgets.Text(description=_("Title in this language"), style=_WIDE, continuous_update=False)
        self.prompts = widgets.Textarea(
            description=_("Prompts in this language (one per line, same order)"),
            style=_WIDE,
            layout=widgets.Layout(width="100%", max_width="48em", height="6em"),
            continuous_update=False,
        )
        self.save = widgets.Button(description=_("Save translation"), button_style="primary")
        self.status = widgets.HTML()
        super().__init__(
            children=[
                widgets.HTML(heading(_("Sessions in other languages"), 4)),
                widgets.HBox([self.session, self.language]),
                self.original,
                self.title,
                self.prompts,
                self.save,
                self.status,
            ]
        )
        self.session.observe(lambda _c: self.show(), names="value")
        self.language.observe(lambda _c: self.show(), names="value")
        self.save.on_click(lambda _b: self._save())
        self.load()

    def load(self) -> None:
        keep = self.session.value
        self.sessions = {s.id: s for s in services.list_sessions(self.store) if s.id is not None}
        self.session.options = [(f"#{s.id} {s.title}", s.id) for s in self.sessions.values()]
        self.session.value = keep if keep in self.sessions else next(iter(self.sessions), None)
        self.show()

    def show(self) -> None:
        session = self.sessions.get(self.session.value) if self.session.value is not None else None
        if session is None:
            self.original.value = message(_("No session yet."), "info")
            return
        keep = self.language.value
        others = [t for t in services.get_convening(self.store).languages if t != session.language]
        self.language.options = [(language_name(t), t) for t in others]
        self.language.value = keep if keep in others else (others[0] if others else None)
        prompts = "".join(f"<li>{esc(p)}</li>" for p in session.prompts)
        note = esc(_("Original in {language}.").format(language=language_name(session.language)))
        self.original.value = (
            f"<div{lang_attrs(session.language)}><b>{esc(session.title)}</b><ol>{prompts}</ol></div>"
            f"<p><small>{note}</small></p>"
        )
        if not others:
            self.original.value += message(_("Add another language to the convening first."), "info")
        existing = session.translation(self.language.value) if self.language.value else None
        self.title.value = existing.title if existing else ""
        self.prompts.value = "\n".join(existing.prompts) if existing else ""

    def _save(self) -> None:
        if self.session.value is None or self.language.value is None:
            self.status.value = message(_("Session: choose a session and a language first."), "error")
            return
        labels = {"title": self.title.description, "translations": self.prompts.description}
        try:
            session = services.translate_session(
                self.store,
                int(self.session.value),
                self.language.value,
                self.title.value,
                self.prompts.value.splitlines(),
            )
        except LessonkitError as exc:
            self.status.value = message(_problem(exc, labels), "error")
            return
        self.load()
        self.status.value = message(
            _("Saved '{title}' in {language}.").format(
                title=session.title_in(self.language.value).text, language=language_name(self.language.value)
            ),
            "ok",
        )
        if self.on_change is not None:
            self.on_change()
