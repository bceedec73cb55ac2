"""Pieces shared by the record commands (convening, participant, session, notes).

``CommandGroup`` keeps every mistake on one line: click's own usage errors (a missing option, a bad choice, an
unknown command) and operating-system errors (an unwritable ``--home``) become ``Error: …`` and a
non-zero exit, like the LessonkitErrors the root group already turns into one line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

from lessonkit.cli.common import Command, format_option, workspace
from lessonkit.i18n import _
from lessonkit.services.convenings import open_convening
from lessonkit.store.base import Store

F = TypeVar("F", bound=Callable[..., Any])


class OneLineError(click.ClickException):
    """A usage mistake shown as one line (exit code 2, like click's own usage errors)."""

    exit_code = 2


class CommandGroup(click.Group):
    """A command group whose subcommands report usage and file-system mistakes on one line."""

    command_class = Command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise OneLineError(usage_message(exc)) from None
        except OSError as exc:
            raise click.ClickException(os_message(exc)) from None


def os_message(exc: OSError) -> str:
    """A file-system failure in one line, naming the file."""
    message = _("{where}: {reason}.").format(
        where=exc.filename or _("a workspace file"), reason=exc.strerror or exc
    )
    if isinstance(exc, (PermissionError, FileNotFoundError, NotADirectoryError)):
        message += " " + _("Check the folder given with --home or LESSONKIT_HOME.")
    return message


def usage_message(exc: click.UsageError) -> str:
    """Click's message plus where to read more, on one line."""
    message = " ".join(exc.format_message().split())
    if exc.ctx is None:
        return message
    return message + " " + _("See '{cmd} --help'.").format(cmd=exc.ctx.command_path)


def record_format_option() -> Callable[[F], F]:
    """``--format text|json`` for commands that print one record."""
    return format_option("text", "json", default="text")


def open_store(ctx: click.Context, slug: str) -> Store:
    """The store of an existing convening (a one-line error lists the ones there are), opened the one way."""
    return open_convening(slug, workspace(ctx))


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def echo_record(fmt: str, data: dict[str, Any], lines: Iterable[str]) -> None:
    """Print one record: its dict as JSON, or the given lines for a person."""
    if fmt == "json":
        echo_json(data)
        return
    for line in lines:
        click.echo(line)


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")
