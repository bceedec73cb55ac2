"""This laptop's side of the library's revisions: stamp local changes, merge revisions received from the server.

Table ``module_revs`` holds one record per module that was ever shared or received: its leaves (see
:mod:`lessonkit.domain.revisions`) and ``seq``, a local change counter the push side follows like CouchDB's
``_changes``. While a module may leave this laptop ("attached"), the winning leaf's body is the module itself in
table ``modules``; every other leaf keeps its own body. A module that was withdrawn (its share level lowered or its
sensitivity raised) is "detached": its record still follows the server, but its content here is never replaced.
Table ``sync_state`` holds the library's id, the counter, documents to fetch again, and the checkpoints.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from lessonkit.domain.library import Module
from lessonkit.domain.revisions import (
    Leaf,
    Merge,
    body_digest,
    child,
    leaf_from_doc,
    merge,
    slug_of,
    winner,
)
from lessonkit.domain.sharing import doc_may_leave, may_leave
from lessonkit.errors import LessonkitError
from lessonkit.i18n import _
from lessonkit.services.library import TABLE
from lessonkit.store.base import Store, Tx

REVS = "module_revs"
STATE = "sync_state"


@dataclass
class Record:
    """The revision record of one module."""

    slug: str
    leaves: tuple[Leaf, ...]
    seq: int = 0
    withdrawn: bool = False  # deletions were already sent for its live leaves
    id: int | None = None

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Record:
        leaves = tuple(Leaf.from_dict(x) for x in doc.get("leaves") or ())
        return cls(str(doc["slug"]), leaves, int(doc.get("seq") or 0), bool(doc.get("withdrawn")), doc.get("id"))

    def save(self, tx: Tx) -> None:
        doc = {
            "slug": self.slug,
            "seq": self.seq,
            "withdrawn": self.withdrawn,
            "leaves": [x.to_dict() for x in self.leaves],
        }
        if self.id is None:
            self.id = tx.insert(REVS, doc)
        else:
            tx.update(REVS, self.id, doc)


@dataclass
class StampReport:
    """Local changes turned into new revisions at the start of a sync."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


@dataclass
class MergeReport:
    """Revisions received from the server in one batch."""

    received: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (document, reason)


def meta(tx: Tx) -> dict[str, Any]:
    """The library's sync facts: its id (made on first use), the local change counter, documents to fetch again."""
    found = tx.search(STATE, lambda d: d.get("kind") == "meta")
    if found:
        return found[0]
    doc: dict[str, Any] = {"kind": "meta", "library_id": uuid.uuid4().hex, "seq": 0, "retry": []}
    doc["id"] = tx.insert(STATE, doc)
    return doc


def read_meta(tx: Tx) -> dict[str, Any]:
    """The sync facts without creating them (empty before the first sync)."""
    found = tx.search(STATE, lambda d: d.get("kind") == "meta")
    return found[0] if found else {}


def next_seq(tx: Tx, info: dict[str, Any]) -> int:
    """Advance the local change counter (the push side sends records changed after its checkpoint)."""
    info["seq"] = int(info.get("seq") or 0) + 1
    tx.update(STATE, info["id"], {"seq": info["seq"]})
    return int(info["seq"])


def records(tx: Tx) -> dict[str, Record]:
    return {r.slug: r for r in (Record.from_doc(d) for d in tx.all(REVS))}


def module_docs(tx: Tx) -> dict[str, dict[str, Any]]:
    return {d["slug"]: d for d in tx.all(TABLE)}


def _body(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "id"}


def attached(module_doc: dict[str, Any] | None) -> bool:
    """True when the server's winning version may replace this laptop's module (absent, or shared from here)."""
    return module_doc is None or doc_may_leave(module_doc)


def stamp(store: Store) -> StampReport:
    """Give every local change of a shared module a new revision (edits, withdrawals and deletions)."""
    report = StampReport()
    with store.transaction() as tx:
        info, recs, docs = meta(tx), records(tx), module_docs(tx)
        for slug in list(docs) + [s for s in recs if s not in docs]:
            stamp_one(tx, info, recs.get(slug), slug, docs.get(slug), report)
    return report


def stamp_one(
    tx: Tx, info: dict[str, Any], rec: Record | None, slug: str, doc: dict[str, Any] | None, report: StampReport
) -> Record | None:
    leaving = doc is not None and doc_may_leave(doc)
    if rec is None:
        if not leaving:
            return None  # never shared: nothing about it ever reaches the server
        assert doc is not None
        rec = Record(slug, (child(None, body_digest(doc)),))
        report.new.append(slug)
    elif leaving:
        assert doc is not None
        top = winner(rec.leaves)
        assert top is not None
        digest = body_digest(doc)
        ours = next((x for x in rec.leaves if x.deleted and x.here), None) if rec.withdrawn else None
        if not top.deleted and top.digest == digest:
            if top.body is None and not rec.withdrawn:
                return rec
            rec.leaves = tuple(replace(x, body=None) if x is top else x for x in rec.leaves)  # attach again
        elif ours is not None and not top.deleted:
            # Shared again after someone else edited it meanwhile: this laptop's branch continues from its own
            # deletion, the other edit stays a live leaf, and a person settles the conflict.
            mine = child(ours, digest, body=_body(doc))
            rec.leaves = _settle(tx, doc, tuple(mine if x is ours else x for x in rec.leaves))
            report.changed.append(slug)
        else:
            new_top = child(top, digest)
            rec.leaves = tuple(new_top if x is top else x for x in rec.leaves)
            report.changed.append(slug)
        rec.withdrawn = False
    else:
        if rec.withdrawn or all(x.deleted for x in rec.leaves):
            return rec
        rec.leaves = tuple(x if x.deleted else child(x, "", deleted=True) for x in rec.leaves)
        rec.withdrawn = True
        (report.withdrawn if doc is not None else report.deleted).append(slug)
    rec.seq = next_seq(tx, info)
    rec.save(tx)
    return rec


