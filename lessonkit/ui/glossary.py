"""The glossary panel of the set-up workbook: the terms in every language, and a form to add one or its entry in
another language. Forms show a term's definition under the prompts that use it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets

from lessonkit import services
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _, language_name
from lessonkit.store.base import Store
from lessonkit.ui.content_html import lang_attrs
from lessonkit.ui.context import open_context
from lessonkit.ui.html import esc, heading, message

_WIDE = {"description_width": "initial"}
NEW = ""


class GlossaryPanel(widgets.VBox):
    """Terms defined per language, acronyms spelled out; add a term or translate one."""

    def __init__(self, store: Store, home: Path | None = None, slug: str = "") -> None:
        self.store, self.home, self.slug = store, home, slug
        self.listing = widgets.HTML()
        self.same_as = widgets.Dropdown(description=_("Same idea as"), style=_WIDE)
        self.term = widgets.Text(description=_("Term or acronym"), style=_WIDE, continuous_update=False)
        self.language = widgets.Dropdown(description=_("Language"), style=_WIDE)
        self.expansion = widgets.Text(
            description=_("Stands for (acronyms)"), style=_WIDE, continuous_update=False
        )
        self.definition = widgets.Textarea(
            description=_("Definition"),
            style=_WIDE,
            layout=widgets.Layout(width="100%", max_width="48em", height="4em"),
            continuous_update=False,
        )
        self.by = widgets.Text(description=_("Your name"), style=_WIDE, continuous_update=False)
        self.save = widgets.Button(description=_("Save term"), button_style="primary")
        self.sheets = widgets.Button(description=_("Save printable sheets"), icon="download")
        self.status = widgets.HTML()
        children = [
            widgets.HTML(heading(_("Glossary"))),
            self.listing,
            widgets.HTML(heading(_("Add a term, or a term in another language"), 4)),
            self.same_as,
            self.term,
            self.language,
            self.expansion,
            self.definition,
            self.by,
            widgets.HBox([self.save, self.sheets] if home else [self.save]),
            self.status,
        ]
        super().__init__(children=children)
        self.save.on_click(lambda _b: self._save())
        self.sheets.on_click(lambda _b: self._sheets())
        self.render()

    def render(self) -> None:
        terms = services.list_terms(self.store)
        rows = []
        for t in terms:
            for e in t.entries:
                expansion = f" ({esc(e.expansion)})" if e.expansion else ""
                rows.append(
                    f"<tr><td{lang_attrs(e.language)}><b>{esc(e.term)}</b>{expansion}</td>"
                    f"<td>{esc(language_name(e.language))}</td>"
                    f"<td{lang_attrs(e.language)}>{esc(e.definition)}</td></tr>"
                )
        headers = (_("Term"), _("Language"), _("Definition"))
        head = "".join(f"<th style='text-align:start'>{esc(h)}</th>" for h in headers)
        self.listing.value = (
            f'<table class="lk-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            if rows
            else message(_("The glossary is empty: add the terms and acronyms newcomers may not know."), "info")
        )
        keep = self.same_as.value
        options = [(_("(a new term)"), NEW)] + [(t.original.term, t.original.term) for t in terms]
        self.same_as.options = options
        self.same_as.value = keep if keep in [v for _l, v in options] else NEW
        languages = services.get_convening(self.store).languages
        chosen = self.language.value
        self.language.options = [(language_name(t), t) for t in languages]
        self.language.value = chosen if chosen in languages else languages[0]

    def _save(self) -> None:
        labels = {
            "term": self.term.description,
            "definition": self.definition.description,
            "expansion": self.expansion.description,
            "language": self.language.description,
        }
        try:
            term = services.add_term(
                self.store,
                self.term.value,
                self.definition.value,
                self.language.value,
                self.expansion.value,
                of=self.same_as.value or None,
                by=self.by.value,
            )
        except ValidationError as exc:
            field = labels.get(exc.field, exc.field)
            text = _("Not saved. {field}: {problem}").format(field=field, problem=exc.message)
            self.status.value = message(text, "error")
            return
        except LessonkitError as exc:
            self.status.value = message(_("Not saved. {error}").format(error=exc), "error")
            return
        for w in (self.term, self.expansion, self.definition):
            w.value = ""
        self.render()
        self.status.value = message(
            _("Saved '{term}' ({languages}).").format(term=term.original.term, languages=", ".join(term.languages())),
            "ok",
        )

    def _sheets(self) -> None:
        from lessonkit.export import write_sheet

        assert self.home is not None
        convening = services.get_convening(self.store)
        terms = services.list_terms(self.store)
        folder = Path(self.home) / "exports"
        name = self.slug or "convening"
        paths = [
            write_sheet(terms, lang, convening.title, "html", folder / f"glossary-{name}-{lang}.html")
            for lang in convening.languages
        ]
        names = ", ".join(p.name for p in paths)
        self.status.value = message(_("Saved {paths} in {folder}.").format(paths=names, folder=folder), "ok")


def glossary_panel(convening: str | None = None, home: str | None = None, store: Any = None) -> GlossaryPanel:
    """The glossary of a convening (default: LESSONKIT_CONVENING, else 'demo') in workspace ``home``."""
    if store is not None:
        return GlossaryPanel(store)
    store, slug, ws = open_context(convening, home)
    return GlossaryPanel(store, ws.home, slug)
