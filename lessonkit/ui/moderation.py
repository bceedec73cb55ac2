"""Moderation of a listening session: hide, show again, merge duplicates, raise sensitivity.

Nothing is deleted here, and sensitivity only ever goes up. Errors from the services show inline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from lessonkit import services
from lessonkit.domain.levels import Moderation, Sensitivity, level_name, moderation_name
from lessonkit.domain.records import Note
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _, pgettext
from lessonkit.store.base import Store
from lessonkit.ui.context import open_store
from lessonkit.ui.html import excerpt, message

_WIDE = {"description_width": "initial"}


def note_label(note: Note) -> str:
    """One dropdown line: number, state, level, excerpt (plain text: dropdowns never render HTML)."""
    state = "" if note.moderation is Moderation.VISIBLE else f"[{moderation_name(note.moderation)}] "
    return f"#{note.id} {state}({level_name(note.sensitivity)}) {excerpt(note.text, 50)}"


class ModerationPanel(widgets.VBox):
    """Choose a note, then Hide / Show again / Merge into / Raise sensitivity; a status line reports back."""

    def __init__(
        self, store: Store, session_id: int | None, on_change: Callable[[], Any] | None = None
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.on_change = on_change
        self.notes: dict[int, Note] = {}
        layout = {"width": "100%", "max_width": "48em"}
        self.note = widgets.Dropdown(description=pgettext("a participant's note", "Note"), style=_WIDE, layout=layout)
        self.hide = widgets.Button(description=_("Hide"), button_style="warning")
        self.show = widgets.Button(description=_("Show again"))
        self.into = widgets.Dropdown(description=_("Note to keep"), style=_WIDE, layout=layout)
        self.merge = widgets.Button(description=_("Merge into the note to keep"))
        self.level = widgets.Dropdown(
            options=[(level_name(s), s.value) for s in Sensitivity],
            description=pgettext("sensitivity of a note", "Level"),
            style=_WIDE,
        )
        self.raise_level = widgets.Button(description=_("Raise sensitivity"))
        self.reload = widgets.Button(description=_("Reload notes"), icon="refresh")
        self.status = widgets.HTML()
        super().__init__(
            children=[
                widgets.HBox([self.note, self.reload]),
                widgets.HBox([self.hide, self.show]),
                widgets.HBox([self.into, self.merge]),
                widgets.HBox([self.level, self.raise_level]),
                self.status,
            ]
        )
        self.note.observe(self._on_note, names="value")
        self.hide.on_click(lambda _b: self._act(self._hide))
        self.show.on_click(lambda _b: self._act(self._show))
        self.merge.on_click(lambda _b: self._act(self._merge))
        self.raise_level.on_click(lambda _b: self._act(self._raise))
        self.reload.on_click(lambda _b: self.load())
        self.load()

    def load(self) -> None:
        """Read the session's notes again, keeping the current choice where it still exists."""
        current = self.note.value
        notes = services.list_notes(self.store, self.session_id) if self.session_id is not None else []
        self.notes = {n.id: n for n in notes if n.id is not None}
        self.note.options = [(note_label(n), n.id) for n in notes]
        self.note.value = current if current in self.notes else (notes[0].id if notes else None)
        self._on_note()

    def _on_note(self, change: Any = None) -> None:
        chosen = self.notes.get(self.note.value) if self.note.value is not None else None
        targets = [n for n in self.notes.values() if n.moderation is Moderation.VISIBLE and n is not chosen]
        keep = self.into.value
        self.into.options = [(note_label(n), n.id) for n in targets]
        self.into.value = keep if keep in {n.id for n in targets} else (targets[0].id if targets else None)
        if chosen is not None:
            self.level.value = chosen.sensitivity.value

    def _act(self, action: Callable[[int], str]) -> None:
        if self.note.value is None:
            self.status.value = message(_("Note: choose a note first."), "error")
            return
        try:
            done = action(int(self.note.value))
        except LessonkitError as exc:
            why = exc.message if isinstance(exc, ValidationError) else str(exc)  # a whole sentence: no field code
            self.status.value = message(_("Nothing changed. {error}").format(error=why), "error")
            return
        self.load()
        self.status.value = message(done, "ok")
        if self.on_change is not None:
            self.on_change()

    def _hide(self, note_id: int) -> str:
        services.hide_note(self.store, note_id, hidden=True)
        return _("Note #{id} is hidden from the board.").format(id=note_id)

    def _show(self, note_id: int) -> str:
        services.hide_note(self.store, note_id, hidden=False)
        return _("Note #{id} shows on the board again.").format(id=note_id)

    def _merge(self, note_id: int) -> str:
        if self.into.value is None:
            raise LessonkitError(_("Note to keep: choose the note the duplicate is merged into."))
        services.merge_notes(self.store, note_id, int(self.into.value))
        return _("Note #{dup} was merged into note #{keep}.").format(dup=note_id, keep=self.into.value)

    def _raise(self, note_id: int) -> str:
        note = services.raise_sensitivity(self.store, note_id, self.level.value)
        return _("Note #{id} is now at the level '{level}'.").format(id=note_id, level=level_name(note.sensitivity))


def moderation_panel(
    convening: str | None = None,
    session: int | str | None = None,
    home: str | None = None,
    board: Any = None,
) -> ModerationPanel:
    """Moderate a session's notes. With ``board=`` (a LiveBoard): its session; the board refreshes at once."""
    from lessonkit.ui.board import pick_session

    if board is not None:
        store = board.store
        chosen = board.session
        return ModerationPanel(store, chosen.id if chosen else None, on_change=lambda: board.refresh())
    store = open_store(convening, home)
    chosen = pick_session(store, session)
    return ModerationPanel(store, chosen.id if chosen else None)
