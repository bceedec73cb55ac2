"""``lessonkit library import|export|restore|list|search|show``, ``lessonkit rank``; changing modules:
cli/library_curate.py; briefs: cli/library_brief.py; ``lessonkit score``: cli/score.py."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from lessonkit.cli.common import emit, format_option, main, workspace
from lessonkit.cli.helpers import CommandGroup, OneLineError, echo_json, record_format_option
from lessonkit.cli.library_text import module_lines, module_row, rank_rows, result_dict
from lessonkit.cli.restore import FORCE_HELP, refuse_if_fine, report_restore
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.modules import ModuleType, ReviewStatus, RiskLevel
from lessonkit.i18n import _, ngettext
from lessonkit.services import library as lib
from lessonkit.services.library_io import (
    ImportReport,
    detect_library_format,
    export_library,
    import_library_json,
    read_json,
)
from lessonkit.services.library_search import lineage, related_modules, search_modules
from lessonkit.services.scoring import load_profile, load_rubric, rank_library

LIST_COLUMNS = ("slug", "title", "type", "status", "risk", "regions", "profile")
LEGACY_SOURCE = "beautiful-trouble"


@main.group(cls=CommandGroup, help=_("The tactic library: import, browse, review and export case modules."))
def library() -> None:
    pass


def _filters(fn: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--type", "mtype", type=click.Choice([t.value for t in ModuleType]), help=_("Only this type.")),
        click.option("--tag", help=_("Only modules with this tag.")),
        click.option("--region", help=_("Only modules from this region.")),
        click.option(
            "--status", type=click.Choice([s.value for s in ReviewStatus]), help=_("Only this review status.")
        ),
        click.option("--risk", type=click.Choice([r.value for r in RiskLevel]), help=_("Only this risk level.")),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _import_with_progress(
    importer: Callable[..., ImportReport], store: Any, path: str, overwrite: bool
) -> ImportReport:
    bar: Any = None

    def on_total(n: int) -> None:
        nonlocal bar
        bar = click.progressbar(length=n, label=_("Importing"), file=sys.stderr)
        bar.__enter__()

    try:
        return importer(
            store, path, overwrite=overwrite, progress=lambda k: bar.update(k) if bar else None, on_total=on_total
        )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _import_source(path: str, source: str | None, fmt: str) -> tuple[str, str]:
    """(the file's format, the output format): --from, else the legacy ``--format beautiful-trouble``, else the
    file's own shape (a toolbox has 'items', a lessonkit library 'modules')."""
    if fmt == LEGACY_SOURCE:
        return LEGACY_SOURCE, "text"
    if fmt not in ("text", "json"):
        raise OneLineError(
            _("--format: '{value}' is not one of: text, json. The file's own format is chosen with --from.").format(
                value=fmt
            )
        )
    return source or detect_library_format(read_json(path)), fmt


@library.command(
    "import",
    help=_(
        "Import modules from FILE: the Beautiful Trouble toolbox JSON, or lessonkit JSON (`library export`); which "
        "one is read from the file (or say it with --from). All in one transaction."
    ),
)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--from",
    "source",
    type=click.Choice([LEGACY_SOURCE, "json"]),
    help=_(
        "beautiful-trouble: the toolbox's JSON file (an object holding 'studio' and 'items'); json: what "
        "`library export` writes (default: read from the file)."
    ),
)
@click.option(
    "--format",
    "fmt",
    metavar="[text|json]",
    default="text",
    show_default=True,
    help=_("Output format (json is stable, for scripts). The former `--format beautiful-trouble` still means "
           "--from beautiful-trouble."),
)
@click.option("--overwrite", is_flag=True, help=_("Replace modules edited here since they were imported."))
@click.pass_context
def import_(ctx: click.Context, file: str, source: str | None, fmt: str, overwrite: bool) -> None:
    from lessonkit.services.importers.beautiful_trouble import import_beautiful_trouble

    source, fmt = _import_source(file, source, fmt)
    importer = import_beautiful_trouble if source == LEGACY_SOURCE else import_library_json
    report = _import_with_progress(importer, workspace(ctx).library(), file, overwrite)
    counts = report.summary()
    if fmt == "json":
        echo_json(
            {
                "from": source,
                "imported": report.imported,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "skipped": [{"item": item, "reason": reason} for item, reason in report.skipped],
                "unresolved_names": report.unresolved_names,
            }
        )
        return
    click.echo(
        _("Imported {i}, updated {u}, unchanged {n}, skipped {s}.").format(
            i=counts["imported"], u=counts["updated"], n=counts["unchanged"], s=counts["skipped"]
        )
    )
    for item, reason in report.skipped:
        click.echo("  " + _("skipped {item}: {reason}").format(item=item, reason=reason))
    names = report.unresolved_names
    if names:
        shown = ", ".join(names[:10]) + (" …" if len(names) > 10 else "")
        click.echo(
            ngettext(
                "{n} related module name is not in the file; its links were left out ({k}): {names}",
                "{n} related module names are not in the file; their links were left out ({k}): {names}",
                len(names),
            ).format(n=len(names), k=counts["unresolved links"], names=shown)
        )


