"""``lessonkit convening create|list|languages|restore`` (encryption: cli/crypt.py)."""

from __future__ import annotations

from typing import Any

import click

from lessonkit.cli.common import emit, format_option, main, workspace
from lessonkit.cli.helpers import CommandGroup, echo_record, record_format_option
from lessonkit.cli.restore import FORCE_HELP, refuse_if_fine, report_restore
from lessonkit.domain.records import Convening
from lessonkit.errors import LessonkitError, LockedError
from lessonkit.i18n import _, language_name
from lessonkit.services import create_convening, get_convening, list_convenings, set_languages
from lessonkit.store.base import Store

LIST_COLUMNS = ("slug", "title", "start", "end", "place", "languages", "status")


@main.group(cls=CommandGroup, help=_("Create, list and repair convenings."))
def convening() -> None:
    pass


@convening.command("create", help=_("Create a convening: its own file in the workspace."))
@click.argument("slug")
@click.option("--title", required=True, help=_("Full title, e.g. 'Riverbend Exchange 2026'."))
@click.option("--start", help=_("First day, as YYYY-MM-DD."))
@click.option("--end", help=_("Last day, as YYYY-MM-DD (not before --start)."))
@click.option("--place", default="", help=_("Where it happens (leave out if it must not be written down)."))
@click.option(
    "--languages", default="en", show_default=True, help=_("Working languages, comma-separated, e.g. en,es.")
)
@click.option(
    "--countries",
    default="",
    help=_("Where participants come from, as two-letter codes, e.g. KE,PL (redaction finds their phone numbers)."),
)
@click.option(
    "--encrypt",
    is_flag=True,
    help=_("Encrypt it at rest from the start, with a passphrase asked twice (or LESSONKIT_PASSPHRASE)."),
)
@click.option("--recovery-recipient", "recovery", multiple=True, metavar="AGE_KEY",
              help=_("With --encrypt: also encrypt to this age public key (a trusted partner's). Repeatable."))
@click.option("--recovery-sheet", is_flag=True,
              help=_("With --encrypt: also make a recovery key, printed once, to keep on paper elsewhere."))
@record_format_option()
@click.pass_context
def create(
    ctx: click.Context,
    slug: str,
    title: str,
    start: str | None,
    end: str | None,
    place: str,
    languages: str,
    countries: str,
    encrypt: bool,
    recovery: tuple[str, ...],
    recovery_sheet: bool,
    fmt: str,
) -> None:
    ws = workspace(ctx)
    fields: dict[str, Any] = {
        "start": start, "end": end, "place": place, "languages": languages, "countries": countries
    }
    secret = None
    if encrypt:
        from lessonkit.cli.crypt import create_encrypted_cli, sheet_lines

        made, secret = create_encrypted_cli(ctx, slug, title, recovery, recovery_sheet, **fields)
    else:
        made = create_convening(ws, slug, title, **fields)
    lines = [
        _("Created convening '{slug}' ({title}) in {home}.").format(slug=made.slug, title=made.title, home=ws.home),
        _("Next: lessonkit participant add {slug} --name NAME").format(slug=made.slug),
    ]
    row = convening_row(made)
    if encrypt:
        row.update(encrypted=True, **({"recovery_key": secret} if secret else {}))
        lines += sheet_lines(made.slug, secret)
    echo_record(fmt, row, lines)


@convening.command(
    "list", help=_("List the convenings of the workspace (a damaged one is listed with its error).")
)
@format_option("table", "json")
@click.pass_context
def list_(ctx: click.Context, fmt: str) -> None:
    rows = []
    for slug, found in list_convenings(workspace(ctx)):
        if isinstance(found, LockedError):
            rows.append({"slug": slug, "title": None, "status": "locked"})
        elif isinstance(found, LessonkitError):
            rows.append({"slug": slug, "title": None, "status": "error", "error": str(found)})
        else:
            rows.append({**convening_row(found), "status": "ok"})
    emit(rows, fmt, LIST_COLUMNS)
    if fmt != "json":
        for row in rows:
            if row["status"] == "error":
                click.echo(_("Error: {msg}").format(msg=row["error"]), err=True)


@convening.command(
    "languages",
    help=_(
        "Show the convening's languages, or set them (codes, comma-separated, e.g. en,es,fr,pt,ar,ru); the first is "
        "the language a text is taken to be in when nobody said."
    ),
)
@click.argument("slug")
@click.argument("languages", required=False)
@record_format_option()
@click.pass_context
def languages_(ctx: click.Context, slug: str, languages: str | None, fmt: str) -> None:
    store = workspace(ctx).store(slug)
    found = set_languages(store, languages) if languages else get_convening(store)
    echo_record(
        fmt,
        convening_row(found),
        [
            _("Languages of '{slug}': {languages}").format(
                slug=slug, languages=", ".join(f"{language_name(t)} ({t})" for t in found.languages)
            )
        ],
    )


@convening.command(
    "restore",
    help=_("Repair a damaged convening file, or go back to its last good copy; nothing is deleted."),
)
@click.argument("slug")
@click.option("--force", is_flag=True, help=FORCE_HELP)
@record_format_option()
@click.pass_context
def restore(ctx: click.Context, slug: str, force: bool, fmt: str) -> None:
    ws = workspace(ctx)
    done = ws.restore(slug, force)
    refuse_if_fine(ws.path_for(slug), done)
    counts = _counts(ws.store(slug))
    summary = _(
        "The convening holds: participants {p}, sessions {s}, notes {n}. The damaged files stay in the folder "
        "set aside: check whether anything is missing."
    ).format(p=counts["participants"], s=counts["sessions"], n=counts["notes"])
    report_restore(fmt, ws.path_for(slug), done, counts, {"slug": slug}, summary)


def _counts(store: Store) -> dict[str, int]:
    with store.read() as tx:
        return {table: len(tx.all(table)) for table in ("participants", "sessions", "notes")}


def convening_row(c: Convening) -> dict[str, Any]:
    return {
        "slug": c.slug,
        "title": c.title,
        "start": c.start.isoformat() if c.start else None,
        "end": c.end.isoformat() if c.end else None,
        "place": c.place,
        "languages": list(c.languages),
        "countries": list(c.countries),
    }
