"""Every command of the click tree takes `--format json` (documented as stable), except the few listed below, each of
which prints no records or results: it runs a server, writes a document whose type --format already names, writes
JSON and nothing else, or maintains translation catalogues."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest

from lessonkit.cli import main

# command path -> why it takes no --format json. Keep this list short: a command that prints records or results
# (a listing, a created or changed record, a count, a score) takes --format json instead.
NO_JSON = {
    "serve": "runs the participant server until stopped; prints its links",
    "report": "writes report documents; its --format chooses pdf, html or md",
    "glossary export": "writes printable sheets; its --format chooses md, html or pdf",
    "library export": "its output is the library as JSON, always",
    "translations extract": "maintainers' tool: writes the message template",
    "translations init": "maintainers' tool: starts a catalogue file",
    "translations update": "maintainers' tool: merges the template into catalogue files",
    "translations compile": "maintainers' tool: compiles catalogue files",
}


def commands(group: click.Group = main, path: tuple[str, ...] = ()) -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield " ".join((*path, name)), command


def format_option(command: click.Command) -> click.Option | None:
    return next(
        (p for p in command.params if isinstance(p, click.Option) and "--format" in p.opts),
        None,
    )


def takes_json(option: click.Option | None) -> bool:
    if option is None:
        return False
    if isinstance(option.type, click.Choice):
        return "json" in option.type.choices
    return "json" in (option.metavar or "")


ALL = dict(commands())


def test_the_walk_finds_the_whole_tree() -> None:
    assert len(ALL) > 60
    for name in ("mou sign", "score round open", "score profile save", "library brief", "convening create"):
        assert name in ALL, name
    assert set(NO_JSON) <= set(ALL), sorted(set(NO_JSON) - set(ALL))


@pytest.mark.parametrize("name", sorted(ALL))
def test_each_command_takes_format_json_and_says_it_is_stable(name: str) -> None:
    option = format_option(ALL[name])
    if name in NO_JSON:
        assert not takes_json(option), f"{name} takes --format json: take it off the NO_JSON list"
        return
    assert takes_json(option), f"`lessonkit {name}` prints records or results but takes no --format json"
    assert option is not None and "json is stable" in (option.help or ""), f"{name}: say the JSON is stable"
