"""The ``lessonkit`` command. Each area registers its commands from its own module (see COMMAND_MODULES)."""

from __future__ import annotations

import importlib

from lessonkit.cli.common import main

# Each module registers its click group/commands on ``main`` when imported.
COMMAND_MODULES = [
    "lessonkit.cli.serve",
    "lessonkit.cli.convening",
    "lessonkit.cli.participant",
    "lessonkit.cli.session",
    "lessonkit.cli.notes",
    "lessonkit.cli.mou",
    "lessonkit.cli.library",
    "lessonkit.cli.library_sync",
    "lessonkit.cli.privacy",
    "lessonkit.cli.report",
    "lessonkit.cli.bundle",
]

for _name in COMMAND_MODULES:
    importlib.import_module(_name)

__all__ = ["main"]
