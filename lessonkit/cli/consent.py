"""``lessonkit participant consent|due|pseudonym`` and ``lessonkit convening exports|countries``.

Consent that its owner can change (every change kept with its time and who made it; widening needs the person's
confirmation), reviews that remind, pseudonyms, the export log ("what left this laptop, and whose words?") and the
countries whose phone numbers redaction looks for.
"""

from __future__ import annotations

from typing import Any

import click

from lessonkit.cli.common import emit, format_option
from lessonkit.cli.convening import convening
from lessonkit.cli.helpers import OneLineError, echo_record, open_store, record_format_option
from lessonkit.cli.participant import participant, participant_row
from lessonkit.domain.consent import direction_label
from lessonkit.domain.levels import Attribution, Sensitivity, attribution_name, level_name
from lessonkit.i18n import _, pgettext
from lessonkit.services.consent import change_consent, due_reviews
from lessonkit.services.convenings import set_countries
from lessonkit.services.export_log import list_exports
from lessonkit.services.participants import set_pseudonym

EXPORT_COLUMNS = ("at", "what", "level", "file", "included", "withheld", "redacted", "participant_ids")
DUE_COLUMNS = ("id", "name", "pseudonym", "review_date", "state")


@participant.command(
    "consent",
    help=_(
        "Change a participant's consent. Narrowing (not recording, crediting less, sharing less widely) takes effect "
        "at once everywhere. Widening needs the person's confirmation: --confirmed-by-participant. Every change is "
        "kept with its time and who made it."
    ),
)
@click.argument("slug")
@click.argument("code")
@click.option("--record/--no-record", "record", default=None, help=_("Whether their words may be recorded at all."))
@click.option(
    "--attribution",
    type=click.Choice([a.value for a in Attribution], case_sensitive=False),
    help=_("How their words are credited: named (inside the convening only), pseudonym or anonymous."),
)
@click.option(
    "--share-up-to",
    "share_up_to",
    type=click.Choice([s.value for s in Sensitivity], case_sensitive=False),
    help=_("The widest audience their words may reach (public < network < convening < restricted)."),
)
@click.option("--review-date", help=_("When to check it with them again, as YYYY-MM-DD ('' clears it)."))
@click.option(
    "--confirmed-by-participant",
    "confirmation",
    default="",
    metavar="NOTE",
    help=_("How the person confirmed a widening, e.g. \"said yes in person on 4 May\" (required to widen)."),
)
@click.option("--by", default="", help=_("Who makes the change (kept in the consent history)."))
@record_format_option()
@click.pass_context
def consent(
    ctx: click.Context,
    slug: str,
    code: str,
    record: bool | None,
    attribution: str | None,
    share_up_to: str | None,
    review_date: str | None,
    confirmation: str,
    by: str,
    fmt: str,
) -> None:
    changes: dict[str, Any] = {
        "record": record,
        "attribution": attribution,
        "share_up_to": share_up_to,
        "review_date": review_date,
    }
    if all(v is None for v in changes.values()):
        raise OneLineError(
            _("Say what to change: --record/--no-record, --attribution, --share-up-to or --review-date.")
        )
    done = change_consent(open_store(ctx, slug), code, changes, by=by, note=confirmation)
    row = participant_row(done.person)
    row.pop("join_code")
    if done.change is None:
        lines = [_("Nothing changed: participant {id}'s consent is already like this.").format(id=done.person.id)]
    else:
        row["change"] = done.change.direction.value
        recorded = done.person.consent.record
        lines = [
            _("Consent of participant {id} changed ({direction}): {record}, {attribution}, up to {level}.").format(
                id=done.person.id,
                direction=direction_label(done.change.direction),
                record=pgettext("consent", "record") if recorded else pgettext("consent", "do not record"),
                attribution=attribution_name(done.person.consent.attribution),
                level=level_name(done.person.consent.share_up_to),
            ),
            _("The board and every later report and export follow it; files made before are not changed."),
        ]
    echo_record(fmt, row, lines)


@participant.command(
    "due", help=_("List consents whose review date has passed or comes within a week (most urgent first).")
)
@click.argument("slug")
@format_option("table", "json")
@click.pass_context
def due(ctx: click.Context, slug: str, fmt: str) -> None:
    rows = [
        {
            "id": p.id,
            "name": p.name,
            "pseudonym": p.pseudonym,
            "review_date": p.consent.review_date.isoformat() if p.consent.review_date else None,
            "state": state,
        }
        for p, state in due_reviews(open_store(ctx, slug))
    ]
    emit(rows, fmt, DUE_COLUMNS)
    if fmt == "table" and any(r["state"] == "overdue" for r in rows):
        click.echo(
            _("Reports wider than 'convening' leave out the words of anyone whose review is overdue."), err=True
        )


@participant.command("pseudonym", help=_("Change the pseudonym a participant's words carry (their choice)."))
@click.argument("slug")
@click.argument("code")
@click.argument("pseudonym")
@record_format_option()
@click.pass_context
def pseudonym(ctx: click.Context, slug: str, code: str, pseudonym: str, fmt: str) -> None:
    person = set_pseudonym(open_store(ctx, slug), code, pseudonym)
    row = participant_row(person)
    row.pop("join_code")
    line = _("Participant {id} is now '{p}' outside the convening.").format(id=person.id, p=person.pseudonym)
    echo_record(fmt, row, [line])


@convening.command(
    "exports",
    help=_(
        "List what left this laptop: every report, data export, bundle and clone, with its level, time, file name, "
        "counts and the ids of the participants whose words went out."
    ),
)
@click.argument("slug")
@format_option("table", "json")
@click.pass_context
def exports(ctx: click.Context, slug: str, fmt: str) -> None:
    rows = []
    for r in list_exports(open_store(ctx, slug)):
        row = {**r.to_dict(), "id": r.id}
        row.pop("schema_version")
        rows.append(row)
    emit(rows, fmt, EXPORT_COLUMNS)


@convening.command(
    "countries",
    help=_(
        "Show or set the countries participants come from (two-letter codes, e.g. KE,PL,UA): redaction finds "
        "their national phone numbers."
    ),
)
@click.argument("slug")
@click.option("--set", "codes", metavar="CODES", help=_("The countries, comma-separated ('' clears them)."))
@record_format_option()
@click.pass_context
def countries(ctx: click.Context, slug: str, codes: str | None, fmt: str) -> None:
    from lessonkit.services import get_convening

    store = open_store(ctx, slug)
    made = set_countries(store, codes) if codes is not None else get_convening(store)
    listed = ", ".join(made.countries) or pgettext("empty list of countries", "none")
    echo_record(fmt, {"slug": slug, "countries": list(made.countries)}, [_("Countries: {c}").format(c=listed)])
