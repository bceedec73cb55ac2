"""``lessonkit reflect add|list``: after-action reflections typed in from paper, and listings that obey consent."""

from __future__ import annotations

from typing import Any

import click

from lessonkit.cli.common import emit, format_option, main, workspace
from lessonkit.cli.helpers import CommandGroup, echo_record, open_store, record_format_option
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.signals import ResultClass
from lessonkit.i18n import _, ngettext
from lessonkit.services.disclosure import Disclosure, Purpose, ShownReflection, Withheld
from lessonkit.services.reflections import submit_reflection

TABLE_COLUMNS = ("id", "author", "sensitivity", "tactics", "changed", "stubborn", "questions")
FULL_COLUMNS = (*TABLE_COLUMNS, "language", "source", "created")


@main.group(
    cls=CommandGroup,
    help=_(
        "After-action reflections: what changed in people's practice, what remained stubborn, what new questions "
        "emerged, which tactics they tried."
    ),
)
def reflect() -> None:
    pass


@reflect.command(
    "add",
    help=_(
        "Type in a reflection written on a paper form. Without --code it is anonymous. At least one answer or "
        "tactic is needed."
    ),
)
@click.argument("slug")
@click.option("--code", "join_code", help=_("The author's join code from the form; leave out for an anonymous one."))
@click.option("--changed", default="", help=_("What changed in their practice."))
@click.option("--stubborn", default="", help=_("What remained stubborn."))
@click.option("--questions", default="", help=_("What new questions emerged (one per line)."))
@click.option(
    "--tactic",
    "tactics",
    multiple=True,
    metavar="SLUG",
    help=_("A library module they tried (repeat for several; see `lessonkit library list`)."),
)
@click.option(
    "--went",
    type=click.Choice([r.value for r in ResultClass]),
    help=_("How the tactics given with --tactic went, in the author's own judgement."),
)
@click.option("--how", default="", help=_("How the tactics went, in the author's words."))
@click.option(
    "--sensitivity",
    type=click.Choice([s.value for s in Sensitivity], case_sensitive=False),
    help=_("How far the reflection may travel (default: convening, or stricter if the author's consent asks)."),
)
@click.option("--language", help=_("The language the form is written in, e.g. es."))
@record_format_option()
@click.pass_context
def add(
    ctx: click.Context,
    slug: str,
    join_code: str | None,
    changed: str,
    stubborn: str,
    questions: str,
    tactics: tuple[str, ...],
    went: str | None,
    how: str,
    sensitivity: str | None,
    language: str | None,
    fmt: str,
) -> None:
    store = open_store(ctx, slug)
    tried = [{"module": t, "went": went, "how": how} for t in tactics]
    reflection = submit_reflection(
        store,
        changed,
        stubborn,
        questions,
        tried,
        sensitivity,
        join_code,
        source="paper",
        language=language,
        library=workspace(ctx).library() if tactics else None,
    )
    view = Disclosure.open(store, Sensitivity.RESTRICTED, Purpose.BOARD)
    shown = view.reflections([reflection.id or 0]).shown
    row = reflection_row(shown[0]) if shown else {"id": reflection.id}
    echo_record(
        fmt,
        row,
        [_("Added reflection {id} ({level}).").format(id=reflection.id, level=reflection.sensitivity.value)],
    )


@reflect.command(
    "list",
    help=_(
        "List the reflections of a convening that may be shown at --level (default: restricted, the facilitators' "
        "own view). Authors are shown as their consent allows at that level; join codes are never shown."
    ),
)
@click.argument("slug")
@click.option(
    "--level",
    type=click.Choice([s.value for s in Sensitivity]),
    default=Sensitivity.RESTRICTED.value,
    show_default=True,
    help=_("Who will see the listing: the same reflections as the reports and bundles at that level."),
)
@format_option("table", "csv", "json")
@click.pass_context
def list_(ctx: click.Context, slug: str, level: str, fmt: str) -> None:
    store = open_store(ctx, slug)
    view = Disclosure.open(store, level, Purpose.BOARD)
    found = view.reflections()
    rows = [reflection_row(s) for s in found.shown]
    if fmt == "table":
        emit([{**r, "tactics": [t["module"] for t in r["tactics"]]} for r in rows], fmt, TABLE_COLUMNS)
    elif fmt == "csv":
        emit([{**r, "tactics": tactics_cell(r["tactics"])} for r in rows], fmt, FULL_COLUMNS)
    else:
        emit(rows, fmt, FULL_COLUMNS)
    withdrawn = view.tally.reasons[Withheld.NOT_RECORDED]
    if withdrawn:
        click.echo(
            ngettext(
                "{n} reflection not listed: its author does not consent to being recorded.",
                "{n} reflections not listed: their authors do not consent to being recorded.",
                withdrawn,
            ).format(n=withdrawn),
            err=True,
        )
    other = found.withheld - withdrawn
    if other:
        click.echo(
            ngettext(
                "{n} reflection not listed: it may not be shown at level '{level}'.",
                "{n} reflections not listed: they may not be shown at level '{level}'.",
                other,
            ).format(n=other, level=level),
            err=True,
        )
    for line in view.notices():
        click.echo(line, err=True)


def tactics_cell(tactics: list[dict[str, Any]]) -> str:
    """A reflection's tactics in one CSV cell: "slug (went): how | …"."""
    return " | ".join(
        f"{t['module']} ({t['went'] or '-'})" + (f": {t['how']}" if t["how"] else "") for t in tactics
    )


def reflection_row(shown: ShownReflection) -> dict[str, Any]:
    """A reflection for a listing, as the disclosure layer shows it; no join code or author id."""
    r = shown.reflection
    return {
        "id": r.id,
        "author": shown.author,
        "sensitivity": shown.level.value,
        "changed": r.changed,
        "stubborn": r.stubborn,
        "questions": r.questions,
        "tactics": [t.to_dict() for t in r.tactics],
        "language": r.language,
        "source": r.source,
        "created": r.created.isoformat(),
    }
