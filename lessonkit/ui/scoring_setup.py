"""The facilitator opens and closes scoring rounds: one module, one target context, the participants' link."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit.domain.modules import ReviewStatus, review_status_label
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _, pgettext
from lessonkit.services.library import list_modules
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import list_rounds, open_round, set_round_open
from lessonkit.store.base import Store
from lessonkit.ui.context import open_store, resolve_workspace
from lessonkit.ui.html import message

_WIDE = {"description_width": "initial"}
PARTICIPANT_PAGE = "score.ipynb"


def round_label(r: Any) -> str:
    state = pgettext("scoring round state", "open") if r.is_open else pgettext("scoring round state", "closed")
    return f"#{r.id} {r.module_title} → {r.target_name} ({state})"


class ScoringRoundSetup(widgets.VBox):
    """Choose a module (endorsed ones by default), name the target context; open, close, reopen rounds."""

    def __init__(self, store: Store, library: Store, rubric_name: str = "default") -> None:
        self.store = store
        self.library = library
        self.rubric = load_rubric(rubric_name)
        self.include_all = widgets.Checkbox(
            value=False, description=_("Also offer modules not (yet) endorsed"), indent=False
        )
        self.module = widgets.Dropdown(description=_("Module"), style=_WIDE)
        self.target = widgets.Text(
            description=_("Target context"), placeholder=_("e.g. our city next spring"), style=_WIDE
        )
        self.description = widgets.Textarea(
            description=_("About the target context"),
            style=_WIDE,
            layout=widgets.Layout(width="100%", max_width="40em"),
        )
        self.open_button = widgets.Button(description=_("Open the round"), button_style="primary")
        self.rounds = widgets.Dropdown(description=_("Rounds"), style=_WIDE)
        self.toggle = widgets.Button(description=_("Close / reopen"))
        self.status = widgets.HTML()
        super().__init__(
            [
                self.include_all,
                self.module,
                self.target,
                self.description,
                self.open_button,
                widgets.HBox([self.rounds, self.toggle]),
                self.status,
            ]
        )
        self.include_all.observe(self._fill_modules, names="value")
        self.open_button.on_click(self._open)
        self.toggle.on_click(self._toggle)
        self._fill_modules()
        self._fill_rounds()

    def _fill_modules(self, change: Any = None) -> None:
        modules = [
            m
            for m in list_modules(self.library)
            if m.source_profile
            and m.status is not ReviewStatus.RETIRED
            and (self.include_all.value or m.status is ReviewStatus.ENDORSED)
        ]
        self.module.options = [(f"{m.title} ({review_status_label(m.status)})", m.slug) for m in modules]
        if modules and self.module.value is None:
            self.module.value = modules[0].slug
        if not modules:
            self.status.value = message(
                _(
                    "No module to offer: the library has no endorsed module with a source "
                    "profile. Tick the box above, or import and review modules."
                ),
                "info",
            )

    def _fill_rounds(self, select: int | None = None) -> None:
        rounds = list_rounds(self.store)
        self.rounds.options = [(round_label(r), r.id) for r in rounds]
        if rounds:
            self.rounds.value = select if select is not None else rounds[-1].id

    def _open(self, button: Any = None) -> None:
        if not self.module.value:
            self.status.value = message(_("Module: choose the module the group will rate."), "error")
            return
        try:
            r = open_round(
                self.store,
                self.library,
                self.module.value,
                self.target.value,
                self.rubric,
                target_description=self.description.value,
                endorsed_only=not self.include_all.value,
            )
        except ValidationError as exc:
            label = {"target_name": self.target.description, "module": self.module.description}.get(
                exc.field, exc.field
            )
            self.status.value = message(
                _("Not opened. {field}: {problem}").format(field=label, problem=exc.message), "error"
            )
            return
        except LessonkitError as exc:
            self.status.value = message(_("Not opened. {error}").format(error=exc), "error")
            return
        self._fill_rounds(r.id)
        link = f"{PARTICIPANT_PAGE}?round={r.id}"
        self.status.value = message(
            _(
                "Round {id} is open. Participants open the scoring page of the participant server "
                "(`lessonkit serve`): {link} (their join code is added as &code=…)."
            ).format(id=r.id, link=link),
            "ok",
        )

    def _toggle(self, button: Any = None) -> None:
        if self.rounds.value is None:
            return
        current = next(r for r in list_rounds(self.store) if r.id == self.rounds.value)
        r = set_round_open(self.store, current.id, not current.is_open)  # type: ignore[arg-type]
        self._fill_rounds(r.id)
        self.status.value = message(round_label(r), "info")


def scoring_round_setup(
    convening: str | None = None, home: str | None = None, rubric: str = "default"
) -> widgets.Widget:
    """The form that opens scoring rounds for ``convening`` in the workspace ``home``."""
    ws = resolve_workspace(home)
    try:
        return ScoringRoundSetup(open_store(convening, home), ws.library(), rubric)
    except LessonkitError as exc:
        return widgets.HTML(message(str(exc), "error"))

