"""``lessonkit mou position|proposals|accept|decline|set-status|sign|due``: deciding on the memorandum.

The same service calls as the workbook's panels, so the same rules: a block needs a reason and stops agreement and
signing until the blocking party records a new position; the status moves one allowed step at a time; a signature
is bound to the latest agreed version, and the last party's signature makes the memorandum signed.
"""

from __future__ import annotations

from typing import Any

import click

from lessonkit.cli.common import emit, format_option
from lessonkit.cli.helpers import echo_record, open_store, record_format_option
from lessonkit.cli.mou import mou
from lessonkit.cli.mou_edit import record_row
from lessonkit.domain import validation as v
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.mou_amendment import Amendment, AmendmentStatus
from lessonkit.domain.mou_decisions import Stance, stance_label
from lessonkit.domain.mou_schedule import SOON_DAYS
from lessonkit.domain.mou_status import MouStatus, status_label
from lessonkit.i18n import _, ngettext
from lessonkit.services.disclosure import Disclosure, Purpose, Withheld
from lessonkit.services.mou import get_mou
from lessonkit.services.mou_amendments import accept_amendment, decline_amendment, list_amendments
from lessonkit.services.mou_decisions import due, record_position, set_status, sign
from lessonkit.services.withdraw import withdrawn_marker

PROPOSAL_COLUMNS = ("id", "status", "clause", "proposer", "base_version", "text", "reason", "note")


@mou.command(
    "position",
    help=_(
        "Record a party's position on a clause of the latest version: agree, concern or block. A block needs "
        "--reason (what would have to change for the party to consent) and stops agreement and signing until the "
        "party records a new position."
    ),
)
@click.argument("slug")
@click.option("--party", required=True, help=_("The party, as named in the memorandum."))
@click.option("--clause", "clause_key", required=True, help=_("The clause's key (see `mou show SLUG --format json`)."))
@click.option(
    "--stance", required=True, type=click.Choice([s.value for s in Stance]), help=_("agree, concern or block.")
)
@click.option("--reason", default="", help=_("Why (required for a block)."))
@click.option("--by", default="", help=_("Who records it (kept with the position)."))
@record_format_option()
@click.pass_context
def position(
    ctx: click.Context, slug: str, party: str, clause_key: str, stance: str, reason: str, by: str, fmt: str
) -> None:
    store = open_store(ctx, slug)
    made = record_position(store, party, clause_key, stance, reason, by)
    blocks = get_mou(store).blocks()
    lines = [
        _("Recorded: {party}, {stance} on '{clause}' (version {n}).").format(
            party=made.party, stance=stance_label(made.stance), clause=made.clause_key, n=made.version
        ),
        ngettext("{n} block is open.", "{n} blocks are open.", len(blocks)).format(n=len(blocks)),
    ]
    echo_record(fmt, made.to_dict() | {"id": made.id, "open_blocks": len(blocks)}, lines)


def proposal_row(view: Disclosure, a: Amendment) -> dict[str, Any] | None:
    """A proposal as the disclosure layer lets it be shown at the view's level; None when it is withheld."""
    why = view.why_withheld(a.sensitivity, a.participant_id)
    withdrawn = why is Withheld.NOT_RECORDED
    if why is not None and not withdrawn:
        return None
    hidden = withdrawn_marker()
    return {
        "id": a.id,
        "status": a.status.value,
        "clause": a.clause_key,
        "clause_title": a.clause_title,
        "proposer": view.proposer(a),
        "sensitivity": a.sensitivity.value,
        "base_version": a.base_version,
        "text": hidden if withdrawn else view.text(a.text),
        "reason": hidden if withdrawn else view.text(a.reason),
        "withdrawn": withdrawn,
        "created": a.created.isoformat(),
        "note": a.note,
        "decided_by": a.decided_by,
        "decided": a.decided.isoformat() if a.decided else None,
        "result_version": a.result_version,
    }


@mou.command(
    "proposals",
    help=_(
        "List the amendments participants proposed (pending ones by default), with who proposed each as their "
        "consent allows at --level."
    ),
)
@click.argument("slug")
@click.option(
    "--status",
    type=click.Choice([s.value for s in AmendmentStatus] + ["all"]),
    default=AmendmentStatus.PENDING.value,
    show_default=True,
    help=_("Only proposals in this state (all: every one)."),
)
@click.option(
    "--level",
    type=click.Choice([s.value for s in Sensitivity]),
    default=Sensitivity.RESTRICTED.value,
    show_default=True,
    help=_("Who will see the listing (restricted: the facilitators' own view)."),
)
@format_option("table", "csv", "json")
@click.pass_context
def proposals(ctx: click.Context, slug: str, status: str, level: str, fmt: str) -> None:
    store = open_store(ctx, slug)
    get_mou(store)  # a convening without a memorandum: one line that says how to start one
    view = Disclosure.open(store, level, Purpose.BOARD)
    wanted = None if status == "all" else AmendmentStatus(status)
    found = list_amendments(store, wanted)
    rows = [row for a in found if (row := proposal_row(view, a)) is not None]
    emit(rows, fmt, PROPOSAL_COLUMNS)
    left_out = len(found) - len(rows)
    if left_out and fmt != "json":
        click.echo(
            ngettext(
                "{n} proposal not listed: it may not be shown at level '{level}'.",
                "{n} proposals not listed: they may not be shown at level '{level}'.",
                left_out,
            ).format(n=left_out, level=level),
            err=True,
        )


