"""Browse and search the tactic library in a notebook; show a module with its related modules and lineage."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit.domain.modules import (
    ModuleType,
    ReviewStatus,
    RiskLevel,
    module_type_label,
    review_status_label,
    risk_label,
)
from lessonkit.errors import LessonkitError
from lessonkit.i18n import N_, _, ngettext, pgettext
from lessonkit.services.library import get_module, list_modules
from lessonkit.services.library_search import facets, lineage, related_modules, search_modules
from lessonkit.store.base import Store
from lessonkit.ui.context import resolve_workspace
from lessonkit.ui.html import esc, message
from lessonkit.ui.library_html import module_html, status_line

ANY = ""
_WIDE = {"description_width": "initial"}
EMPTY_LIBRARY = N_(
    "The library is empty. Import modules with `lessonkit library import FILE` (the Beautiful Trouble toolbox, or "
    "a lessonkit library from `lessonkit library export`), or load the invented sample with "
    "`lessonkit.ui.load_sample_library()`."
)


def _choices(members: list[tuple[str, str]], label: str) -> list[tuple[str, str]]:
    return [(label, ANY), *members]


class LibraryBrowser(widgets.VBox):
    """Search box and filters on the left, the chosen module (with related modules and lineage) below."""

    def __init__(self, library: Store, limit: int = 200) -> None:
        self.library = library
        self.limit = limit
        f = facets(library)
        self.query = widgets.Text(
            description=_("Search"),
            placeholder=_("words in the title or text"),
            continuous_update=False,
            style=_WIDE,
        )
        self.type = widgets.Dropdown(
            options=_choices([(module_type_label(t), t.value) for t in ModuleType], _("any type")),
            description=_("Type"),
        )
        self.status = widgets.Dropdown(
            options=_choices([(review_status_label(s), s.value) for s in ReviewStatus], _("any status")),
            description=_("Review status"),
        )
        self.risk = widgets.Dropdown(
            options=_choices([(risk_label(r), r.value) for r in RiskLevel], _("any risk")),
            description=pgettext("risk level of a module", "Risk"),
        )
        self.tag = widgets.Dropdown(
            options=[(_("any tag"), ANY)] + [(f"{t} ({n})", t) for t, n in f["tag"]], description=_("Tag")
        )
        self.region = widgets.Dropdown(
            options=[(_("any region"), ANY)] + [(f"{r} ({n})", r) for r, n in f["region"]],
            description=_("Region"),
        )
        self.count = widgets.HTML()
        self.results = widgets.Select(
            options=[],
            rows=12,
            description=_("Modules"),
            style=_WIDE,
            layout=widgets.Layout(width="100%", max_width="48em"),
        )
        self.goto = widgets.Dropdown(options=[], description=_("Open related"), style=_WIDE)
        self.detail = widgets.HTML()
        filters = widgets.HBox(
            [self.type, self.status, self.risk], layout=widgets.Layout(flex_flow="row wrap")
        )
        more = widgets.HBox([self.tag, self.region], layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__([self.query, filters, more, self.count, self.results, self.goto, self.detail])
        for w in (self.query, self.type, self.status, self.risk, self.tag, self.region):
            w.observe(self.refresh, names="value")
        self.results.observe(self._show, names="value")
        self.goto.observe(self._jump, names="value")
        self.refresh()

    def refresh(self, change: Any = None) -> None:
        """Run the search again with the current words and filters."""
        try:
            found = search_modules(
                self.library,
                self.query.value,
                type=self.type.value or None,
                status=self.status.value or None,
                risk=self.risk.value or None,
                tag=self.tag.value or None,
                region=self.region.value or None,
            )
        except LessonkitError as exc:
            self.count.value = message(str(exc), "error")
            return
        shown = found[: self.limit]
        self.results.options = [(f"{m.title} — {status_line(m)}", m.slug) for m in shown]
        if len(found) > self.limit:
            found_text = ngettext(
                "{n} module found (showing the first {k})", "{n} modules found (showing the first {k})", len(found)
            ).format(n=len(found), k=self.limit)
        else:
            found_text = ngettext("{n} module found", "{n} modules found", len(found)).format(n=len(found))
        self.count.value = f"<p>{esc(found_text)}</p>"
        if shown and self.results.value is None:
            self.results.value = shown[0].slug
        elif not shown:
            self.detail.value = ""

    def show(self, slug: str) -> None:
        """Show one module (clearing filters that would hide it)."""
        if slug not in dict((v, k) for k, v in self.results.options):
            self.query.value = ""
            for w in (self.type, self.status, self.risk, self.tag, self.region):
                w.value = ANY
        self.results.value = slug

    def _show(self, change: Any = None) -> None:
        slug = self.results.value
        if not slug:
            return
        try:
            module = get_module(self.library, slug)
            rel, lin = related_modules(self.library, slug), lineage(self.library, slug)
        except LessonkitError as exc:
            self.detail.value = message(str(exc), "error")
            return
        targets = [(f"↔ {m.title}", m.slug) for m in rel.links_to + rel.linked_from]
        targets += [(f"↑ {s.module.title}", s.slug) for s in lin.ancestors if s.module]
        targets += [(f"↓ {s.module.title}", s.slug) for s in lin.descendants if s.module]
        self.goto.options = [("—", None)] + list(dict.fromkeys(targets))  # type: ignore[list-item]
        self.goto.value = None
        self.detail.value = module_html(module, rel, lin)

    def _jump(self, change: Any = None) -> None:
        if self.goto.value:
            self.show(self.goto.value)


def _library(home: str | None) -> Store:
    return resolve_workspace(home).library()


def library_status(home: str | None = None) -> widgets.HTML:
    """How many modules the library holds, or how to fill it when it is empty."""
    modules = list_modules(_library(home))
    if not modules:
        return widgets.HTML(message(_(EMPTY_LIBRARY), "info"))
    endorsed = sum(1 for m in modules if m.status is ReviewStatus.ENDORSED)
    return widgets.HTML(
        message(
            ngettext(
                "The library holds {n} module (endorsed: {e}).",
                "The library holds {n} modules (endorsed: {e}).",
                len(modules),
            ).format(n=len(modules), e=endorsed),
            "info",
        )
    )


def load_sample_library(home: str | None = None, only_if_empty: bool = True) -> widgets.HTML:
    """Import the invented sample modules (``data/demo/library.json``), by default only into an empty one."""
    from lessonkit.resources import data_path
    from lessonkit.services.library_io import import_library_json

    store = _library(home)
    if only_if_empty and list_modules(store):
        return widgets.HTML(
            message(_("The library already holds modules: the sample was not loaded."), "info")
        )
    report = import_library_json(store, data_path("demo", "library.json"))
    counts = report.summary()
    return widgets.HTML(
        message(
            _("Sample library — imported: {i}; updated: {u}; skipped: {s}.").format(
                i=counts["imported"], u=counts["updated"], s=counts["skipped"]
            ),
            "ok",
        )
    )


def library_browser(home: str | None = None) -> widgets.Widget:
    """Search and browse the library of the workspace ``home`` (default: LESSONKIT_HOME)."""
    store = _library(home)
    if not list_modules(store):
        return widgets.HTML(message(_(EMPTY_LIBRARY), "info"))
    return LibraryBrowser(store)


def module_view(slug: str, home: str | None = None) -> widgets.HTML:
    """One module with its related modules and lineage."""
    store = _library(home)
    try:
        module = get_module(store, slug)
    except LessonkitError as exc:
        return widgets.HTML(message(str(exc), "error"))
    return widgets.HTML(module_html(module, related_modules(store, slug), lineage(store, slug)))
