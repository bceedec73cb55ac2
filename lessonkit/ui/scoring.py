"""The participant's scoring form: rate the target context on each criterion, 0 to 4, levels in words.

Served by Voila (``workbooks/participant/score.ipynb``), built in the pool before anyone arrives; takes ``?code=``
and ``?round=`` from the link on arrival (:mod:`lessonkit.ui.arrival`), then follows the facilitator's rounds without a
reload. It never shows other people's ratings. Kept light (no pandas, no
matplotlib): it runs in every participant kernel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.rubric import Criterion, Rubric
from lessonkit.domain.scoring_rounds import ScoringRound
from lessonkit.errors import LessonkitError, NotFoundError, ValidationError
from lessonkit.i18n import _, current_language, using_language
from lessonkit.services.participants import remember_language
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import get_round, latest_open_round, submit_ratings
from lessonkit.store.base import Store
from lessonkit.ui.arrival import ArrivingForm, Visitor, participant_page
from lessonkit.ui.context import open_store
from lessonkit.ui.follow import FollowsRoom
from lessonkit.ui.html import esc, heading, message
from lessonkit.ui.language import (
    convening_languages,
    in_form_language,
    relabel_options,
    usable_languages,
    visitor_language,
)
from lessonkit.ui.phone import phone_first
from lessonkit.ui.sealed import not_on_sealed

log = logging.getLogger(__name__)
_WIDE = {"description_width": "initial"}


def level_options(criterion: Criterion) -> list[tuple[str, int]]:
    return [(f"{i} — {text}", i) for i, text in enumerate(criterion.levels)]


class ScoringForm(FollowsRoom, ArrivingForm, widgets.VBox):
    """Language, join code, then one block per criterion (name, description, question, five levels), Submit.

    It follows the rounds (:meth:`start_following`): without an open round it waits and says so; when the
    facilitator opens one its criteria appear; when they close it the choices stay on screen but can no longer be
    sent; a round given in the link (``pinned``) is followed alone. Built in the pool for the newest open round (or
    none); on arrival (:mod:`lessonkit.ui.arrival`) it shows the round open by then, ``?code=`` fills the join code,
    and a link naming a round (``?round=``) builds the page anew, pinned to it.
    """

    def __init__(
        self,
        store: Store,
        rubric: Rubric | None,
        scoring_round: ScoringRound | None,
        code: str | None = None,
        languages: list[str] | None = None,
        language: str | None = None,
        language_explicit: bool = False,
        pinned: int | None = None,
    ) -> None:
        self.store = store
        self.pinned = pinned
        self.source_rubric = rubric
        self.rubric = rubric.localized(language or current_language()) if rubric else None
        self.round = scoring_round
        self._notice: Callable[[], str] | None = None
        self.header = widgets.HTML()
        self.code = widgets.Text(continuous_update=False, value=code or "", style=_WIDE)
        self.ratings: dict[str, widgets.RadioButtons] = {}
        self.criteria_html: dict[str, widgets.HTML] = {}
        self.criteria = widgets.VBox()
        self.submit = widgets.Button(button_style="primary")
        self.status = widgets.HTML()
        allowed = languages or usable_languages(convening_languages(store))
        self.init_language(allowed, language or allowed[0], language_explicit)
        super().__init__([self.picker, self.header, self.code, self.criteria, self.submit, self.status])
        phone_first(self)
        self.submit.on_click(self._on_submit)
        self._build_criteria()
        if self.round is None:
            self._notice = self._nothing_open
        elif not self.round.is_open:
            self._notice = self._closed_notice
        self.apply_language()

    def _build_criteria(self) -> None:
        """One block per criterion of the rubric (none while no round is shown); choices start empty."""
        self.ratings, self.criteria_html = {}, {}
        blocks: list[widgets.Widget] = []
        for c in self.rubric.criteria if self.rubric else ():
            radio = widgets.RadioButtons(
                options=level_options(c),
                value=None,
                layout=widgets.Layout(width="100%", max_width="48em"),
            )
            self.ratings[c.id] = radio
            self.criteria_html[c.id] = widgets.HTML()
            blocks += [self.criteria_html[c.id], radio]
        self.criteria.children = blocks

    def relabel(self) -> None:
        """Every text of the form in the current language, the rubric's words included; the choices made stay."""
        if self.source_rubric is not None:
            self.rubric = self.source_rubric.localized(self.language)
        self.header.value = self._header_html()
        self.code.description = _("Join code")
        self.code.placeholder = _("e.g. KX7R-M3PD")
        for c in self.rubric.criteria if self.rubric else ():
            self.criteria_html[c.id].value = self._criterion_html(c)
            relabel_options(self.ratings[c.id], level_options(c))
        self.submit.description = _("Submit my ratings")
        self._show_round_state()

    def _show_round_state(self) -> None:
        self.submit.layout.display = None if self.round is not None else "none"
        self.submit.disabled = self.round is None or not self.round.is_open
        self.status.value = self._notice() if self._notice else ""

    def language_chosen(self, lang: str) -> None:
        """Remember the person's choice for their join code when it is a known one."""
        if self.code.value.strip():
            try:
                remember_language(self.store, self.code.value, lang)
            except LessonkitError:
                pass

    def _header_html(self) -> str:
        r = self.round
        if r is None:
            return heading(_("How would this tactic travel?"), 2)
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

    # --- the visitor's arrival (lessonkit.ui.arrival) ------------------------------------------------------

    def fits(self, visitor: Visitor) -> bool:
        """The link names no round and this form is not pinned, or it names the round this form is pinned to."""
        wanted = visitor.get("round")
        if wanted is None:
            return self.pinned is None
        try:
            return get_round(self.store, wanted).id == self.pinned
        except LessonkitError:
            return False

    def refresh(self) -> None:
        """The round a page built now would show (the form may have waited in the pool while rounds opened or
        closed), said as a fresh page says it: nothing about what changed while nobody was looking."""
        try:
            now = get_round(self.store, self.pinned) if self.pinned is not None else latest_open_round(self.store)
        except NotFoundError:
            now = None
        if now == self.round:
            return
        self.show_followed(now)
        if now is None:
            self._notice = self._nothing_open
        elif now.is_open:
            self._notice = None
        else:
            self._notice = self._closed_notice
        with using_language(self.language):
            self._show_round_state()

    # --- following the room -------------------------------------------------------------------------------

    @staticmethod
    def _nothing_open() -> str:
        return message(
            _("No scoring round is open right now. This page will show it as soon as the facilitator opens one."),
            "info",
        )

    @staticmethod
    def _closed_notice() -> str:
        return message(
            _("The facilitator closed this round: your choices stay on screen, but they can no longer be sent."),
            "info",
        )

    @staticmethod
    def _reopened_notice() -> str:
        return message(_("The facilitator opened this round again: you can send your ratings."), "ok")

    def showing(self) -> ScoringRound | None:
        return self.round

    def followed(self) -> ScoringRound | None:
        """The round to show: the link's own, else the newest open one, else the one shown (now closed)."""
        try:
            if self.pinned is not None:
                return get_round(self.store, self.pinned)
            latest = latest_open_round(self.store)
            if latest is not None or self.round is None:
                return latest
            return get_round(self.store, self.round.id)  # type: ignore[arg-type]
        except NotFoundError:
            return None

    @in_form_language
    def show_followed(self, scoring_round: ScoringRound | None) -> None:
        same = scoring_round is not None and self.round is not None and scoring_round.id == self.round.id
        if same:
            was_open = self.round.is_open  # type: ignore[union-attr]
            self.round = scoring_round
            if scoring_round.is_open != was_open:  # type: ignore[union-attr]
                self._notice = self._reopened_notice if scoring_round.is_open else self._closed_notice  # type: ignore[union-attr]
        elif scoring_round is None:
            self.round, self.source_rubric, self.rubric = None, None, None
            self._build_criteria()
            self._notice = self._nothing_open
        else:
            try:
                rubric = load_rubric(scoring_round.rubric)
            except LessonkitError as exc:
                self.status.value = message(str(exc), "error")
                return
            self.round, self.source_rubric = scoring_round, rubric
            self.rubric = rubric.localized(self.language)
            self._build_criteria()
            title = scoring_round.module_title

            def opened() -> str:
                return message(_("A round is open: rate how “{title}” would travel.").format(title=title), "ok")

            self._notice = opened if scoring_round.is_open else self._closed_notice
        self.relabel()

    def values(self) -> dict[str, int]:
        return {cid: radio.value for cid, radio in self.ratings.items() if radio.value is not None}

    @in_form_language
    def _on_submit(self, button: Any = None) -> None:
        self._notice = None
        self.submit.disabled = True
        try:
            self.status.value = self._save()
        finally:
            self.submit.disabled = self.round is None or not self.round.is_open

    def _save(self) -> str:
        """Save the ratings; returns the status HTML. On any error every choice stays as it was."""
        if self.round is None or self.rubric is None:
            return self._nothing_open()
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
    """The participant page: ``?code=`` fills the join code, ``?round=`` picks the round (else the newest open one,
    and whichever the facilitator opens next); both are taken on arrival (see :mod:`lessonkit.ui.arrival`)."""

    def build(visitor: Visitor) -> widgets.Widget:
        with using_language(visitor_language(visitor.params, visitor.environ)):  # messages come before any form
            try:
                store = open_store(convening, home)
                unavailable = not_on_sealed(store, visitor.params, visitor.environ)
                if unavailable is not None:
                    return unavailable
                wanted = visitor.get("round")
                scoring_round = get_round(store, wanted) if wanted else latest_open_round(store)
                rubric = load_rubric(scoring_round.rubric) if scoring_round is not None else None
            except LessonkitError as exc:
                log.warning("scoring app cannot open the round: %s", exc)
                return widgets.HTML(
                    message(
                        _("This page is not ready: {error} Please tell the facilitator.").format(error=exc), "error"
                    )
                )
        return ScoringForm(
            store,
            rubric,
            scoring_round,
            languages=usable_languages(convening_languages(store)),
            pinned=scoring_round.id if wanted and scoring_round is not None else None,
        )

    return participant_page(build)
