"""Conflicting versions of a shared module, side by side with a word diff; keep one or save a merged version.

Conflicts appear after ``lessonkit library sync`` when two laptops edited the same module offline. Nothing is
settled without a person: the choice is written here and the next sync sends it to every other laptop.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit.domain.library_conflicts import FieldDiff
from lessonkit.domain.mou_diff import Op
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.library_conflicts import (
    Conflict,
    Version,
    get_conflict,
    list_conflicts,
    resolve_conflict,
    version_note,
)
from lessonkit.store.base import Store
from lessonkit.ui.context import resolve_workspace
from lessonkit.ui.html import esc, message

_WIDE = {"description_width": "initial"}
# Fields a person can merge by editing text; the others come from the version the merge starts from.
TEXT_FIELDS = ("title", "summary")
TEXT_PREFIXES = ("sections.", "context.")
_COLUMN = "flex:1 1 18em;min-width:0;padding:.3em .6em;border:1px solid #cfd8dc;border-radius:.3em"


def _side(diff: FieldDiff, keep: Op) -> str:
    """One column of a field: unchanged words plain, this side's own words marked (deleted or inserted)."""
    parts = []
    for seg in diff.segments:
        text = esc(seg.text).replace("\n", "<br>")
        if seg.op is Op.EQUAL:
            parts.append(text)
        elif seg.op is keep and keep is Op.DELETE:
            parts.append(f'<del style="background:#ffebee">{text}</del>')
        elif seg.op is keep:
            parts.append(f'<ins style="background:#e8f5e9;text-decoration:none">{text}</ins>')
    empty = esc(_("(empty)"))
    return " ".join(parts) or f"<i>{empty}</i>"


def version_label(number: int, version: Version) -> str:
    return _("Version {n} ({note})").format(n=number, note=version_note(version))


def side_by_side_html(conflict: Conflict, other: int = 1) -> str:
    """The shown version and version ``other`` in two columns, field by field (every value escaped)."""
    diffs = conflict.differences(other)
    head = (
        f'<div style="display:flex;flex-wrap:wrap;gap:.5em;font-weight:bold">'
        f'<div style="flex:1 1 18em">{esc(version_label(1, conflict.versions[0]))}</div>'
        f'<div style="flex:1 1 18em">{esc(version_label(other + 1, conflict.versions[other]))}</div></div>'
    )
    if not diffs:
        return head + message(_("These versions say the same; keep either."), "info")
    rows = [
        f'<div class="lk-conflict-field"><div style="margin-top:.6em">{esc(d.label)}</div>'
        f'<div style="display:flex;flex-wrap:wrap;gap:.5em">'
        f'<div style="{_COLUMN}">{_side(d, Op.DELETE)}</div><div style="{_COLUMN}">{_side(d, Op.INSERT)}</div>'
        "</div></div>"
        for d in diffs
    ]
    return head + "".join(rows)


def _text_keys(diffs: list[FieldDiff]) -> list[FieldDiff]:
    return [d for d in diffs if d.key in TEXT_FIELDS or d.key.startswith(TEXT_PREFIXES)]


class ConflictPanel(widgets.VBox):
    """Choose a module in conflict; compare its versions; keep one, or edit the differing texts and save."""

    def __init__(self, library: Store) -> None:
        self.library = library
        self.module = widgets.Dropdown(description=_("Module"), style=_WIDE)
        self.other = widgets.Dropdown(description=_("Compare with"), style=_WIDE)
        self.compare = widgets.HTML()
        self.keep_shown = widgets.Button(description=_("Keep version 1"), button_style="primary")
        self.keep_other = widgets.Button(description=_("Keep the compared version"))
        self.merge_box = widgets.VBox()
        self.save_merge = widgets.Button(description=_("Save merged version"))
        self.status = widgets.HTML()
        self._editors: dict[str, widgets.Textarea] = {}
        super().__init__()
        self.module.observe(lambda _c: self._show_module(), names="value")
        self.other.observe(lambda _c: self._show_compare(), names="value")
        self.keep_shown.on_click(lambda _b: self._keep(0))
        self.keep_other.on_click(lambda _b: self._keep(self.other.value or 1))
        self.save_merge.on_click(self._merge)
        self.refresh()

    def refresh(self, note: str = "") -> None:
        """Read the conflicts again (after a sync or a choice)."""
        found = list_conflicts(self.library)
        if not found:
            self.children = [
                widgets.HTML(
                    message(
                        _(
                            "No conflicts: every module has one version. Conflicts appear after "
                            "`lessonkit library sync` when two laptops edited the same module offline."
                        ),
                        "info",
                    )
                ),
                self.status,
            ]
            self.status.value = note
            return
        hint = _("Or merge: edit the texts that differ (they start as version 1), then save.")
        self.children = [
            self.module,
            self.other,
            self.compare,
            widgets.HBox([self.keep_shown, self.keep_other], layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HTML(f"<p>{esc(hint)}</p>"),
            self.merge_box,
            self.save_merge,
            self.status,
        ]
        slugs = [c.slug for c in found]
        current = self.module.value if self.module.value in slugs else slugs[0]
        self.module.options = slugs
        self.module.value = current
        self._show_module()
        self.status.value = note

    def conflict(self) -> Conflict | None:
        try:
            return get_conflict(self.library, self.module.value) if self.module.value else None
        except LessonkitError:
            return None

    def _show_module(self) -> None:
        found = self.conflict()
        if found is None:
            return
        self.other.options = [(version_label(i + 1, v), i) for i, v in enumerate(found.versions) if i]
        self.other.value = 1
        self._show_compare()

    def _show_compare(self) -> None:
        found = self.conflict()
        if found is None or not self.other.value:
            return
        self.compare.value = side_by_side_html(found, self.other.value)
        self._editors = {
            d.key: widgets.Textarea(
                value=d.left, description=d.label, style=_WIDE, layout=widgets.Layout(width="100%", max_width="48em")
            )
            for d in _text_keys(found.differences(self.other.value))
        }
        self.merge_box.children = list(self._editors.values())
        self.save_merge.disabled = not self._editors

    def _keep(self, index: int) -> None:
        found = self.conflict()
        if found is None:
            return
        try:
            resolve_conflict(self.library, found.slug, keep=found.versions[index].rev)
        except LessonkitError as exc:
            self.status.value = message(_("Not settled. {error}").format(error=exc), "error")
            return
        self.refresh(message(_("Settled: the next sync sends your choice to the other laptops."), "ok"))

    def _merge(self, button: Any = None) -> None:
        found = self.conflict()
        if found is None:
            return
        data = found.versions[0].module.to_dict()
        for key, editor in self._editors.items():
            group, _dot, name = key.partition(".")
            if name:
                data[group] = {**data.get(group, {}), name: editor.value}
            else:
                data[key] = editor.value
        try:
            resolve_conflict(self.library, found.slug, merged=data)
        except ValidationError as exc:
            self.status.value = message(
                _("Not saved. {field}: {problem}").format(field=exc.field, problem=exc.message), "error"
            )
            return
        except LessonkitError as exc:
            self.status.value = message(_("Not saved. {error}").format(error=exc), "error")
            return
        self.refresh(message(_("Merged version saved: the next sync sends it to the other laptops."), "ok"))


def conflict_panel(home: str | None = None) -> widgets.Widget:
    """Conflicting versions in the library of the workspace ``home`` (default: LESSONKIT_HOME)."""
    return ConflictPanel(resolve_workspace(home).library())
