"""Dot-vote results as a bar chart in HTML (live on the board, no plotting library in the kernel), and the
facilitator's vote panel: open a vote on the session's themes or notes, watch the dots, close it.

Results are the disclosure layer's answer for the screen's audience: items it may not see are left out, ballots of
people whose consent does not allow it are not counted. Every label is escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.levels import Sensitivity, parse_enum
from lessonkit.domain.votes import MAX_DOTS, VoteOn
from lessonkit.errors import LessonkitError
from lessonkit.i18n import _, ngettext
from lessonkit.services.votes import VoteResults, close_vote, current_vote, list_votes, open_vote, vote_results
from lessonkit.store.base import Store
from lessonkit.ui.context import open_store
from lessonkit.ui.html import esc, message

__all__ = ["VotePanel", "results_html", "vote_panel", "vote_section"]

BAR_COLOUR = "#37474f"


def results_html(results: VoteResults) -> str:
    """One row per item, most dots first: its words, a bar as long as its share of the top item, the number."""
    vote = results.vote
    top = max((t.dots for t in results.tally), default=0) or 1
    if vote.is_open:
        state = _("open")
    else:
        state = _("closed") if vote.closed is not None else _("not opened yet")
    title = _("Priorities: vote {id} ({state})").format(id=vote.id, state=state)
    counted = ngettext("{n} ballot counted", "{n} ballots counted", results.voters).format(n=results.voters)
    rows = []
    for t in results.tally:
        width = round(100 * t.dots / top)
        dots = ngettext("{n} dot", "{n} dots", t.dots).format(n=t.dots)
        rows.append(
            '<li class="lk-bar-row" style="list-style:none;margin:.3em 0">'
            f'<div dir="auto" style="font-size:1.05em">{esc(results.text_of(t.item))}</div>'
            '<div style="display:flex;align-items:center;gap:.5em">'
            f'<span aria-hidden="true" style="display:inline-block;height:1.1em;width:{width}%;max-width:80%;'
            f'min-width:2px;background:{BAR_COLOUR}"></span>'
            f'<span class="lk-dots">{esc(dots)}</span></div></li>'
        )
    return (
        f'<div class="lk-vote"><h3 style="margin:.6em 0 .2em">{esc(title)}</h3>'
        f'<p class="lk-summary">{esc(counted)}</p><ul style="padding:0;margin:0">{"".join(rows)}</ul></div>'
    )


def vote_section(store: Store, session_id: int | None, audience: Sensitivity) -> str:
    """The board's vote section: the session's open vote, else its latest; '' when the session has none."""
    if session_id is None:
        return ""
    shown = current_vote(store, session_id) or next(iter(list_votes(store, session_id)[::-1]), None)
    if shown is None:
        return ""
    return results_html(vote_results(store, shown.id or 0, audience))


class VotePanel(widgets.VBox):
    """Dots per person, what they go on, anonymous or not; Open vote / Close vote; the results below."""

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
        wide = {"description_width": "initial"}
        self.dots = widgets.BoundedIntText(value=3, min=1, max=MAX_DOTS, description=_("Dots per person"), style=wide)
        self.on = widgets.Dropdown(
            options=[(_("accepted themes"), VoteOn.THEMES.value), (_("notes"), VoteOn.NOTES.value)],
            description=_("Dots go on"),
            style=wide,
        )
        self.anonymous = widgets.Checkbox(value=False, description=_("Anonymous vote"), indent=False)
        self.open_button = widgets.Button(description=_("Open vote"), button_style="primary")
        self.close_button = widgets.Button(description=_("Close vote"), button_style="warning")
        self.reload = widgets.Button(description=_("Show results"), icon="refresh")
        self.status = widgets.HTML()
        self.results = widgets.HTML()
        super().__init__(
            children=[
                widgets.HBox([self.dots, self.on, self.anonymous]),
                widgets.HBox([self.open_button, self.close_button, self.reload]),
                self.status,
                self.results,
            ]
        )
        self.open_button.on_click(lambda _b: self._act(self._open))
        self.close_button.on_click(lambda _b: self._act(self._close))
        self.reload.on_click(lambda _b: self.load())
        self.load()

    def load(self) -> None:
        try:
            self.results.value = vote_section(self.store, self.session_id, self.audience)
        except LessonkitError as exc:
            self.status.value = message(str(exc), "error")

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

    def _open(self) -> str:
        made = open_vote(
            self.store, self.session_id or 0, self.dots.value, self.on.value, self.anonymous.value, self.audience
        )
        return ngettext(
            "Vote {id} is open on {n} item: participants vote on the vote form (vote.ipynb).",
            "Vote {id} is open on {n} items: participants vote on the vote form (vote.ipynb).",
            len(made.items),
        ).format(id=made.id, n=len(made.items))

    def _close(self) -> str:
        found = current_vote(self.store, self.session_id)
        if found is None:
            raise LessonkitError(_("No vote of this session is open."))
        close_vote(self.store, found.id or 0)
        return _("Vote {id} is closed.").format(id=found.id)


def vote_panel(
    convening: str | None = None,
    session: int | str | None = None,
    home: str | None = None,
    board: Any = None,
    audience: str = "convening",
) -> VotePanel:
    """Run a dot vote on a session. With ``board=`` (a LiveBoard): its session and audience; the board shows the
    live results as a bar chart."""
    from lessonkit.ui.board import pick_session

    if board is not None:
        chosen = board.session
        return VotePanel(
            board.store, chosen.id if chosen else None, board.audience, on_change=lambda: board.refresh(force=True)
        )
    store = open_store(convening, home)
    chosen = pick_session(store, session)
    return VotePanel(store, chosen.id if chosen else None, audience)
