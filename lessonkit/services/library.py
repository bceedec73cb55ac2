"""The case library: add, edit, review, search, related modules and lineage.

The library is its own Store (``Workspace.library()``), table ``modules``, one document per module (by slug).
Reads go through a small cache refreshed whenever the store's version changes, so searching stays fast.
"""

from __future__ import annotations

import difflib
import weakref
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.library import Module, content_hash
from lessonkit.domain.library_review import add_review as add_review_to
from lessonkit.domain.library_review import set_status
from lessonkit.domain.modules import Review, ReviewStatus
from lessonkit.domain.rubric import Rubric, check_ratings
from lessonkit.errors import AlreadyExistsError, NotFoundError, ValidationError
from lessonkit.i18n import _
from lessonkit.store.base import Store, Tx

TABLE = "modules"
# Fields an edit may change; review state and provenance have their own paths.
EDITABLE = frozenset(
    {
        "title",
        "type",
        "summary",
        "sections",
        "context",
        "signals",
        "risk_level",
        "tags",
        "regions",
        "related",
        "lineage",
        "authors",
        "funding",
        "licence",
        "attribution",
        "source_url",
        "sensitivity",
        "anonymised",
    }
)


@dataclass(frozen=True)
class _Snapshot:
    version: object
    modules: tuple[Module, ...]
    by_slug: dict[str, Module]
    texts: dict[str, str]


_by_path: dict[str, _Snapshot] = {}
_by_store: weakref.WeakKeyDictionary[Store, _Snapshot] = weakref.WeakKeyDictionary()


def _load(store: Store) -> _Snapshot:
    path = getattr(store, "path", None)
    version = store.version()
    cached = _by_path.get(str(path)) if path is not None else _by_store.get(store)
    if cached is not None and cached.version == version:
        return cached
    with store.read() as tx:
        modules = tuple(Module.from_dict(d) for d in tx.all(TABLE))
        version = store.version()
    snap = _Snapshot(version, modules, {m.slug: m for m in modules}, {m.slug: m.full_text() for m in modules})
    if path is not None:
        _by_path[str(path)] = snap
    else:
        _by_store[store] = snap
    return snap


def list_modules(store: Store) -> list[Module]:
    """Every module, in the order they were added."""
    return list(_load(store).modules)


def get_module(store: Store, slug: str) -> Module:
    """One module by slug; an unknown slug is refused with the nearest names as suggestions."""
    snap = _load(store)
    module = snap.by_slug.get(str(slug).strip())
    if module is None:
        raise NotFoundError(unknown_module_message(slug, list(snap.by_slug)))
    return module


def unknown_module_message(slug: str, known: list[str]) -> str:
    close = difflib.get_close_matches(str(slug), known, n=3, cutoff=0.6)
    if close:
        return _(
            "There is no module '{slug}' in the library. Did you mean: {names}? See `lessonkit library list`."
        ).format(slug=slug, names=", ".join(close))
    return _("There is no module '{slug}' in the library. See `lessonkit library list`.").format(slug=slug)


def find_doc(tx: Tx, slug: str) -> dict[str, Any] | None:
    docs = tx.search(TABLE, lambda d: d.get("slug") == slug)
    return docs[0] if docs else None


def _require(tx: Tx, slug: str) -> Module:
    doc = find_doc(tx, slug)
    if doc is None:
        raise NotFoundError(unknown_module_message(slug, [d["slug"] for d in tx.all(TABLE)]))
    return Module.from_dict(doc)


def add_module(store: Store, data: dict[str, Any] | Module) -> Module:
    """Add a new module written here (a draft unless the data says otherwise)."""
    module = data if isinstance(data, Module) else Module.from_dict(data)
    module = replace(module, updated=v.now())
    with store.transaction() as tx:
        if find_doc(tx, module.slug) is not None:
            raise AlreadyExistsError(
                _("A module '{slug}' already exists: choose another short name or edit it.").format(
                    slug=module.slug
                )
            )
        doc_id = tx.insert(TABLE, module.to_dict())
    return replace(module, id=doc_id)


def edit_module(store: Store, slug: str, changes: dict[str, Any]) -> Module:
    """Change a module's content; every change is validated before anything is saved."""
    unknown = sorted(set(changes) - EDITABLE)
    if unknown:
        raise ValidationError(
            unknown[0],
            _("cannot be edited here (editable: {fields}).").format(fields=", ".join(sorted(EDITABLE))),
        )
    with store.transaction() as tx:
        module = _require(tx, slug)
        edited = module.with_changes(**changes)
        if content_hash(edited) == content_hash(module):
            return module
        edited = replace(edited, updated=v.now())
        tx.update(TABLE, module.id, edited.to_dict())  # type: ignore[arg-type]
    return edited


def set_source_profile(store: Store, slug: str, ratings: dict[str, Any], rubric: Rubric) -> Module:
    """Rate the context the module came from on ``rubric`` (every critical criterion is needed)."""
    checked = check_ratings(rubric, ratings, "source_profile")
    with store.transaction() as tx:
        module = _require(tx, slug)
        tx.update(TABLE, module.id, {"source_profile": checked})  # type: ignore[arg-type]
    return replace(module, source_profile=checked)


def review_module(
    store: Store,
    slug: str,
    reviewer: str,
    organisation: str,
    verdict: str,
    comments: str = "",
    on: date | str | None = None,
) -> Module:
    """Record one reviewer's verdict on a module that is in review."""
    review = Review.from_dict(
        {
            "reviewer": reviewer,
            "organisation": organisation,
            "verdict": verdict,
            "comments": comments,
            "date": on or date.today(),
        }
    )
    with store.transaction() as tx:
        module = add_review_to(_require(tx, slug), review)
        tx.update(TABLE, module.id, {"reviews": [r.to_dict() for r in module.reviews]})  # type: ignore[arg-type]
    return module


def change_status(store: Store, slug: str, status: str | ReviewStatus) -> Module:
    """Move a module through review: draft → in review → endorsed → retired."""
    from lessonkit.domain.levels import parse_enum

    wanted = parse_enum(ReviewStatus, "status", status)
    with store.transaction() as tx:
        module = set_status(_require(tx, slug), wanted)  # type: ignore[arg-type]
        tx.update(TABLE, module.id, {"status": module.status.value})  # type: ignore[arg-type]
    return module
