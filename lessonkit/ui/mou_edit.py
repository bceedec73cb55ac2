"""The facilitator's clause editor: clauses with guidance, structured parts as lines, a summary.

Saving makes a new immutable version. If someone saved a newer version meanwhile (an accepted proposal,
another laptop), the save is refused and what was typed stays in the editor.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit.domain.mou import Clause, ClauseKind, eligible_parties, new_clause_key
from lessonkit.domain.mou_parts import ConsentReview, Metric, RotationSlot, format_lines, parse_lines
from lessonkit.domain.mou_state import MouState
from lessonkit.domain.mou_status import status_label
from lessonkit.errors import ValidationError
from lessonkit.i18n import _, language_name
from lessonkit.services.convenings import get_convening
from lessonkit.services.mou import create_mou, save_version, template_languages
from lessonkit.services.participants import list_participants
from lessonkit.ui.html import esc, message
from lessonkit.ui.mou_common import WIDE, MouHub, Panel, author_field, hub_for, wide


def line_spec(kind: ClauseKind) -> tuple[str, type[Any], str] | None:
    """(clause attribute, item type, how to write one line) for clauses with a structured part."""
    return {
        ClauseKind.ROTATION: (
            "rotation",
            RotationSlot,
            _("Schedule, one period per line: from | to | party"),
        ),
        ClauseKind.METRICS: (
            "metrics",
            Metric,
            _("Metrics, one per line: metric | baseline | target | how measured | who reports | when (YYYY-MM-DD)"),
        ),
        ClauseKind.CONSENT_REVIEW: ("consent_reviews", ConsentReview, _("One line per party: party | date")),
    }.get(kind)


class ClauseEditor(widgets.VBox):
    """One clause: title, guidance, text, its structured part, and 'remove'."""

    def __init__(self, clause: Clause) -> None:
        self.clause = clause
        self.title = widgets.Text(value=clause.title, description=_("Title"), style=WIDE, layout=wide())
        guidance = f"<p style='color:#555'><i>{esc(clause.guidance)}</i></p>" if clause.guidance else ""
        self.text = widgets.Textarea(value=clause.text, description=_("Text"), style=WIDE, layout=wide(height="9em"))
        self.lines: widgets.Textarea | None = None
        self.review_date: widgets.DatePicker | None = None
        children: list[widgets.Widget] = [self.title, widgets.HTML(guidance), self.text]
        spec = line_spec(clause.kind)
        if spec is not None:
            attr, _kind, label = spec
            self.lines = widgets.Textarea(
                value=format_lines(getattr(clause, attr)),
                placeholder=label,
                description=_("Schedule") if attr == "rotation" else _("Items"),
                style=WIDE,
                layout=wide(height="6em"),
            )
            children += [widgets.HTML(f"<small>{esc(label)}</small>"), self.lines]
        if clause.kind is ClauseKind.REVIEW:
            self.review_date = widgets.DatePicker(value=clause.review_date, description=_("Next review"), style=WIDE)
            children.append(self.review_date)
        self.remove = widgets.Checkbox(value=False, description=_("Remove this clause when saving"), indent=False)
        super().__init__(children=[*children, self.remove])

    def to_dict(self) -> dict[str, Any]:
        """The clause as typed; a badly written line raises a ValidationError naming the clause and line."""
        data = {**self.clause.to_dict(), "title": self.title.value, "text": self.text.value}
        spec = line_spec(self.clause.kind)
        if self.lines is not None and spec is not None:
            attr, kind, _label = spec
            try:
                items = parse_lines(kind, attr, self.lines.value)
            except ValidationError as exc:
                raise ValidationError(f"{self.title.value}", exc.message) from None
            data[attr] = [i.to_dict() for i in items]
        if self.review_date is not None:
            data["review_date"] = self.review_date.value.isoformat() if self.review_date.value else None
        return data


class MouEditor(Panel):
    """Start the memorandum from the template, then edit clauses and save versions."""

    def __init__(self, hub: MouHub) -> None:
        super().__init__(hub)
        self.header = widgets.HTML()
        self.based_on: int | None = None
        self.editors: list[ClauseEditor] = []
        self.sections = widgets.Accordion()
        self.new_title = widgets.Text(description=_("New clause title"), style=WIDE)
        self.add = widgets.Button(description=_("Add clause"), icon="plus")
        self.author = author_field()
        self.summary = widgets.Text(description=_("What changed (one line)"), style=WIDE, layout=wide())
        self.save = widgets.Button(description=_("Save new version"), button_style="primary")
        self.reload = widgets.Button(
            description=_("Reload (discard unsaved edits)"), layout=widgets.Layout(width="auto")
        )
        self.title = widgets.Text(description=_("Title"), style=WIDE, layout=wide())
        self.parties = widgets.SelectMultiple(description=_("Parties"), style=WIDE, layout=wide(height="8em"))
        self.template_language = widgets.Dropdown(description=_("Authoritative language"), style=WIDE)
        self.start = widgets.Button(description=_("Start from the template"), button_style="primary")
        self.add.on_click(lambda _b: self._add_clause())
        self.save.on_click(lambda _b: self._save())
        self.reload.on_click(lambda _b: self._load(self.hub.state(), force=True))
        self.start.on_click(lambda _b: self._start())
        self._load(hub.state(), force=True)

    # --- building -------------------------------------------------------------------------------------------

    def _show_start(self) -> None:
        eligible = eligible_parties(list_participants(self.hub.store))
        self.parties.options = [p.name for p in eligible]
        self.header.value = message(
            _("No memorandum yet. Choose the parties (groups of registered participants) and start from the template."),
            "info",
        )
        self.author.value = self.author.value or self.hub.author
        available = template_languages()
        self.template_language.options = [(language_name(lang), lang) for lang in available]
        first = get_convening(self.hub.store).first_language
        self.template_language.value = first if first in available else ("en" if "en" in available else available[0])
        self.children = [
            self.header,
            self.title,
            self.parties,
            self.template_language,
            self.author,
            self.start,
            self.status,
        ]

    def _load(self, state: MouState | None, force: bool = False) -> None:
        if state is None:
            self._show_start()
            return
        if not force and self.based_on == state.latest.number:
            return
        latest = state.latest
        self.based_on = latest.number
        self.editors = [ClauseEditor(c) for c in latest.clauses]
        self.sections.children = self.editors
        self.sections.titles = tuple(f"{i}. {c.title}" for i, c in enumerate(latest.clauses, start=1))
        self.header.value = (
            f"<h3>{esc(state.record.title)}</h3><p>"
            + esc(
                _("Editing version {n} ({status}). Saving makes version {m}; earlier versions never change.").format(
                    n=latest.number, status=status_label(state.record.status), m=latest.number + 1
                )
            )
            + "</p>"
        )
        self.author.value = self.author.value or self.hub.author
        self.children = [
            self.header,
            self.sections,
            widgets.HBox([self.new_title, self.add]),
            self.author,
            self.summary,
            widgets.HBox([self.save, self.reload]),
            self.status,
        ]

    def refresh(self) -> None:
        state = self.hub.state()
        if state is None or self.based_on is None or not self.dirty():
            self._load(state, force=self.based_on is None)
            return
        if state.latest.number != self.based_on:
            self.status.value = message(
                _(
                    "Version {n} was saved meanwhile ({summary}). Your unsaved edits are kept, but "
                    "saving them will be refused: copy them, press Reload, and apply them again."
                ).format(n=state.latest.number, summary=state.latest.summary),
                "info",
            )

    def dirty(self) -> bool:
        """True when the editor holds edits that are not in the version it was loaded from."""
        try:
            typed = self.clause_dicts()
        except ValidationError:
            return True
        return typed != [e.clause.to_dict() for e in self.editors] or self.summary.value.strip() != ""

    def clause_dicts(self) -> list[dict[str, Any]]:
        return [e.to_dict() for e in self.editors if not e.remove.value]

    # --- actions --------------------------------------------------------------------------------------------

    def _add_clause(self) -> None:
        title = self.new_title.value.strip()
        if not title:
            self.status.value = message(_("New clause title: write a title first."), "error")
            return
        key = new_clause_key(title, [e.clause.key for e in self.editors])
        editor = ClauseEditor(Clause(key=key, title=title, text=""))
        self.editors.append(editor)
        self.sections.children = self.editors
        self.sections.titles = (
            *self.sections.titles[: len(self.editors) - 1],
            f"{len(self.editors)}. {title}",
        )
        self.sections.selected_index = len(self.editors) - 1
        self.new_title.value = ""
        self.status.value = message(_("Clause added below: write its text, then save a new version."), "info")

    def _save(self) -> None:
        def action() -> str:
            version = save_version(
                self.hub.store,
                self.clause_dicts(),
                self.who(self.author),
                self.summary.value,
                based_on=self.based_on,
            )
            self.summary.value = ""
            self._load(self.hub.state(), force=True)
            return _("Saved version {n}: {summary}").format(n=version.number, summary=version.summary)

        self.run(action)

    def _start(self) -> None:
        def action() -> str:
            state = create_mou(
                self.hub.store,
                self.who(self.author),
                title=self.title.value.strip() or None,
                parties=list(self.parties.value),
                language=self.template_language.value,
            )
            return _("Started '{title}' from the template: version 1, draft.").format(title=state.record.title)

        self.run(action)


def mou_editor(convening: str | None = None, home: str | None = None, store: Any = None) -> MouEditor:
    """The clause editor of a convening's memorandum (starts one from the template when there is none)."""
    return MouEditor(hub_for(convening, home, store))
