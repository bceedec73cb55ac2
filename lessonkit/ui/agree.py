"""The participant's agree / disagree form: one statement at a time, as Pol.is asks, each answer saved at once.

Served by Voila (``workbooks/participant/agree.ipynb``), built in the pool before anyone arrives; takes ``?code=``
and ``?session=`` from the link on arrival (:mod:`lessonkit.ui.arrival`). It
shows the statements the room may see (the disclosure layer's answer), never anyone else's answers. Kept light (no
pandas, no scikit-learn): it runs in every participant kernel.
"""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.joincode import LENGTH as CODE_LENGTH
from lessonkit.domain.opinion_groups import MIN_ANSWERS
from lessonkit.domain.opinions import Answer, answer_label
from lessonkit.errors import LessonkitError, NotFoundError
from lessonkit.i18n import _, ngettext, using_language
from lessonkit.services.disclosure import ShownStatement
from lessonkit.services.opinions import answer_statement, answering_session, my_answers, shown_statements
from lessonkit.services.participants import participant_by_code, remember_language
from lessonkit.store.base import Store
from lessonkit.ui.arrival import ArrivingForm, Visitor, participant_page
from lessonkit.ui.content_html import lang_attrs
from lessonkit.ui.context import open_store
from lessonkit.ui.html import esc, heading, message
from lessonkit.ui.language import (
    convening_languages,
    follow_remembered_language,
    in_form_language,
    usable_languages,
    visitor_language,
)
from lessonkit.ui.phone import phone_first
from lessonkit.ui.sealed import not_on_sealed

__all__ = ["AgreeForm", "agree_app", "follows"]

log = logging.getLogger(__name__)
_WIDE = {"description_width": "initial"}
_FULL = {"width": "100%"}


def follows(store: Store, session: int | str | None = None) -> tuple[int | None, tuple[int, ...]]:
    """What this form follows: the session whose statements it shows (None: none open) and their ids. The page to
    show changes exactly when this value does (a session opened or closed, a statement added)."""
    found = answering_session(store, session)
    if found is None:
        return None, ()
    return found, tuple(s.statement.id or 0 for s in shown_statements(store, found))


def statement_text(shown: ShownStatement, language: str) -> tuple[str, str]:
    """(text, its language) for a reader of ``language``: a note's human translation where there is one."""
    if shown.note is not None and shown.note.language != language:
        translated = shown.note.translation(language)
        if translated is not None:
            return translated.text, language
    return shown.text, shown.language


