"""``lessonkit participant add|list``: register people with their pseudonyms and consent (changing consent later:
:mod:`lessonkit.cli.consent`)."""

from __future__ import annotations

from typing import Any

import click

from lessonkit.cli.common import emit, format_option, main
from lessonkit.cli.helpers import CommandGroup, echo_record, open_store, record_format_option, yes_no
from lessonkit.domain.levels import Attribution, Sensitivity
from lessonkit.domain.records import Participant
from lessonkit.i18n import _
from lessonkit.services import add_participant, list_participants

LIST_COLUMNS = (
    "id",
    "name",
    "pseudonym",
    "organization",
    "join_code",
    "record",
    "attribution",
    "share_up_to",
    "review_date",
)


@main.group(cls=CommandGroup, help=_("Register participants and their consent; print join codes."))
def participant() -> None:
    pass


@participant.command(
    "add",
    help=_(
        "Register a participant and print their pseudonym and join code. The name stays inside the convening; "
        "outside it their words carry the pseudonym."
    ),
)
@click.argument("slug")
@click.option(
    "--name", required=True, help=_("The name you know the person by (it never goes out at network or public).")
)
@click.option(
    "--pseudonym",
    default="",
    help=_("The name their words carry outside the convening, as they choose (default: a made-up word pair)."),
)
@click.option("--organization", default="", help=_("Their group, only if they want it written down."))
@click.option(
    "--no-record",
    "no_record",
    is_flag=True,
    help=_("Consent: their words are NOT to be recorded (they can take part, but cannot submit notes)."),
)
@click.option(
    "--attribution",
    type=click.Choice([a.value for a in Attribution], case_sensitive=False),
    default=Attribution.PSEUDONYM.value,
    show_default=True,
    help=_("Consent: how their words may be credited."),
)
@click.option(
    "--share-up-to",
    "share_up_to",
    type=click.Choice([s.value for s in Sensitivity], case_sensitive=False),
    default=Sensitivity.CONVENING.value,
    show_default=True,
    help=_("Consent: the widest audience their notes may reach (public < network < convening < restricted)."),
)
@click.option("--review-date", help=_("Consent: when to check it with them again, as YYYY-MM-DD."))
@record_format_option()
@click.pass_context
def add(
    ctx: click.Context,
    slug: str,
    name: str,
    pseudonym: str,
    organization: str,
    no_record: bool,
    attribution: str,
    share_up_to: str,
    review_date: str | None,
    fmt: str,
) -> None:
    consent = {
        "record": not no_record,
        "attribution": attribution,
        "share_up_to": share_up_to,
        "review_date": review_date,
    }
    person = add_participant(open_store(ctx, slug), name, organization, consent, pseudonym)
    lines = [
        _("Registered '{name}' (participant {id}). Pseudonym: {pseudonym}. Join code: {code}").format(
            name=person.name, id=person.id, pseudonym=person.pseudonym, code=person.join_code
        ),
    ]
    if no_record:
        lines.append(_("Their consent says not to record: the participant form will refuse their notes."))
    echo_record(fmt, participant_row(person), lines)


@participant.command(
    "list", help=_("List participants with their join codes and consent (for printing cards).")
)
@click.argument("slug")
@format_option("table", "csv", "json")
@click.pass_context
def list_(ctx: click.Context, slug: str, fmt: str) -> None:
    rows = [participant_row(p) for p in list_participants(open_store(ctx, slug))]
    if fmt == "table":
        rows = [{**r, "record": yes_no(r["record"])} for r in rows]
    emit(rows, fmt, LIST_COLUMNS)


def participant_row(p: Participant) -> dict[str, Any]:
    c = p.consent
    return {
        "id": p.id,
        "name": p.name,
        "pseudonym": p.pseudonym,
        "organization": p.organization,
        "join_code": p.join_code,
        "record": c.record,
        "attribution": c.attribution.value,
        "share_up_to": c.share_up_to.value,
        "review_date": c.review_date.isoformat() if c.review_date else None,
    }
