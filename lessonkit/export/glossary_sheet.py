"""The glossary as a printable sheet in one language: Markdown, HTML, or PDF (printed by Chromium).

Each term as a reader of that language finds it: the word, what an acronym stands for, the definition, and the
original entry (marked) where the glossary has nothing in that language yet. The page carries the language's ``lang``
and ``dir``, so an Arabic sheet reads right to left. Every value is escaped.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path

from lessonkit.domain.glossary import GlossaryTerm, sorted_for
from lessonkit.export.mou_text import md_escape
from lessonkit.i18n import _, direction, language_name

FORMATS = ("md", "html", "pdf")


@dataclass(frozen=True)
class SheetRow:
    term: str
    expansion: str
    definition: str
    language: str
    fallback: bool  # the original entry, shown because the sheet's language has none


def sheet_rows(terms: list[GlossaryTerm], language: str) -> list[SheetRow]:
    rows = []
    for term in sorted_for(terms, language):
        entry, fallback = term.shown(language)
        rows.append(SheetRow(entry.term, entry.expansion, entry.definition, entry.language, fallback))
    return rows


def _title(convening: str, language: str) -> str:
    return _("Glossary of {convening} ({language})").format(convening=convening, language=language_name(language))


def _missing(row: SheetRow) -> str:
    return _("not yet in this language; original in {language}").format(language=language_name(row.language))


def to_markdown(terms: list[GlossaryTerm], language: str, convening: str) -> str:
    lines = [f"# {md_escape(_title(convening, language))}", ""]
    rows = sheet_rows(terms, language)
    if not rows:
        lines.append(md_escape(_("The glossary is empty.")))
    for row in rows:
        expansion = f" ({md_escape(row.expansion)})" if row.expansion else ""
        mark = f" *({md_escape(_missing(row))})*" if row.fallback else ""
        lines += [f"**{md_escape(row.term)}**{expansion}{mark}  ", md_escape(row.definition), ""]
    return "\n".join(lines).rstrip() + "\n"


def to_html(terms: list[GlossaryTerm], language: str, convening: str) -> str:
    e = html.escape
    items = []
    for row in sheet_rows(terms, language):
        expansion = f" <span class='exp'>({e(row.expansion)})</span>" if row.expansion else ""
        mark = f" <small class='orig'>({e(_missing(row))})</small>" if row.fallback else ""
        attrs = f' lang="{e(row.language)}" dir="{e(direction(row.language))}"'
        items.append(f"<dt{attrs}>{e(row.term)}{expansion}{mark}</dt><dd{attrs}>{e(row.definition)}</dd>")
    empty = e(_("The glossary is empty."))
    body = f"<dl>{''.join(items)}</dl>" if items else f"<p>{empty}</p>"
    title = e(_title(convening, language))
    style = (
        "body{font-family:'Noto Sans','Noto Naskh Arabic','Noto Sans Arabic',system-ui,sans-serif;max-width:48em;"
        "margin:2em auto;padding:0 1em;line-height:1.45}dt{font-weight:bold;margin-top:.8em}dd{margin:.1em 0 0 0}"
        ".orig{color:#555}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{e(language)}" dir="{e(direction(language))}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{style}</style></head><body><h1>{title}</h1>{body}</body></html>\n"
    )


def write_sheet(
    terms: list[GlossaryTerm],
    language: str,
    convening: str,
    fmt: str,
    out: str | os.PathLike[str],
    browser: str | None = None,
) -> Path:
    """Write the sheet to ``out`` (replaced in one step); a PDF is printed by Chromium (see export.browser)."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "pdf":
        from lessonkit.export.browser import PdfPrinter

        with PdfPrinter(browser) as printer:
            data = printer.pdf_bytes(to_html(terms, language, convening))
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        tmp.write_bytes(data)
    else:
        text = to_markdown(terms, language, convening) if fmt == "md" else to_html(terms, language, convening)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path
