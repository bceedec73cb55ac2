"""One "tactic I tried" block of the reflection form: which library module, how it went (in a word and in the
person's words) and, if they measured something, what. Phone-first like the rest of the form (its box inherits the
``lk-phone`` layout); the measured part opens only when an outcome is chosen."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit.domain.signals import OutcomeType, ResultClass, outcome_label
from lessonkit.i18n import _
from lessonkit.services.reflections import TacticChoice
from lessonkit.ui.html import esc
from lessonkit.ui.language import relabel_options

NONE = ""  # the "not said" choice of a dropdown
_WIDE = {"description_width": "initial"}


def _layout(**extra: str) -> widgets.Layout:
    return widgets.Layout(width="100%", max_width="40em", **extra)


def went_label(result: ResultClass) -> str:
    """How a tactic went, as a participant says it."""
    return {
        ResultClass.SUCCESS: _("It worked"),
        ResultClass.MIXED: _("Mixed: some of it worked"),
        ResultClass.FAILURE: _("It did not work"),
    }[result]


class TacticRow(widgets.VBox):
    """A tactic tried: module, how it went, in words, and an optional measured outcome (value, unit, baseline)."""

    def __init__(self, choices: list[TacticChoice], number: int) -> None:
        self.choices = choices
        self.number = number
        self.heading = widgets.HTML()
        self.module = widgets.Dropdown(options=[("—", NONE)], value=NONE, style=_WIDE, layout=_layout())
        self.went = widgets.Dropdown(options=[("—", NONE)], value=NONE, style=_WIDE, layout=_layout())
        self.how = widgets.Textarea(continuous_update=False, style=_WIDE, layout=_layout(height="5em"))
        self.outcome = widgets.Dropdown(options=[("—", NONE)], value=NONE, style=_WIDE, layout=_layout())
        self.value = widgets.Text(continuous_update=False, style=_WIDE, layout=_layout())
        self.unit = widgets.Text(continuous_update=False, style=_WIDE, layout=_layout())
        self.baseline = widgets.Text(continuous_update=False, style=_WIDE, layout=_layout())
        self.measured = widgets.VBox([self.value, self.unit, self.baseline], layout=_layout(display="none"))
        super().__init__(
            [self.heading, self.module, self.went, self.how, self.outcome, self.measured],
            layout=_layout(border_top="1px solid #cfd8dc", padding=".3em 0 0 0"),
        )
        self.outcome.observe(self._on_outcome, names="value")
        self.relabel()

    def relabel(self) -> None:
        """Every label in the current language (the form calls this inside its language); choices stay."""
        self.heading.value = "<b>{}</b>".format(esc(_("Tactic {n}").format(n=self.number)))
        self.module.description = _("A tactic you tried")
        relabel_options(self.module, [(_("(none)"), NONE)] + [(c.title, c.slug) for c in self.choices])
        self.went.description = _("How did it go?")
        relabel_options(self.went, [(_("(not sure yet)"), NONE)] + [(went_label(r), r.value) for r in ResultClass])
        self.how.description = _("What happened")
        self.how.placeholder = _("What you did, who came, what changed.")
        self.outcome.description = _("Something you measured")
        relabel_options(
            self.outcome, [(_("(nothing measured)"), NONE)] + [(outcome_label(o), o.value) for o in OutcomeType]
        )
        self.value.description = _("Value")
        self.value.placeholder = _("e.g. 40")
        self.unit.description = _("Unit")
        self.unit.placeholder = _("e.g. people, %")
        self.baseline.description = _("Before (baseline)")
        self.baseline.placeholder = _("e.g. 12")

    def _on_outcome(self, change: Any = None) -> None:
        self.measured.layout.display = None if self.outcome.value else "none"

    @property
    def started(self) -> bool:
        """True when anything was filled in."""
        return bool(self.module.value or self.went.value or self.how.value.strip() or self.outcome.value)

    def data(self) -> dict[str, Any]:
        """The tactic as the services take it (the measured part only when an outcome is chosen)."""
        measured = bool(self.outcome.value)
        return {
            "module": self.module.value,
            "went": self.went.value or None,
            "how": self.how.value,
            "outcome": self.outcome.value or None,
            "value": self.value.value if measured else None,
            "unit": self.unit.value if measured else "",
            "baseline": self.baseline.value if measured else None,
        }

    def labels(self) -> dict[str, str]:
        """The services' field names of a tactic, as the person sees them here."""
        fields = {
            "module": self.module,
            "went": self.went,
            "how": self.how,
            "outcome": self.outcome,
            "value": self.value,
            "unit": self.unit,
            "baseline": self.baseline,
        }
        return {name: _("Tactic {n}, {field}").format(n=self.number, field=w.description) for name, w in fields.items()}

    def clear(self) -> None:
        for w in (self.how, self.value, self.unit, self.baseline):
            w.value = ""
        for d in (self.module, self.went, self.outcome):
            d.value = NONE
