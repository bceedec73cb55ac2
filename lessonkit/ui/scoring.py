"""The participant's scoring form: rate the target context on each criterion, 0 to 4, levels in words.

Served by Voila (``workbooks/participant/score.ipynb``); reads ``?code=`` and ``?round=`` from the link. It
never shows other people's ratings. Kept light (no pandas, no matplotlib): it runs in every participant
kernel.
"""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.rubric import Criterion, Rubric
from lessonkit.domain.scoring_rounds import ScoringRound
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _, current_language, using_language
from lessonkit.services.participants import remember_language
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import get_round, latest_open_round, submit_ratings
from lessonkit.store.base import Store
from lessonkit.ui.arrival import ArrivingForm, Visitor, participant_page
from lessonkit.ui.context import open_store
from lessonkit.ui.html import esc, heading, message
from lessonkit.ui.language import (
    convening_languages,
    in_form_language,
    relabel_options,
    usable_languages,
    visitor_language,
)
from lessonkit.ui.phone import phone_first

log = logging.getLogger(__name__)
_WIDE = {"description_width": "initial"}


def level_options(criterion: Criterion) -> list[tuple[str, int]]:
    return [(f"{i} — {text}", i) for i, text in enumerate(criterion.levels)]


class ScoringForm(ArrivingForm, widgets.VBox):
    """Language, join code, then one block per criterion (name, description, question, five levels), Submit.

    Built in the pool for the latest open round; on arrival (:mod:`lessonkit.ui.arrival`) ``?code=`` fills the join
    code, and a link naming another round (``?round=``), or a round closed meanwhile, builds the page anew."""

    def __init__(
        self,
        store: Store,
        rubric: Rubric,
        scoring_round: ScoringRound,
        code: str | None = None,
        languages: list[str] | None = None,
        language: str | None = None,
        language_explicit: bool = False,
    ) -> None:
        self.store = store
        self.source_rubric = rubric
        self.rubric = rubric.localized(language or current_language())  # the form's language, once chosen below
        self.round = scoring_round
        self.header = widgets.HTML()
        self.code = widgets.Text(continuous_update=False, value=code or "", style=_WIDE)
        self.ratings: dict[str, widgets.RadioButtons] = {}
        self.criteria_html: dict[str, widgets.HTML] = {}
        blocks: list[widgets.Widget] = []
        for c in self.rubric.criteria:
            radio = widgets.RadioButtons(
                options=level_options(c),
                value=None,
                layout=widgets.Layout(width="100%", max_width="48em"),
            )
            self.ratings[c.id] = radio
            self.criteria_html[c.id] = widgets.HTML()
            blocks += [self.criteria_html[c.id], radio]
        self.submit = widgets.Button(button_style="primary")
        self.status = widgets.HTML()
        allowed = languages or usable_languages(convening_languages(store))
        self.init_language(allowed, language or allowed[0], language_explicit)
        super().__init__([self.picker, self.header, self.code, *blocks, self.submit, self.status])
        phone_first(self)
        self.submit.on_click(self._on_submit)
        self.apply_language()

    def relabel(self) -> None:
        """Every text of the form in the current language, the rubric's words included; the choices made stay."""
        self.rubric = self.source_rubric.localized(self.language)
        self.header.value = self._header_html()
        self.code.description = _("Join code")
        self.code.placeholder = _("e.g. KX7R-M3PD")
        for c in self.rubric.criteria:
            self.criteria_html[c.id].value = self._criterion_html(c)
            relabel_options(self.ratings[c.id], level_options(c))
        self.submit.description = _("Submit my ratings")
        self.status.value = ""

    def language_chosen(self, lang: str) -> None:
        """Remember the person's choice for their join code when it is a known one."""
        if self.code.value.strip():
            try:
                remember_language(self.store, self.code.value, lang)
            except LessonkitError:
                pass

    def fits(self, visitor: Visitor) -> bool:
        """This form's round is the one the link asks for (else the latest open one), and is still open."""
        try:
            wanted = visitor.get("round")
            current = get_round(self.store, wanted) if wanted else latest_open_round(self.store)
        except LessonkitError:
            return False
        return current is not None and current.id == self.round.id and current.is_open

    def _header_html(self) -> str:
        r = self.round
        rate = _("Rate the target context: {name}").format(name=r.target_name)
        how = _(
            "For each criterion, choose the level that best describes the target context. "
            "There are no right answers: the group will discuss where you disagree."
        )
        parts = [
            heading(_("How would this tactic travel?"), 2),
            f"<p><b>{esc(r.module_title)}</b>" + (f": {esc(r.module_summary)}" if r.module_summary else "") + "</p>",
            f"<p>{esc(rate)}"
            + (f"<br><i>{esc(r.target_description)}</i>" if r.target_description else "")
            + "</p>",
            f"<p>{esc(how)}</p>",
        ]
        return "".join(parts)

    @staticmethod
    def _criterion_html(c: Criterion) -> str:
        critical = " <small>({})</small>".format(esc(_("critical"))) if c.critical else ""
        question = f"<br><b>{esc(c.question)}</b>" if c.question else ""
        title = f"<h4 style='margin:1em 0 .2em 0'>{esc(c.name)}{critical}</h4>"
        return f"{title}<div>{esc(c.description)}{question}</div>"

    def values(self) -> dict[str, int]:
        return {cid: radio.value for cid, radio in self.ratings.items() if radio.value is not None}

    @in_form_language
    def _on_submit(self, button: Any = None) -> None:
        self.submit.disabled = True
        try:
            self.status.value = self._save()
        finally:
            self.submit.disabled = False

    def _save(self) -> str:
        """Save the ratings; returns the status HTML. On any error every choice stays as it was."""
        if not self.code.value.strip():
            return message(_("Join code: enter your join code (it is on your card)."), "error")
        missing = [c.name for c in self.rubric.criteria if self.ratings[c.id].value is None]
        if missing:
            return message(_("Not saved. Please rate: {names}.").format(names=", ".join(missing)), "error")
        try:
            submit_ratings(self.store, self.round.id, self.code.value, self.values(), self.rubric)  # type: ignore[arg-type]
        except ValidationError as exc:
            field = exc.field.split(".", 1)[-1]
            label = next((c.name for c in self.rubric.criteria if c.id == field), field)
            if exc.field == "join_code":
                label = self.code.description
            return message(_("Not saved. {field}: {problem}").format(field=label, problem=exc.message), "error")
        except LessonkitError as exc:
            return message(_("Not saved. {error}").format(error=exc), "error")
        except Exception:  # an unexpected fault must not lose the choices
            log.exception("saving ratings failed")
            return message(
                _(
                    "Not saved: something went wrong on the facilitator's laptop. Your choices are "
                    "still here; please tell the facilitator."
                ),
                "error",
            )
        return message(
            _("Thank you, your ratings were saved. You may change them and submit again while the round is open."),
            "ok",
        )


def scoring_app(convening: str | None = None, home: str | None = None) -> widgets.Widget:
    """The participant page: ``?round=`` picks the round (else the latest open one), ``?code=`` fills the join code
    (taken on arrival, see :mod:`lessonkit.ui.arrival`)."""

    def build(visitor: Visitor) -> widgets.Widget:
        with using_language(visitor_language(visitor.params, visitor.environ)):  # messages come before any form
            try:
                store = open_store(convening, home)
                wanted = visitor.get("round")
                scoring_round = get_round(store, wanted) if wanted else latest_open_round(store)
                if scoring_round is None or not scoring_round.is_open:
                    return widgets.HTML(
                        message(
                            _("No scoring round is open right now. Reload this page when the facilitator opens one."),
                            "info",
                        )
                    )
                rubric = load_rubric(scoring_round.rubric)
            except LessonkitError as exc:
                log.warning("scoring app cannot open the round: %s", exc)
                return widgets.HTML(
                    message(
                        _("This page is not ready: {error} Please tell the facilitator.").format(error=exc), "error"
                    )
                )
        return ScoringForm(store, rubric, scoring_round, languages=usable_languages(convening_languages(store)))

    return participant_page(build)
