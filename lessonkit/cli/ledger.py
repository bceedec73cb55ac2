"""``lessonkit ledger add|status|correct|list|balance``: the convening's append-only mutual-aid ledger."""

from __future__ import annotations

from typing import Any

import click

from lessonkit.cli.common import emit, format_option, main
from lessonkit.cli.helpers import CommandGroup, echo_json, echo_record, open_store, record_format_option
from lessonkit.domain import validation as v
from lessonkit.domain.ledger import Entry, ResourceKind, Status, kind_label, status_label
from lessonkit.domain.ledger_book import Book, balance
from lessonkit.domain.levels import Sensitivity
from lessonkit.i18n import _
from lessonkit.services.disclosure import Disclosure, Purpose
from lessonkit.services.ledger import add_line, change_status, correct_line, list_lines

LEVELS = [s.value for s in Sensitivity]
KINDS = [k.value for k in ResourceKind]
STATUSES = [s.value for s in Status]
LIST_COLUMNS = ("id", "op", "refers_to", "on", "from", "to", "kind", "quantity", "unit", "what", "status", "due",
                "reason", "evidence")
BALANCE_KEYS = ("party", "unit", "received", "given", "net")


@main.group(
    cls=CommandGroup,
    help=_(
        "The mutual-aid ledger: resources between groups (money, goods, skills, time, space). Lines are never "
        "edited or deleted: a status change or a correction is a new line pointing at the one it changes."
    ),
)
def ledger() -> None:
    pass


def line_json(e: Entry) -> dict[str, Any]:
    return {"id": e.id, **e.to_dict()}


def _summary(e: Entry) -> str:
    return _("{giver} → {receiver}: {quantity} {unit} of {kind} for '{what}', {status}").format(
        giver=e.giver, receiver=e.receiver, quantity=e.quantity, unit=e.unit, kind=kind_label(e.kind), what=e.what,
        status=status_label(e.status),
    )


def _level_option() -> Any:
    return click.option(
        "--level",
        type=click.Choice(LEVELS),
        default=Sensitivity.RESTRICTED.value,
        show_default=True,
        help=_("Who will see it: the same lines as the reports at that level (default: the facilitators' own view)."),
    )


def evidence_options(f: Any) -> Any:
    by = _("Join code of the participant whose words the evidence quotes.")
    f = click.option("--evidence-by", "join_code", help=by)(f)
    return click.option("--evidence", default="", help=_("Evidence notes (a receipt, who confirmed it, where)."))(f)


@ledger.command("add", help=_("Add a line: a resource pledged or moved from one group to another."))
@click.argument("slug")
@click.option("--from", "giver", required=True, help=_("The group that gives."))
@click.option("--to", "receiver", required=True, help=_("The group that receives."))
@click.option("--kind", type=click.Choice(KINDS), required=True, help=_("What kind of resource."))
@click.option("--quantity", required=True, help=_("How much (a number greater than zero)."))
@click.option("--unit", required=True, help=_("The unit of the quantity (EUR, kg, hours, nights …)."))
@click.option("--what", required=True, help=_("What it is for."))
@click.option(
    "--status",
    type=click.Choice(STATUSES),
    default="pledged",
    show_default=True,
    help=_("Its status now: pledged, delivered, used or returned."),
)
@click.option("--on", "on", help=_("The day it was pledged or moved (YYYY-MM-DD; default: today)."))
@click.option("--due", help=_("For a pledge: the day it should be delivered (YYYY-MM-DD)."))
@evidence_options
@click.option(
    "--sensitivity", type=click.Choice(LEVELS), default="convening", show_default=True,
    help=_("How widely the line may be shared."),
)
@record_format_option()
@click.pass_context
def add(
    ctx: click.Context,
    slug: str,
    giver: str,
    receiver: str,
    kind: str,
    quantity: str,
    unit: str,
    what: str,
    status: str,
    on: str | None,
    due: str | None,
    evidence: str,
    join_code: str | None,
    sensitivity: str,
    fmt: str,
) -> None:
    made = add_line(
        open_store(ctx, slug), giver, receiver, kind, quantity, unit, what, status,
        on=on, due=due, evidence=evidence, join_code=join_code, sensitivity=sensitivity,
    )
    echo_record(fmt, line_json(made), [_("Added line {id}: {summary}.").format(id=made.id, summary=_summary(made))])


@ledger.command(
    "status",
    help=_("Record that a line was delivered, used or returned (pledged → delivered → used, or returned)."),
)
@click.argument("slug")
@click.argument("line_id", metavar="ID", type=int)
@click.option("--status", type=click.Choice(STATUSES), required=True, help=_("The line's new status."))
@click.option("--on", "on", help=_("The day it changed (YYYY-MM-DD; default: today)."))
@click.option("--reason", default="", help=_("A note on the change."))
@evidence_options
@record_format_option()
@click.pass_context
def status(
    ctx: click.Context, slug: str, line_id: int, status: str, on: str | None, reason: str, evidence: str,
    join_code: str | None, fmt: str,
) -> None:
    made = change_status(
        open_store(ctx, slug), line_id, status, on=v.iso_date("--on", on), evidence=evidence, join_code=join_code,
        reason=reason,
    )
    echo_record(
        fmt, line_json(made), [_("Added line {id}: line {ref} is now {status}.").format(
            id=made.id, ref=made.refers_to, status=status_label(made.status))]
    )


