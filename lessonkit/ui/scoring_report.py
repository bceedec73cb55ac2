"""The facilitator's views of transferability: a round's result with its chart, and the library ranked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.rubric import ContextProfile, Rubric
from lessonkit.errors import LessonkitError, NotFoundError
from lessonkit.i18n import _, ngettext
from lessonkit.services.scoring import list_profiles, load_profile, load_rubric, rank_library
from lessonkit.services.scoring_rounds import list_rounds, round_result, save_round_target
from lessonkit.store.base import Store
from lessonkit.ui.context import open_store, resolve_workspace
from lessonkit.ui.html import esc, message
from lessonkit.ui.scoring_html import ranking_html, result_html
from lessonkit.ui.scoring_setup import round_label

_WIDE = {"description_width": "initial"}


def _png(kind: str, *args: Any, **kwargs: Any) -> bytes:
    import lessonkit.export as export

    return export.png(getattr(export, kind)(*args, **kwargs))  # type: ignore[no-any-return]


def _image() -> widgets.Image:
    return widgets.Image(format="png", layout=widgets.Layout(max_width="48em", display="none"))


class ScoringResults(widgets.VBox):
    """Pick a round; see the score per criterion with the spread, the explanation and the chart."""

    def __init__(self, store: Store, rubric: Rubric, round_id: int | None = None) -> None:
        self.store = store
        self.rubric = rubric
        self.round = widgets.Dropdown(description=_("Round"), style=_WIDE)
        self.refresh_button = widgets.Button(description=_("Refresh"))
        self.profile_name = widgets.Text(description=_("Save the target as"), style=_WIDE)
        self.save = widgets.Button(description=_("Save profile"))
        self.report = widgets.HTML()
        self.chart = _image()
        self.status = widgets.HTML()
        super().__init__(
            [
                widgets.HBox([self.round, self.refresh_button]),
                self.report,
                self.chart,
                widgets.HBox([self.profile_name, self.save]),
                self.status,
            ]
        )
        rounds = list_rounds(store)
        self.round.options = [(round_label(r), r.id) for r in rounds]
        if rounds:
            self.round.value = round_id if round_id in {r.id for r in rounds} else rounds[-1].id
        self.round.observe(self.refresh, names="value")
        self.refresh_button.on_click(self.refresh)
        self.save.on_click(self._save)
        self.refresh()

    def refresh(self, change: Any = None) -> None:
        self.status.value = ""
        if self.round.value is None:
            self.report.value = message(_("No scoring round yet: open one above."), "info")
            self.chart.layout.display = "none"
            return
        outcome = round_result(self.store, self.round.value, self.rubric)
        r = outcome.round
        head = f"<h3>{esc(r.module_title)} → {esc(r.target_name)}</h3>"
        if outcome.result is None:
            self.report.value = head + message(_("Nobody has rated this round yet."), "info")
            self.chart.layout.display = "none"
            return
        self.profile_name.value = self.profile_name.value or r.target_name
        self.report.value = head + result_html(outcome.result)
        self.chart.value = _png("criterion_chart", outcome.result, f"{r.module_title} → {r.target_name}")
        self.chart.layout.display = None

    def _save(self, button: Any = None) -> None:
        if self.round.value is None:
            return
        try:
            profile = save_round_target(self.store, self.round.value, self.rubric, self.profile_name.value or None)
        except LessonkitError as exc:
            self.status.value = message(_("Not saved. {error}").format(error=exc), "error")
            return
        self.status.value = message(
            _("Saved the context profile '{name}': rank the library for it below.").format(name=profile.name), "ok"
        )


def example_profiles(rubric: Rubric) -> dict[str, ContextProfile]:
    """The invented example profiles under ``data/profiles/`` that fit ``rubric``, by file stem."""
    from lessonkit.resources import data_path

    out: dict[str, ContextProfile] = {}
    for path in sorted(data_path("profiles").glob("*.json")):
        try:
            out[path.stem] = load_profile(path, rubric)
        except LessonkitError:
            continue
    return out


class RankingView(widgets.VBox):
    """Choose a target profile; see every module with a source profile ranked, with the chart and the why."""

    def __init__(
        self,
        library: Store,
        rubric: Rubric,
        profiles: dict[str, ContextProfile],
        selected: str | None = None,
        endorsed_only: bool = True,
    ) -> None:
        self.library = library
        self.rubric = rubric
        self.profiles = profiles
        self.target = widgets.Dropdown(
            options=[(p.name, key) for key, p in profiles.items()], description=_("Target context"), style=_WIDE
        )
        self.endorsed_only = widgets.Checkbox(
            value=endorsed_only, description=_("Endorsed modules only (good practice)"), indent=False
        )
        self.summary = widgets.HTML()
        self.chart = _image()
        self.rows = widgets.HTML()
        super().__init__([widgets.HBox([self.target, self.endorsed_only]), self.summary, self.chart, self.rows])
        if selected in profiles:
            self.target.value = selected
        self.target.observe(self.refresh, names="value")
        self.endorsed_only.observe(self.refresh, names="value")
        self.refresh()

    def refresh(self, change: Any = None) -> None:
        profile = self.profiles.get(self.target.value) if self.target.value else None
        if profile is None:
            self.summary.value = message(_("No target profile to rank for."), "info")
            return
        ranking = rank_library(self.library, profile, self.rubric, endorsed_only=self.endorsed_only.value)
        n, k = len(ranking.rows), ranking.without_profile
        note = ngettext("{n} module ranked for {name}.", "{n} modules ranked for {name}.", n)
        note = note.format(n=n, name=profile.name)
        if k:
            note += " " + ngettext(
                "{k} module left out because it has no source profile.",
                "{k} modules left out because they have no source profile.",
                k,
            ).format(k=k)
        self.summary.value = message(note, "info")
        if not ranking.rows:
            self.chart.layout.display = "none"
            self.rows.value = ""
            return
        self.chart.value = _png("ranking_chart", ranking.rows, _("Ranked for {name}").format(name=profile.name))
        self.chart.layout.display = None
        self.rows.value = ranking_html(ranking.rows)


def scoring_results(
    round_id: int | None = None, convening: str | None = None, home: str | None = None, rubric: str = "default"
) -> widgets.Widget:
    """Results of a scoring round of ``convening`` (the latest when ``round_id`` is None)."""
    try:
        store = open_store(convening, home)
        return ScoringResults(store, load_rubric(rubric), round_id)
    except LessonkitError as exc:
        return widgets.HTML(message(str(exc), "error"))


def rank_view(
    target: str | None = None,
    convening: str | None = None,
    home: str | None = None,
    rubric: str = "default",
    endorsed_only: bool = True,
) -> widgets.Widget:
    """The library ranked for a target: an example profile's file stem or path, or a profile saved in the
    convening; the menu offers them all. Endorsed modules only unless ``endorsed_only=False``."""
    try:
        rub = load_rubric(rubric)
        ws = resolve_workspace(home)
        profiles = example_profiles(rub)
        try:
            saved = list_profiles(open_store(convening, home), rub)
        except NotFoundError:  # no such convening (or none named): the examples only
            saved = []
        profiles.update({f"saved:{p.name}": p for p in saved})
        if target and target.endswith(".json"):
            profiles[target] = load_profile(Path(target), rub)
        elif target and f"saved:{target}" in profiles:
            target = f"saved:{target}"
        return RankingView(ws.library(), rub, profiles, target, endorsed_only)
    except LessonkitError as exc:
        return widgets.HTML(message(str(exc), "error"))
