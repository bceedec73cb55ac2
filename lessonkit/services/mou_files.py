"""A memorandum's clauses written in a file, to save as a new version from a script or a terminal.

The file is JSON: either what ``lessonkit mou show SLUG --format json`` prints (an object whose ``clauses`` are
edited, and whose ``version`` says which version the edit started from), or an object
``{"base_version": N, "clauses": [...]}``, or a bare list of clauses (then the base version is given apart, e.g.
``--base N``). The base version is what makes a save safe: if someone saved a newer version since, nothing is saved
(:func:`lessonkit.services.mou.save_version`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessonkit.domain.mou import Clause, MouVersion
from lessonkit.errors import ValidationError
from lessonkit.i18n import _
from lessonkit.services.library_io import read_json
from lessonkit.services.mou import save_version
from lessonkit.store.base import Store


@dataclass(frozen=True)
class ClausesFile:
    clauses: list[dict[str, Any]]
    base_version: int | None  # the version the file was based on, when the file says


def _version(path: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(path, _("'base_version' must be a version number (1, 2, …)."))
    return value


def read_clauses_file(path: str | Path) -> ClausesFile:
    """The clauses in the file and the version it says it was based on; a clear error for any other shape."""
    data = read_json(path)
    where = str(path)
    if isinstance(data, list):
        clauses, base = data, None
    elif isinstance(data, dict) and isinstance(data.get("clauses"), list):
        clauses = data["clauses"]
        base = _version(where, data.get("base_version", data.get("version")))
    else:
        raise ValidationError(
            where,
            _(
                "expected a list of clauses, or an object with 'clauses' (and 'base_version'), such as "
                "`lessonkit mou show SLUG --format json` prints."
            ),
        )
    if not all(isinstance(c, dict) for c in clauses):
        raise ValidationError(where, _("each clause must be a JSON object with a key, a title and a text."))
    return ClausesFile(list(clauses), base)


def choose_base(file_base: int | None, given: int | None) -> int:
    """The base version of a save: the one given, else the file's; both given and different is an error."""
    if given is not None and file_base is not None and given != file_base:
        raise ValidationError(
            "base",
            _("the file says it was based on version {f}, but version {g} was given: which one did you edit?").format(
                f=file_base, g=given
            ),
        )
    base = given if given is not None else file_base
    if base is None:
        raise ValidationError(
            "base",
            _(
                "say which version your clauses were based on (--base N, or the 'version' that "
                "`lessonkit mou show SLUG --format json` wrote into the file), so a newer version is never "
                "overwritten."
            ),
        )
    return base


def save_from_file(
    store: Store, path: str | Path, author: str, summary: str, base: int | None = None
) -> MouVersion:
    """Save the clauses of a file as a new version, refusing a stale base version (nothing is saved then)."""
    found = read_clauses_file(path)
    based_on = choose_base(found.base_version, base)
    clauses: list[Clause | dict[str, Any]] = list(found.clauses)
    return save_version(store, clauses, author, summary, based_on=based_on)
