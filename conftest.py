"""Loaded for every pytest run (tests and workbooks alike): a fresh workspace holding the demo convening.

Workbooks run by nbval read LESSONKIT_HOME and their `parameters` default `convening = "demo"`; so do the CLI
subprocesses. Nothing touches the user's real workspace.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Tests read English whatever the developer's system locale; a test that wants a language chooses it.
os.environ["LESSONKIT_LANG"] = "en"
_CREATED: list[Path] = []


def pytest_configure(config: pytest.Config) -> None:
    # One workspace per test process: the main process, and each pytest-xdist worker its own (a worker inherits the
    # main process's environment, so it would otherwise share the main process's workspace with the other worker).
    # Subprocesses of a test (CLI, kernels) inherit the marker and use the workspace of the process that started them.
    me = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if os.environ.get("LESSONKIT_TEST_HOME_READY") == me:
        return
    from lessonkit.resources import data_path
    from lessonkit.services import load_demo
    from lessonkit.store import Workspace

    home = Path(tempfile.mkdtemp(prefix="lessonkit-test-home-"))
    load_demo(Workspace(home), data_path("demo", "convening.json"))
    _CREATED.append(home)
    os.environ["LESSONKIT_HOME"] = str(home)
    os.environ["LESSONKIT_CONVENING"] = "demo"
    os.environ["LESSONKIT_TEST_HOME_READY"] = me
    os.environ.pop("QUERY_STRING", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    """The run leaves nothing in the temp folder: remove the workspace this process created (not a parent's)."""
    while _CREATED:
        shutil.rmtree(_CREATED.pop(), ignore_errors=True)
