"""The breach report as a person reads it on the terminal (``lessonkit convening breach SLUG``)."""

from __future__ import annotations

import click

from lessonkit.domain.levels import Sensitivity, level_name
from lessonkit.domain.records import Participant
from lessonkit.i18n import _, format_list, ngettext
from lessonkit.services.breach import BreachReport


def _who(person: Participant) -> str:
    if person.pseudonym:
        return _("{name} (#{id}, '{pseudonym}')").format(name=person.name, id=person.id, pseudonym=person.pseudonym)
    return _("{name} (#{id})").format(name=person.name, id=person.id)


def print_report(report: BreachReport) -> None:
    state = _("encrypted at rest") if report.encrypted else _("NOT encrypted at rest")
    click.echo(_("Breach report for '{slug}' ({state}). It names people: do not project it.").format(
        slug=report.slug, state=state))
    click.echo("")
    click.echo(ngettext("What left this laptop ({n} file):", "What left this laptop ({n} files):",
                        len(report.exports)).format(n=len(report.exports)))
    if not report.exports:
        click.echo("  " + _("nothing: the export log is empty."))
    for r in report.exports:
        whose = format_list([_who(p) for p in report.whose(r)]) or _("nobody")
        click.echo("  " + ngettext(
            "{at}  {what}, level {level}, {file}: {n} record; words of {whose}",
            "{at}  {what}, level {level}, {file}: {n} records; words of {whose}",
            r.included,
        ).format(at=r.at.strftime("%Y-%m-%d %H:%M"), what=r.what, level=level_name(r.level), file=r.file or "-",
                 n=r.included, whose=whose))
    click.echo("")
    click.echo(_("Whom to warn first (words stored at restricted or convening level, or in files that left):"))
    if not report.warn_first:
        click.echo("  " + _("nobody."))
    for e in report.warn_first:
        click.echo("  " + _who(e.person))
        for level in sorted(Sensitivity, key=lambda s: -s.rank):
            n = e.stored.get(level.value, 0)
            if n:
                click.echo("    " + ngettext(
                    "{n} record of theirs stored at level {level}", "{n} records of theirs stored at level {level}", n
                ).format(n=n, level=level_name(level)))
        click.echo("    " + ngettext("their words were in {n} exported file", "their words were in {n} exported files",
                                     e.exported).format(n=e.exported))
    click.echo("")
    click.echo(_("Checklist:"))
    for n, step in enumerate(report.checklist, start=1):
        click.echo(f"  {n}. {step}")