def decision_row(a: Amendment) -> dict[str, Any]:
    return {
        "id": a.id,
        "status": a.status.value,
        "clause": a.clause_key,
        "note": a.note,
        "decided_by": a.decided_by,
        "result_version": a.result_version,
    }


@mou.command(
    "accept",
    help=_("Accept proposal ID: its text becomes a new version of the memorandum (a draft again)."),
)
@click.argument("slug")
@click.argument("amendment_id", metavar="ID", type=int)
@click.option("--note", default="", help=_("A note to the person who proposed it."))
@click.option("--by", required=True, help=_("Your name, recorded with the decision."))
@record_format_option()
@click.pass_context
def accept(ctx: click.Context, slug: str, amendment_id: int, note: str, by: str, fmt: str) -> None:
    done = accept_amendment(open_store(ctx, slug), amendment_id, by, note)
    echo_record(
        fmt,
        decision_row(done),
        [_("Proposal {id} accepted: saved as version {n}.").format(id=done.id, n=done.result_version)],
    )


@mou.command("decline", help=_("Decline proposal ID with a note the person who proposed it will read."))
@click.argument("slug")
@click.argument("amendment_id", metavar="ID", type=int)
@click.option("--note", required=True, help=_("Why: the person who proposed it reads this."))
@click.option("--by", required=True, help=_("Your name, recorded with the decision."))
@record_format_option()
@click.pass_context
def decline(ctx: click.Context, slug: str, amendment_id: int, note: str, by: str, fmt: str) -> None:
    done = decline_amendment(open_store(ctx, slug), amendment_id, by, note)
    echo_record(fmt, decision_row(done), [_("Proposal {id} declined.").format(id=done.id)])


@mou.command(
    "set-status",
    help=_(
        "Take one step: draft → proposed → agreed, or signed → under review → renewed | ended (back steps: "
        "proposed → draft, agreed → proposed). Nothing is agreed while a block is open; 'signed' comes from the "
        "parties' signatures."
    ),
)
@click.argument("slug")
@click.argument("status", metavar="STATUS")
@click.option("--by", required=True, help=_("Your name, recorded in the memorandum's history."))
@click.option("--note", default="", help=_("Why, for the history."))
@record_format_option()
@click.pass_context
def set_status_(ctx: click.Context, slug: str, status: str, by: str, note: str, fmt: str) -> None:
    record = set_status(open_store(ctx, slug), status, by, note)
    echo_record(
        fmt, record_row(record), [_("The memorandum is now: {s}.").format(s=status_label(record.status))]
    )


@mou.command(
    "sign",
    help=_(
        "Record a party's signature on the latest agreed version (the memorandum must be agreed, with no open "
        "block); when every party has signed it, the memorandum is signed."
    ),
)
@click.argument("slug")
@click.option("--party", required=True, help=_("The party signing, as named in the memorandum."))
@click.option("--by", "signatory", required=True, help=_("The signatory's name."))
@click.option("--role", required=True, help=_("The signatory's role in their group, e.g. coordinator."))
@click.option("--on", "signed_on", help=_("The day it was signed, YYYY-MM-DD (default: today)."))
@click.option(
    "--version",
    "number",
    type=int,
    help=_("The version signed (default: the agreed version; any other is refused)."),
)
@record_format_option()
@click.pass_context
def sign_(
    ctx: click.Context,
    slug: str,
    party: str,
    signatory: str,
    role: str,
    signed_on: str | None,
    number: int | None,
    fmt: str,
) -> None:
    store = open_store(ctx, slug)
    state = get_mou(store)
    version = number if number is not None else (state.record.agreed_version or state.latest.number)
    made = sign(store, party, signatory, role, v.iso_date("--on", signed_on), version)
    record = get_mou(store).record
    lines = [
        _("{party} signed version {n} ({who}, {role}).").format(
            party=made.party, n=made.version, who=made.signatory, role=made.role
        )
    ]
    if record.status is MouStatus.SIGNED and record.signed_version == made.version:
        lines.append(_("Every party has signed: version {n} is in force.").format(n=made.version))
    echo_record(fmt, made.to_dict() | {"id": made.id, "memorandum": record_row(record)}, lines)


@mou.command(
    "due",
    help=_("What is overdue or due soon: the review, consent re-evaluations, handovers of coordination, reports."),
)
@click.argument("slug")
@click.option("--today", help=_("Count from this day (YYYY-MM-DD) instead of today."))
@click.option(
    "--within",
    type=click.IntRange(min=1, max=3650),
    default=SOON_DAYS,
    show_default=True,
    help=_("Days ahead that count as due soon."),
)
@format_option("table", "csv", "json")
@click.pass_context
def due_(ctx: click.Context, slug: str, today: str | None, within: int, fmt: str) -> None:
    day = v.iso_date("--today", today) or v.now().date()
    items = due(open_store(ctx, slug), day, within)
    rows = [
        {"state": i.state.value, "on": i.on.isoformat(), "kind": i.kind, "what": i.what, "party": i.party}
        for i in items
    ]
    emit(rows, fmt, ("state", "on", "kind", "what", "party"))
