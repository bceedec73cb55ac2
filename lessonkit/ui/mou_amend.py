"""The participant's amendment form, served by Voila beside the listening form.

The person enters their join code (or arrives with ``?code=`` in the link), picks a clause, sees its current
text, writes the text they propose and why. They see only the current clauses and their own proposals with
the facilitator's decision; never anyone else's proposals or positions. Kept light: no pandas.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
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
from lessonkit.ui.html import esc, excerpt, heading, message, table
from lessonkit.ui.language import (
    convening_languages,
    follow_remembered_language,
    in_form_language,
    usable_languages,
    visitor_language,
)
from lessonkit.ui.phone import phone_first

log = logging.getLogger(__name__)
WIDE = {"description_width": "initial"}


def _layout(**extra: str) -> widgets.Layout:
    return widgets.Layout(width="100%", max_width="40em", **extra)


class AmendmentForm(ArrivingForm, widgets.VBox):
    """Language, join code → clause, current text, proposed text, reason → Propose amendment; 'your proposals'.

    On arrival (:mod:`lessonkit.ui.arrival`) the memorandum is read again and ``?code=`` is taken as if typed and
    confirmed with Continue."""

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
            return message(_("There is no memorandum to amend yet. Please ask the facilitator."), "info")
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
            self.code.layout.display = self.go.layout.display = "none"
            return
        if self.state.record.status is MouStatus.ENDED:
            self._notice = lambda: message(_("This memorandum has ended and takes no more proposals."), "info")
            self.code.layout.display = self.go.layout.display = "none"
        elif self.person is None:
            self._notice = None
            self.code.layout.display = self.go.layout.display = None

    def refresh(self) -> None:
        """The memorandum as it is now (the form may have waited in the pool while it changed)."""
        self._load_mou()
        self.apply_language()

    def take_link(self, visitor: Visitor) -> None:
        """``?code=`` fills the join code and is confirmed, as if typed followed by Continue."""
        code = visitor.get("code")
        if code and not self.code.value.strip() and self.person is None:
            self.code.value = code
            self.identify()

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
        self.go.layout.display = "none"
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
        return AmendmentForm(opened, languages=usable_languages(convening_languages(opened)))

    return participant_page(build)
