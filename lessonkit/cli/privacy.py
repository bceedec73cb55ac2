"""``lessonkit participant withdraw`` and ``lessonkit convening redact-terms``: consent withdrawal and the list of
extra terms that every report and data export redacts."""

from __future__ import annotations

import click

from lessonkit.cli.convening import convening
from lessonkit.cli.helpers import echo_record, open_store, record_format_option
from lessonkit.cli.participant import participant
from lessonkit.i18n import _, ngettext
from lessonkit.services.participants import participant_by_code
from lessonkit.services.redact_terms import add_terms, list_terms, remove_terms
from lessonkit.services.withdraw import withdraw_participant


@participant.command(
    "withdraw",
    help=_(
        "Consent withdrawn: remove everything this person said (notes, proposal texts, reasons, ratings) from "
        "the convening, set their consent to 'do not record', and keep an audit line without their words."
    ),
)
@click.argument("slug")
@click.argument("code")
@click.option("--by", default="", help=_("Who records the withdrawal (kept in the audit line)."))
@click.option("--yes", "-y", "yes", is_flag=True, help=_("Do not ask for confirmation."))
@record_format_option()
@click.pass_context
def withdraw(ctx: click.Context, slug: str, code: str, by: str, yes: bool, fmt: str) -> None:
    store = open_store(ctx, slug)
    person = participant_by_code(store, code)
    if not yes:
        click.confirm(
            _("Remove every word of '{name}' ({code}) from '{slug}'? This cannot be undone.").format(
                name=person.name, code=person.join_code, slug=slug
            ),
            abort=True,
        )
    result = withdraw_participant(store, code, by=by)
    c = result.counts()
    lines = [
        _(
            "Consent withdrawn for participant {id}. Removed: notes {notes}, ratings {ratings}. Cleared: "
            "proposals {proposals}, reasons for positions {positions}. Their consent now says 'do not record'."
        ).format(id=result.participant_id, **c)
    ]
    if c["risks"] or c["ledger"]:
        lines.append(
            _(
                "Their words are gone from the register's risks ({risks}) and from the evidence of ledger lines "
                "({ledger}); every number of the ledger stays."
            ).format(**c)
        )
    if c["reflections"]:
        lines.append(
            ngettext(
                "Removed {n} after-action reflection.", "Removed {n} after-action reflections.", c["reflections"]
            ).format(n=c["reflections"])
        )
    lines.append(
        _(
            "Reports, data exports and bundles made from now on hold none of their words; copies made before "
            "(files you shared, older bundles) must be deleted by hand."
        )
    )
    echo_record(fmt, {"participant_id": result.participant_id, "removed": c}, lines)


@convening.command(
    "redact-terms",
    help=_(
        "Show or change the extra terms (places, organisations) that every report and data export redacts, "
        "besides participants' names, join codes, e-mails and phone numbers."
    ),
)
@click.argument("slug")
@click.option("--add", "add", multiple=True, metavar="TERM", help=_("Add a term (repeat for several)."))
@click.option("--remove", "remove", multiple=True, metavar="TERM", help=_("Remove a term (repeat for several)."))
@record_format_option()
@click.pass_context
def redact_terms(ctx: click.Context, slug: str, add: tuple[str, ...], remove: tuple[str, ...], fmt: str) -> None:
    store = open_store(ctx, slug)
    terms = list_terms(store)
    if add:
        terms = add_terms(store, add)
    if remove:
        terms = remove_terms(store, remove)
    lines = [_("Extra terms redacted in '{slug}':").format(slug=slug)]
    lines += [f"  {t}" for t in terms] or ["  " + _("(none yet: add one with --add TERM)")]
    echo_record(fmt, {"slug": slug, "terms": terms}, lines)
