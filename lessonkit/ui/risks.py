"""The joint risk register in the care workbook: the ranked register with each group's rating, the spread and the
agreed rating, the likelihood × impact matrix, and the forms to add (or promote) a risk, rate it as a group and
review it (:mod:`lessonkit.ui.risk_forms`)."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit.domain.levels import level_name
from lessonkit.domain.risk_register import band, band_label, groups_of
from lessonkit.domain.risks import risk_category_label
from lessonkit.i18n import _, format_date
from lessonkit.services.disclosure import Disclosure, ShownRisk
from lessonkit.services.risks import register
from lessonkit.store.base import Store
from lessonkit.ui.care_common import CareHub, CarePanel, hub_for, none_yet
from lessonkit.ui.html import esc, heading

BAND_COLOURS = {"low": "#c8e6c9", "medium": "#fff59d", "high": "#ffcc80", "severe": "#ef9a9a"}


def _cell(text: object, attrs: str = "") -> str:
    return f'<td style="padding:.2em .5em;vertical-align:top"{attrs} dir="auto">{esc(text)}</td>'


def register_html(shown: list[ShownRisk], view: Disclosure) -> str:
    """The register as a table: one row per risk, a column per partner group, the spread, the agreed rating."""
    groups = groups_of(s.joint for s in shown)
    headers = [_("Risk"), _("Score"), _("Agreed"), *(view.party(g) for g in groups), _("Spread"), _("Category"),
               _("Title"), _("Raised by"), _("Owner"), _("Review"), _("Sensitivity")]
    head = "".join(f'<th style="text-align:start;padding:.2em .5em">{esc(h)}</th>' for h in headers)
    rows = []
    for s in shown:
        j, r = s.joint, s.risk
        level = band(r.score)
        score = f' style="background:{BAND_COLOURS[level.value]}"'
        ratings = []
        for g in groups:
            mine = j.rating_of(g)
            ratings.append(_cell(f"{mine.likelihood}×{mine.impact}" if mine else "–"))
        spread = _("likelihood {l} · impact {i}").format(l=j.likelihood_spread, i=j.impact_spread) if j.ratings else "–"
        spread_attrs = ' style="color:#b71c1c;font-weight:bold"' if j.contested else ""
        rows.append(
            "<tr>"
            + _cell(r.id)
            + _cell(f"{r.score} ({band_label(level)})", score)
            + _cell(f"{r.likelihood}×{r.impact}")
            + "".join(ratings)
            + _cell(spread, spread_attrs)
            + _cell(risk_category_label(r.category))
            + _cell(r.title)
            + _cell(s.raised_by)
            + _cell(s.owner)
            + _cell(format_date(r.review_date) if r.review_date else "")
            + _cell(level_name(s.level))
            + "</tr>"
        )
    note = ""
    if any(s.joint.contested for s in shown):
        note = none_yet(_("Spread in red: the groups' ratings lie two steps or more apart. Talk it through before "
                          "agreeing on a rating (under “Review a risk”)."))
    return (
        f'<table class="lk-table" style="border-collapse:collapse"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{note}"
    )


def plans_html(shown: list[ShownRisk]) -> str:
    """Mitigations and contingency plans, risk by risk."""
    parts = []
    for s in shown:
        r = s.risk
        items = [f"<li>{esc(m)}</li>" for m in r.mitigations]
        c = r.contingency
        if c:
            plan = _("If it happens: {who} — {how} (through {channel})").format(
                who=s.who_acts or _("who acts is not decided"), how=c.how or _("how is not decided"),
                channel=c.channel or _("no channel agreed"),
            )
            items.append(f"<li><b>{esc(plan)}</b></li>")
        nothing = _("No mitigation or plan yet.")
        body = f"<ul>{''.join(items)}</ul>" if items else f"<p>{esc(nothing)}</p>"
        parts.append(f'<h5 dir="auto">{esc(r.id)}. {esc(r.title)}</h5>{body}')
    return "".join(parts)


class RiskRegister(CarePanel):
    """The ranked register, the matrix chart, and the plans."""

    def __init__(self, hub: CareHub) -> None:
        super().__init__(hub)
        self.listing = widgets.HTML()
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="36em", display="none"))
        self.plans = widgets.HTML()
        self.children = [widgets.HTML(heading(_("Risk register"))), self.listing, self.chart,
                         widgets.HTML(heading(_("Mitigations and contingency plans"), 4)), self.plans]
        self.refresh()

    def refresh(self) -> None:
        from lessonkit.export import risk_matrix_chart

        view = self.hub.view()
        shown = view.risks(register(self.hub.store))
        if not shown:
            self.listing.value = none_yet(_("The register is empty: add a risk below, or promote a risk noted in a "
                                            "listening session."))
            self.chart.layout.display = "none"
            self.plans.value = ""
            return
        self.listing.value = register_html(shown, view)
        self.chart.value = risk_matrix_chart([s.risk for s in shown])
        self.chart.layout.display = None
        self.plans.value = plans_html(shown)


def risk_register(convening: str | None = None, home: str | None = None, store: Store | None = None) -> Any:
    """The joint risk register of a convening: the register and matrix, then the forms to add, rate and review."""
    from lessonkit.ui.risk_forms import RatingForm, ReviewForm, RiskForm

    hub = hub_for(convening, home, store)
    forms = widgets.Accordion(children=[RiskForm(hub), RatingForm(hub), ReviewForm(hub)])
    forms.titles = (_("Add a risk, or promote one from a listening session"), _("A group's own rating"),
                    _("Review a risk"))
    return widgets.VBox([RiskRegister(hub), forms])
