"""Positions per party per clause (agree / concern / block, with a reason) and the grid that shows them."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit.domain.mou_decisions import Position, Stance, current_positions, is_stale, stance_label
from lessonkit.domain.mou_state import MouState
from lessonkit.i18n import _
from lessonkit.services.mou_decisions import record_position
from lessonkit.ui.html import esc, message, table
from lessonkit.ui.mou_common import WIDE, MouHub, Panel, author_field, hub_for, no_mou_yet, wide

SYMBOLS = {Stance.AGREE: ("✓", "#2e7d32"), Stance.CONCERN: ("!", "#ef6c00"), Stance.BLOCK: ("✖", "#b71c1c")}


def _cell(p: Position | None, stale: bool) -> str:
    if p is None:
        return "<td style='text-align:center;color:#999'>·</td>"
    symbol, colour = SYMBOLS[p.stance]
    tip = esc(f"{stance_label(p.stance)}: {p.reason}" if p.reason else stance_label(p.stance))
    mark = "<sup title='" + esc(_("taken on an earlier text of this clause")) + "'>*</sup>" if stale else ""
    return f"<td style='text-align:center;color:{colour}' title='{tip}'>{symbol}{mark}</td>"


def grid_html(state: MouState) -> str:
    """Clauses down, parties across; hover a mark for its reason. * = taken on an earlier text."""
    current = current_positions(state.positions)
    parties = state.record.parties
    head = "".join(f"<th style='padding:.2em .5em'>{esc(p.name)}</th>" for p in parties)
    rows = []
    for c in state.latest.clauses:
        cells = []
        for party in parties:
            p = current.get((party.name.casefold(), c.key))
            taken_on = next((v for v in state.versions if p and v.number == p.version), None)
            cells.append(_cell(p, bool(p and is_stale(p, taken_on, state.latest))))
        rows.append(f"<tr><td style='padding:.2em .5em'>{esc(c.title)}</td>{''.join(cells)}</tr>")
    legend = esc(_("✓ agree   ! concern   ✖ block   · no position yet   * taken on an earlier text"))
    return (
        f"<table class='lk-table' style='border-collapse:collapse'><thead><tr><th></th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table><p><small>{legend}</small></p>"
    )


def open_items_html(state: MouState) -> str:
    titles = {c.key: c.title for c in state.latest.clauses}
    rows = [
        (stance_label(p.stance), titles[p.clause_key], p.party, p.reason or _("(no reason given)"))
        for p in state.blocks() + state.concerns()
    ]
    if not rows:
        return message(_("No open blocks or concerns."), "ok")
    note = (
        message(_("A block stops agreement and signing until the blocking party records a new position."), "info")
        if state.blocks()
        else ""
    )
    return note + table([_("Position"), _("Clause"), _("Party"), _("Reason")], rows)


class MouPositions(Panel):
    """Record a party's position on a clause; see every party's current position on every clause."""

    def __init__(self, hub: MouHub) -> None:
        super().__init__(hub)
        self.grid = widgets.HTML()
        self.open_items = widgets.HTML()
        self.party = widgets.Dropdown(description=_("Party"), style=WIDE)
        self.clause = widgets.Dropdown(description=_("Clause"), style=WIDE, layout=wide())
        self.stance = widgets.ToggleButtons(
            options=[(stance_label(s), s.value) for s in Stance],
            value=Stance.AGREE.value,
            description=_("Position"),
            style=WIDE,
        )
        self.reason = widgets.Textarea(
            description=_("Reason"),
            placeholder=_("required for a block: what would have to change for the party to consent?"),
            style=WIDE,
            layout=wide(height="4em"),
        )
        self.author = author_field()
        self.record = widgets.Button(description=_("Record position"), button_style="primary")
        self.record.on_click(lambda _b: self._record())
        self.refresh()

    def refresh(self) -> None:
        state = self.hub.state()
        if state is None:
            self.children = [widgets.HTML(no_mou_yet())]
            return
        party, clause = self.party.value, self.clause.value
        self.party.options = [p.name for p in state.record.parties]
        self.clause.options = [(c.title, c.key) for c in state.latest.clauses]
        if self.party.options:
            self.party.value = party if party in self.party.options else self.party.options[0]
        keys = state.latest.keys()
        self.clause.value = clause if clause in keys else keys[0]
        self.author.value = self.author.value or self.hub.author
        self.grid.value = grid_html(state)
        self.open_items.value = open_items_html(state)
        self.children = [
            self.grid,
            self.open_items,
            self.party,
            self.clause,
            self.stance,
            self.reason,
            self.author,
            self.record,
            self.status,
        ]

    def _record(self) -> None:
        def action() -> str:
            p = record_position(
                self.hub.store,
                self.party.value or "",
                self.clause.value or "",
                self.stance.value,
                self.reason.value,
                self.who(self.author),
            )
            self.reason.value = ""
            return _("Recorded: {party} — {stance} on '{clause}'.").format(
                party=p.party, stance=stance_label(p.stance), clause=self.clause.label
            )

        self.run(action)


def mou_positions(convening: str | None = None, home: str | None = None, store: Any = None) -> MouPositions:
    """Positions per party per clause, and the form to record one."""
    return MouPositions(hub_for(convening, home, store))
