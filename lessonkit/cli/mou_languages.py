"""``lessonkit mou translate|translations|authoritative``: the memorandum's parallel texts from the command line."""

from __future__ import annotations

from typing import Any

import click

from lessonkit.cli.common import emit, format_option
from lessonkit.cli.helpers import echo_record, open_store, record_format_option
from lessonkit.cli.mou import mou, parallel_row
from lessonkit.domain.language import language_tag
from lessonkit.domain.mou_translation import state_label
from lessonkit.i18n import _
from lessonkit.services.mou import get_mou
from lessonkit.services.mou_translations import make_authoritative, translate_clause


@mou.command(
    "translate",
    help=_(
        "Add a translation of one clause of the latest version (kept beside the authoritative text, which is the "
        "one signed)."
    ),
)
@click.argument("slug")
@click.option("--lang", "language", required=True, help=_("Language of the translation, e.g. es."))
@click.option(
    "--clause", "clause_key", required=True, help=_("Key of the clause (see `lessonkit mou translations SLUG`).")
)
@click.option("--title", required=True, help=_("The clause's title in that language."))
@click.option("--text", required=True, help=_("The clause's text in that language."))
@click.option("--by", required=True, help=_("Who translated it (recorded with it)."))
@record_format_option()
@click.pass_context
def translate(
    ctx: click.Context, slug: str, language: str, clause_key: str, title: str, text: str, by: str, fmt: str
) -> None:
    made = translate_clause(open_store(ctx, slug), clause_key, language, title, text, by)
    echo_record(
        fmt,
        made.to_dict() | {"id": made.id},
        [
            _("Saved the '{lang}' translation of clause '{key}' (of version {v}).").format(
                lang=made.language, key=made.clause_key, v=made.based_on
            )
        ],
    )


@mou.command(
    "translations",
    help=_("Each clause's translations: up to date, out of date (the authoritative text changed since), or missing."),
)
@click.argument("slug")
@click.option("--lang", "language", help=_("Only this language (default: every language with a translation)."))
@click.option("--version", "number", type=int, help=_("Version number (default: the latest)."))
@format_option("table", "csv", "json")
@click.pass_context
def translations(ctx: click.Context, slug: str, language: str | None, number: int | None, fmt: str) -> None:
    state = get_mou(open_store(ctx, slug))
    languages = [language_tag("--lang", language)] if language else state.translation_languages()
    rows: list[dict[str, Any]] = []
    for lang in languages:
        for p in state.parallel(lang, number):
            row = parallel_row(p)
            rows.append(row if fmt == "json" else {**row, "state": state_label(p.state)})
    emit(rows, fmt, ("language", "key", "state", "based_on", "source_changed_in", "by", "title"))
    if not languages and fmt != "json":
        click.echo(_("No translations yet: add one with `lessonkit mou translate`."), err=True)


@mou.command(
    "authoritative",
    help=_(
        "The parties chose another authoritative language: its translations become the clauses of a new version "
        "(a draft to agree and sign again); every clause needs an up-to-date translation first."
    ),
)
@click.argument("slug")
@click.option("--lang", "language", required=True, help=_("The new authoritative language, e.g. es."))
@click.option("--by", required=True, help=_("Your name, recorded with the new version."))
@record_format_option()
@click.pass_context
def authoritative(ctx: click.Context, slug: str, language: str, by: str, fmt: str) -> None:
    store = open_store(ctx, slug)
    number = make_authoritative(store, language, by)
    lang = language_tag("--lang", language)
    echo_record(
        fmt,
        {"version": number, "language": lang, "status": get_mou(store).record.status.value},
        [_("Version {n} is the memorandum in '{lang}', now the authoritative language (a draft).").format(
            n=number, lang=lang
        )],
    )
