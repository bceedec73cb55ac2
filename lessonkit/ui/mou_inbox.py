"""The facilitator's inbox of proposed amendments: see each change as a diff, accept or decline with a note.

Proposals hold participants' words: a person who chose to be anonymous is shown as such (the inbox may end up
on a projector), and a proposal whose author shares only with facilitators carries a 'restricted' badge.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.mou_amendment import Amendment, AmendmentStatus, amendment_status_label
from lessonkit.domain.mou_diff import Op, word_diff
from lessonkit.domain.mou_state import MouState
from lessonkit.i18n import _, format_datetime, pgettext
from lessonkit.services.disclosure import Disclosure, Purpose, Withheld
from lessonkit.services.mou_amendments import accept_amendment, decline_amendment
from lessonkit.ui.html import esc, message, sensitivity_badge, table
from lessonkit.ui.mou_common import WIDE, MouHub, Panel, author_field, hub_for, no_mou_yet, wide

#: The inbox may end up on a projector: it names people as a board seen by the convening would.
INBOX_AUDIENCE = Sensitivity.CONVENING


def change_html(current: str, proposed: str) -> str:
    parts = []
    for s in word_diff(current, proposed):
        text = esc(s.text).replace("\n", "<br>")
        tag = {Op.INSERT: "ins", Op.DELETE: "del"}.get(s.op)
        parts.append(f"<{tag}>{text}</{tag}>" if tag else text)
    return "<p class='lk-diff' style='border-left:3px solid #ccc;padding-left:.6em'>" + " ".join(parts) + "</p>"


class ProposalCard(widgets.VBox):
    """One pending proposal with its diff against the clause as it is now, a note, Accept and Decline."""

    def __init__(self, amendment: Amendment, state: MouState, who: str, withdrawn: bool = False) -> None:
        self.amendment = amendment
        clause = state.latest.clause(amendment.clause_key)
        badge = sensitivity_badge(amendment.sensitivity) if amendment.sensitivity is Sensitivity.RESTRICTED else ""
        head = _("Proposal {id} on '{title}' by {who}, {when}").format(
            id=amendment.id,
            title=amendment.clause_title,
            who=who,
            when=format_datetime(amendment.created, "short"),
        )
        body = (
            change_html(clause.text, amendment.text)
            if clause is not None
            else message(_("This clause no longer exists: decline the proposal with a note."), "info")
        )
        if withdrawn:
            body = message(
                _(
                    "The author has withdrawn consent to be recorded: their text is not shown. "
                    "Decline the proposal with a note."
                ),
                "info",
            )
        since = ""
        if clause is not None and amendment.base_version != state.latest.number:
            since = message(
                _("Proposed on version {b}; the clause may have changed since (now version {n}).").format(
                    b=amendment.base_version, n=state.latest.number
                ),
                "info",
            )
        why_label = esc(_("Why:"))
        why = "" if withdrawn else f"<p><b>{why_label}</b> {esc(amendment.reason)}</p>"
        self.header = widgets.HTML(f"<h4>{esc(head)} {badge}</h4>{why}{since}{body}")
        self.note = widgets.Text(description=_("Note to the proposer"), style=WIDE, layout=wide())
        self.accept = widgets.Button(description=_("Accept"), button_style="success")
        self.decline = widgets.Button(description=_("Decline"), button_style="warning")
        super().__init__(
            children=[self.header, self.note, widgets.HBox([self.accept, self.decline])],
            layout=widgets.Layout(border="1px solid #ddd", padding=".4em", margin=".3em 0"),
        )


class MouProposals(Panel):
    """Pending proposals to decide, then a table of the decided ones."""

    def __init__(self, hub: MouHub) -> None:
        super().__init__(hub)
        self.author = author_field()
        self.cards: list[ProposalCard] = []
        self.decided = widgets.HTML()
        self.refresh()

    def refresh(self) -> None:
        state = self.hub.state()
        if state is None:
            self.children = [widgets.HTML(no_mou_yet())]
            return
        view = Disclosure.open(self.hub.store, INBOX_AUDIENCE, Purpose.BOARD)
        typed = {c.amendment.id: c.note.value for c in self.cards}
        self.cards = []
        for a in sorted(state.pending(), key=lambda a: a.created):
            withdrawn = view.why_withheld(Sensitivity.RESTRICTED, a.participant_id) is Withheld.NOT_RECORDED
            card = ProposalCard(a, state, view.proposer(a), withdrawn)
            card.accept.disabled = withdrawn
            card.note.value = typed.get(a.id, "")
            card.accept.on_click(lambda _b, c=card: self._decide(c, AmendmentStatus.ACCEPTED))
            card.decline.on_click(lambda _b, c=card: self._decide(c, AmendmentStatus.DECLINED))
            self.cards.append(card)
        done = [a for a in state.amendments if a.status is not AmendmentStatus.PENDING]
        rows = [
            (
                a.id,
                a.clause_title,
                amendment_status_label(a.status),
                a.decided_by,
                a.note,
                a.result_version or "",
            )
            for a in done
        ]
        headers = [_("Proposal"), _("Clause"), _("Decision"), _("By"), pgettext("comment", "Note"), _("Version")]
        self.decided.value = table(headers, rows) if rows else ""
        self.author.value = self.author.value or self.hub.author
        intro = widgets.HTML(message(_("No proposals waiting."), "info") if not self.cards else "")
        self.children = [self.author, intro, *self.cards, self.status, self.decided]

    def _decide(self, card: ProposalCard, decision: AmendmentStatus) -> None:
        aid = card.amendment.id
        assert aid is not None

        def action() -> str:
            if decision is AmendmentStatus.ACCEPTED:
                result = accept_amendment(self.hub.store, aid, self.who(self.author), card.note.value)
                return _("Proposal {id} accepted: saved as version {n}.").format(id=aid, n=result.result_version)
            decline_amendment(self.hub.store, aid, self.who(self.author), card.note.value)
            return _("Proposal {id} declined.").format(id=aid)

        self.run(action, _("Not decided."))


def mou_proposals(convening: str | None = None, home: str | None = None, store: Any = None) -> MouProposals:
    """The inbox of amendments proposed by participants: accept or decline each, with a note."""
    return MouProposals(hub_for(convening, home, store))
