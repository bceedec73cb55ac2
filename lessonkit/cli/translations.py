"""``lessonkit translations extract|init|update|compile|check``: the interface's message catalogues.

A network adding its language runs ``init`` (a ``.po`` from the template, with the language's plural rule),
translates it, and runs ``compile``; ``check`` says how much of the program a catalogue covers. With a pip-installed
lessonkit, keep catalogues in a folder of your own (``--locale-dir``) and list it in LESSONKIT_LOCALE_PATH.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from babel.messages.catalog import Catalog

from lessonkit.cli.common import emit, format_option, main
from lessonkit.cli.helpers import CommandGroup
from lessonkit.i18n import LOCALE_DIR, _, catalogs, language_name, ngettext

F = TypeVar("F", bound=Callable[..., Any])


def locale_dir_option() -> Callable[[F], F]:
    return click.option(  # type: ignore[return-value]
        "--locale-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=LOCALE_DIR,
        show_default=False,
        help=_("Folder of <lang>/LC_MESSAGES/lessonkit.po catalogues (default: the package's own)."),
    )


@main.group(cls=CommandGroup, help=_("Message catalogues: add a language, update, compile and check them."))
def translations() -> None:
    pass


def _template() -> Catalog:
    """The shipped template (lessonkit/locale/lessonkit.pot)."""
    return catalogs.read(catalogs.TEMPLATE)


def _chosen(langs: tuple[str, ...], locale_dir: Path) -> list[str]:
    found = catalogs.languages(locale_dir)
    unknown = [lang for lang in langs if lang not in found]
    if unknown:
        raise click.ClickException(
            _("No catalogue for {langs} in {folder}; there are: {found}.").format(
                langs=", ".join(unknown), folder=locale_dir, found=", ".join(found) or "-"
            )
        )
    return list(langs) or found


@translations.command("extract", help=_("Write the template lessonkit.pot from the code's messages (developers)."))
def extract() -> None:
    template = catalogs.extract()
    path = catalogs.write_template(template)
    count = len([m for m in template if m.id])
    wrote = ngettext("Wrote {path} ({n} message).", "Wrote {path} ({n} messages).", count)
    click.echo(wrote.format(path=path, n=count))


@translations.command("init", help=_("Start a catalogue for a new language from the template, e.g. `init sw`."))
@click.argument("lang")
@locale_dir_option()
def init(lang: str, locale_dir: Path) -> None:
    path = catalogs.init(lang, _template(), locale_dir)
    done = _("Wrote {path}: translate its msgstr lines, then run `lessonkit translations compile`.")
    click.echo(done.format(path=path))


@translations.command("update", help=_("Add the template's new messages to catalogues (all, or the LANGs given)."))
@click.argument("langs", nargs=-1)
@locale_dir_option()
def update(langs: tuple[str, ...], locale_dir: Path) -> None:
    template = _template()
    for lang in _chosen(langs, locale_dir):
        path = catalogs.po_path(lang, locale_dir)
        catalogs.update(path, template)
        click.echo(_("Updated {path}").format(path=path))


@translations.command("compile", help=_("Compile catalogues (all, or the LANGs given) so lessonkit uses them."))
@click.argument("langs", nargs=-1)
@locale_dir_option()
def compile_(langs: tuple[str, ...], locale_dir: Path) -> None:
    for lang in _chosen(langs, locale_dir):
        mo = catalogs.compile_po(catalogs.po_path(lang, locale_dir))
        click.echo(_("Compiled {path}").format(path=mo))


@translations.command(
    "check",
    help=_(
        "How much of a fresh extraction each catalogue translates, placeholders kept, compiled file current; "
        "exit code 1 when one falls short."
    ),
)
@click.argument("langs", nargs=-1)
@locale_dir_option()
@format_option("table", "json")
def check(langs: tuple[str, ...], locale_dir: Path, fmt: str) -> None:
    reports = catalogs.check(catalogs.extract(), locale_dir, _chosen(langs, locale_dir))
    rows = [
        {
            "lang": r.lang,
            "name": language_name(r.lang),
            "translated": r.translated,
            "total": r.total,
            "percent": round(100 * r.ratio, 1),
            "not_in_catalogue": len(r.not_in_catalogue),
            "placeholder_problems": len(r.placeholder_problems),
            "compiled_current": r.compiled_current,
            "ok": r.ok,
        }
        for r in reports
    ]
    emit(rows, fmt)
    if fmt != "json":
        for r in reports:
            for problem in r.placeholder_problems:
                click.echo(f"{r.lang}: {problem}", err=True)
            if r.not_in_catalogue:
                click.echo(
                    ngettext(
                        "{lang}: {n} message is not in the catalogue: run `lessonkit translations update`.",
                        "{lang}: {n} messages are not in the catalogue: run `lessonkit translations update`.",
                        len(r.not_in_catalogue),
                    ).format(lang=r.lang, n=len(r.not_in_catalogue)),
                    err=True,
                )
            if not r.compiled_current:
                click.echo(
                    _("{lang}: the compiled catalogue is out of date: run `lessonkit translations compile`.").format(
                        lang=r.lang
                    ),
                    err=True,
                )
    if not all(r.ok for r in reports):
        sys.exit(1)
