"""``lessonkit notes add|import|list``: paper cards, CSV imports, listings that obey consent."""

from __future__ import annotations

import csv
from typing import Any

import click

from lessonkit.cli.common import emit, format_option, main
from lessonkit.cli.helpers import CommandGroup, echo_json, echo_record, open_store, record_format_option
from lessonkit.domain.levels import Category, Sensitivity, level_name
from lessonkit.domain.records import Note
from lessonkit.errors import ValidationError
from lessonkit.i18n import _, ngettext
from lessonkit.services import (
    import_notes_csv,
    participant_by_code,
    submit_note,
    translate_note,
)
from lessonkit.services.disclosure import Disclosure, Purpose, ShownNote, Withheld
from lessonkit.store.base import Store

TABLE_COLUMNS = ("id", "session", "category", "sensitivity", "author", "tags", "language", "text")
HIDDEN_COLUMNS = (*TABLE_COLUMNS[:5], "moderation", "merged_into", *TABLE_COLUMNS[5:])
FULL_COLUMNS = (*TABLE_COLUMNS, "translations", "source", "moderation", "merged_into", "created", "updated")
CATEGORIES = ", ".join(c.value for c in Category)


@main.group(
    cls=CommandGroup, help=_("Type in paper cards, import them from CSV, list the notes of a convening.")
)
def notes() -> None:
    pass


@notes.command(
    "add", help=_("Type in a note written on a paper card (it may be added after the session closed).")
)
@click.argument("slug")
@click.option(
    "--session", "session_id", required=True, type=int, help=_("Id of the session (see `session list`).")
)
@click.option("--category", required=True, help=_("One of: {c}.").format(c=CATEGORIES))
@click.option("--text", required=True, help=_("The words on the card, as written."))
@click.option("--tags", default="", help=_("Comma-separated tags, e.g. housing,security."))
@click.option(
    "--sensitivity",
    type=click.Choice([s.value for s in Sensitivity], case_sensitive=False),
    help=_("How far the note may travel (default: convening, or stricter if the author's consent asks)."),
)
@click.option(
    "--code", "join_code", help=_("The author's join code from the card; leave out for an anonymous card.")
)
@click.option("--language", help=_("The language the card is written in, e.g. es."))
@record_format_option()
@click.pass_context
def add(
    ctx: click.Context,
    slug: str,
    session_id: int,
    category: str,
    text: str,
    tags: str,
    sensitivity: str | None,
    join_code: str | None,
    language: str | None,
    fmt: str,
) -> None:
    store = open_store(ctx, slug)
    level = sensitivity or _default_level(store, join_code)
    note = submit_note(store, session_id, category, text, tags, level, join_code, source="paper", language=language)
    view = Disclosure.open(store, Sensitivity.RESTRICTED, Purpose.BOARD)
    echo_record(
        fmt,
        note_row(ShownNote(note, view.credit(note.author_id), view.level_of(note.sensitivity, note.author_id))),
        [
            _("Added note {id} to session {session} ({level}).").format(
                id=note.id, session=note.session_id, level=level_name(note.sensitivity)
            ),
        ],
    )


@notes.command(
    "import",
    help=_(
        "Import paper cards from a CSV file (columns: session, category, text, tags, sensitivity, "
        "join_code). All or nothing: one bad row and nothing is imported."
    ),
)
@click.argument("slug")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False))
@record_format_option()
@click.pass_context
def import_(ctx: click.Context, slug: str, csv_file: str, fmt: str) -> None:
    store = open_store(ctx, slug)
    try:
        added = import_notes_csv(store, csv_file)
    except csv.Error as exc:
        raise ValidationError(
            csv_file, _("is not a readable CSV file ({e}). Nothing was imported.").format(e=exc)
        ) from None
    if fmt == "json":
        echo_json({"imported": len(added), "ids": [n.id for n in added]})
        return
    click.echo(
        ngettext("Imported {n} note into '{slug}'.", "Imported {n} notes into '{slug}'.", len(added)).format(
            n=len(added), slug=slug
        )
    )


