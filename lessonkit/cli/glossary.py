"""``lessonkit glossary add|list|export``: the convening's shared glossary (terms defined, acronyms spelled out)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from lessonkit.cli.common import emit, format_option, main, workspace
from lessonkit.cli.helpers import CommandGroup, echo_json, echo_record, open_store, record_format_option
from lessonkit.domain.glossary import GlossaryTerm
from lessonkit.domain.language import language_tags
from lessonkit.i18n import _, ngettext
from lessonkit.services import add_term, get_convening, list_terms

SHEET_EXT = {"md": ".md", "html": ".html", "pdf": ".pdf"}


@main.group(
    cls=CommandGroup,
    help=_("The convening's glossary: terms defined and acronyms spelled out in each language, so newcomers can join."),
)
def glossary() -> None:
    pass


def term_json(term: GlossaryTerm) -> dict[str, Any]:
    return {"id": term.id, **term.to_dict()}


@glossary.command(
    "add",
    help=_(
        "Define a term in one language. Adding a term that is already in the glossary (or naming it with --of) adds "
        "or replaces its entry in that language."
    ),
)
@click.argument("slug")
@click.argument("term")
@click.option("--definition", required=True, help=_("A short definition in plain words."))
@click.option("--lang", "language", help=_("Language of this entry, e.g. es (default: the convening's first)."))
@click.option(
    "--expansion", default="", help=_("For an acronym: what it stands for, e.g. 'memorandum of understanding'.")
)
@click.option("--of", "of", help=_("The existing term this is the same idea as (e.g. --of MoU for Spanish MdE)."))
@click.option("--by", default="", help=_("Who wrote it (recorded with the term)."))
@record_format_option()
@click.pass_context
def add(
    ctx: click.Context,
    slug: str,
    term: str,
    definition: str,
    language: str | None,
    expansion: str,
    of: str | None,
    by: str,
    fmt: str,
) -> None:
    made = add_term(open_store(ctx, slug), term, definition, language, expansion, of, by)
    echo_record(
        fmt,
        term_json(made),
        [
            _("Saved '{term}' in the glossary ({languages}).").format(
                term=made.original.term, languages=", ".join(made.languages())
            )
        ],
    )


@glossary.command("list", help=_("List the glossary: one line per term and language."))
@click.argument("slug")
@click.option("--lang", "language", help=_("Only the entries in this language (the original where it has none)."))
@format_option("table", "csv", "json")
@click.pass_context
def list_(ctx: click.Context, slug: str, language: str | None, fmt: str) -> None:
    lang = language_tags("--lang", language)[0] if language else None
    terms = list_terms(open_store(ctx, slug), lang)
    if fmt == "json":
        echo_json([term_json(t) for t in terms])
        return
    rows = []
    for t in terms:
        shown = [t.shown(lang)] if lang else [(e, False) for e in t.entries]
        for entry, fallback in shown:
            rows.append(
                {
                    "term": entry.term,
                    "language": entry.language + ("*" if fallback else ""),
                    "expansion": entry.expansion,
                    "definition": entry.definition,
                }
            )
    emit(rows, fmt, ("term", "language", "expansion", "definition"))
    if lang and any(r["language"].endswith("*") for r in rows) and fmt == "table":
        click.echo(_("* not yet in this language: the original entry is shown."), err=True)


@glossary.command(
    "export",
    help=_(
        "Write the glossary as a printable sheet per language (Markdown, HTML or PDF) into --out (a folder, or a "
        "file for one language). Default: every language of the convening, into the workspace's exports/ folder."
    ),
)
@click.argument("slug")
@click.option("--lang", "languages", multiple=True, help=_("A language of the sheet; repeat for several."))
@click.option(
    "--format", "fmt", type=click.Choice(list(SHEET_EXT)), default="html", show_default=True, help=_("File type.")
)
@click.option("--out", type=click.Path(path_type=Path), help=_("Folder (or file, for one language) to write."))
@click.option("--browser", envvar="LESSONKIT_CHROMIUM", help=_("Chromium to print PDFs with (LESSONKIT_CHROMIUM)."))
@click.pass_context
def export(
    ctx: click.Context, slug: str, languages: tuple[str, ...], fmt: str, out: Path | None, browser: str | None
) -> None:
    from lessonkit.export import write_sheet

    ws = workspace(ctx)
    store = open_store(ctx, slug)
    convening = get_convening(store)
    wanted = language_tags("--lang", list(languages)) if languages else convening.languages
    terms = list_terms(store)
    target = out or ws.home / "exports"
    as_file = out is not None and len(wanted) == 1 and out.suffix.lower() == SHEET_EXT[fmt]
    for lang in wanted:
        path = target if as_file else target / f"glossary-{slug}-{lang}{SHEET_EXT[fmt]}"
        write_sheet(terms, lang, convening.title, fmt, path, browser)
        click.echo(_("Wrote {path}").format(path=path))
    click.echo(
        ngettext("{n} term in the glossary.", "{n} terms in the glossary.", len(terms)).format(n=len(terms)), err=True
    )