@library.command(help=_("Write the library as lessonkit JSON (to FILE, or to the screen)."))
@click.option(
    "--up-to",
    type=click.Choice([s.value for s in Sensitivity]),
    default="network",
    show_default=True,
    help=_("Only modules that may travel this widely."),
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([s.value for s in ReviewStatus]),
    help=_("Only modules in this review status (repeatable)."),
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help=_("Write to this file."))
@click.pass_context
def export(ctx: click.Context, up_to: str, statuses: tuple[str, ...], output: str | None) -> None:
    data = export_library(workspace(ctx).library(), up_to=up_to, statuses=statuses or None)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        n = len(data["modules"])
        wrote = ngettext("Wrote {n} module to {path}.", "Wrote {n} modules to {path}.", n)
        click.echo(wrote.format(n=n, path=output), err=True)
    else:
        click.echo(text)


@library.command(
    "restore", help=_("Repair a damaged library file, or go back to its last good copy; nothing is deleted.")
)
@click.option("--force", is_flag=True, help=FORCE_HELP)
@record_format_option()
@click.pass_context
def restore(ctx: click.Context, force: bool, fmt: str) -> None:
    ws = workspace(ctx)
    done = ws.restore_library(force)
    path = ws.home / "library.json"
    refuse_if_fine(path, done)
    n = len(lib.list_modules(ws.library()))
    summary = ngettext(
        "The library holds {n} module. The damaged files stay in the folder set aside: check whether anything is "
        "missing.",
        "The library holds {n} modules. The damaged files stay in the folder set aside: check whether anything is "
        "missing.",
        n,
    ).format(n=n)
    report_restore(fmt, path, done, {"modules": n}, {}, summary)


@library.command("list", help=_("List the modules of the library."))
@_filters
@format_option("table", "csv", "json")
@click.pass_context
def list_(
    ctx: click.Context,
    mtype: str | None,
    tag: str | None,
    region: str | None,
    status: str | None,
    risk: str | None,
    fmt: str,
) -> None:
    found = search_modules(workspace(ctx).library(), "", type=mtype, tag=tag, region=region, status=status, risk=risk)
    emit([module_row(m) for m in found], fmt, LIST_COLUMNS)


@library.command(help=_("Find modules whose title or text holds every word of TEXT."))
@click.argument("text")
@_filters
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help=_("At most this many."))
@format_option("table", "csv", "json")
@click.pass_context
def search(
    ctx: click.Context,
    text: str,
    mtype: str | None,
    tag: str | None,
    region: str | None,
    status: str | None,
    risk: str | None,
    limit: int,
    fmt: str,
) -> None:
    found = search_modules(
        workspace(ctx).library(), text, type=mtype, tag=tag, region=region, status=status, risk=risk, limit=limit
    )
    emit([module_row(m) for m in found], fmt, LIST_COLUMNS)


@library.command(help=_("Show one module with its related modules and lineage."))
@click.argument("slug")
@format_option("text", "json", default="text")
@click.pass_context
def show(ctx: click.Context, slug: str, fmt: str) -> None:
    store = workspace(ctx).library()
    module = lib.get_module(store, slug)
    if fmt == "json":
        echo_json(module.to_dict())
        return
    for line in module_lines(module, related_modules(store, slug), lineage(store, slug)):
        click.echo(line)


@main.command(help=_("Rank every module that has a source profile for the context in --target."))
@click.option("--target", required=True, type=click.Path(dir_okay=False), help=_("Target context profile (JSON)."))
@click.option("--rubric", default="default", show_default=True, help=_("Rubric name (data/rubrics/) or file."))
@click.option("--endorsed-only", is_flag=True, help=_("Only endorsed modules."))
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help=_("Show this many."))
@format_option("table", "csv", "json")
@click.pass_context
def rank(ctx: click.Context, target: str, rubric: str, endorsed_only: bool, limit: int, fmt: str) -> None:
    rub = load_rubric(rubric)
    ranking = rank_library(workspace(ctx).library(), load_profile(target, rub), rub, endorsed_only=endorsed_only)
    rows = ranking.rows[:limit]
    if fmt == "json":
        echo_json(
            {
                "without_profile": ranking.without_profile,
                "rows": [{"slug": r.slug, "title": r.title, **result_dict(r.result)} for r in rows],
            }
        )
        return
    emit(rank_rows(rows), fmt, ("rank", "slug", "title", "overall", "verdict", "biggest_gap"))
    if fmt == "table" and ranking.without_profile:
        click.echo(
            ngettext(
                "{n} module left out: no source profile (set one with `lessonkit library profile`).",
                "{n} modules left out: no source profile (set one with `lessonkit library profile`).",
                ranking.without_profile,
            ).format(n=ranking.without_profile),
            err=True,
        )


__all__ = ["library", "rank"]
