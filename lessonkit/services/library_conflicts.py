"""Conflicts in the shared library: two laptops edited one module offline. Never settled without a person.

Every peer shows the same version first (CouchDB's deterministic winner) and keeps the others. A person chooses one
version, or writes a merged one; the choice is written on top of the winner and every other version gets a deletion
on top, as CouchDB expects, so the next sync settles the conflict on every laptop.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.library import Module
from lessonkit.domain.library_conflicts import FieldDiff, compare_modules
from lessonkit.domain.revisions import body_digest, conflicts, resolve, winner
from lessonkit.errors import NotFoundError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.library import TABLE
from lessonkit.services.library_revs import Record, attached, meta, module_docs, next_seq, records
from lessonkit.store.base import Store


@dataclass(frozen=True)
class Version:
    rev: str
    module: Module
    here: bool  # written on this laptop (else received from another)
    shown: bool  # the version the library shows until the conflict is settled


def version_note(version: Version) -> str:
    """Where a version comes from, and whether it is the one shown meanwhile."""
    if version.here:
        return _("written here, shown now") if version.shown else _("written here")
    return _("received from another laptop, shown now") if version.shown else _("received from another laptop")


@dataclass(frozen=True)
class Conflict:
    slug: str
    versions: tuple[Version, ...]  # the shown version first

    def differences(self, other: int = 1) -> list[FieldDiff]:
        """What version ``other`` changes compared with the shown version, field by field, word by word."""
        return compare_modules(self.versions[0].module, self.versions[other].module)


def _conflict(rec: Record, module_doc: dict[str, Any]) -> Conflict | None:
    others = conflicts(rec.leaves)
    top = winner(rec.leaves)
    if not others or top is None:
        return None
    versions = [Version(top.rev, Module.from_dict(module_doc), top.here, True)]
    versions += [Version(x.rev, Module.from_dict(dict(x.body or {})), x.here, False) for x in others]
    return Conflict(rec.slug, tuple(versions))


def list_conflicts(store: Store) -> list[Conflict]:
    """Every module with more than one live version, in the library's order."""
    with store.read() as tx:
        recs = {slug: r for slug, r in records(tx).items() if conflicts(r.leaves)}
        docs = tx.search(TABLE, lambda d: d.get("slug") in recs) if recs else []
    out = []
    for doc in docs:
        if attached(doc):
            found = _conflict(recs[doc["slug"]], doc)
            if found:
                out.append(found)
    return out


def get_conflict(store: Store, slug: str) -> Conflict:
    for found in list_conflicts(store):
        if found.slug == slug:
            return found
    raise NotFoundError(
        _("'{slug}' has no conflicting versions (see `lessonkit library conflicts`).").format(slug=slug)
    )


def resolve_conflict(
    store: Store, slug: str, *, keep: str | None = None, merged: dict[str, Any] | Module | None = None
) -> Module:
    """Settle a conflict: keep the version with revision ``keep``, or save ``merged`` (a module written by a person)."""
    if (keep is None) == (merged is None):
        raise ValidationError("keep", _("choose one version to keep, or give a merged version (not both)."))
    with store.transaction() as tx:
        rec, doc = records(tx).get(slug), module_docs(tx).get(slug)
        found = _conflict(rec, doc) if rec is not None and doc is not None and attached(doc) else None
        if found is None or rec is None or doc is None:
            raise NotFoundError(
                _("'{slug}' has no conflicting versions (see `lessonkit library conflicts`).").format(slug=slug)
            )
        if merged is not None:
            chosen = merged if isinstance(merged, Module) else Module.from_dict({**merged, "slug": slug})
            if chosen.slug != slug:
                raise ValidationError("slug", _("a merged version keeps the module's short name."))
            chosen = replace(chosen, updated=v.now())
        else:
            by_rev = {x.rev: x.module for x in found.versions}
            if keep not in by_rev:
                raise ValidationError(
                    "keep",
                    _("'{rev}' is not one of this module's versions: {revs}.").format(
                        rev=keep, revs=", ".join(by_rev)
                    ),
                )
            chosen = by_rev[keep]
        body = {k: val for k, val in chosen.to_dict().items() if k != "id"}
        rec.leaves = resolve(rec.leaves, body_digest(body))
        tx.update(TABLE, doc["id"], body)
        rec.seq = next_seq(tx, meta(tx))
        rec.save(tx)
    return replace(chosen, id=doc["id"])
