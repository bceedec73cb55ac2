"""``lessonkit notes add|import|list``: paper cards, CSV imports, listings that obey consent."""

from __future__ import annotations

import csv
from typing import Any

import click

from lessonkit.cli.common import emit, format_option, main
from lessonkit.cli.helpers import CommandGroup, echo_json, echo_record, open_store, record_format_option
from lessonkit.domain import rules
from lessonkit.domain.levels import Category, Sensitivity
from lessonkit.domain.records import Note, Participant
from lessonkit.errors import ValidationError
from lessonkit.export.tables import author_label, effective_level, participants_by_id
from lessonkit.i18n import _, ngettext
from lessonkit.services import (
    import_notes_csv,
    list_notes,
    participant_by_code,
    submit_note,
    translate_note,
)
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
    echo_record(
        fmt,
        note_row(note, participants_by_id(store)),
        [
            _("Added note {id} to session {session} ({level}).").format(
                id=note.id, session=note.session_id, level=note.sensitivity.value
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
        "List the notes of a convening. Authors are shown as their consent allows; join codes are "
        "never shown."
    ),
)
@click.argument("slug")
@click.option("--session", "session_id", type=int, help=_("Only the notes of this session id."))
@click.option("--include-hidden", is_flag=True, help=_("Also list notes hidden or merged by moderation."))
@format_option("table", "csv", "json")
@click.pass_context
def list_(ctx: click.Context, slug: str, session_id: int | None, include_hidden: bool, fmt: str) -> None:
    store = open_store(ctx, slug)
    people = participants_by_id(store)
    found = list_notes(store, session_id, include_hidden, respect_consent=False)
    shown = [n for n in found if _recordable(n, people)]
    rows = [note_row(n, people) for n in shown]
    if fmt == "table":
        emit(rows, fmt, HIDDEN_COLUMNS if include_hidden else TABLE_COLUMNS)
    else:
        if fmt == "csv":
            rows = [{**r, "translations": translations_cell(r["translations"])} for r in rows]
        emit(rows, fmt, FULL_COLUMNS)
    withheld = len(found) - len(shown)
    if withheld:
        click.echo(
            ngettext(
                "{n} note not listed: its author has withdrawn consent to being recorded.",
                "{n} notes not listed: their authors have withdrawn consent to being recorded.",
                withheld,
            ).format(n=withheld),
            err=True,
        )


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
    echo_record(
        fmt,
        note_row(note, participants_by_id(store)),
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
    return rules.effective_sensitivity(Sensitivity.CONVENING, author).value


def _recordable(note: Note, people: dict[int, Participant]) -> bool:
    """A note whose author has since said 'do not record' is not listed (withdrawal removes their words)."""
    return rules.still_consented(note, people.get(note.author_id) if note.author_id is not None else None)


def note_row(note: Note, people: dict[int, Participant]) -> dict[str, Any]:
    """A note for a listing: the stricter of its level and its author's consent; no join code or author id."""
    return {
        "id": note.id,
        "session": note.session_id,
        "category": note.category.value,
        "sensitivity": effective_level(note, people).value,
        "author": author_label(note, people),
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