class AgreeForm(ArrivingForm, widgets.VBox):
    """Language, join code, then one statement with Agree / Disagree / Pass, Previous / Next, and a status line.

    Built in the pool for the open session's statements; on arrival (:mod:`lessonkit.ui.arrival`) ``?code=`` fills
    the join code, and a link asking for another session, or statements changed meanwhile, builds the page anew."""

    def __init__(
        self,
        store: Store,
        session_id: int,
        code: str | None = None,
        languages: list[str] | None = None,
        language: str | None = None,
        language_explicit: bool = False,
    ) -> None:
        self.store = store
        self.session_id = session_id
        self.statements: list[ShownStatement] = shown_statements(store, session_id)
        self.answers: dict[int, Answer] = {}
        self.index = 0
        self.header = widgets.HTML()
        self.code = widgets.Text(continuous_update=False, value=code or "", style=_WIDE)
        self.code_hint = widgets.HTML()
        self.progress = widgets.HTML()
        self.statement = widgets.HTML()
        # the same plain look for every answer: no colour nudges anyone towards one (and contrast stays readable)
        self.buttons = {a: widgets.Button(layout=widgets.Layout(**_FULL)) for a in Answer}
        for answer, button in self.buttons.items():
            button.on_click(lambda _b, a=answer: self._on_answer(a))
        self.previous = widgets.Button()
        self.next = widgets.Button()
        self.previous.on_click(lambda _b: self._step(-1))
        self.next.on_click(lambda _b: self._step(1))
        self.status = widgets.HTML()
        allowed = languages or usable_languages(convening_languages(store))
        self.init_language(allowed, language or allowed[0], language_explicit)
        super().__init__(
            [
                self.picker,
                self.header,
                self.code,
                self.code_hint,
                self.progress,
                self.statement,
                *self.buttons.values(),
                widgets.HBox([self.previous, self.next]),
                self.status,
            ]
        )
        phone_first(self)
        self.code.observe(self._on_code, names="value")
        self.apply_language()
        if code:
            with using_language(self.language):
                self._on_code()

    def fits(self, visitor: Visitor) -> bool:
        """The link's session (else the open one with statements) is this form's, with the same statements."""
        try:
            session_id, statements = follows(self.store, visitor.get("session"))
        except LessonkitError:
            return False
        return session_id == self.session_id and statements == tuple(s.statement.id or 0 for s in self.statements)

    def relabel(self) -> None:
        explain = _(
            "Say whether you agree with each statement. Pass if you are unsure. Your answers are never shown with your "
            "name: they help the room see where it agrees."
        )
        self.header.value = heading(_("Where do we agree?"), 2) + f"<p>{esc(explain)}</p>"
        self.code.description = _("Join code")
        self.code.placeholder = _("e.g. KX7R-M3PD")
        for answer, button in self.buttons.items():
            button.description = answer_label(answer)
        self.previous.description = _("Previous")
        self.next.description = _("Next")
        self.status.value = ""
        self.show()

    def language_chosen(self, lang: str) -> None:
        if sum(ch.isalnum() for ch in self.code.value) >= CODE_LENGTH:
            try:
                remember_language(self.store, self.code.value, lang)
            except LessonkitError:
                pass

    def show(self) -> None:
        """The current statement, how far the person is, and what they answered to it."""
        total = len(self.statements)
        if not total:
            self.statement.value = message(_("There are no statements to answer yet."), "info")
            self.progress.value = ""
            for w in (*self.buttons.values(), self.previous, self.next):
                w.disabled = True
            return
        self.index = min(max(self.index, 0), total - 1)
        shown = self.statements[self.index]
        text, lang = statement_text(shown, self.language)
        answered = sum(1 for s in self.statements if s.statement.id in self.answers)
        place = _("Statement {n} of {total}").format(n=self.index + 1, total=total)
        done = ngettext("{n} answered", "{n} answered", answered).format(n=answered)
        self.progress.value = f'<p class="lk-progress" aria-live="polite">{esc(place)} · {esc(done)}</p>'
        mine = self.answers.get(shown.statement.id or 0)
        given = _("Your answer: {answer}").format(answer=answer_label(mine)) if mine else ""
        self.statement.value = (
            f'<blockquote{lang_attrs(lang)} style="font-size:1.3em;margin:.5em 0">{esc(text)}</blockquote>'
            + (f"<p><i>{esc(given)}</i></p>" if given else "")
        )
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= total - 1

    @in_form_language
    def _step(self, delta: int) -> None:
        self.index += delta
        self.status.value = ""
        self.show()

    @in_form_language
    def _on_code(self, change: Any = None) -> None:
        typed = self.code.value.strip()
        if sum(ch.isalnum() for ch in typed) < CODE_LENGTH:
            self.code_hint.value = ""
            return
        try:
            person = participant_by_code(self.store, typed)
            self.answers = my_answers(self.store, self.session_id, typed)
        except NotFoundError:
            self.code_hint.value = message(
                _("This join code was not found: check it on your card or ask the facilitator."), "error"
            )
            return
        except LessonkitError as exc:
            self.code_hint.value = message(str(exc), "error")
            return
        self.code_hint.value = message(_("Join code recognised."), "ok")
        follow_remembered_language(self, self.store, typed, person)
        self.index = self._first_unanswered(0)
        self.show()

    def _first_unanswered(self, start: int) -> int:
        ids = [s.statement.id for s in self.statements]
        for offset in range(len(ids)):
            i = (start + offset) % len(ids)
            if ids[i] not in self.answers:
                return i
        return start

    @in_form_language
    def _on_answer(self, answer: Answer) -> None:
        self.status.value = self._save(answer)

    def _save(self, answer: Answer) -> str:
        if not self.code.value.strip():
            return message(_("Join code: enter your join code (it is on your card)."), "error")
        if not self.statements:
            return ""
        shown = self.statements[self.index]
        try:
            answer_statement(self.store, shown.statement.id or 0, self.code.value.strip(), answer)
        except LessonkitError as exc:
            return message(_("Not saved. {error}").format(error=exc), "error")
        except Exception:
            log.exception("saving an answer failed")
            return message(
                _("Not saved: something went wrong on the facilitator's laptop. Please tell the facilitator."), "error"
            )
        self.answers[shown.statement.id or 0] = answer
        answered = len([s for s in self.statements if s.statement.id in self.answers])
        if answered < len(self.statements):
            self.index = self._first_unanswered(self.index + 1)
        self.show()
        if answered == len(self.statements):
            return message(
                _("Thank you: you answered every statement. You may change an answer while the session is open."), "ok"
            )
        if answered < MIN_ANSWERS:
            left = MIN_ANSWERS - answered
            return message(
                ngettext(
                    "Saved. Answer {n} more so that your answers count in the room's picture.",
                    "Saved. Answer {n} more so that your answers count in the room's picture.",
                    left,
                ).format(n=left),
                "ok",
            )
        return message(_("Saved."), "ok")


def agree_app(convening: str | None = None, home: str | None = None) -> widgets.Widget:
    """The page a participant opens: ``?code=`` fills the join code, ``?session=`` picks the session (default: the
    open session that has statements); taken on arrival (see :mod:`lessonkit.ui.arrival`)."""

    def build(visitor: Visitor) -> widgets.Widget:
        with using_language(visitor_language(visitor.params, visitor.environ)):
            try:
                store = open_store(convening, home)
                unavailable = not_on_sealed(store, visitor.params, visitor.environ)  # no statements published there
                if unavailable is not None:
                    return unavailable
                session_id, statements = follows(store, visitor.get("session"))
                if session_id is None or not statements:
                    return widgets.HTML(
                        message(
                            _("No statements are open right now. Reload this page when the facilitator opens them."),
                            "info",
                        )
                    )
            except LessonkitError as exc:
                log.warning("agree app cannot open the statements: %s", exc)
                return widgets.HTML(
                    message(
                        _("This page is not ready: {error} Please tell the facilitator.").format(error=exc), "error"
                    )
                )
        return AgreeForm(store, session_id, languages=usable_languages(convening_languages(store)))

    return participant_page(build)
