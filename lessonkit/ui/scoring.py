"""The participant's scoring form: rate the target context on each criterion, 0 to 4, levels in words.

Served by Voila (``workbooks/participant/score.ipynb``); reads ``?code=`` and ``?round=`` from the link. It
never shows other people's ratings. Kept light (no pandas, no matplotlib): it runs in every participant
kernel.
"""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as widgets

from lessonkit.content_language import interface_language
from lessonkit.domain.rubric import Criterion, Rubric
from lessonkit.domain.scoring_rounds import ScoringRound
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import get_round, latest_open_round, submit_ratings
from lessonkit.store.base import Store
from lessonkit.ui.context import open_store, request_params
from lessonkit.ui.html import esc, message

log = logging.getLogger(__name__)
_WIDE = {"description_width": "initial"}


def level_options(criterion: Criterion) -> list[tuple[str, int]]:
    return [(f"{i} — {text}", i) for i, text in enumerate(criterion.levels)]


class ScoringForm(widgets.VBox):
    """Join code, then one block per criterion (name, description, question, five levels), Submit, status."""

    def __init__(
        self,
        store: Store,
        rubric: Rubric,
        scoring_round: ScoringRound,
        code: str | None = None,
        language: str | None = None,
    ) -> None:
        self.store = store
        self.source_rubric = rubric
        self.language = language or interface_language()
        self.rubric = rubric.localized(self.language)
        self.round = scoring_round
        self.header = widgets.HTML(self._header_html())
        self.code = widgets.Text(
            continuous_update=False,
            value=code or "",
            description=_("Join code"),
            placeholder=_("e.g. KX7R-M3PD"),
            style=_WIDE,
        )
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
            self.criteria_html[c.id] = widgets.HTML(self._criterion_html(c))
            blocks += [self.criteria_html[c.id], radio]
        self.submit = widgets.Button(description=_("Submit my ratings"), button_style="primary")
        self.status = widgets.HTML()
        super().__init__([self.header, self.code, *blocks, self.submit, self.status])
        self.submit.on_click(self._on_submit)

    def show_content_in(self, language: str) -> None:
        """Show the rubric's words in ``language`` (where it has them); every choice made so far stays."""
        self.language = language
        self.rubric = self.source_rubric.localized(language)
        for c in self.rubric.criteria:
            radio = self.ratings[c.id]
            chosen = radio.value
            radio.options = level_options(c)
            radio.value = chosen
            self.criteria_html[c.id].value = self._criterion_html(c)

    def _header_html(self) -> str:
        r = self.round
        parts = [
            f"<h2>{esc(_('How would this tactic travel?'))}</h2>",
            f"<p><b>{esc(r.module_title)}</b>" + (f": {esc(r.module_summary)}" if r.module_summary else "") + "</p>",
            f"<p>{esc(_('Rate the target context: {name}').format(name=r.target_name))}"
            + (f"<br><i>{esc(r.target_description)}</i>" if r.target_description else "")
            + "</p>",
            f"<p>{esc(_('For each criterion, choose the level that best describes the target context. '))}"
            f"{esc(_('There are no right answers: the group will discuss where you disagree.'))}</p>",
        ]
        return "".join(parts)

    @staticmethod
    def _criterion_html(c: Criterion) -> str:
        critical = f" <small>({esc(_('critical'))})</small>" if c.critical else ""
        question = f"<br><b>{esc(c.question)}</b>" if c.question else ""
        title = f"<h4 style='margin:1em 0 .2em 0'>{esc(c.name)}{critical}</h4>"
        return f"{title}<div>{esc(c.description)}{question}</div>"

    def values(self) -> dict[str, int]:
        return {cid: radio.value for cid, radio in self.ratings.items() if radio.value is not None}

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
    """The participant page: ``?code=`` fills the join code, ``?round=`` picks the round (else the latest)."""
    params = request_params()
    try:
        store = open_store(convening, home)
        wanted = params.get("round")
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
            message(_("This page is not ready: {error} Please tell the facilitator.").format(error=exc), "error")
        )
    return ScoringForm(store, rubric, scoring_round, code=params.get("code"))
