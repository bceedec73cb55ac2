"""Shared pieces of the command line: the root group, the workspace option, output formats, error handling."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import click

from lessonkit import __version__
from lessonkit.errors import LessonkitError
from lessonkit.i18n import _, available_languages, resolve, set_language
from lessonkit.store.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])


class BadArgument(click.ClickException):
    """An argument that cannot be used as typed, shown as one line (exit code 2, like a usage error)."""

    exit_code = 2


def _not_utf8(value: object) -> str | None:
    """``value`` (or the first string in it) shown readably when it holds bytes that were not UTF-8, else None.

    Python hands such command-line bytes over as lone surrogates (PEP 383); they cannot be stored or printed as text.
    """
    for item in value if isinstance(value, (list, tuple)) else (value,):
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return item.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return None


class Command(click.Command):
    """A command that refuses text arguments that are not valid UTF-8 in one line, before running.

    File and folder names are let through: on Linux a name may be any bytes, and it is only used to open the file."""

    def invoke(self, ctx: click.Context) -> Any:
        for param in self.params:
            if isinstance(param.type, (click.Path, click.File)):
                continue
            shown = _not_utf8(ctx.params.get(param.name or ""))
            if shown is not None:
                name = param.opts[0] if isinstance(param, click.Option) else (param.name or "").upper()
                raise BadArgument(
                    _("{param}: '{value}' is not valid UTF-8 text. Set the terminal to UTF-8 (for example "
                      "LANG=C.UTF-8) and type it again.").format(param=name, value=shown)
                )
        return super().invoke(ctx)


class _WarningsToStderr(logging.Handler):
    """Store warnings (a damaged journal line kept aside) as one ``Warning:`` line each on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(_("Warning: {msg}").format(msg=record.getMessage()), err=True)


class _Group(click.Group):
    """Turns every LessonkitError into a one-line message and exit code 1, never a traceback."""

    command_class = Command

    def invoke(self, ctx: click.Context) -> Any:
        store_log = logging.getLogger("lessonkit.store")
        if not any(isinstance(h, _WarningsToStderr) for h in store_log.handlers):
            store_log.addHandler(_WarningsToStderr(logging.WARNING))
        from lessonkit.cli.passphrase import ask
        from lessonkit.store import keyring

        keyring.set_asker(ask)  # a locked convening asks for its passphrase on the terminal, once per command
        try:
            return super().invoke(ctx)
        except LessonkitError as exc:
            click.echo(_("Error: {msg}").format(msg=exc), err=True)
            sys.exit(1)
        finally:
            keyring.set_asker(None)


def _set_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--lang: messages from here on in that language (the help texts were chosen before import, see cli/language)."""
    if value is None:
        return None
    lang = resolve(value)
    if lang is None:
        raise click.BadParameter(
            _("'{lang}' has no catalogue; choose one of: {langs}.").format(
                lang=value, langs=", ".join(available_languages())
            )
        )
    return set_language(lang)


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=_("lessonkit: listen, agree, adapt and carry on across convenings."),
)
@click.option(
    "--lang",
    metavar="LANG",
    is_eager=True,
    expose_value=False,
    callback=_set_lang,
    help=_("Language of messages and help, e.g. es (default: LESSONKIT_LANG, else the system locale)."),
)
@click.option(
    "--home",
    type=click.Path(file_okay=False),
    envvar="LESSONKIT_HOME",
    help=_("Workspace folder (default: LESSONKIT_HOME, else your user data folder)."),
)
@click.version_option(__version__, prog_name="lessonkit")
@click.pass_context
def main(ctx: click.Context, home: str | None) -> None:
    ctx.obj = {"home": home}


def workspace(ctx: click.Context) -> Workspace:
    """The workspace chosen by --home / LESSONKIT_HOME / the default."""
    root = ctx.find_root()
    home = (root.obj or {}).get("home")
    return Workspace(home)


def format_option(*choices: str, default: str = "table") -> Callable[[F], F]:
    """``--format`` with the given choices; every command that prints records offers json."""
    return click.option(  # type: ignore[return-value]
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help=_("Output format (json is stable, for scripts)."),
    )


def emit(rows: Sequence[dict[str, Any]], fmt: str, columns: Iterable[str] | None = None) -> None:
    """Print records as an aligned table, CSV or JSON."""
    cols = list(columns) if columns is not None else (list(rows[0].keys()) if rows else [])
    if fmt == "json":
        click.echo(json.dumps(list(rows), ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in cols})
        click.echo(buf.getvalue(), nl=False)
    else:
        if not rows:
            click.echo(_("(nothing)"))
            return
        cells = [[_cell(r.get(c)) for c in cols] for r in rows]
        widths = [min(60, max(len(c), *(len(row[i]) for row in cells))) for i, c in enumerate(cols)]
        click.echo("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip())
        for line in cells:
            click.echo("  ".join(_clip(v, w).ljust(w) for v, w in zip(line, widths, strict=True)).rstrip())


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _clip(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
