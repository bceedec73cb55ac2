"""The participant's amendment form, served by Voila beside the listening form.

The person enters their join code (or arrives with ``?code=`` in the link), picks a clause, sees its current
text, writes the text they propose and why. They see only the current clauses and their own proposals with
the facilitator's decision; never anyone else's proposals or positions. Kept light: no pandas.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.mou_amendment import amendment_status_label
from lessonkit.domain.mou_state import MouState
from lessonkit.domain.mou_status import MouStatus
from lessonkit.domain.records import Participant
from lessonkit.errors import LessonkitError, NotFoundError, ValidationError
from lessonkit.i18n import _, pgettext, using_language
from lessonkit.services.mou import get_mou
from lessonkit.services.mou_amendments import amendments_for_code, propose_amendment
from lessonkit.services.participants import participant_by_code, remember_language
from lessonkit.store.base import Store
from lessonkit.ui.arrival import ArrivingForm, Visitor, participant_page
from lessonkit.ui.context import open_store
from lessonkit.ui.follow import FollowsRoom
from lessonkit.ui.html import esc, excerpt, heading, message, table
from lessonkit.ui.language import (
    convening_languages,
    follow_remembered_language,
    in_form_language,
    relabel_options,
    usable_languages,
    visitor_language,
)
from lessonkit.ui.phone import phone_first
from lessonkit.ui.sealed import not_on_sealed

log = logging.getLogger(__name__)
WIDE = {"description_width": "initial"}


def _layout(**extra: str) -> widgets.Layout:
    return widgets.Layout(width="100%", max_width="40em", **extra)


@dataclass(frozen=True)
class MouSeen:
    """What the amendment form follows: the memorandum's latest version and status, and the decisions on the
    person's own proposals (the state itself rides along, not compared)."""

    number: int | None
    status: MouStatus | None
    mine: tuple[tuple[Any, ...], ...] = ()
    state: MouState | None = field(default=None, compare=False)


