"""``lessonkit report`` (PDF, HTML or Markdown reports) and ``lessonkit export`` (data as CSV or JSON).

Both default to level ``public``, the most protective: only records whose sensitivity and whose author's consent
allow that audience, with names, join codes, e-mails, phones and the convening's extra terms redacted.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from lessonkit.cli.common import main, workspace
from lessonkit.cli.helpers import OneLineError, open_store
from lessonkit.domain.levels import Sensitivity, level_name
from lessonkit.export import FORMATS, KINDS, ReportJob, ReportResult, convening_plan, make_reports
from lessonkit.i18n import _, available_languages, current_language, ngettext, resolve
from lessonkit.services import get_session

F = TypeVar("F", bound=Callable[..., Any])

LEVELS = [s.value for s in Sensitivity]
EXT = {"pdf": ".pdf", "html": ".html", "md": ".md"}


def level_option() -> Callable[[F], F]:
    return click.option(
        "--level",
        type=click.Choice(LEVELS),
        default="public",
        show_default=True,
        help=_(
            "Who may read it: public < network < convening < restricted (facilitators). Records more private than "
            "this, or whose author's consent does not allow it, are left out and counted."
        ),
    )


def _check(ctx: click.Context, slug: str, kind: str | None, session: str | None, round_: int | None) -> None:
    """Refuse unknown sessions and rounds before any kernel starts (the error names what exists)."""
    from lessonkit.services.scoring_rounds import get_round

    store = open_store(ctx, slug)
    if session is not None and kind == "listening":
        get_session(store, session)
    if round_ is not None and kind == "transfer":
        get_round(store, round_)


def skip_slow_iri_grammar() -> None:
    """Spare the command 1.3 s of a 2-core laptop's time: nbformat imports jsonschema, which builds an IRI grammar at
    import whenever the optional rfc3987-syntax package is installed (python-jsonschema/jsonschema#1428). nbformat
    never validates IRIs; telling jsonschema the package is absent skips only that format check, in this process."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _single_out(out: Path, slug: str, kind: str, fmt: str) -> Path:
    return out / f"{slug}-{kind}{EXT[fmt]}" if out.is_dir() else out


def _finish(results: list[ReportResult]) -> None:
    failed = [r for r in results if not r.ok]
    for r in results:
        click.echo(_("Wrote {path}").format(path=r.path))
    for r in failed:
        click.echo(_("Error: {msg}").format(msg=r.message), err=True)
    if failed:
        sys.exit(1)


@main.command(
    name="report",
    help=_(
        "Make a report of a convening (PDF by default): --kind listening|mou|transfer|summary|care|reflections, or "
        "--all for every report of the convening into the folder --out."
    ),
)
@click.argument("slug")
@click.option("--kind", type=click.Choice(KINDS), help=_("Which report."))
@click.option("--all", "all_", is_flag=True, help=_("Every report of the convening (--out is a folder)."))
@click.option("--session", help=_("Listening report of one session (id or title); default: every session."))
@click.option("--round", "round_", type=int, help=_("Transferability brief of one scoring round; default: latest."))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="pdf", show_default=True, help=_("File type."))
@level_option()
@click.option("--out", required=True, type=click.Path(path_type=Path), help=_("File to write (folder with --all)."))
@click.option("--browser", envvar="LESSONKIT_CHROMIUM", help=_("Chromium to print PDFs with (LESSONKIT_CHROMIUM)."))
@click.option(
    "--lang",
    "language",
    metavar="LANG",
    help=_("Language of the report, e.g. es (default: the language of these messages). Participants' words stay "
           "in the language they were written in."),
)
@click.pass_context
def report(
    ctx: click.Context,
    slug: str,
    kind: str | None,
    all_: bool,
    session: str | None,
    round_: int | None,
    fmt: str,
    level: str,
    out: Path,
    browser: str | None,
    language: str | None,
) -> None:
    if bool(kind) == all_:
        raise OneLineError(_("Give either --kind KIND or --all. See 'lessonkit report --help'."))
    lang = _report_language(language)
    skip_slow_iri_grammar()
    ws = workspace(ctx)
    home = str(ws.home)
    if all_:
        plan = convening_plan(open_store(ctx, slug), slug, out, fmt, level, home, lang)
        for note in plan.skipped:
            click.echo(_("Skipped: {what}").format(what=note))
        with click.progressbar(length=len(plan.jobs), label=_("Making reports"), file=sys.stderr) as bar:
            results = make_reports(plan.jobs, lambda done, total, job: bar.update(1), browser=browser)
        _finish(results)
        return
    assert kind is not None
    _check(ctx, slug, kind, session, round_)
    job = ReportJob(kind, slug, _single_out(out, slug, kind, fmt), fmt, level, session, round_, home, lang)
    _finish(make_reports([job], browser=browser))


def _report_language(wanted: str | None) -> str:
    """--lang resolved to a language with a catalogue (else the command's own language); warns when no font."""
    from lessonkit.export import missing_font_message

    lang = resolve(wanted) if wanted else current_language()
    if lang is None:
        raise OneLineError(
            _("'{lang}' has no catalogue; choose one of: {langs}.").format(
                lang=wanted, langs=", ".join(available_languages())
            )
        )
    warning = missing_font_message(lang)
    if warning:
        click.echo(warning, err=True)
    return lang


@main.command(
    name="export",
    help=_(
        "Export notes, memorandum positions or transferability scores as CSV or JSON (UTF-8), with the same privacy "
        "filter and redaction as the reports. --columns describes the columns."
    ),
)
@click.argument("slug")
@click.option("--what", type=click.Choice(["notes", "positions", "scores"]), required=True, help=_("Which records."))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help=_("Output format (json is stable, for scripts)."),
)
@level_option()
@click.option("--out", type=click.Path(path_type=Path), help=_("File to write (default: print)."))
@click.option("--columns", "columns", is_flag=True, help=_("Describe the columns and stop."))
@click.pass_context
def export(ctx: click.Context, slug: str, what: str, fmt: str, level: str, out: Path | None, columns: bool) -> None:
    from lessonkit.export import COLUMNS, export_data, log_data, to_csv, to_json, write_data

    if columns:
        for name, meaning in COLUMNS[what].items():
            click.echo(f"{name}: {meaning}")
        return
    result = export_data(what, store=open_store(ctx, slug), level=level)
    if out is None:
        click.echo(to_csv(result) if fmt == "csv" else to_json(result), nl=False)
        log_data(result, None)
    else:
        write_data(result, fmt, out)
        n = len(result.rows)
        wrote = {
            "notes": ngettext("Wrote {n} note to {path}", "Wrote {n} notes to {path}", n),
            "positions": ngettext("Wrote {n} position to {path}", "Wrote {n} positions to {path}", n),
            "scores": ngettext("Wrote {n} score to {path}", "Wrote {n} scores to {path}", n),
        }[what]
        click.echo(wrote.format(n=n, path=out))
    click.echo(
        _("Level {level}: records withheld: {w}; redacted: {r}.").format(
            level=level_name(result.level), w=result.withheld, r=result.redacted
        ),
        err=True,
    )
