"""The command line's language: ``--lang xx``, else LESSONKIT_LANG, else the system locale (LC_ALL, LC_MESSAGES,
LANG), in that order.

Click builds help texts when the command modules are imported (``help=_("…")`` at module level), so the entry
point calls :func:`prepare` with ``sys.argv`` *before* importing them: the global ``--lang`` is read from the
arguments ahead of the command name. Click's own words ("Usage:", "Show this message and exit.", its error
messages) are looked up with gettext; :func:`translate_click` points them at lessonkit's catalogues, which hold
them (listed below with ``N_`` so that extraction finds them).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from lessonkit.i18n import N_, ngettext, resolve, set_language
from lessonkit.i18n import _ as translate

# Global options of `lessonkit` that take a value (the scan must skip their values).
_VALUE_OPTIONS = {"--home", "--lang"}
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")

CLICK_TEXTS = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Positional arguments"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("%(prog)s, version %(version)s"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("deprecated"),
    N_("Aborted!"),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Missing command."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Option {name!r} does not take a value."),
    N_("Argument {name!r} takes {nargs} values."),
    N_("Choose from:\n\t{choices}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} is not a valid UUID."),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("{name} {filename!r} is not executable."),
    N_("Could not open file {filename!r}: {message}"),
    N_("Do you want to continue?"),
    N_("Confirm the action without prompting."),
    N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."),
    N_("Error: invalid input"),
)


def click_plural_texts(n: int) -> tuple[str, ...]:
    """Click's messages with a count, translated for ``n`` (listed so that extraction finds them)."""
    return (
        ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", n),
        ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", n),
        ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", n),
        ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", n),
        ngettext("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given.", n),
        ngettext(
            "{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}.", n
        ),
        ngettext(
            "{len_type} values are required, but {len_value} was given.",
            "{len_type} values are required, but {len_value} were given.",
            n,
        ),
    )


def lang_argument(argv: Sequence[str]) -> str | None:
    """The value of the global ``--lang`` (``--lang es`` or ``--lang=es``) among the options before the command."""
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if arg == "--lang":
            return args[i + 1] if i + 1 < len(args) else None
        if arg == "--" or not arg.startswith("-"):
            return None
        i += 2 if arg in _VALUE_OPTIONS else 1
    return None


def prepare(argv: Sequence[str]) -> str:
    """Choose the process language from ``argv`` / the environment and translate click; returns the language."""
    wanted = lang_argument(argv)
    lang = set_language(resolve(wanted) if wanted else None)
    translate_click()
    return lang


def translate_click() -> None:
    """Click's own texts through lessonkit's catalogues, in the current language at the moment they are shown."""
    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = translate  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
