"""Signals on library modules, for a curator or a participant at the laptop: see a module's signals, add one (by hand
or drawn from an after-action reflection of a convening) and record a peer review of its result class.

Saving checks everything first; on a mistake nothing is saved, the field is named and what was typed stays."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.signals import OutcomeType, ResultClass, Signal, outcome_label, result_label
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.disclosure import Disclosure, Purpose
from lessonkit.services.library import list_modules
from lessonkit.services.signals import add_signal, list_signals, review_signal, signal_from_reflection
from lessonkit.store.base import Store
from lessonkit.ui.context import open_store, resolve_workspace
from lessonkit.ui.html import excerpt, message, table

_WIDE = {"description_width": "initial"}
NONE = ""


def _text(label: str, placeholder: str = "") -> widgets.Text:
    return widgets.Text(
        description=label, placeholder=placeholder, continuous_update=False, style=_WIDE,
        layout=widgets.Layout(width="100%", max_width="40em"),
    )


def _number(value: float | None, unit: str = "") -> str:
    return "" if value is None else f"{value:g} {unit}".strip()


def signals_html(signals: tuple[Signal, ...]) -> str:
    if not signals:
        return message(_("This module has no signal yet."), "info")
    headers = [_("No."), _("Outcome"), _("What"), _("Value"), _("Baseline"), _("Period"), _("Where"), _("Factors"),
               _("Result (peer review)")]
    rows = []
    for i, s in enumerate(signals, start=1):
        result = result_label(s.result) + (" " + _("(reviewers disagree)") if s.disputed else "")
        rows.append([
            i, outcome_label(s.outcome), s.what, _number(s.value, s.unit), _number(s.baseline, s.unit),
            s.period.label() if s.period else "", " · ".join(x for x in (s.place, s.campaign, s.context) if x),
            "; ".join(s.factors), result,
        ])
    return table(headers, rows)


class SignalsPanel(widgets.VBox):
    """Module, its signals, Add a signal (optionally from a reflection), Peer review."""

    def __init__(self, library: Store, store: Store | None = None, module: str | None = None) -> None:
        self.library, self.store = library, store
        modules = [(m.title, m.slug) for m in list_modules(library)]
        wanted = module if module in [s for _t, s in modules] else (modules[0][1] if modules else None)
        self.module = widgets.Dropdown(options=modules, value=wanted, description=_("Module"), style=_WIDE)
        self.listing = widgets.HTML()
        self.reflection = widgets.Dropdown(description=_("From a reflection"), style=_WIDE)
        self.outcome = widgets.Dropdown(
            options=[(outcome_label(o), o.value) for o in OutcomeType], value=OutcomeType.OTHER.value,
            description=_("Outcome"), style=_WIDE,
        )
        self.what = _text(_("What was measured"), _("e.g. tenants at the forum"))
        self.value, self.unit, self.baseline = _text(_("Value")), _text(_("Unit")), _text(_("Baseline"))
        self.period = _text(_("Period"), "2024-03/2024-06")
        self.source = _text(_("Source"), _("a survey, a count, a press report"))
        self.campaign, self.place, self.context = _text(_("Campaign")), _text(_("Place")), _text(_("Context profile"))
        self.factors = widgets.Textarea(
            description=_("Factors that likely influenced it (one per line)"), style=_WIDE,
            layout=widgets.Layout(width="100%", max_width="40em", height="5em"),
        )
        self.reported_by, self.organisation = _text(_("Reported by")), _text(_("Their organisation"))
        self.add = widgets.Button(description=_("Add signal"), button_style="primary")
        self.number = widgets.Dropdown(description=_("Signal"), style=_WIDE)
        self.reviewer, self.review_org = _text(_("Reviewer")), _text(_("Reviewer's organisation"))
        self.result = widgets.Dropdown(
            options=[(result_label(r), r.value) for r in ResultClass], description=_("Result"), style=_WIDE
        )
        self.comments = _text(_("Why"))
        self.review = widgets.Button(description=_("Record review"))
        self.status = widgets.HTML()
        adding = widgets.VBox([
            self.reflection, self.outcome, self.what, self.value, self.unit, self.baseline, self.period, self.source,
            self.campaign, self.place, self.context, self.factors, self.reported_by, self.organisation, self.add,
        ])
        reviewing = widgets.VBox([self.number, self.reviewer, self.review_org, self.result, self.comments, self.review])
        folds = widgets.Accordion(children=[adding, reviewing])
        folds.set_title(0, _("Add a signal"))
        folds.set_title(1, _("Peer review: set a signal's result class"))
        super().__init__([self.module, self.listing, folds, self.status])
        self.module.observe(self.show, names="value")
        self.add.on_click(self._add)
        self.review.on_click(self._review)
        self._offer_reflections()
        self.show()

    def _offer_reflections(self) -> None:
        """Reflections of the convening that name tactics, as the facilitator may see them (network level)."""
        options: list[tuple[str, Any]] = [(_("(none: type it in)"), NONE)]
        if self.store is not None:
            try:
                shown = Disclosure.open(self.store, Sensitivity.NETWORK, Purpose.BOARD).reflections().shown
            except LessonkitError:
                shown = []
            for s in shown:
                r = s.reflection
                tactics = ", ".join(t.module for t in r.tactics)
                label = f"{r.id} · {s.author} · {excerpt(tactics or r.changed, 50)}"
                options.append((label, r.id))
        self.reflection.options = options
        self.reflection.value = NONE
        self.reflection.layout.display = None if len(options) > 1 else "none"

    def show(self, change: Any = None) -> None:
        if not self.module.value:
            self.listing.value = message(_("The library is empty: import or write a module first."), "info")
            return
        rows = list_signals(self.library, self.module.value)
        self.listing.value = signals_html(tuple(r.signal for r in rows))
        self.number.options = [(f"{r.number}: {excerpt(r.signal.what, 50)}", r.number) for r in rows]

    def fields(self) -> dict[str, Any]:
        """What is typed, as signal fields (empty ones left out)."""
        data = {
            "outcome": self.outcome.value, "what": self.what.value, "value": self.value.value,
            "unit": self.unit.value, "baseline": self.baseline.value, "period": self.period.value,
            "source": self.source.value, "campaign": self.campaign.value, "place": self.place.value,
            "context": self.context.value, "factors": self.factors.value, "reported_by": self.reported_by.value,
            "organisation": self.organisation.value,
        }
        return {k: v for k, v in data.items() if str(v).strip()}

    def _label(self, field: str, review: bool = False) -> str:
        """A service's field name as this panel labels it."""
        widgets_by_field = {
            "outcome": self.outcome, "what": self.what, "value": self.value, "unit": self.unit,
            "baseline": self.baseline, "period": self.period, "source": self.source, "campaign": self.campaign,
            "place": self.place, "context": self.context, "factors": self.factors,
            "reported_by": self.reported_by, "organisation": self.organisation, "reviewer": self.reviewer,
            "result": self.result, "comments": self.comments,
        }
        name = field.split(".", 1)[-1].split("[", 1)[0]
        if review:
            widgets_by_field["organisation"] = self.review_org
        found = widgets_by_field.get(name)
        return str(found.description) if found is not None else field

    def _add(self, button: Any = None) -> None:
        slug = self.module.value
        if not slug:
            return
        try:
            if self.reflection.value != NONE and self.store is not None:
                fields = {k: v for k, v in self.fields().items() if k != "outcome" or v != OutcomeType.OTHER.value}
                module, number = signal_from_reflection(self.store, self.library, self.reflection.value, slug, fields)
            else:
                module, number = add_signal(self.library, slug, self.fields())
        except ValidationError as exc:
            self.status.value = message(_("Not saved. {field}: {problem}").format(
                field=self._label(exc.field), problem=exc.message), "error")
            return
        except LessonkitError as exc:
            self.status.value = message(_("Not saved. {error}").format(error=exc), "error")
            return
        for w in (self.what, self.value, self.unit, self.baseline, self.period, self.source, self.factors):
            w.value = ""
        self.show()
        what = module.signals[number - 1].what
        self.status.value = message(_("Added signal {n}: {what}.").format(n=number, what=what), "ok")

    def _review(self, button: Any = None) -> None:
        if not self.module.value or self.number.value is None:
            self.status.value = message(_("Signal: choose the signal you review."), "error")
            return
        try:
            module = review_signal(
                self.library, self.module.value, self.number.value, self.reviewer.value, self.review_org.value,
                self.result.value, self.comments.value,
            )
        except ValidationError as exc:
            self.status.value = message(_("Not saved. {field}: {problem}").format(
                field=self._label(exc.field, review=True), problem=exc.message), "error")
            return
        except LessonkitError as exc:
            self.status.value = message(_("Not saved. {error}").format(error=exc), "error")
            return
        self.show()
        signal = module.signals[self.number.value - 1]
        self.status.value = message(
            _("Saved: signal {n} is now {result}.").format(n=self.number.value, result=result_label(signal.result)),
            "ok",
        )


def signals_panel(home: str | None = None, convening: str | None = None, module: str | None = None) -> widgets.Widget:
    """Signals of the library of workspace ``home``; with ``convening``, signals can be drawn from its reflections."""
    try:
        ws = resolve_workspace(home)
        store = open_store(convening, home) if convening else None
        return SignalsPanel(ws.library(), store, module)
    except LessonkitError as exc:
        return widgets.HTML(message(str(exc), "error"))

