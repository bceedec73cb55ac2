"""Where the kit's own files are: the workbooks and the data folder of the project checkout."""

from __future__ import annotations

import os
from pathlib import Path

from lessonkit.errors import LessonkitError
from lessonkit.i18n import _

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _root() -> Path:
    env = os.environ.get("LESSONKIT_ROOT")
    return Path(env) if env else PROJECT_ROOT


def project_path(*parts: str) -> Path:
    """A path inside the lessonkit checkout (``workbooks/``, ``data/``); a clear error when it is missing."""
    path = _root().joinpath(*parts)
    if not path.exists():
        raise LessonkitError(
            _("{path} is missing. lessonkit runs from its project folder: install it with "
              "`pip install -e .` from a checkout, or set LESSONKIT_ROOT to that folder.").format(path=path)
        )
    return path


def data_path(*parts: str) -> Path:
    return project_path("data", *parts)


def workbooks_path(*parts: str) -> Path:
    return project_path("workbooks", *parts)


def participant_notebooks() -> Path:
    """The only folder the participant server serves."""
    return workbooks_path("participant")
