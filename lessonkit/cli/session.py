"""``lessonkit session add|list|open|close``."""

from __future__ import annotations

from typing import Any

import click

from lessonkit.cli.common import emit, format_option, main
from lessonkit.cli.helpers import CommandGroup, echo_record, open_store, record_format_option, yes_no
from lessonkit.domain.language import language_tag, split_prefixed
from lessonkit.domain.records import Session
from lessonkit.errors import ValidationError
from lessonkit.i18n import _, pgettext
from lessonkit.services import add_session, get_convening, list_sessions, set_session_open, translate_session

LIST_COLUMNS = ("id", "title", "kind", "open", "anonymous", "prompts", "languages")


@main.group(cls=CommandGroup, help=_("Add sessions, list them, open and close them for contributions."))
def session() -> None:
    pass


@session.command("add", help=_("Add a session (open for contributions unless --closed)."))
@click.argument("slug")
@click.option(
    "--title",
    "titles",
    required=True,
    multiple=True,
    help=_(
        "Title shown to participants, e.g. 'Listening: what we need'. Add it in another of the convening's "
        "languages as LANG:TEXT, e.g. --title 'es:Escucha: lo que necesitamos'."
    ),
)
@click.option(
    "--prompt",
    "prompts",
    multiple=True,
    help=_(
        "A question put on screen; repeat for several. LANG:TEXT gives a prompt in another language, in the same "
        "order as the original prompts (e.g. --prompt 'es:¿Qué necesita tu comunidad?')."
    ),
)
@click.option(
    "--language",
    help=_("Language the title and prompts without a LANG: prefix are written in (default: the convening's first)."),
)
@click.option("--kind", default="listening", show_default=True, help=_("What kind of session this is."))
@click.option(
    "--anonymous", is_flag=True, help=_("Accept notes without a join code (anonymous contributions).")
)
@click.option(
    "--closed", is_flag=True, help=_("Create it closed; open it later with `lessonkit session open`.")
)
@record_format_option()
@click.pass_context
def add(
    ctx: click.Context,
    slug: str,
    titles: tuple[str, ...],
    prompts: tuple[str, ...],
    language: str | None,
    kind: str,
    anonymous: bool,
    closed: bool,
    fmt: str,
) -> None:
    store = open_store(ctx, slug)
    languages = get_convening(store).languages
    original = language_tag("--language", language) if language else languages[0]
    title, translations = split_texts(titles, prompts, original, languages)
    made = add_session(
        store,
        title,
        translations.pop(original)["prompts"],
        translations,
        kind=kind,
        is_open=not closed,
        allow_anonymous=anonymous,
        language=original,
    )
    echo_record(
        fmt,
        session_row(made),
        [
            _("Added session {id}: {title} ({state}).").format(
                id=made.id, title=made.title, state=_state(made)
            ),
        ],
    )


def split_texts(
    titles: tuple[str, ...], prompts: tuple[str, ...], original: str, languages: tuple[str, ...]
) -> tuple[str, dict[str, dict[str, Any]]]:
    """The original title, and per language (the original included) a title and prompts, from LANG:TEXT values."""
    known = tuple(dict.fromkeys([*languages, original]))
    texts: dict[str, dict[str, Any]] = {original: {"title": "", "prompts": []}}
    for value in titles:
        lang, text = split_prefixed(value, known)
        slot = texts.setdefault(lang or original, {"title": "", "prompts": []})
        if slot["title"]:
            raise ValidationError(
                "--title", _("two titles in '{lang}': give one title per language.").format(lang=lang or original)
            )
        slot["title"] = text
    for value in prompts:
        lang, text = split_prefixed(value, known)
        texts.setdefault(lang or original, {"title": "", "prompts": []})["prompts"].append(text)
    title = texts[original]["title"]
    if not title:
        raise ValidationError(
            "--title", _("give the title in {lang}, the original language (without a prefix).").format(lang=original)
        )
    return title, texts


@session.command(
    "translate",
    help=_(
        "Add a session's title and prompts in another of the convening's languages (prompts in the original's "
        "order; one left out keeps the original there)."
    ),
)
@click.argument("slug")
@click.argument("session_id", metavar="ID", type=int)
@click.option("--lang", "language", required=True, help=_("The language, e.g. es."))
@click.option("--title", default="", help=_("The title in that language."))
@click.option(
    "--prompt", "prompts", multiple=True, help=_("A prompt in that language; repeat, in the original's order.")
)
@record_format_option()
@click.pass_context
def translate(
    ctx: click.Context, slug: str, session_id: int, language: str, title: str, prompts: tuple[str, ...], fmt: str
) -> None:
    changed = translate_session(open_store(ctx, slug), session_id, language, title, list(prompts))
    echo_record(
        fmt,
        session_row(changed),
        [
            _("Session {id} is now in: {languages}.").format(
                id=changed.id, languages=", ".join(changed.languages())
            ),
        ],
    )


@session.command("list", help=_("List the sessions of a convening."))
@click.argument("slug")
@format_option("table", "csv", "json")
@click.pass_context
def list_(ctx: click.Context, slug: str, fmt: str) -> None:
    rows = [session_row(s) for s in list_sessions(open_store(ctx, slug))]
    if fmt == "table":
        rows = [
            {
                **r,
                "open": yes_no(r["open"]),
                "anonymous": yes_no(r["anonymous"]),
                "prompts": " | ".join(r["prompts"]),
                "languages": ", ".join(r["languages"]),
            }
            for r in rows
        ]
    elif fmt == "csv":
        rows = [{**r, "prompts": "\n".join(r["prompts"]), "languages": ",".join(r["languages"])} for r in rows]
    emit(rows, fmt, LIST_COLUMNS)


def _set_open(ctx: click.Context, slug: str, session_id: int, is_open: bool, fmt: str) -> None:
    changed = set_session_open(open_store(ctx, slug), session_id, is_open)
    echo_record(
        fmt,
        session_row(changed),
        [
            _("Session {id} ({title}) is now {state}.").format(
                id=changed.id, title=changed.title, state=_state(changed)
            ),
        ],
    )


@session.command("open", help=_("Open a session: participants can submit notes to it."))
@click.argument("slug")
@click.argument("session_id", metavar="ID", type=int)
@record_format_option()
@click.pass_context
def open_(ctx: click.Context, slug: str, session_id: int, fmt: str) -> None:
    _set_open(ctx, slug, session_id, True, fmt)


@session.command("close", help=_("Close a session: the participant form stops taking notes for it."))
@click.argument("slug")
@click.argument("session_id", metavar="ID", type=int)
@record_format_option()
@click.pass_context
def close(ctx: click.Context, slug: str, session_id: int, fmt: str) -> None:
    _set_open(ctx, slug, session_id, False, fmt)


def _state(s: Session) -> str:
    return pgettext("session state", "open") if s.is_open else pgettext("session state", "closed")


def session_row(s: Session) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "kind": s.kind,
        "open": s.is_open,
        "anonymous": s.allow_anonymous,
        "prompts": list(s.prompts),
        "language": s.language,
        "languages": list(s.languages()),
        "translations": {t.language: t.to_dict() for t in s.translations},
    }
