"""``lessonkit mou save`` and ``lessonkit mou party add|remove``: what the memorandum workbook's editor does.

Every rule is the services' (the same calls as workbooks/03_memorandum.ipynb): a save from a stale version is
refused, an ended memorandum does not change, a party is a group of the convening, a party that signed is not
removed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from lessonkit.cli.helpers import CommandGroup, echo_record, open_store, record_format_option
from lessonkit.cli.mou import mou
from lessonkit.domain.mou_status import MouRecord, status_label
from lessonkit.i18n import _
from lessonkit.services.mou import add_party, get_mou, remove_party
from lessonkit.services.mou_files import save_from_file


def record_row(record: MouRecord) -> dict[str, Any]:
    """The memorandum's record after a change: status, parties, agreed and signed versions."""
    return {
        "title": record.title,
        "status": record.status.value,
        "parties": [p.name for p in record.parties],
        "agreed_version": record.agreed_version,
        "signed_version": record.signed_version,
    }


@mou.command(
    "save",
    help=_(
        "Save the clauses in FILE as a new version (what 'Save new version' does in the workbook). FILE is what "
        "`mou show SLUG --format json` prints, with its clauses edited (its 'version' says which version you "
        "started from), or a JSON list of clauses with --base N. If someone saved a newer version since, nothing "
        "is saved."
    ),
)
@click.argument("slug")
@click.option(
    "--file",
    "path",
    metavar="CLAUSES.json",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=_("The clauses: a JSON list, or an object with 'clauses' and 'version' (or 'base_version')."),
)
@click.option("--summary", required=True, help=_("What changed, in one line (kept in the change log)."))
@click.option("--author", required=True, help=_("Your name, recorded with the version."))
@click.option(
    "--base",
    type=click.IntRange(min=1),
    help=_("The version your clauses were based on (default: the 'version' written in the file)."),
)
@record_format_option()
@click.pass_context
def save(ctx: click.Context, slug: str, path: Path, summary: str, author: str, base: int | None, fmt: str) -> None:
    store = open_store(ctx, slug)
    version = save_from_file(store, path, author, summary, base)
    state = get_mou(store)
    echo_record(
        fmt,
        {
            "version": version.number,
            "author": version.author,
            "summary": version.summary,
            "saved": version.created.isoformat(),
            "clauses": len(version.clauses),
            **record_row(state.record),
        },
        [
            _("Saved version {n} ({summary}); the memorandum is now: {status}.").format(
                n=version.number, summary=version.summary, status=status_label(state.record.status)
            )
        ],
    )


@mou.group(cls=CommandGroup, help=_("Add or remove a party: a group of the convening that signs the memorandum."))
def party() -> None:
    pass


def _by_option() -> Any:
    return click.option("--by", required=True, help=_("Your name, recorded in the memorandum's history."))


@party.command(
    "add",
    help=_("Add PARTY: a registered participant's organisation, or the participant's own name."),
)
@click.argument("slug")
@click.argument("name", metavar="PARTY")
@_by_option()
@record_format_option()
@click.pass_context
def party_add(ctx: click.Context, slug: str, name: str, by: str, fmt: str) -> None:
    record = add_party(open_store(ctx, slug), name, by)
    echo_record(
        fmt,
        record_row(record),
        [_("Parties of the memorandum: {parties}.").format(parties=", ".join(p.name for p in record.parties))],
    )


@party.command(
    "remove",
    help=_(
        "Remove PARTY while the memorandum is a draft or proposed; a party that signed a version leaves through "
        "the exit clause instead."
    ),
)
@click.argument("slug")
@click.argument("name", metavar="PARTY")
@_by_option()
@record_format_option()
@click.pass_context
def party_remove(ctx: click.Context, slug: str, name: str, by: str, fmt: str) -> None:
    record = remove_party(open_store(ctx, slug), name, by)
    parties = ", ".join(p.name for p in record.parties) or _("none")
    echo_record(fmt, record_row(record), [_("Parties of the memorandum: {parties}.").format(parties=parties)])
