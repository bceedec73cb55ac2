"""What ``lessonkit convening restore`` and ``lessonkit library restore`` print: one shared report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from lessonkit.cli.helpers import echo_record
from lessonkit.i18n import _, ngettext
from lessonkit.store.repair import Restored

FORCE_HELP = _(
    "Go back to the last good copy even though the file reads fine (changes since that copy stay only in the "
    "folder set aside)."
)


def refuse_if_fine(path: Path, done: Restored) -> None:
    """A file that reads fine is a one-line error: nothing was changed."""
    if done.status == "fine":
        raise click.ClickException(
            _("The file {path} reads fine, so nothing was changed. Use --force to go back to its last good copy "
              "anyway.").format(path=path)
        )


def report_restore(
    fmt: str, path: Path, done: Restored, counts: dict[str, int], data: dict[str, Any], summary: str
) -> None:
    """Print what restore did: ``data`` starts the JSON record, ``summary`` (what the file now holds) ends the text."""
    record = {
        **data,
        "status": done.status,
        "damaged_moved_to": str(done.aside) if done.aside else None,
        "restored_from": str(done.restored_from) if done.restored_from else None,
        "journal_lines_replayed": done.replayed,
        "damaged_lines": list(done.damaged),
        "restored_counts": counts,
    }
    if done.status == "repaired":
        lines = [
            ngettext(
                "{n} damaged line of the journal of {path} was left out and every other change was kept.",
                "{n} damaged lines of the journal of {path} were left out and every other change was kept.",
                len(done.damaged),
            ).format(n=len(done.damaged), path=path),
            _("The journal as it was is kept in {aside}.").format(aside=done.aside),
        ]
    else:
        lines = [
            _("The damaged files of {path} were copied aside to {aside} (nothing was deleted).").format(
                path=path, aside=done.aside),
            ngettext(
                "Continuing from the last good copy {good}, plus {r} later change from the journal.",
                "Continuing from the last good copy {good}, plus {r} later changes from the journal.",
                done.replayed,
            ).format(good=done.restored_from, r=done.replayed),
        ]
    lines += [_("Left out: {line}").format(line=line) for line in done.damaged]
    echo_record(fmt, record, [*lines, summary])