@ledger.command(
    "correct",
    help=_(
        "Correct a line: a reversal of it and the corrected line, both pointing at it, with --reason. Give the new "
        "values (--quantity, --to …); the others stay. --cancel reverses the line without a replacement."
    ),
)
@click.argument("slug")
@click.argument("line_id", metavar="ID", type=int)
@click.option("--reason", required=True, help=_("Why the line is corrected."))
@click.option("--from", "giver", help=_("The giving group, corrected."))
@click.option("--to", "receiver", help=_("The receiving group, corrected."))
@click.option("--kind", type=click.Choice(KINDS), help=_("The kind of resource, corrected."))
@click.option("--quantity", help=_("The quantity, corrected."))
@click.option("--unit", help=_("The unit, corrected."))
@click.option("--what", help=_("What it is really for."))
@click.option("--status", type=click.Choice(STATUSES), help=_("The status, corrected."))
@click.option("--on", "on", help=_("The day, corrected (YYYY-MM-DD)."))
@click.option("--due", help=_("The right due day (YYYY-MM-DD)."))
@click.option("--sensitivity", type=click.Choice(LEVELS), help=_("How widely the corrected line may be shared."))
@click.option("--evidence", help=_("New evidence notes (the line's own are kept when left out)."))
@click.option("--evidence-by", "join_code", help=_("Join code of the participant whose words the evidence quotes."))
@click.option("--cancel", is_flag=True, help=_("The line should never have been written: reverse it only."))
@record_format_option()
@click.pass_context
def correct(
    ctx: click.Context, slug: str, line_id: int, reason: str, giver: str | None, receiver: str | None,
    kind: str | None, quantity: str | None, unit: str | None, what: str | None, status: str | None, on: str | None,
    due: str | None, sensitivity: str | None, evidence: str | None, join_code: str | None, cancel: bool, fmt: str,
) -> None:
    changes = {
        "from": giver, "to": receiver, "kind": kind, "quantity": quantity, "unit": unit, "what": what,
        "status": status, "on": on, "due": due, "sensitivity": sensitivity, "evidence": evidence,
    }
    wanted = {k: val for k, val in changes.items() if val is not None}
    reversal, replacement = correct_line(
        open_store(ctx, slug), line_id, reason, wanted, join_code=join_code, cancel=cancel
    )
    lines = [_("Added line {id}: the reversal of line {ref}.").format(id=reversal.id, ref=line_id)]
    if replacement is not None:
        lines.append(_("Added line {id}: {summary}.").format(id=replacement.id, summary=_summary(replacement)))
    data = {"reversal": line_json(reversal), "correction": line_json(replacement) if replacement else None}
    echo_record(fmt, data, lines)


@ledger.command(
    "list",
    help=_(
        "List every line that may be shown at --level, oldest first: entries, reversals, corrections and status "
        "changes. 'live' says which lines count now, 'status_now' their status."
    ),
)
@click.argument("slug")
@_level_option()
@format_option("table", "csv", "json")
@click.pass_context
def list_(ctx: click.Context, slug: str, level: str, fmt: str) -> None:
    view = Disclosure.open(open_store(ctx, slug), level, Purpose.BOARD)
    shown = view.ledger(list_lines(view.store))
    book = Book.of(s.line for s in shown)
    rows = []
    for s in shown:
        e = s.line
        live = book.is_live(e)
        rows.append(
            {
                **line_json(e),
                "from": s.giver,
                "to": s.receiver,
                "quantity": e.quantity,
                "live": live,
                "status_now": book.status_of(e).value if live else None,
            }
        )
    if fmt == "json":
        echo_json(rows)
        return
    emit(rows, fmt, LIST_COLUMNS if fmt == "table" else None)


@ledger.command(
    "balance",
    help=_(
        "Per group and unit: what it received and gave on the live lines that were delivered or used (pledges and "
        "returned resources moved nothing), and the net (received − given)."
    ),
)
@click.argument("slug")
@_level_option()
@format_option("table", "csv", "json")
@click.pass_context
def balance_(ctx: click.Context, slug: str, level: str, fmt: str) -> None:
    view = Disclosure.open(open_store(ctx, slug), level, Purpose.BOARD)
    rows = balance(Book.of(s.line for s in view.ledger(list_lines(view.store))))
    data = [{**r.to_dict(), "party": view.party(r.party)} for r in rows]
    if fmt == "json":
        echo_json(data)
        return
    emit(data, fmt, BALANCE_KEYS)
