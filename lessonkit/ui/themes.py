"""The facilitator's Themes panel: suggest themes for a session's notes, accept them, then rename, merge, split
them or move notes between them. Suggestions and themes are what the panel's audience (by default the room) may see:
the disclosure layer decides, this panel only shows and asks. Errors show inline; nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.levels import Sensitivity, parse_enum
from lessonkit.errors import LessonkitError
from lessonkit.i18n import _, ngettext
from lessonkit.services.disclosure import ShownTheme
from lessonkit.services.themes import (
    Suggestion,
    accept_theme,
    dismiss_theme,
    merge_themes,
    move_note,
    rename_theme,
    shown_themes,
    split_theme,
    suggest_themes,
)
from lessonkit.store.base import Store
from lessonkit.ui.context import open_store
from lessonkit.ui.html import esc, excerpt, message
from lessonkit.ui.themes_html import themes_html

__all__ = ["ThemesPanel", "themes_panel"]

_WIDE = {"description_width": "initial"}
_LAYOUT = {"width": "100%", "max_width": "48em"}


def _count(n: int) -> str:
    return ngettext("{n} note", "{n} notes", n).format(n=n)


class ThemesPanel(widgets.VBox):
    """Suggest → accept (as a new theme or into one), then work on one accepted theme at a time."""

    def __init__(
        self,
        store: Store,
        session_id: int | None,
        audience: str | Sensitivity = Sensitivity.CONVENING,
        on_change: Callable[[], Any] | None = None,
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.audience: Sensitivity = parse_enum(Sensitivity, "audience", audience)  # type: ignore[assignment]
        self.on_change = on_change
        self.suggestions: list[Suggestion] = []
        self.themes: list[ShownTheme] = []
        self.looseness = widgets.FloatSlider(
            value=0.9, min=0.6, max=0.99, step=0.01, description=_("How loosely to group"), style=_WIDE
        )
        self.suggest = widgets.Button(description=_("Suggest themes"), button_style="primary")
        self.suggested = widgets.Select(description=_("Suggestions"), rows=6, style=_WIDE, layout=_LAYOUT)
        self.preview = widgets.HTML()
        self.name = widgets.Text(description=_("Name (optional)"), continuous_update=False, style=_WIDE)
        self.accept_into = widgets.Dropdown(description=_("Accept as"), style=_WIDE, layout=_LAYOUT)
        self.accept = widgets.Button(description=_("Accept"), button_style="success")
        self.theme = widgets.Dropdown(description=_("Theme"), style=_WIDE, layout=_LAYOUT)
        self.rename_to = widgets.Text(description=_("New name"), continuous_update=False, style=_WIDE)
        self.rename = widgets.Button(description=_("Rename"))
        self.merge_with = widgets.Dropdown(description=_("Merge in theme"), style=_WIDE, layout=_LAYOUT)
        self.merge = widgets.Button(description=_("Merge"))
        self.members = widgets.SelectMultiple(description=_("Its notes"), rows=5, style=_WIDE, layout=_LAYOUT)
        self.split = widgets.Button(description=_("Split them off as a new theme"))
        self.move_to = widgets.Dropdown(description=_("Move them to"), style=_WIDE, layout=_LAYOUT)
        self.move = widgets.Button(description=_("Move"))
        self.dismiss = widgets.Button(description=_("Dismiss theme"), button_style="warning")
        self.shown = widgets.HTML()
        self.status = widgets.HTML()
        super().__init__(
            children=[
                widgets.HBox([self.looseness, self.suggest]),
                self.suggested,
                self.preview,
                widgets.HBox([self.name, self.accept_into, self.accept]),
                widgets.HTML("<hr>"),
                self.theme,
                widgets.HBox([self.rename_to, self.rename]),
                widgets.HBox([self.merge_with, self.merge]),
                self.members,
                widgets.HBox([self.split, self.move_to, self.move]),
                self.dismiss,
                self.status,
                self.shown,
            ]
        )
        self.suggest.on_click(lambda _b: self._act(self._suggest))
        self.suggested.observe(self._on_suggestion, names="value")
        self.theme.observe(self._on_theme, names="value")
        self.accept.on_click(lambda _b: self._act(self._accept))
        self.rename.on_click(lambda _b: self._act(self._rename))
        self.merge.on_click(lambda _b: self._act(self._merge))
        self.split.on_click(lambda _b: self._act(self._split))
        self.move.on_click(lambda _b: self._act(self._move))
        self.dismiss.on_click(lambda _b: self._act(self._dismiss))
        self.load()

    # --- reading ------------------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the accepted themes again (keeping the chosen one where it still exists)."""
        self.themes = shown_themes(self.store, self.session_id, self.audience) if self.session_id else []
        current = self.theme.value
        options = [(f"{t.label} ({_count(len(t.notes))})", t.theme.id) for t in self.themes]
        ids = [t.theme.id for t in self.themes]
        self.theme.options = options
        self.theme.value = current if current in ids else (ids[0] if ids else None)
        self.accept_into.options = [(_("a new theme"), 0), *options]
        self.accept_into.value = 0
        self.shown.value = themes_html(self.themes)
        self._on_theme()

    def chosen_theme(self) -> ShownTheme | None:
        return next((t for t in self.themes if t.theme.id == self.theme.value), None)

    def _on_theme(self, change: Any = None) -> None:
        chosen = self.chosen_theme()
        others = [(label, tid) for label, tid in self.theme.options if chosen is None or tid != chosen.theme.id]
        self.merge_with.options = others
        self.merge_with.value = others[0][1] if others else None
        self.move_to.options = [(_("no theme"), 0), *others]
        self.move_to.value = 0
        self.members.options = [
            (f"#{s.note.id} {excerpt(s.note.text, 70)}", s.note.id) for s in (chosen.notes if chosen else ())
        ]
        self.rename_to.value = chosen.theme.name if chosen else ""

    def _on_suggestion(self, change: Any = None) -> None:
        index = self.suggested.value
        if index is None or not 0 <= index < len(self.suggestions):
            self.preview.value = ""
            return
        texts = self.suggestions[index].texts
        self.preview.value = "<ul>" + "".join(f'<li dir="auto">{esc(excerpt(t, 120))}</li>' for t in texts) + "</ul>"

    # --- acting -------------------------------------------------------------------------------------------

    def _act(self, action: Callable[[], str]) -> None:
        if self.session_id is None:
            self.status.value = message(
                _("No session yet: add one in the setup workbook (01_setup_convening)."), "info"
            )
            return
        try:
            done = action()
        except LessonkitError as exc:
            self.status.value = message(_("Nothing changed. {error}").format(error=exc), "error")
            return
        self.load()
        self.status.value = message(done, "ok")
        if self.on_change is not None:
            self.on_change()

    def _suggest(self) -> str:
        self.suggestions = suggest_themes(self.store, self.session_id or 0, self.audience, self.looseness.value)
        self.suggested.options = [(f"{s.label} ({_count(len(s.note_ids))})", i) for i, s in enumerate(self.suggestions)]
        self.suggested.value = 0 if self.suggestions else None
        self._on_suggestion()
        n = len(self.suggestions)
        return ngettext("{n} theme suggested.", "{n} themes suggested.", n).format(n=n)

    def _need(self, value: object, what: str) -> None:
        if value is None:
            raise LessonkitError(what)

    def _accept(self) -> str:
        self._need(self.suggested.value, _("Suggestions: choose a suggestion first (Suggest themes)."))
        suggestion = self.suggestions[int(self.suggested.value)]
        if self.accept_into.value:
            for note_id in suggestion.note_ids:
                move_note(self.store, note_id, int(self.accept_into.value))
            done = _("The notes joined the theme.")
        else:
            theme = accept_theme(self.store, self.session_id or 0, suggestion.note_ids, self.name.value)
            done = _("Theme {id} accepted.").format(id=theme.id)
        self.suggestions.pop(int(self.suggested.value))
        self.suggested.options = [(f"{s.label} ({_count(len(s.note_ids))})", i) for i, s in enumerate(self.suggestions)]
        self.suggested.value = None
        self.name.value = ""
        return done

    def _rename(self) -> str:
        self._need(self.theme.value, _("Theme: choose a theme first."))
        rename_theme(self.store, int(self.theme.value), self.rename_to.value)
        return _("Theme {id} renamed.").format(id=self.theme.value)

    def _merge(self) -> str:
        self._need(self.theme.value, _("Theme: choose a theme first."))
        self._need(self.merge_with.value, _("Merge in theme: choose the theme to merge in."))
        merge_themes(self.store, int(self.theme.value), int(self.merge_with.value))
        return _("Theme {other} was merged into theme {id}.").format(other=self.merge_with.value, id=self.theme.value)

    def _split(self) -> str:
        self._need(self.theme.value, _("Theme: choose a theme first."))
        if not self.members.value:
            raise LessonkitError(_("Its notes: choose the notes to split off."))
        made = split_theme(self.store, int(self.theme.value), list(self.members.value))
        return _("The notes are now theme {id}.").format(id=made.id)

    def _move(self) -> str:
        if not self.members.value:
            raise LessonkitError(_("Its notes: choose the notes to move."))
        target = int(self.move_to.value) if self.move_to.value else None
        for note_id in self.members.value:
            move_note(self.store, int(note_id), target)
        return _("The notes were moved.")

    def _dismiss(self) -> str:
        self._need(self.theme.value, _("Theme: choose a theme first."))
        dismiss_theme(self.store, int(self.theme.value))
        return _("Theme {id} dismissed; its notes may be suggested again.").format(id=self.theme.value)


def themes_panel(
    convening: str | None = None,
    session: int | str | None = None,
    home: str | None = None,
    board: Any = None,
    audience: str = "convening",
) -> ThemesPanel:
    """Group a session's notes into themes. With ``board=`` (a LiveBoard): its session and audience; the board shows
    the accepted themes and refreshes at once."""
    from lessonkit.ui.board import pick_session

    if board is not None:
        chosen = board.session
        return ThemesPanel(
            board.store, chosen.id if chosen else None, board.audience, on_change=lambda: board.refresh(force=True)
        )
    store = open_store(convening, home)
    chosen = pick_session(store, session)
    return ThemesPanel(store, chosen.id if chosen else None, audience)
