"""The ``lessonkit`` command. Each area registers its commands from its own module (see COMMAND_MODULES)."""

from __future__ import annotations

import importlib
import sys

from lessonkit.cli.language import prepare

# The language first: the command modules translate their help texts as they are imported.
prepare(sys.argv[1:])

from lessonkit.cli.common import main  # noqa: E402

# Each module registers its click group/commands on ``main`` when imported.
COMMAND_MODULES = [
    "lessonkit.cli.serve",
    "lessonkit.cli.convening",
    "lessonkit.cli.participant",
    "lessonkit.cli.session",
    "lessonkit.cli.agenda",
    "lessonkit.cli.notes",
    "lessonkit.cli.themes",
    "lessonkit.cli.vote",
    "lessonkit.cli.reflect",
    "lessonkit.cli.glossary",
    "lessonkit.cli.mou",
    "lessonkit.cli.mou_languages",
    "lessonkit.cli.mou_edit",
    "lessonkit.cli.mou_decide",
    "lessonkit.cli.library",
    "lessonkit.cli.library_sync",
    "lessonkit.cli.library_curate",
    "lessonkit.cli.library_brief",
    "lessonkit.cli.score",
    "lessonkit.cli.score_rounds",
    "lessonkit.cli.library_signals",
    "lessonkit.cli.privacy",
    "lessonkit.cli.consent",
    "lessonkit.cli.report",
    "lessonkit.cli.bundle",
    "lessonkit.cli.risk",
    "lessonkit.cli.ledger",
    "lessonkit.cli.crypt",
    "lessonkit.cli.translations",
]

for _name in COMMAND_MODULES:
    importlib.import_module(_name)

__all__ = ["main"]
