"""The facilitator's export screen: choose a privacy level, preview the redaction, make reports and data exports.

Everything leaves the laptop through the same rules as ``lessonkit report`` and ``lessonkit export``: the level
(default public, the most protective), consent, redaction. The preview lists what was found in the texts, so it is
for the facilitator's own screen, never the projector.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.levels import Sensitivity, level_name
from lessonkit.errors import LessonkitError
from lessonkit.i18n import _, available_languages, current_language, language_name, ngettext, pgettext
from lessonkit.services.disclosure import kind_label, level_label
from lessonkit.services.redact_terms import add_terms, list_terms, remove_terms
from lessonkit.services.scoring_rounds import list_rounds
from lessonkit.services.sessions import list_sessions
from lessonkit.store.base import Store
from lessonkit.ui.context import open_context
from lessonkit.ui.html import esc, heading, message, table

_WIDE = {"description_width": "initial"}


def kind_choices() -> list[tuple[str, str]]:
    return [
        (_("All reports of the convening"), "all"),
        (_("Listening report"), "listening"),
        (_("Memorandum"), "mou"),
        (_("Transferability brief"), "transfer"),
        (_("Convening summary"), "summary"),
        (_("Care and accountability (risks, mutual aid)"), "care"),
        (_("After-action reflections"), "reflections"),
    ]


def level_chooser(value: str = "public") -> widgets.Dropdown:
    return widgets.Dropdown(
        options=[(level_label(s), s.value) for s in Sensitivity],
        value=value,
        description=_("Privacy level"),
        style=_WIDE,
        layout=widgets.Layout(width="34em"),
    )


class RedactionPanel(widgets.VBox):
    """The extra terms this convening redacts, and a preview of what an export at the chosen level redacts."""

    def __init__(self, store: Store, level: widgets.Dropdown) -> None:
        self.store, self.level = store, level
        self.terms = widgets.HTML()
        self.term = widgets.Text(description=_("Term (place, organisation)"), style=_WIDE)
        self.add = widgets.Button(description=_("Add term"))
        self.remove = widgets.Button(description=_("Remove term"))
        self.preview_button = widgets.Button(description=_("Preview redaction"), button_style="info")
        self.preview = widgets.HTML()
        self.status = widgets.HTML()
        super().__init__(
            [
                widgets.HTML(heading(_("Redaction"))),
                self.terms,
                widgets.HBox([self.term, self.add, self.remove]),
                self.status,
                self.preview_button,
                self.preview,
            ]
        )
        self.add.on_click(lambda _b: self._change(add_terms))
        self.remove.on_click(lambda _b: self._change(remove_terms))
        self.preview_button.on_click(self.show_preview)
        self._show_terms(list_terms(store))

    def _show_terms(self, terms: list[str]) -> None:
        listed = ", ".join(esc(t) for t in terms) or esc(pgettext("empty list of terms", "none yet"))
        always = _(
            "Always redacted: participants' names (in every form), their organisations and join codes, e-mail "
            "addresses, handles, links with a query, phone numbers."
        )
        extra = esc(_("Extra terms:"))
        self.terms.value = f"<p>{esc(always)}<br>{extra} <b>{listed}</b></p>"

    def _change(self, action: Any) -> None:
        try:
            terms = action(self.store, [self.term.value])
        except LessonkitError as exc:
            self.status.value = message(_("Not changed. {error}").format(error=exc), "error")
            return
        self.term.value = ""
        self.status.value = ""
        self._show_terms(terms)

    def show_preview(self, button: Any = None) -> None:
        from lessonkit.export import redaction_preview

        found = redaction_preview(self.store, self.level.value)
        redacted = ngettext(
            "At level {level}: {n} of {t} texts has something redacted.",
            "At level {level}: {n} of {t} texts have something redacted.",
            found.changed,
        ).format(level=level_name(found.level), n=found.changed, t=found.texts)
        left_out = ngettext(
            "{w} note is left out altogether.", "{w} notes are left out altogether.", found.withheld
        ).format(w=found.withheld)
        head = " ".join([redacted, left_out, _("Do not project this list.")])
        rows = [(kind_label(kind), text, count) for kind, text, count in found.rows]
        self.preview.value = message(head, "info") + (table([_("What"), _("Found"), _("Times")], rows) if rows else "")


class ReportsPanel(widgets.VBox):
    """Make reports (PDF, HTML, Markdown) and data exports at the chosen level, with a progress bar."""

    def __init__(self, store: Store, slug: str, home: Path, level: widgets.Dropdown, out_dir: Path) -> None:
        self.store, self.slug, self.home, self.level = store, slug, home, level
        self.kind = widgets.Dropdown(options=kind_choices(), description=_("Report"), style=_WIDE)
        self.session = widgets.Dropdown(description=_("Session"), style=_WIDE)
        self.round = widgets.Dropdown(description=_("Scoring round"), style=_WIDE)
        self.fmt = widgets.ToggleButtons(options=["pdf", "html", "md"], value="pdf", description=_("Format"))
        self.language = widgets.Dropdown(
            options=[(language_name(lang), lang) for lang in available_languages()],
            value=current_language(),
            description=_("Language of the reports"),
            style=_WIDE,
        )
        self.out_dir = widgets.Text(
            value=str(out_dir), description=_("Save into folder"), style=_WIDE, layout=widgets.Layout(width="40em")
        )
        self.make = widgets.Button(description=_("Make reports"), button_style="primary")
        self.progress = widgets.IntProgress(
            value=0, min=0, max=1, description=_("Progress"), layout=widgets.Layout(display="none")
        )
        self.what = widgets.Dropdown(
            options=[
                (_("Listening notes"), "notes"),
                (_("Positions on the memorandum"), "positions"),
                (_("Transferability scores"), "scores"),
            ],
            description=_("Data"),
            style=_WIDE,
        )
        self.data_fmt = widgets.ToggleButtons(options=["csv", "json"], value="csv", description=_("Format"))
        self.export = widgets.Button(description=_("Export data"))
        self.status = widgets.HTML()
        super().__init__(
            [
                widgets.HTML(heading(_("Reports"))),
                widgets.HBox([self.kind, self.session, self.round]),
                self.fmt,
                self.language,
                self.out_dir,
                widgets.HBox([self.make, self.progress]),
                widgets.HTML(heading(_("Data exports"), 4)),
                widgets.HBox([self.what, self.data_fmt, self.export]),
                self.status,
            ]
        )
        self.session.options = [(_("every session"), None)] + [(s.title, s.id) for s in list_sessions(store)]
        self.round.options = [(_("the latest"), None)] + [
            (f"{r.id}: {r.module_title} → {r.target_name}", r.id) for r in list_rounds(store)
        ]
        self.make.on_click(self.make_reports)
        self.export.on_click(self.export_data)

    def jobs(self) -> list[Any]:
        from lessonkit.export import ReportJob, convening_plan

        out, fmt, level = Path(self.out_dir.value).expanduser(), self.fmt.value, self.level.value
        lang = self.language.value
        if self.kind.value == "all":
            return convening_plan(self.store, self.slug, out, fmt, level, str(self.home), lang).jobs
        name = f"{self.slug}-{self.kind.value}.{fmt}"
        return [
            ReportJob(
                self.kind.value,
                self.slug,
                out / name,
                fmt,
                level,
                self.session.value,
                self.round.value,
                str(self.home),
                lang,
            )
        ]

    def _step(self, done: int, total: int, job: Any) -> None:
        self.progress.value = done
        self.progress.description = f"{done}/{total}"

    def make_reports(self, button: Any = None) -> None:
        from lessonkit.export import make_reports

        try:
            jobs = self.jobs()
        except LessonkitError as exc:
            self.status.value = message(str(exc), "error")
            return
        self.make.disabled = True
        self.progress.max, self.progress.value = max(len(jobs), 1), 0
        self.progress.layout.display = None
        from lessonkit.export import missing_font_message

        fonts = missing_font_message(self.language.value)
        making = message(ngettext("Making {n} report…", "Making {n} reports…", len(jobs)).format(n=len(jobs)), "info")
        self.status.value = making + (message(fonts, "error") if fonts else "")
        try:
            results = make_reports(jobs, self._step)
        except (LessonkitError, OSError) as exc:
            self.status.value = message(_("Stopped: {error}").format(error=exc), "error")
            return
        finally:
            self.make.disabled = False
        lines = [message(fonts, "error")] if fonts else []
        lines += [message(_("Wrote {path}").format(path=r.path), "ok" if r.ok else "info") for r in results]
        lines += [message(r.message, "error") for r in results if not r.ok]
        self.status.value = "".join(lines)

    def export_data(self, button: Any = None) -> None:
        from lessonkit.export import export_data, write_data

        out = Path(self.out_dir.value).expanduser() / f"{self.slug}-{self.what.value}.{self.data_fmt.value}"
        try:
            result = export_data(self.what.value, store=self.store, level=self.level.value)
            write_data(result, self.data_fmt.value, out)
        except (LessonkitError, OSError) as exc:
            self.status.value = message(_("Not exported: {error}").format(error=exc), "error")
            return
        self.status.value = message(
            ngettext(
                "Wrote {n} row to {path} (level {level}; withheld: {w}; redacted: {r}).",
                "Wrote {n} rows to {path} (level {level}; withheld: {w}; redacted: {r}).",
                len(result.rows),
            ).format(
                n=len(result.rows), path=out, w=result.withheld, r=result.redacted, level=level_name(result.level)
            ),
            "ok",
        )


def reports_panel(convening: str | None = None, home: str | None = None, level: str = "public") -> widgets.VBox:
    """The export screen of a convening: level chooser, redaction (terms and preview), reports, data exports."""
    store, slug, ws = open_context(convening, home)
    chooser = level_chooser(level)
    redaction = RedactionPanel(store, chooser)
    reports = ReportsPanel(store, slug, ws.home, chooser, ws.home / "reports" / slug)
    box = widgets.VBox([chooser, redaction, reports])
    box.redaction, box.reports, box.level = redaction, reports, chooser  # type: ignore[attr-defined]
    return box
