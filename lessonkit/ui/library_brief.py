"""Print a module as a one-page brief (or every module as a field toolkit) from the library workbook.

The same path as ``lessonkit library brief``: the library service chooses what may be printed, the export layer
prints it with one browser. Files go to the workspace's ``exports/briefs/`` folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.levels import Sensitivity, level_name
from lessonkit.errors import LessonkitError
from lessonkit.i18n import _, available_languages, current_language, language_name, ngettext
from lessonkit.services.library import list_modules
from lessonkit.services.library_brief import BriefSelection, brief_source, brief_sources
from lessonkit.store.base import Store
from lessonkit.ui.context import resolve_workspace
from lessonkit.ui.html import esc, message

_WIDE = {"description_width": "initial"}


class BriefPanel(widgets.VBox):
    """Choose a module, the headings' language, the paper and how far the paper may travel; print."""

    def __init__(self, library: Store, folder: Path, module: str | None = None, browser: str | None = None) -> None:
        self.library, self.folder, self.browser = library, folder, browser
        slugs = [(m.title, m.slug) for m in list_modules(library)]
        self.module = widgets.Dropdown(options=slugs, description=_("Module"), style=_WIDE)
        if module in [s for _t, s in slugs]:
            self.module.value = module
        self.language = widgets.Dropdown(
            options=[(language_name(lang), lang) for lang in available_languages()],
            value=current_language() if current_language() in available_languages() else "en",
            description=_("Headings in"),
            style=_WIDE,
        )
        self.paper = widgets.ToggleButtons(options=[("A4", "a4"), (_("Letter"), "letter")], description=_("Paper"))
        self.level = widgets.Dropdown(
            options=[(level_name(s), s.value) for s in Sensitivity],
            value=Sensitivity.NETWORK.value,
            description=_("May travel up to"),
            style=_WIDE,
        )
        self.one = widgets.Button(description=_("Print brief"), button_style="primary", icon="print")
        self.all = widgets.Button(description=_("Print every module (field toolkit)"), icon="print")
        self.progress = widgets.IntProgress(value=0, min=0, max=1, layout=widgets.Layout(display="none"))
        self.status = widgets.HTML()
        super().__init__(
            [
                self.module,
                self.language,
                self.paper,
                self.level,
                widgets.HBox([self.one, self.all]),
                self.progress,
                self.status,
            ]
        )
        self.one.on_click(lambda _b: self._print(single=True))
        self.all.on_click(lambda _b: self._print(single=False))
        if not slugs:
            self.status.value = message(_("The library is empty: import or load modules first."), "info")

    def _print(self, single: bool) -> None:
        from lessonkit.export import print_briefs

        try:
            if single:
                if not self.module.value:
                    raise LessonkitError(_("Choose a module first."))
                chosen = BriefSelection([brief_source(self.library, self.module.value, self.level.value)])
                jobs = [(chosen.sources[0], self.folder / f"{self.module.value}.pdf")]
            else:
                chosen = brief_sources(self.library, None, self.level.value)
                jobs = [(s, self.folder / "toolkit" / f"{s.module.slug}.pdf") for s in chosen.sources]
            self.progress.max, self.progress.value = max(len(jobs), 1), 0
            self.progress.layout.display = "" if len(jobs) > 1 else "none"

            def step(n: int) -> None:
                self.progress.value += n

            results = print_briefs(
                jobs, paper=self.paper.value, language=self.language.value, browser=self.browser, progress=step
            )
        except LessonkitError as exc:
            self.status.value = message(_("Nothing printed. {error}").format(error=exc), "error")
            return
        self.status.value = self._report(results, chosen)

    @staticmethod
    def _report(results: list[Any], chosen: BriefSelection) -> str:
        if not results:
            return message(_("No module may be printed at this level."), "info")
        where = results[0].path.parent
        lines = [
            ngettext("Printed {n} brief into {folder}.", "Printed {n} briefs into {folder}.", len(results)).format(
                n=len(results), folder=where
            )
        ]
        if results[0].pages is None:
            lines.append(_("{error} The HTML was written instead.").format(error=results[0].message))
        longer = [r.slug for r in results if r.pages is not None and r.pages > 1]
        if longer:
            lines.append(_("Longer than one page even when shortened: {slugs}").format(slugs=", ".join(longer)))
        if chosen.held_back:
            lines.append(
                ngettext(
                    "{n} module held back: it is marked more private than this level.",
                    "{n} modules held back: they are marked more private than this level.",
                    len(chosen.held_back),
                ).format(n=len(chosen.held_back))
            )
        links = "".join(f"<li><code>{esc(r.path)}</code></li>" for r in results[:5])
        more = "<li>…</li>" if len(results) > 5 else ""
        return message(" ".join(lines), "ok") + f"<ul>{links}{more}</ul>"


def brief_panel(home: str | None = None, module: str | None = None, browser: str | None = None) -> BriefPanel:
    """Print one-page briefs of the library's modules into the workspace's exports/briefs/ folder."""
    ws = resolve_workspace(home)
    return BriefPanel(ws.library(), Path(ws.home) / "exports" / "briefs", module, browser)
