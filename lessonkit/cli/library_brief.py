"""``lessonkit library brief``: a module as a one-page printable brief, or every module as a field toolkit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from lessonkit.cli.common import format_option, workspace
from lessonkit.cli.helpers import OneLineError, echo_json
from lessonkit.cli.library import library
from lessonkit.cli.report import _report_language
from lessonkit.domain.levels import Sensitivity
from lessonkit.i18n import _, ngettext
from lessonkit.services.library_brief import BriefSelection, brief_source, brief_sources


def _jobs(chosen: BriefSelection, out: Path, single: bool) -> list[tuple[Any, Path]]:
    if single and not (out.is_dir() or str(out).endswith(("/", "\\"))):
        return [(chosen.sources[0], out)]
    return [(source, out / f"{source.module.slug}.pdf") for source in chosen.sources]


@library.command(
    "brief",
    help=_(
        "Print a module as a one-page brief (PDF, A4 or Letter): its summary, how to use it, why it worked or "
        "failed, risks and cautions, context notes, signals, lineage, sources, attribution and licence. With --all, "
        "one brief per module into the folder --out: a field toolkit to print."
    ),
)
@click.argument("slug", required=False)
@click.option("--all", "all_", is_flag=True, help=_("Every module that may go out at --up-to (--out is a folder)."))
@click.option(
    "--out", required=True, type=click.Path(path_type=Path), help=_("The PDF to write (a folder with --all).")
)
@click.option(
    "--lang",
    "language",
    metavar="LANG",
    help=_("Language of the brief's headings, e.g. es (the module's own text is printed as it is)."),
)
@click.option(
    "--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True, help=_("Paper size.")
)
@click.option(
    "--up-to",
    type=click.Choice([s.value for s in Sensitivity]),
    default=Sensitivity.NETWORK.value,
    show_default=True,
    help=_("Only modules that may travel this widely (as `library export`)."),
)
@click.option("--browser", envvar="LESSONKIT_CHROMIUM", help=_("Chromium to print PDFs with (LESSONKIT_CHROMIUM)."))
@format_option("text", "json", default="text")
@click.pass_context
def brief(
    ctx: click.Context,
    slug: str | None,
    all_: bool,
    out: Path,
    language: str | None,
    paper: str,
    up_to: str,
    browser: str | None,
    fmt: str,
) -> None:
    from lessonkit.export import print_briefs

    if bool(slug) == all_:
        raise OneLineError(_("Give either a module's short name or --all. See 'lessonkit library brief --help'."))
    lang = _report_language(language)
    store = workspace(ctx).library()
    if all_:
        chosen = brief_sources(store, None, up_to)
        out.mkdir(parents=True, exist_ok=True)
        with click.progressbar(length=len(chosen.sources), label=_("Printing briefs"), file=sys.stderr) as bar:
            results = print_briefs(
                _jobs(chosen, out, False), paper=paper, language=lang, browser=browser, progress=bar.update
            )
    else:
        assert slug is not None
        chosen = BriefSelection([brief_source(store, slug, up_to)])
        results = print_briefs(_jobs(chosen, out, True), paper=paper, language=lang, browser=browser)
    if results and results[0].pages is None:
        click.echo(_("{error} The HTML was written instead.").format(error=results[0].message), err=True)
    if fmt == "json":
        echo_json(
            {
                "paper": paper,
                "language": lang,
                "briefs": [
                    {
                        "slug": r.slug,
                        "path": str(r.path),
                        "pages": r.pages,
                        "format": "html" if r.pages is None else "pdf",
                    }
                    for r in results
                ],
                "held_back": chosen.held_back,
            }
        )
        return
    for r in results:
        click.echo(_("Wrote {path}").format(path=r.path))
    longer = [r.slug for r in results if r.pages is not None and r.pages > 1]
    if longer:
        click.echo(_("Longer than one page even when shortened: {slugs}").format(slugs=", ".join(longer)), err=True)
    if chosen.held_back:
        click.echo(
            ngettext(
                "{n} module held back: it is marked more private than '{level}' (see --up-to).",
                "{n} modules held back: they are marked more private than '{level}' (see --up-to).",
                len(chosen.held_back),
            ).format(n=len(chosen.held_back), level=up_to),
            err=True,
        )