class AmendmentForm(FollowsRoom, ArrivingForm, widgets.VBox):
    """Language, join code → clause, current text, proposed text, reason → Propose amendment; 'your proposals'.

    It follows the memorandum (:meth:`start_following`): a new version, the end of the memorandum and the
    facilitator's decisions on the person's proposals show without a reload; what is being typed stays. Built in the
    pool for nobody, on arrival (:mod:`lessonkit.ui.arrival`) it reads the memorandum again and takes ``?code=`` as
    if typed and confirmed with Continue; it follows from then on.
    """

    def __init__(
        self,
        store: Store,
        code: str | None = None,
        languages: list[str] | None = None,
        language: str | None = None,
        language_explicit: bool = False,
    ) -> None:
        self.store = store
        self.state: MouState | None = None
        self.person: Participant | None = None
        self._notice: Callable[[], str] | None = None
        self._mine: tuple[tuple[Any, ...], ...] = ()
        self.header = widgets.HTML()
        self.code = widgets.Text(continuous_update=False, value=code or "", style=WIDE)
        self.go = widgets.Button()
        self.clause = widgets.Dropdown(style=WIDE, layout=_layout())
        self.current = widgets.HTML()
        self.text = widgets.Textarea(continuous_update=False, style=WIDE, layout=_layout(height="10em"))
        self.reason = widgets.Textarea(continuous_update=False, style=WIDE, layout=_layout(height="4em"))
        self.submit = widgets.Button(button_style="primary")
        self.status = widgets.HTML()
        self.mine = widgets.HTML()
        self.form = widgets.VBox([self.clause, self.current, self.text, self.reason, self.submit])
        self.form.layout.display = "none"
        allowed = languages or usable_languages(convening_languages(store))
        self.init_language(allowed, language or allowed[0], language_explicit)
        super().__init__(children=[self.picker, self.header, self.code, self.go, self.status, self.form, self.mine])
        phone_first(self)
        self.go.on_click(lambda _b: self.identify())
        self.clause.observe(self._on_clause, names="value")
        self.submit.on_click(lambda _b: self._submit())
        self._load_mou()
        self.apply_language()
        if code:
            self.identify()

    def relabel(self) -> None:
        """Every text of the form in the current language; what was typed and chosen stays."""
        self.code.description = _("Your join code")
        self.code.placeholder = _("e.g. KX7R-M3PD")
        self.go.description = _("Continue")
        self.clause.description = _("Clause")
        self.text.description = _("Proposed text")
        self.reason.description = _("Why")
        self.reason.placeholder = _("why this change helps")
        self.submit.description = _("Propose amendment")
        self.header.value = self._header_html()
        self.status.value = self._notice() if self._notice else ""
        self._show_current()
        if self.person is not None:
            self.show_mine()

    def _header_html(self) -> str:
        if self.state is None:
            return message(
                _("There is no memorandum to amend yet. This page will show it as soon as the facilitator starts one."),
                "info",
            )
        intro = _(
            "Propose a change to a clause of the memorandum (version {n}). The facilitator accepts or "
            "declines each proposal, with a note to you."
        ).format(n=self.state.latest.number)
        return f"<h2>{esc(self.state.record.title)}</h2><p>{esc(intro)}</p>"

    def _load_mou(self) -> None:
        try:
            self.state = get_mou(self.store)
        except NotFoundError:
            self.state = None
        self._show_mou_state()

    def _show_mou_state(self) -> None:
        """Who may do what, from the memorandum's state: nothing without one, no proposals once it ended."""
        ended = self.state is not None and self.state.record.status is MouStatus.ENDED
        taking = self.state is not None and not ended
        self.code.layout.display = None if taking else "none"
        self.go.layout.display = None if taking and self.person is None else "none"
        self.submit.layout.display = "none" if ended else None
        if ended:
            self._notice = self._ended_notice

    @staticmethod
    def _ended_notice() -> str:
        return message(_("This memorandum has ended and takes no more proposals."), "info")

    # --- the visitor's arrival (lessonkit.ui.arrival) ------------------------------------------------------

    def refresh(self) -> None:
        """The memorandum as it is now (the form may have waited in the pool while it changed)."""
        self._load_mou()
        self.apply_language()

    def take_link(self, visitor: Visitor) -> None:
        """``?code=`` fills the join code and is confirmed, as if typed followed by Continue (without a memorandum
        yet, it waits in the field: the form confirms it when the facilitator starts one)."""
        code = visitor.get("code")
        if code and not self.code.value.strip() and self.person is None:
            self.code.value = code
            self.identify()

    # --- following the room -------------------------------------------------------------------------------

    def showing(self) -> MouSeen:
        if self.state is None:
            return MouSeen(None, None, self._mine)
        return MouSeen(self.state.latest.number, self.state.record.status, self._mine)

    def followed(self) -> MouSeen:
        try:
            state = get_mou(self.store)
        except NotFoundError:
            return MouSeen(None, None, self._mine)
        mine = self._mine
        if self.person is not None:
            try:
                mine = self._decisions(amendments_for_code(self.store, self.code.value))
            except LessonkitError:
                pass
        return MouSeen(state.latest.number, state.record.status, mine, state)

    @staticmethod
    def _decisions(amendments: list[Any]) -> tuple[tuple[Any, ...], ...]:
        return tuple((a.id, a.status, a.note) for a in amendments)

    @in_form_language
    def show_followed(self, seen: MouSeen) -> None:
        """A new version, the end of the memorandum, or a decision on the person's proposals: shown in place; the
        status line changes only when there is something new to say (a confirmation just given stays)."""
        before, notice = self.state, self._notice
        self.state = seen.state
        if before is not None and self.state is not None and seen.number != before.latest.number:
            number = seen.number
            self._notice = lambda: message(
                _("The memorandum is now at version {n}: the current texts below are up to date.").format(n=number),
                "info",
            )
        if self.person is not None and self.state is not None:
            self._offer_clauses()
        self._show_mou_state()
        if before is None and self.state is not None and self.person is None and self.code.value.strip():
            self.identify()  # the link brought the join code: go straight to the form
        self.header.value = self._header_html()
        if self._notice is not notice:
            self.status.value = self._notice() if self._notice else ""
        self._show_current()
        if seen.mine != self._mine and self.person is not None:
            self.show_mine()

    def _offer_clauses(self) -> None:
        """The latest version's clauses; the chosen one stays chosen while it exists, and what was typed stays."""
        if self.state is None:
            return
        chosen = self.clause.value
        keys = self.state.latest.keys()
        relabel_options(self.clause, [(c.title, c.key) for c in self.state.latest.clauses])
        if chosen in keys:
            self.clause.value = chosen
        elif chosen is not None and self.text.value.strip():
            self.clause.value = None
            self._notice = lambda: message(
                _("The clause you chose is no longer in the memorandum: your words are still here; choose a clause."),
                "info",
            )
        elif keys:
            self.clause.value = keys[0]

    def language_chosen(self, lang: str) -> None:
        """Remember the person's choice for their join code once they are recognised."""
        if self.person is not None:
            try:
                remember_language(self.store, self.code.value, lang)
            except LessonkitError:
                pass

    @in_form_language
    def identify(self) -> None:
        """Recognise the join code; show the form (and the person's own proposals) or a clear message."""
        if self.state is None:
            return
        try:
            person = participant_by_code(self.store, self.code.value)
        except LessonkitError as exc:
            self.status.value = message(str(exc), "error")
            return
        follow_remembered_language(self, self.store, self.code.value, person)
        if not person.consent.record:
            self.status.value = message(
                _(
                    "Your consent says your words are not to be recorded, so this form will "
                    "not save anything. Talk to the facilitator if you want to change that."
                ),
                "info",
            )
            return
        self.person = person
        # the pseudonym, never the name: whoever holds the code sees this page
        self.status.value = message(_("Welcome, {name}.").format(name=person.pseudonym or _("participant")), "ok")
        self.clause.options = [(c.title, c.key) for c in self.state.latest.clauses]
        if self.clause.value is None:
            self.clause.value = self.state.latest.clauses[0].key
        self.form.layout.display = None
        self._show_mou_state()
        self.show_mine()

    def _show_current(self) -> None:
        clause = self.state.latest.clause(self.clause.value) if self.state and self.clause.value else None
        self.current.value = (
            (
                "<p><b>{}</b></p>".format(esc(_("Current text:")))
                + f"<blockquote>{esc(clause.text).replace(chr(10), '<br>')}</blockquote>"
            )
            if clause is not None
            else ""
        )

    @in_form_language
    def _on_clause(self, change: Any = None) -> None:
        """Show the clause's text and start the proposal from it, unless the person typed their own."""
        if self.state is None or self.clause.value is None:
            return
        clause = self.state.latest.clause(self.clause.value)
        if clause is None:
            return
        self._show_current()
        old = change["old"] if change else None
        previous = self.state.latest.clause(old) if old else None
        if not self.text.value.strip() or (previous is not None and self.text.value == previous.text):
            self.text.value = clause.text

    @in_form_language
    def _submit(self) -> None:
        self.submit.disabled = True
        try:
            self.status.value = self._save()
        finally:
            self.submit.disabled = False

    def _save(self) -> str:
        try:
            a = propose_amendment(
                self.store, self.code.value, self.clause.value or "", self.text.value, self.reason.value
            )
        except ValidationError as exc:
            labels = {
                "proposed text": self.text,
                "reason": self.reason,
                "clause": self.clause,
                "join_code": self.code,
            }
            field = labels[exc.field].description if exc.field in labels else exc.field
            return message(_("Not sent. {field}: {problem}").format(field=field, problem=exc.message), "error")
        except LessonkitError as exc:
            return message(_("Not sent. {error}").format(error=exc), "error")
        except Exception:  # what the person typed must survive any fault
            log.exception("proposing an amendment failed")
            return message(
                _(
                    "Not sent: something went wrong on the facilitator's laptop. What you wrote is still "
                    "here; please tell the facilitator."
                ),
                "error",
            )
        self.reason.value = ""
        self.show_mine()
        return message(
            _("Thank you: your proposal {id} for '{title}' was sent to the facilitator: “{text}”").format(
                id=a.id, title=a.clause_title, text=excerpt(a.text, 80)
            ),
            "ok",
        )

    def show_mine(self) -> None:
        try:
            mine = amendments_for_code(self.store, self.code.value)
        except LessonkitError:
            return
        self._mine = self._decisions(mine)
        rows = [(a.id, a.clause_title, amendment_status_label(a.status), a.note) for a in mine]
        self.mine.value = (
            (
                heading(_("Your proposals"))
                + table([_("Proposal"), _("Clause"), _("Decision"), pgettext("comment", "Note")], rows)
            )
            if rows
            else ""
        )


def amendment_app(convening: str | None = None, home: str | None = None, store: Store | None = None) -> widgets.Widget:
    """The page a participant opens: the amendment form; ``?code=`` from the link is taken on arrival (see
    :mod:`lessonkit.ui.arrival`)."""

    def build(visitor: Visitor) -> widgets.Widget:
        try:
            opened = store or open_store(convening, home)
        except LessonkitError as exc:
            log.warning("amendment app cannot open the convening: %s", exc)
            with using_language(visitor_language(visitor.params, visitor.environ)):
                return widgets.HTML(
                    message(
                        _("This page is not ready: the convening could not be opened. Please tell the facilitator."),
                        "error",
                    )
                )
        unavailable = not_on_sealed(opened, visitor.params, visitor.environ)
        if unavailable is not None:
            return unavailable
        return AmendmentForm(opened, languages=usable_languages(convening_languages(opened)))

    return participant_page(build)