@notes.command(
    "list",
    help=_(
        "List the notes of a convening that may be shown at --level (default: restricted, the facilitators' "
        "own view). Authors are shown as their consent allows at that level; join codes are never shown."
    ),
)
@click.argument("slug")
@click.option("--session", "session_id", type=int, help=_("Only the notes of this session id."))
@click.option("--include-hidden", is_flag=True, help=_("Also list notes hidden or merged by moderation."))
@click.option(
    "--level",
    type=click.Choice([s.value for s in Sensitivity]),
    default=Sensitivity.RESTRICTED.value,
    show_default=True,
    help=_("Who will see the listing: the same notes as the board, the reports and the exports at that level."),
)
@format_option("table", "csv", "json")
@click.pass_context
def list_(ctx: click.Context, slug: str, session_id: int | None, include_hidden: bool, level: str, fmt: str) -> None:
    store = open_store(ctx, slug)
    view = Disclosure.open(store, level, Purpose.BOARD)
    found = view.notes([session_id] if session_id is not None else None, include_hidden=include_hidden)
    rows = [note_row(s) for s in found.shown]
    if fmt == "table":
        emit(rows, fmt, HIDDEN_COLUMNS if include_hidden else TABLE_COLUMNS)
    else:
        if fmt == "csv":
            rows = [{**r, "translations": translations_cell(r["translations"])} for r in rows]
        emit(rows, fmt, FULL_COLUMNS)
    withdrawn = view.tally.reasons[Withheld.NOT_RECORDED]
    if withdrawn:
        click.echo(
            ngettext(
                "{n} note not listed: its author has withdrawn consent to being recorded.",
                "{n} notes not listed: their authors have withdrawn consent to being recorded.",
                withdrawn,
            ).format(n=withdrawn),
            err=True,
        )
    other = found.withheld - withdrawn
    if other:
        click.echo(
            ngettext(
                "{n} note not listed: it may not be shown at level '{level}'.",
                "{n} notes not listed: they may not be shown at level '{level}'.",
                other,
            ).format(n=other, level=level),
            err=True,
        )
    for line in view.notices():
        click.echo(line, err=True)


@notes.command(
    "translate",
    help=_(
        "Add a person's translation of a note, shown beside the original (which never changes); who translated it "
        "and when are recorded. No machine translation."
    ),
)
@click.argument("slug")
@click.argument("note_id", metavar="ID", type=int)
@click.option("--lang", "language", required=True, help=_("The language of the translation, e.g. en."))
@click.option("--text", required=True, help=_("The translation."))
@click.option("--by", required=True, help=_("Who translated it (a facilitator or an interpreter)."))
@record_format_option()
@click.pass_context
def translate(ctx: click.Context, slug: str, note_id: int, language: str, text: str, by: str, fmt: str) -> None:
    store = open_store(ctx, slug)
    note = translate_note(store, note_id, language, text, by)
    view = Disclosure.open(store, Sensitivity.RESTRICTED, Purpose.BOARD)
    echo_record(
        fmt,
        note_row(ShownNote(note, view.credit(note.author_id), view.level_of(note.sensitivity, note.author_id))),
        [
            _("Saved the '{lang}' translation of note {id} beside the original.").format(
                lang=note.translations[-1].language, id=note.id
            )
        ],
    )


def translations_cell(translations: list[dict[str, Any]]) -> str:
    """A note's translations in one CSV cell: "es: … (by Ana) | ar: …"."""
    return " | ".join(
        _("{lang}: {text} (by {who})").format(lang=t["language"], text=t["text"], who=t["by"]) for t in translations
    )


def _default_level(store: Store, join_code: str | None) -> str:
    """'convening', or the author's consent level when that is stricter."""
    author = participant_by_code(store, join_code) if join_code else None
    view = Disclosure.open(store, Sensitivity.RESTRICTED, Purpose.BOARD)
    return view.level_of(Sensitivity.CONVENING, author.id if author else None).value


def note_row(shown: ShownNote) -> dict[str, Any]:
    """A note for a listing, as the disclosure layer shows it; no join code or author id."""
    note: Note = shown.note
    return {
        "id": note.id,
        "session": note.session_id,
        "category": note.category.value,
        "sensitivity": shown.level.value,
        "author": shown.author,
        "tags": list(note.tags),
        "text": note.text,
        "language": note.language,
        "translations": [t.to_dict() for t in note.translations],
        "source": note.source,
        "moderation": note.moderation.value,
        "merged_into": note.merged_into,
        "created": note.created.isoformat(),
        "updated": note.updated.isoformat() if note.updated else None,
    }
