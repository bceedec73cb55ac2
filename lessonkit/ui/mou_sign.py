"""Status and sign-off (next steps, signatures bound to a version), and what is due or overdue."""

from __future__ import annotations

from datetime import date
from typing import Any

import ipywidgets as widgets

from lessonkit.domain import validation as v
from lessonkit.domain.mou_schedule import coordinator_on, next_handover
from lessonkit.domain.mou_state import MouState
from lessonkit.domain.mou_status import TRANSITIONS, MouStatus, status_label
from lessonkit.i18n import _, format_date, format_datetime, pgettext
from lessonkit.services.due import what_is_due
from lessonkit.services.mou_decisions import set_status, sign
from lessonkit.ui.due import due_html
from lessonkit.ui.html import esc, heading, message, table
from lessonkit.ui.mou_common import WIDE, MouHub, Panel, author_field, hub_for, no_mou_yet


def step_label(target: MouStatus) -> str:
    return {
        MouStatus.PROPOSED: _("Propose for decision"),
        MouStatus.AGREED: _("Mark agreed"),
        MouStatus.DRAFT: _("Back to draft"),
        MouStatus.UNDER_REVIEW: _("Start review"),
        MouStatus.RENEWED: _("Renew"),
        MouStatus.ENDED: _("End (exit and handover)"),
        MouStatus.SIGNED: _("Signed"),
    }[target]


def summary_html(state: MouState) -> str:
    r = state.record
    lines = [
        _("Status: {s}").format(s=status_label(r.status)),
        _("Latest version: {n}").format(n=state.latest.number),
        _("Latest agreed version: {n}").format(n=r.agreed_version or "-"),
        _("Signed version in force: {n}").format(n=r.signed_version or "-"),
        _("Open blocks: {b}; open concerns: {c}; proposals waiting: {p}").format(
            b=len(state.blocks()), c=len(state.concerns()), p=len(state.pending())
        ),
    ]
    return "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"


class MouSignoff(Panel):
    """Take the next status step, record each party's signature, and see the history."""

    def __init__(self, hub: MouHub) -> None:
        super().__init__(hub)
        self.summary = widgets.HTML()
        self.author = author_field()
        self.note = widgets.Text(description=_("Note for the history"), style=WIDE)
        self.steps = widgets.HBox()
        self.party = widgets.Dropdown(description=_("Party"), style=WIDE)
        self.signatory = widgets.Text(description=_("Signatory's name"), style=WIDE)
        self.role = widgets.Text(description=_("Role"), style=WIDE)
        self.signed_on = widgets.DatePicker(value=v.now().date(), description=_("Date"), style=WIDE)
        self.version = widgets.BoundedIntText(min=1, max=10_000, description=_("Version signed"), style=WIDE)
        self.sign = widgets.Button(description=_("Record signature"), button_style="primary")
        self.signatures = widgets.HTML()
        self.history = widgets.HTML()
        self.sign.on_click(lambda _b: self._sign())
        self.refresh()

    def refresh(self) -> None:
        state = self.hub.state()
        if state is None:
            self.children = [widgets.HTML(no_mou_yet())]
            return
        record = state.record
        self.summary.value = summary_html(state)
        buttons = []
        for target in TRANSITIONS[record.status]:
            button = widgets.Button(description=step_label(target))
            button.on_click(lambda _b, t=target: self._step(t))
            buttons.append(button)
        self.steps.children = buttons
        party = self.party.value
        self.party.options = [p.name for p in record.parties]
        if self.party.options:
            self.party.value = party if party in self.party.options else self.party.options[0]
        self.version.value = record.agreed_version or state.latest.number
        self.author.value = self.author.value or self.hub.author
        rows = [(s.party, s.signatory, s.role, s.signed_on, s.version) for s in state.signatures]
        self.signatures.value = (
            table([_("Party"), _("Signatory"), _("Role"), _("Date"), _("Version")], rows)
            if rows
            else message(_("No signatures yet."), "info")
        )
        steps = [
            (format_datetime(h.at, "short"), f"{status_label(h.old)} → {status_label(h.new)}", h.by, h.shown_note)
            for h in reversed(record.history)
        ]
        self.history.value = table([_("When"), _("Step"), _("By"), pgettext("comment", "Note")], steps) if steps else ""
        signing = record.status is MouStatus.AGREED
        sign_box = (
            [
                widgets.HTML(heading(_("Sign-off"), 4)),
                self.party,
                self.signatory,
                self.role,
                self.signed_on,
                self.version,
                self.sign,
            ]
            if signing
            else []
        )
        self.children = [
            self.summary,
            self.author,
            self.note,
            self.steps,
            *sign_box,
            self.status,
            self.signatures,
            self.history,
        ]

    def _step(self, target: MouStatus) -> None:
        def action() -> str:
            record = set_status(self.hub.store, target, self.who(self.author), self.note.value)
            self.note.value = ""
            return _("The memorandum is now: {s}.").format(s=status_label(record.status))

        self.run(action, _("Not changed."))

    def _sign(self) -> None:
        def action() -> str:
            s = sign(
                self.hub.store,
                self.party.value or "",
                self.signatory.value,
                self.role.value,
                self.signed_on.value,
                self.version.value,
                self.who(self.author),
            )
            self.signatory.value, self.role.value = "", ""
            return _("{party} signed version {n} ({who}, {role}).").format(
                party=s.party, n=s.version, who=s.signatory, role=s.role
            )

        self.run(action)


class MouDue(Panel):
    """What is due or overdue: review, consent re-evaluations, handovers of coordination, metric reports."""

    def __init__(self, hub: MouHub, today: date | None = None) -> None:
        super().__init__(hub)
        self.today = widgets.DatePicker(value=today or v.now().date(), description=_("As of"), style=WIDE)
        self.days = widgets.BoundedIntText(value=30, min=1, max=365, description=_("Due within (days)"), style=WIDE)
        self.items = widgets.HTML()
        for w in (self.today, self.days):
            w.observe(lambda _c: self.refresh(), names="value")
        self.children = [widgets.HBox([self.today, self.days]), self.items]
        self.refresh()

    def refresh(self) -> None:
        state = self.hub.state()
        day = self.today.value or v.now().date()
        # the convening's one "what is due" list: the memorandum's dates with consent and risk reviews and pledges
        body = due_html(what_is_due(self.hub.store, day, int(self.days.value)))
        if state is None:
            self.items.value = no_mou_yet() + body
            return
        slots = [s for c in state.latest.clauses for s in c.rotation]
        now, nxt = coordinator_on(slots, day), next_handover(slots, day)
        lead = _("Coordinating now: {p}.").format(p=now.party if now else _("nobody"))
        if nxt:
            lead += " " + _("Next: {p} from {d}.").format(p=nxt.party, d=format_date(nxt.start))
        self.items.value = f"<p>{esc(lead)}</p>{body}"


def mou_signoff(convening: str | None = None, home: str | None = None, store: Any = None) -> MouSignoff:
    """Status steps and sign-off: each party's signatory, role, date and the exact version signed."""
    return MouSignoff(hub_for(convening, home, store))


def mou_due(
    convening: str | None = None, home: str | None = None, store: Any = None, today: date | None = None
) -> MouDue:
    """What is due or overdue: review, consent re-evaluation, handovers, reports."""
    return MouDue(hub_for(convening, home, store), today)
