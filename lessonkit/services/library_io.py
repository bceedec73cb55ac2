"""Import modules into the library (all in one transaction) and export it as lessonkit's own JSON format.

Re-importing updates rather than duplicates (modules are matched by slug); a module changed here since it was
imported is skipped with a reason, never silently overwritten (unless ``overwrite`` is asked for).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.levels import Sensitivity, parse_enum
from lessonkit.domain.library import Module, Origin, content_hash, edited_since_import
from lessonkit.domain.library_review import can_endorse
from lessonkit.domain.modules import ReviewStatus
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.library import TABLE, list_modules
from lessonkit.store.base import Store

FORMAT = "lessonkit-library"
FORMAT_VERSION = 1
Progress = Callable[[int], None]


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (item, reason)
    unresolved: dict[str, list[str]] = field(default_factory=dict)  # module -> related names not found

    @property
    def unresolved_names(self) -> list[str]:
        return sorted({name for names in self.unresolved.values() for name in names})

    def summary(self) -> dict[str, int]:
        return {
            "imported": len(self.imported),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "skipped": len(self.skipped),
            "unresolved links": sum(len(x) for x in self.unresolved.values()),
        }


def read_json(path: str | Path) -> Any:
    """The parsed file, or a clear error naming it."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationError(str(path), _("no such file: check the path.")) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(str(path), _("cannot read this file as JSON: {e}").format(e=exc)) from None


def store_modules(
    store: Store,
    modules: Sequence[Module],
    report: ImportReport,
    *,
    fmt: str,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Insert or update ``modules`` by slug in ONE transaction: the library is never left half-written."""
    with store.transaction() as tx:
        existing = {d["slug"]: d for d in tx.all(TABLE)}
        for module in modules:
            try:
                outcome, doc_id, doc = _plan(existing.get(module.slug), module, fmt, overwrite)
            except _Skip as skip:
                report.skipped.append((module.slug, str(skip)))
            else:
                getattr(report, outcome).append(module.slug)
                if outcome == "imported":
                    existing[module.slug] = {**doc, "id": tx.insert(TABLE, doc)}
                elif outcome == "updated":
                    tx.update(TABLE, doc_id, doc)  # type: ignore[arg-type]
            if progress:
                progress(1)
    return report


class _Skip(Exception):
    """An item left out of an import, with the reason."""


def _plan(
    old_doc: dict[str, Any] | None, new: Module, fmt: str, overwrite: bool
) -> tuple[str, int | None, dict]:
    digest = content_hash(new)
    new = replace(new, origin=Origin(fmt, new.origin.external_id or new.slug, digest), id=None)
    if new.status is ReviewStatus.ENDORSED and not can_endorse(new):
        raise _Skip(_("marked endorsed without endorsements from two organisations other than the authors'"))
    if old_doc is None:
        return "imported", None, replace(new, updated=new.updated or v.now()).to_dict()
    old = Module.from_dict(old_doc)
    if not overwrite and not old.origin.imported_hash:
        raise _Skip(
            _(
                "a module with this name was written here, not imported: rename one of them, "
                "or import with --overwrite to replace it"
            )
        )
    if not overwrite and edited_since_import(old):
        raise _Skip(
            _("edited here since the last import: kept your version (import with --overwrite to replace it)")
        )
    if content_hash(old) == digest and old.origin.imported_hash == digest:
        return "unchanged", old.id, {}
    merged = replace(
        new,
        status=old.status,
        reviews=old.reviews,
        share=old.share,  # a level chosen here (e.g. withdrawn to local) survives a re-import
        source_profile=old.source_profile or new.source_profile,
        updated=v.now(),
    )
    return "updated", old.id, merged.to_dict()


def detect_library_format(data: Any) -> str:
    """``beautiful-trouble`` for a toolbox file (an object with a list 'items'), else ``json`` (lessonkit's own,
    whose importer says clearly what it expected)."""
    return "beautiful-trouble" if isinstance(data, dict) and isinstance(data.get("items"), list) else "json"


def parse_library_json(data: Any) -> tuple[list[Module], list[tuple[str, str]]]:
    """Modules from lessonkit's own format: ``{"format": "lessonkit-library", "modules": [...]}``."""
    items = data.get("modules") if isinstance(data, dict) else data
    if isinstance(data, dict) and data.get("format") not in (None, FORMAT):
        raise ValidationError(
            "format",
            _(
                "this file is '{f}', not a lessonkit library: for the Beautiful Trouble "
                "toolbox use --from beautiful-trouble."
            ).format(f=data.get("format")),
        )
    if not isinstance(items, list):
        raise ValidationError(
            "modules",
            _(
                "expected a lessonkit library: an object with a list 'modules' "
                "(as written by `lessonkit library export`)."
            ),
        )
    modules: list[Module] = []
    skipped: list[tuple[str, str]] = []
    for i, item in enumerate(items):
        label = str(item.get("slug") or f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
        try:
            modules.append(Module.from_dict({k: val for k, val in item.items() if k != "id"}))
        except (LessonkitError, AttributeError) as exc:
            skipped.append((label, str(exc)))
    return modules, skipped


def import_library_json(
    store: Store,
    path: str | Path,
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> ImportReport:
    modules, skipped = parse_library_json(read_json(path))
    if on_total:
        on_total(len(modules))
    report = ImportReport(skipped=list(skipped))
    return store_modules(store, modules, report, fmt="json", overwrite=overwrite, progress=progress)


def export_library(
    store: Store, *, up_to: Sensitivity | str = Sensitivity.NETWORK, statuses: Iterable[str] | None = None
) -> dict[str, Any]:
    """The library as lessonkit JSON: only modules that may travel as widely as ``up_to``."""
    level = parse_enum(Sensitivity, "up_to", up_to)
    wanted = {parse_enum(ReviewStatus, "status", s) for s in statuses} if statuses else None
    modules = [
        m
        for m in list_modules(store)
        if m.sensitivity.rank <= level.rank  # type: ignore[attr-defined]
        and (wanted is None or m.status in wanted)
    ]
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "shared_up_to": level.value,  # type: ignore[attr-defined]
        "modules": [m.to_dict() for m in modules],
    }
