"""The facilitator's "Where the room agrees" panel: put statements to the room (typed, or taken from a note), then
find the opinion groups (Pol.is's method): a map of anonymous points, each group's distinctive statements, and the
statements every group agrees on. What is shown is the disclosure layer's answer for the panel's audience.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.levels import Sensitivity, parse_enum
from lessonkit.domain.opinion_groups import MIN_ANSWERS, group_name
from lessonkit.errors import LessonkitError
from lessonkit.i18n import _, language_name, ngettext
from lessonkit.services.convenings import get_convening
from lessonkit.services.disclosure import Disclosure, Purpose
from lessonkit.services.opinions import RoomOpinions, add_statement, opinion_groups, shown_statements
from lessonkit.store.base import Store
from lessonkit.ui.context import open_store
from lessonkit.ui.html import esc, excerpt, message

__all__ = ["OpinionPanel", "opinion_panel", "opinions_html"]

_WIDE = {"description_width": "initial"}
_LAYOUT = {"width": "100%", "max_width": "48em"}


def _side(side: str, share: float) -> str:
    percent = round(100 * share)
    return (_("agreed by {p}%") if side == "agree" else _("disagreed by {p}%")).format(p=percent)


def opinions_html(found: RoomOpinions) -> str:
    """The groups in words: how many people, each group's distinctive statements, the consensus. Escaped."""
    g = found.groups
    parts = []
    if g.waiting:
        parts.append(
            ngettext(
                "{n} person has fewer than {m} answers and is not placed yet.",
                "{n} people have fewer than {m} answers and are not placed yet.",
                g.waiting,
            ).format(n=g.waiting, m=MIN_ANSWERS)
        )
    if g.k == 0:
        parts.append(
            _("Opinion groups appear once at least two people have answered {m} statements.").format(m=MIN_ANSWERS)
        )
        return "".join(message(p, "info") for p in parts)
    if g.k == 1:
        parts.append(_("The room does not divide into groups (yet): everyone placed is shown as one group."))
    html = "".join(message(p, "info") for p in parts)
    for index, (size, items) in enumerate(zip(g.sizes(), g.distinctive or [()] * g.k, strict=True)):
        if g.k == 1:
            break
        title = ngettext("Group {name} ({n} person)", "Group {name} ({n} people)", size).format(
            name=group_name(index), n=size
        )
        rows = "".join(
            f'<li><span dir="auto">{esc(found.text(d.statement))}</span> '
            f"<small>({esc(_side(d.side, d.share))})</small></li>"
            for d in items
        )
        html += f"<h4>{esc(title)}</h4><ul>{rows}</ul>"
    consensus = "".join(f'<li dir="auto">{esc(found.text(s))}</li>' for s in g.consensus)
    agreed, none_yet = _("What every group agrees on"), _("No statement yet that every group agrees with.")
    html += f"<h4>{esc(agreed)}</h4>"
    html += f"<ul>{consensus}</ul>" if consensus else f"<p>{esc(none_yet)}</p>"
    return html


class OpinionPanel(widgets.VBox):
    """Type a statement (or pick a note), Add; Find opinion groups; the map and the groups below."""

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
        self.text = widgets.Text(description=_("Statement"), continuous_update=False, style=_WIDE, layout=_LAYOUT)
        languages = get_convening(store).languages
        self.language = widgets.Dropdown(
            options=[(language_name(t), t) for t in languages],
            value=languages[0],
            description=_("Written in"),
            style=_WIDE,
        )
        self.add = widgets.Button(description=_("Add statement"), button_style="primary")
        self.note = widgets.Dropdown(description=_("Or a note"), style=_WIDE, layout=_LAYOUT)
        self.add_note = widgets.Button(description=_("Add the note as a statement"))
        self.listing = widgets.HTML()
        self.find = widgets.Button(description=_("Find opinion groups"), button_style="success")
        self.picture = widgets.Image(format="png", layout={"max_width": "40em"})
        self.picture.layout.display = "none"
        self.groups = widgets.HTML()
        self.status = widgets.HTML()
        super().__init__(
            children=[
                widgets.HBox([self.text, self.language, self.add]),
                widgets.HBox([self.note, self.add_note]),
                self.listing,
                self.find,
                self.status,
                self.picture,
                self.groups,
            ]
        )
        self.add.on_click(lambda _b: self._act(self._add))
        self.add_note.on_click(lambda _b: self._act(self._add_note))
        self.find.on_click(lambda _b: self._act(self._find))
        self.load()

    def load(self) -> None:
        """The session's statements and the notes that may become one, as the audience may see them."""
        if self.session_id is None:
            return
        shown = shown_statements(self.store, self.session_id, self.audience)
        items = "".join(f'<li dir="auto">{esc(s.text)}</li>' for s in shown)
        count = ngettext("{n} statement", "{n} statements", len(shown)).format(n=len(shown))
        self.listing.value = f"<p>{esc(count)}</p><ol>{items}</ol>"
        taken = {s.statement.note_id for s in shown}
        notes = Disclosure.open(self.store, self.audience, Purpose.BOARD).notes([self.session_id]).shown
        self.note.options = [
            (f"#{s.note.id} {excerpt(s.note.text, 70)}", s.note.id) for s in notes if s.note.id not in taken
        ]

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
        self.status.value = message(done, "ok")
        self.load()
        if self.on_change is not None:
            self.on_change()

    def _add(self) -> str:
        made = add_statement(self.store, self.session_id or 0, self.text.value, self.language.value)
        self.text.value = ""
        return _("Statement {id} added: participants answer it on the agree form (agree.ipynb).").format(id=made.id)

    def _add_note(self) -> str:
        if self.note.value is None:
            raise LessonkitError(_("Or a note: choose a note first."))
        made = add_statement(self.store, self.session_id or 0, note_id=int(self.note.value))
        return _("Statement {id} added: participants answer it on the agree form (agree.ipynb).").format(id=made.id)

    def _find(self) -> str:
        from lessonkit.export import opinion_map

        found = opinion_groups(self.store, self.session_id or 0, self.audience)
        self.groups.value = opinions_html(found)
        if found.groups.points:
            self.picture.value = opinion_map(found.groups)
            self.picture.layout.display = None
        placed = len(found.groups.participants)
        return ngettext("{n} person placed.", "{n} people placed.", placed).format(n=placed)


def opinion_panel(
    convening: str | None = None,
    session: int | str | None = None,
    home: str | None = None,
    board: Any = None,
    audience: str = "convening",
) -> OpinionPanel:
    """Statements and opinion groups of a session. With ``board=`` (a LiveBoard): its session and audience."""
    from lessonkit.ui.board import pick_session

    if board is not None:
        chosen = board.session
        return OpinionPanel(board.store, chosen.id if chosen else None, board.audience)
    store = open_store(convening, home)
    chosen = pick_session(store, session)
    return OpinionPanel(store, chosen.id if chosen else None, audience)
