"""Write and edit case modules in a notebook: content, context notes, signals, lineage, provenance.

Saving validates everything first; on an error nothing is saved, the field is named and what was typed stays.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit.domain.levels import Sensitivity, level_name
from lessonkit.domain.library import Module
from lessonkit.domain.modules import (
    CONTEXT_FIELDS,
    SECTION_HEADINGS,
    ModuleType,
    RiskLevel,
    module_type_label,
    risk_label,
)
from lessonkit.domain.signals import Signal
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _, pgettext
from lessonkit.services.library import add_module, edit_module, get_module, list_modules
from lessonkit.store.base import Store
from lessonkit.ui.context import resolve_workspace
from lessonkit.ui.html import message

_WIDE = {"description_width": "initial"}
EDITED_SECTIONS = [k for k in SECTION_HEADINGS if k != "learn_more"]


def _area(label: str, rows: str = "5em") -> widgets.Textarea:
    return widgets.Textarea(description=label, style=_WIDE, layout=widgets.Layout(width="100%", height=rows))


def signals_text(module: Module) -> str:
    """Signals one per line: what | value | unit | baseline | source."""
    return "\n".join(
        " | ".join(
            "" if x is None else f"{x:g}" if isinstance(x, float) else str(x)
            for x in (s.what, s.value, s.unit, s.baseline, s.source)
        )
        for s in module.signals
    )


def parse_signals(text: str, existing: tuple[Signal, ...] = ()) -> list[dict[str, Any]]:
    """Signals from 'what | value | unit | baseline | source' lines. A line keeps the evidence its line does not show
    (outcome, period, factors, peer reviews…) from the module's signal of the same 'what', else from the signal
    that stood on the same line (when no other line names that one)."""
    keys = ("what", "value", "unit", "baseline", "source")
    lines = []
    for raw in text.splitlines():
        if raw.strip():
            parts = dict(zip(keys, (p.strip() for p in raw.split("|")), strict=False))
            lines.append({k: parts.get(k, "") for k in keys})  # the five shown fields always come from the text
    by_what = {s.what.casefold(): i for i, s in enumerate(existing)}
    named = {by_what[w] for w in (line.get("what", "").casefold() for line in lines) if w in by_what}
    used: set[int] = set()
    out: list[dict[str, Any]] = []
    for index, line in enumerate(lines):
        match = by_what.get(line.get("what", "").casefold())
        if match is None and index < len(existing) and index not in named:
            match = index
        if match is not None and match not in used:
            used.add(match)
            out.append({**existing[match].to_dict(), **line})
        else:
            out.append(line)
    return out


def lineage_text(module: Module) -> str:
    """Lineage one per line: parent-slug | mode | what was adapted."""
    return "\n".join(f"{x.parent} | {x.mode.value} | {x.adapted}" for x in module.lineage)


def parse_lineage(text: str) -> list[dict[str, str]]:
    keys = ("parent", "mode", "adapted")
    return [
        dict(zip(keys, (p.strip() for p in line.split("|", 2)), strict=False))
        for line in text.splitlines()
        if line.strip()
    ]


def _csv(values: tuple[str, ...]) -> str:
    return ", ".join(values)


class ModuleEditor(widgets.VBox):
    """Choose a module (or create one), change any of its content, Save."""

    def __init__(self, library: Store, slug: str | None = None) -> None:
        self.library = library
        self.module = widgets.Dropdown(description=_("Module"), style=_WIDE)
        self.new_slug = widgets.Text(description=_("New module's short name"), placeholder="our-tactic", style=_WIDE)
        self.create = widgets.Button(description=_("Create"))
        self.title = widgets.Text(description=_("Title"), style=_WIDE, layout=widgets.Layout(width="100%"))
        self.type = widgets.Dropdown(
            options=[(module_type_label(t), t.value) for t in ModuleType], description=_("Type")
        )
        self.risk = widgets.Dropdown(
            options=[(risk_label(r), r.value) for r in RiskLevel],
            description=pgettext("risk level of a module", "Risk"),
        )
        self.sensitivity = widgets.Dropdown(
            options=[(level_name(s), s.value) for s in Sensitivity], description=_("Sensitivity")
        )
        self.anonymised = widgets.Checkbox(description=_("Anonymised"), indent=False)
        self.summary = _area(_("Summary"), "4em")
        self.sections = {k: _area(_(SECTION_HEADINGS[k])) for k in EDITED_SECTIONS}
        self.context = {k: _area(_(label), "3em") for k, label in CONTEXT_FIELDS.items()}
        self.signals = _area(_("Signals: what | value | unit | baseline | source (one per line)"), "4em")
        self.lineage = _area(
            _("Lineage: parent module | copying/emulation/mixture/inspiration | what was adapted"), "4em"
        )
        self.tags = widgets.Text(description=_("Tags"), style=_WIDE, layout=widgets.Layout(width="100%"))
        self.regions = widgets.Text(description=_("Regions"), style=_WIDE)
        self.related = widgets.Text(description=_("Related modules"), style=_WIDE, layout=widgets.Layout(width="100%"))
        self.provenance = {
            k: widgets.Text(description=label, style=_WIDE, layout=widgets.Layout(width="100%"))
            for k, label in (
                ("attribution", _("Attribution")),
                ("licence", _("Licence")),
                ("funding", _("Funding disclosure")),
                ("source_url", _("Source link")),
            )
        }
        self.save = widgets.Button(description=_("Save"), button_style="primary")
        self.status = widgets.HTML()
        parts = widgets.Accordion(
            children=[
                widgets.VBox(list(self.sections.values())),
                widgets.VBox(list(self.context.values())),
                widgets.VBox([self.signals, self.lineage, self.tags, self.regions, self.related]),
                widgets.VBox(list(self.provenance.values())),
            ]
        )
        for i, name in enumerate((_("Sections"), _("Context notes"), _("Signals, lineage, tags"), _("Provenance"))):
            parts.set_title(i, name)
        super().__init__(
            [
                widgets.HBox([self.module]),
                widgets.HBox([self.new_slug, self.create]),
                self.title,
                widgets.HBox([self.type, self.risk, self.sensitivity, self.anonymised]),
                self.summary,
                parts,
                self.save,
                self.status,
            ]
        )
        self._fill(slug)
        self.module.observe(self._load, names="value")
        self.create.on_click(self._create)
        self.save.on_click(self._save)
        self._load()

    def _fill(self, slug: str | None = None) -> None:
        modules = list_modules(self.library)
        self.module.options = [(m.title, m.slug) for m in modules]
        if slug in {m.slug for m in modules}:
            self.module.value = slug
        elif modules and self.module.value is None:
            self.module.value = modules[0].slug

    def _load(self, change: Any = None) -> None:
        if not self.module.value:
            return
        m = get_module(self.library, self.module.value)
        self.title.value, self.type.value, self.risk.value = m.title, m.type.value, m.risk_level.value
        self.sensitivity.value, self.anonymised.value, self.summary.value = m.sensitivity.value, m.anonymised, m.summary
        for key, area in self.sections.items():
            area.value = m.section(key)
        for key, area in self.context.items():
            area.value = m.context.get(key, "")
        self.signals.value, self.lineage.value = signals_text(m), lineage_text(m)
        self.tags.value, self.regions.value, self.related.value = _csv(m.tags), _csv(m.regions), _csv(m.related)
        for key, box in self.provenance.items():
            box.value = getattr(m, key)
        self.status.value = ""

    def changes(self) -> dict[str, Any]:
        """Everything on the form, as module fields (not yet validated)."""
        current = get_module(self.library, self.module.value)
        sections = {k: v for k, v in current.sections.items() if k not in self.sections}
        sections.update({k: a.value for k, a in self.sections.items() if a.value.strip()})
        return {
            "title": self.title.value,
            "type": self.type.value,
            "risk_level": self.risk.value,
            "sensitivity": self.sensitivity.value,
            "anonymised": self.anonymised.value,
            "summary": self.summary.value,
            "sections": sections,
            "context": {k: a.value for k, a in self.context.items() if a.value.strip()},
            "signals": parse_signals(self.signals.value, current.signals),
            "lineage": parse_lineage(self.lineage.value),
            "tags": self.tags.value,
            "regions": self.regions.value,
            "related": [s.strip() for s in self.related.value.split(",") if s.strip()],
            **{k: box.value for k, box in self.provenance.items()},
        }

    def _save(self, button: Any = None) -> None:
        if not self.module.value:
            self.status.value = message(_("Module: choose a module or create one."), "error")
            return
        try:
            module = edit_module(self.library, self.module.value, self.changes())
        except ValidationError as exc:
            self.status.value = message(
                _("Not saved. {field}: {problem}").format(field=exc.field, problem=exc.message), "error"
            )
            return
        except LessonkitError as exc:
            self.status.value = message(_("Not saved. {error}").format(error=exc), "error")
            return
        self.status.value = message(_("Saved '{title}'.").format(title=module.title), "ok")

    def _create(self, button: Any = None) -> None:
        try:
            module = add_module(
                self.library, {"slug": self.new_slug.value, "title": self.new_slug.value, "type": self.type.value}
            )
        except LessonkitError as exc:
            self.status.value = message(_("Not created. {error}").format(error=exc), "error")
            return
        self.new_slug.value = ""
        self._fill(module.slug)
        self.status.value = message(
            _("Created the draft '{slug}': write its content and Save.").format(slug=module.slug), "ok"
        )


def module_editor(home: str | None = None, slug: str | None = None) -> widgets.Widget:
    """The module editor for the library of the workspace ``home``."""
    return ModuleEditor(resolve_workspace(home).library(), slug)
