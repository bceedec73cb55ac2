"""``lessonkit session add|list|open|close``."""

from __future__ import annotations

from typing import Any

import click

from lessonkit.cli.common import emit, format_option, main
from lessonkit.cli.helpers import CommandGroup, echo_record, open_store, record_format_option, yes_no
from lessonkit.domain.records import Session
from lessonkit.i18n import _
from lessonkit.services import add_session, list_sessions, set_session_open

LIST_COLUMNS = ("id", "title", "kind", "open", "anonymous", "prompts")


@main.group(cls=CommandGroup, help=_("Add sessions, list them, open and close them for contributions."))
def session() -> None:
    pass


@session.command("add", help=_("Add a session (open for contributions unless --closed)."))
@click.argument("slug")
@click.option(
    "--title", required=True, help=_("Title shown to participants, e.g. 'Listening: what we need'.")
)
@click.option("--prompt", "prompts", multiple=True, help=_("A question put on screen; repeat for several."))
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
    title: str,
    prompts: tuple[str, ...],
    kind: str,
    anonymous: bool,
    closed: bool,
    fmt: str,
) -> None:
    made = add_session(
        open_store(ctx, slug), title, list(prompts), kind=kind, is_open=not closed, allow_anonymous=anonymous
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
            }
            for r in rows
        ]
    elif fmt == "csv":
        rows = [{**r, "prompts": "\n".join(r["prompts"])} for r in rows]
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
    return _("open") if s.is_open else _("closed")


def session_row(s: Session) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "kind": s.kind,
        "open": s.is_open,
        "anonymous": s.allow_anonymous,
        "prompts": list(s.prompts),
    }
