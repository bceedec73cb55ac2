"""``lessonkit library signal add|list|review``: signals on library modules as evidence."""

from __future__ import annotations

from typing import Any

import click

from lessonkit.cli.common import emit, format_option, workspace
from lessonkit.cli.helpers import CommandGroup, OneLineError, echo_record, open_store, record_format_option
from lessonkit.cli.library import library
from lessonkit.domain.signals import OutcomeType, ResultClass, Signal
from lessonkit.i18n import _
from lessonkit.services.signals import SignalRow, add_signal, list_signals, review_signal, signal_from_reflection

TABLE_COLUMNS = ("module", "number", "outcome", "what", "value", "unit", "baseline", "period", "place", "result")
FULL_COLUMNS = (
    "module",
    "number",
    "outcome",
    "what",
    "value",
    "unit",
    "baseline",
    "period",
    "campaign",
    "place",
    "context",
    "factors",
    "source",
    "reported_by",
    "organisation",
    "origin",
    "result",
    "disputed",
    "reviews",
)


@library.group(
    "signal",
    cls=CommandGroup,
    help=_(
        "Signals: measured outcomes of a module (turnout shifts, message recall, fundraising efficiency, policy "
        "wins…) as evidence, with the factors that likely influenced them; their result class is set by peer review."
    ),
)
def signal() -> None:
    pass


@signal.command(
    "add",
    help=_(
        "Add a signal to MODULE. With --from-reflection (and --convening) it is drawn from an after-action "
        "reflection: what the participant reported fills what you leave out, and only if their consent lets their "
        "words reach the module's audience."
    ),
)
@click.argument("module")
@click.option(
    "--outcome",
    type=click.Choice([o.value for o in OutcomeType]),
    help=_("What kind of outcome (default: other, or what the reflection says)."),
)
@click.option("--what", help=_("What was measured, in a few words."))
@click.option("--value", type=float, help=_("The measured value."))
@click.option("--unit", help=_("Its unit, such as people or percent."))
@click.option("--baseline", type=float, help=_("The value before, to compare with."))
@click.option("--period", help=_("When it was measured: 2024, 2024-03, 2024-03-01 or FROM/TO."))
@click.option("--source", help=_("Where the number comes from (a survey, a count, a press report…)."))
@click.option("--factor", "factors", multiple=True, help=_("A factor that likely influenced it (repeat for several)."))
@click.option("--campaign", help=_("The campaign it comes from."))
@click.option("--place", help=_("Where (a town, a region, a country)."))
@click.option("--context", help=_("The name of the context profile the campaign ran in."))
@click.option("--by", "reported_by", help=_("Who reports it."))
@click.option("--organisation", help=_("The reporter's organisation (its members do not review the signal)."))
@click.option("--from-reflection", "reflection", type=int, help=_("Id of a reflection (see `lessonkit reflect list`)."))
@click.option("--convening", help=_("The convening the reflection belongs to."))
@record_format_option()
@click.pass_context
def add(
    ctx: click.Context, module: str, reflection: int | None, convening: str | None, fmt: str, **fields: Any
) -> None:
    library_store = workspace(ctx).library()
    fields["factors"] = list(fields["factors"])
    if reflection is not None:
        if not convening:
            raise OneLineError(_("--from-reflection needs --convening SLUG: the convening the reflection belongs to."))
        saved, number = signal_from_reflection(
            open_store(ctx, convening), library_store, reflection, module, fields, by=fields.get("reported_by") or ""
        )
    else:
        if not fields.get("what"):
            raise OneLineError(_("Say what was measured with --what (or draw the signal from a reflection)."))
        given = {k: val for k, val in fields.items() if val not in (None, "", [])}
        saved, number = add_signal(library_store, module, given)
    row = signal_row(SignalRow(saved.slug, saved.title, number, saved.signals[number - 1]))
    echo_record(
        fmt,
        row,
        [
            _("Added signal {n} to '{slug}': {what}.").format(n=number, slug=saved.slug, what=row["what"]),
            _("Its result class is set by peer review: lessonkit library signal review {slug} {n} …").format(
                slug=saved.slug, n=number
            ),
        ],
    )


@signal.command("list", help=_("List the signals of every module, or of MODULE."))
@click.argument("module", required=False)
@format_option("table", "csv", "json")
@click.pass_context
def list_(ctx: click.Context, module: str | None, fmt: str) -> None:
    rows = [signal_row(r) for r in list_signals(workspace(ctx).library(), module)]
    if fmt == "json":
        emit(rows, fmt)
        return
    flat = [{**r, "period": period_label(r["period"]), "reviews": len(r["reviews"])} for r in rows]
    emit(flat, fmt, FULL_COLUMNS if fmt == "csv" else TABLE_COLUMNS)


@signal.command(
    "review",
    help=_(
        "Set the result class of signal NUMBER of MODULE (success, failure or mixed) as a peer reviewer from an "
        "organisation other than the reporter's. Reviewing again replaces your earlier review."
    ),
)
@click.argument("module")
@click.argument("number", type=int)
@click.option("--reviewer", required=True, help=_("Who reviews."))
@click.option("--organisation", required=True, help=_("The reviewer's organisation."))
@click.option("--result", required=True, type=click.Choice([r.value for r in ResultClass]), help=_("The result class."))
@click.option("--comments", default="", help=_("Why."))
@click.option("--date", "on", help=_("The day of the review (default: today)."))
@record_format_option()
@click.pass_context
def review(
    ctx: click.Context,
    module: str,
    number: int,
    reviewer: str,
    organisation: str,
    result: str,
    comments: str,
    on: str | None,
    fmt: str,
) -> None:
    saved = review_signal(workspace(ctx).library(), module, number, reviewer, organisation, result, comments, on)
    row = signal_row(SignalRow(saved.slug, saved.title, number, saved.signals[number - 1]))
    lines = [_("Signal {n} of '{slug}' is now: {result}.").format(n=number, slug=saved.slug, result=row["result"])]
    if row["disputed"]:
        lines.append(_("Reviewers disagree about it: see `lessonkit library signal list {slug}`.").format(
            slug=saved.slug))
    echo_record(fmt, row, lines)


def signal_row(row: SignalRow) -> dict[str, Any]:
    """A signal for listings and JSON: its fields, its module and number, and the result its reviews set."""
    s: Signal = row.signal
    data = s.to_dict()
    return {
        "module": row.slug,
        "title": row.title,
        "number": row.number,
        **data,
        "result": s.result.value if s.result else None,
        "disputed": s.disputed,
    }


def period_label(period: dict[str, str] | None) -> str:
    """A stored period as typed: FROM/TO, or one day."""
    if not period:
        return ""
    return period["start"] if period["start"] == period["end"] else f"{period['start']}/{period['end']}"