def _settle(tx: Tx, doc: dict[str, Any], leaves: tuple[Leaf, ...]) -> tuple[Leaf, ...]:
    """Put the winner's body into the module (``doc``) and keep every other live leaf's body with the leaf."""
    top = winner(leaves)
    if top is None or top.deleted or top.body is None:
        return leaves
    tx.update(TABLE, doc["id"], dict(top.body))
    return tuple(replace(x, body=None) if x is top else x for x in leaves)


def merge_received(
    store: Store, docs: Iterable[dict[str, Any]], after: Callable[[Tx], None] | None = None
) -> MergeReport:
    """Merge a batch of server revisions into the library in one transaction (``after`` runs inside it)."""
    report = MergeReport()
    docs = list(docs)
    with store.transaction() as tx:
        if not docs:  # nothing new (e.g. this laptop's own revisions coming back): only the checkpoint moves
            if after is not None:
                after(tx)
            return report
        info, recs, modules = meta(tx), records(tx), module_docs(tx)
        retry = set(info.get("retry") or [])
        for doc in docs:
            doc_id = str(doc.get("_id") or "")
            slug = slug_of(doc_id)
            if slug is None:
                continue
            try:
                _merge_one(tx, info, recs, modules, slug, doc, report)
            except _Skip as skip:
                report.skipped.append((slug, str(skip)))
                retry.add(doc_id)
            else:
                retry.discard(doc_id)
        if sorted(retry) != sorted(info.get("retry") or []):
            info["retry"] = sorted(retry)
            tx.update(STATE, info["id"], {"retry": info["retry"]})
        if after is not None:
            after(tx)
    return report


class _Skip(Exception):
    """A received revision left out of the library, with the reason (fetched again at the next sync)."""


def _incoming(doc: dict[str, Any], slug: str) -> Leaf:
    try:
        leaf = leaf_from_doc(doc)
    except (ValueError, TypeError):
        raise _Skip(_("its revision history is unreadable")) from None
    if leaf.deleted:
        return leaf
    try:
        module = Module.from_dict(dict(leaf.body or {}))
    except LessonkitError as exc:
        raise _Skip(str(exc)) from None
    if module.slug != slug:
        raise _Skip(_("its slug does not match its document id"))
    if not may_leave(module):
        raise _Skip(_("it is not marked for sharing (share level or sensitivity)"))
    body = _body(module.to_dict())
    return replace(leaf, body=body, digest=body_digest(body))


def _merge_one(
    tx: Tx,
    info: dict[str, Any],
    recs: dict[str, Record],
    modules: dict[str, dict[str, Any]],
    slug: str,
    doc: dict[str, Any],
    report: MergeReport,
) -> None:
    incoming = _incoming(doc, slug)
    rec, module_doc = recs.get(slug), modules.get(slug)
    if rec is None and module_doc is not None:
        raise _Skip(
            _("a module with this name was written here and never shared: rename yours to receive this one")
        )
    is_attached = attached(module_doc)
    if rec is not None and is_attached:
        rec = stamp_one(tx, info, rec, slug, module_doc, StampReport()) or rec  # a change made during the sync
    before = rec.leaves if rec else ()
    leaves, outcome = merge(before, incoming)
    if outcome is Merge.KNOWN:
        return
    rec = rec or Record(slug, ())
    rec.leaves = _apply_winner(tx, modules, slug, before, leaves) if is_attached else leaves
    rec.save(tx)
    recs[slug] = rec
    report.received.append(slug)


def _apply_winner(
    tx: Tx, modules: dict[str, dict[str, Any]], slug: str, before: tuple[Leaf, ...], after: tuple[Leaf, ...]
) -> tuple[Leaf, ...]:
    """Keep the invariant: the winner of an attached record is the module in ``modules``; others hold bodies."""
    old_top, new_top = winner(before), winner(after)
    assert new_top is not None
    if old_top is not None and old_top.rev == new_top.rev:
        return after
    module_doc = modules.get(slug)
    out = []
    for leaf in after:
        if old_top is not None and leaf.rev == old_top.rev and leaf.body is None and module_doc is not None:
            leaf = replace(leaf, body=_body(module_doc))  # the old winner lives on as a conflicting version
        if leaf.rev == new_top.rev and not leaf.deleted:
            _write_module(tx, modules, slug, dict(leaf.body or {}))
            leaf = replace(leaf, body=None)
        out.append(leaf)
    if new_top.deleted and module_doc is not None:
        tx.remove(TABLE, module_doc["id"])
        modules.pop(slug, None)
    return tuple(out)


def _write_module(tx: Tx, modules: dict[str, dict[str, Any]], slug: str, body: dict[str, Any]) -> None:
    existing = modules.get(slug)
    if existing is None:
        modules[slug] = {**body, "id": tx.insert(TABLE, body)}
    else:
        tx.update(TABLE, existing["id"], body)
        modules[slug] = {**body, "id": existing["id"]}
