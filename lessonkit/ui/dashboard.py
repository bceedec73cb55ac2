"""The network dashboard (workbook 10): across every convening of the workspace and the library, at one privacy
level: where each tactic was tried and how it went, signals over time, needs, themes and risks that recur, and how a
tactic travelled. Every chart can be saved into one PDF to print; each convening's export log records it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.levels import Sensitivity, sensitivity_label
from lessonkit.errors import LessonkitError
from lessonkit.export import (
    dashboard_pdf,
    flow_chart,
    png,
    recurring_chart,
    signals_chart,
    tactic_results_chart,
)
from lessonkit.i18n import _, ngettext
from lessonkit.services.library import list_modules
from lessonkit.services.network import NetworkView, describe, flow_choices, network_view, signals_over_time, tactic_flow
from lessonkit.store.workspace import BaseWorkspace
from lessonkit.ui.context import resolve_workspace
from lessonkit.ui.html import esc, heading, message

_WIDE = {"description_width": "initial"}
LEVELS = (Sensitivity.NETWORK, Sensitivity.PUBLIC)  # an audience across convenings: partner groups, or anyone


def _image() -> widgets.Image:
    return widgets.Image(format="png", layout=widgets.Layout(max_width="100%", height="auto"))


class NetworkDashboard(widgets.VBox):
    """Level, the charts (each under a heading), the flow of one tactic, and Save as PDF."""

    def __init__(self, ws: BaseWorkspace, level: str = Sensitivity.NETWORK.value, module: str | None = None) -> None:
        self.ws = ws
        self.library = ws.library()
        self.level = widgets.Dropdown(
            options=[(sensitivity_label(s), s.value) for s in LEVELS],
            value=level if level in [s.value for s in LEVELS] else Sensitivity.NETWORK.value,
            description=_("Who will see it"),
            style=_WIDE,
        )
        self.redraw = widgets.Button(description=_("Draw again"))
        self.summary = widgets.HTML()
        keys = ("tactics", "signals", "needs", "themes", "risks")
        self.charts: dict[str, widgets.Image] = {k: _image() for k in keys}
        choices = flow_choices(self.library)
        wanted = module if module in [slug for _t, slug in choices] else (choices[0][1] if choices else None)
        self.module = widgets.Dropdown(options=choices, value=wanted, description=_("Tactic"), style=_WIDE)
        self.flow = _image()
        self.out = widgets.Text(
            value=str(Path(getattr(ws, "home", ".")) / "reports" / "network-dashboard.pdf"),
            description=_("Save as"),
            style=_WIDE,
            layout=widgets.Layout(width="40em"),
        )
        self.save = widgets.Button(description=_("Save the charts as a PDF to print"), button_style="primary")
        self.status = widgets.HTML()
        self.view: NetworkView | None = None
        self._figures: dict[str, Any] = {}
        titled = [
            ("tactics", _("Where each tactic was tried, and with which result")),
            ("signals", _("Signals over time")),
            ("needs", _("Needs that recur across convenings")),
            ("themes", _("Themes (tags of every note) across convenings")),
            ("risks", _("Risks that recur (the risk register's categories, and tags of risk notes)")),
        ]
        parts: list[widgets.Widget] = [widgets.HBox([self.level, self.redraw]), self.summary]
        for key, title in titled:
            parts += [widgets.HTML(heading(title, 4)), self.charts[key]]
        flow_title = _("How a tactic travelled: its lineage, the places and results of each adaptation")
        parts += [widgets.HTML(heading(flow_title, 4)), self.module, self.flow, self.out, self.save, self.status]
        super().__init__(parts)
        self.redraw.on_click(self.draw)
        self.level.observe(self.draw, names="value")
        self.module.observe(self._draw_flow, names="value")
        self.save.on_click(self._save)
        self.draw()

    def draw(self, change: Any = None) -> None:
        """Read every convening again at the chosen level and draw every chart."""
        try:
            self.view = network_view(self.ws, self.level.value, self.library)
        except LessonkitError as exc:
            self.status.value = message(str(exc), "error")
            return
        view = self.view
        titles = {m.slug: m.title for m in list_modules(self.library)}
        self._figures = {
            "tactics": tactic_results_chart(view, titles),
            "signals": signals_chart(*signals_over_time(self.library)),
            "needs": recurring_chart(view.needs, _("Needs that recur across convenings")),
            "themes": recurring_chart(view.themes, _("Themes across convenings")),
            "risks": recurring_chart(view.risks, _("Risks that recur across convenings")),
        }
        for key, fig in self._figures.items():
            self.charts[key].value = png(fig)
        self.summary.value = self._summary_html(view)
        self._draw_flow()

    def _summary_html(self, view: NetworkView) -> str:
        d = describe(view)
        lines = [
            ngettext("{n} convening", "{n} convenings", d["convenings"]).format(n=d["convenings"]),
            ngettext("A tactic was tried {n} time", "Tactics were tried {n} times", d["trials"]).format(n=d["trials"]),
            _("recurring: {needs} needs, {themes} themes, {risks} risks").format(**d),
        ]
        if d["withheld"]:
            lines.append(
                ngettext(
                    "{n} record left out: its sensitivity or its author's consent stops short of this level",
                    "{n} records left out: their sensitivity or their authors' consent stops short of this level",
                    d["withheld"],
                ).format(n=d["withheld"])
            )
        if view.unreadable:
            lines.append(_("could not be read: {slugs}").format(slugs=", ".join(view.unreadable)))
        return "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"

    def _draw_flow(self, change: Any = None) -> None:
        if not self.module.value:
            self.flow.layout.display = "none"
            self._figures.pop("flow", None)
            return
        trials = self.view.trials if self.view else None
        fig = flow_chart(tactic_flow(self.library, self.module.value, trials))
        self._figures["flow"] = fig
        self.flow.value = png(fig)
        self.flow.layout.display = None

    def _save(self, button: Any = None) -> None:
        if self.view is None:
            return
        try:
            path = dashboard_pdf(list(self._figures.values()), Path(self.out.value).expanduser())
        except OSError as exc:
            self.status.value = message(_("Not saved: {error}").format(error=exc.strerror or exc), "error")
            return
        for scope in self.view.scopes:
            scope.log("network dashboard", path)
        self.status.value = message(
            ngettext(
                "Saved {path} ({n} page); each convening's export log records it.",
                "Saved {path} ({n} pages); each convening's export log records it.",
                len(self._figures),
            ).format(path=path, n=len(self._figures)),
            "ok",
        )


def network_dashboard(home: str | None = None, level: str = "network", module: str | None = None) -> widgets.Widget:
    """The dashboard of the workspace ``home`` at ``level`` (network or public); ``module``: the tactic whose
    flow is drawn first."""
    try:
        ws = resolve_workspace(home)
        return NetworkDashboard(ws, level, module)
    except LessonkitError as exc:
        return widgets.HTML(message(str(exc), "error"))
