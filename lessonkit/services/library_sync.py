"""``lessonkit library sync``: the library replicated both ways with a CouchDB database, by its own protocol.

1. **Stamp**: every local change of a shared module becomes a revision (edits, withdrawals, deletions).
2. **Pull** (server → here): ``_changes`` since the checkpoint with every leaf revision; the revisions this library
   lacks are fetched with ``_bulk_get?revs=true`` and merged; the checkpoint is written after each batch, in the same
   transaction as the batch here and as a ``_local/`` document on the server.
3. **Push** (here → server): records changed since the push checkpoint; ``_revs_diff`` says which revisions the
   server lacks; they go with ``_bulk_docs`` and ``new_edits: false`` (revisions kept as they are, so conflicts are
   kept, never overwritten); checkpoint after each batch.

A dropped connection loses at most the batch in flight: the next run starts from the last checkpoint both sides
agree on (CouchDB's rule: the checkpoints' session ids must match, else the most recent common one in their
histories, else from the start). Only what :func:`lessonkit.domain.sharing.may_leave` allows is ever sent.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from lessonkit.domain.library import Module
from lessonkit.domain.revisions import Leaf, body_digest, couch_doc, doc_id, knows, slug_of, winner
from lessonkit.domain.sharing import may_leave
from lessonkit.services.library_conflicts import list_conflicts
from lessonkit.services.library_revs import (
    STATE,
    Record,
    merge_received,
    meta,
    module_docs,
    read_meta,
    records,
    stamp,
)
from lessonkit.store.base import Store, Tx

BATCH = 100
FROM_THE_START = -1  # push checkpoint before anything: records received from others (change counter 0) go too
HISTORY = 20
Progress = Callable[[int], None]


class Database(Protocol):
    """The calls of CouchDB's replication protocol the sync needs (see :mod:`lessonkit.store.couch`)."""

    @property
    def remote(self) -> Any: ...
    def ensure(self) -> dict[str, Any]: ...
    def changes(self, since: Any = 0, doc_ids: Sequence[str] | None = None) -> tuple[list[dict[str, Any]], Any]: ...
    def bulk_get(self, wanted: Sequence[tuple[str, str]]) -> list[dict[str, Any]]: ...
    def revs_diff(self, revs: dict[str, list[str]]) -> dict[str, list[str]]: ...
    def bulk_docs(self, docs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]: ...
    def get_local(self, name: str) -> dict[str, Any] | None: ...
    def put_local(self, name: str, doc: dict[str, Any]) -> str: ...


@dataclass
class SyncReport:
    sent: list[str] = field(default_factory=list)
    received: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    held_back: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {
            "sent": len(set(self.sent)),
            "received": len(set(self.received)),
            "conflicts": len(self.conflicts),
            "withdrawn": len(self.withdrawn),
            "deleted": len(self.deleted),
            "held_back": len(set(self.held_back)),
            "skipped": len(self.skipped),
        }


@dataclass
class Checkpoint:
    """Where one direction of the replication stands, as both sides recorded it."""

    rep_id: str
    since: Any
    session_id: str
    history: list[dict[str, Any]]
    remote_rev: str | None

    def record(self, seq: Any) -> dict[str, Any]:
        entry = {"session_id": self.session_id, "recorded_seq": seq}
        self.history = [entry] + [h for h in self.history if h.get("session_id") != self.session_id][: HISTORY - 1]
        return {"session_id": self.session_id, "last_seq": seq, "history": self.history}


def replication_id(library_id: str, url: str, direction: str) -> str:
    """Names the checkpoint of one direction between this library and one database (never holds credentials)."""
    return hashlib.md5(f"lessonkit|{library_id}|{url}|{direction}".encode()).hexdigest()  # noqa: S324


def _local_checkpoint(tx: Tx, rep_id: str) -> dict[str, Any] | None:
    found = tx.search(STATE, lambda d: d.get("kind") == "checkpoint" and d.get("rep_id") == rep_id)
    return found[0] if found else None


def _start(store: Store, db: Database, direction: str, origin: Any) -> Checkpoint:
    """Where to continue: the local checkpoint if the server agrees (same session, or a common one), else ``origin``."""
    with store.transaction() as tx:
        library_id = meta(tx)["library_id"]
        rep_id = replication_id(library_id, db.remote.url, direction)
        local = _local_checkpoint(tx, rep_id)
    remote = db.get_local(rep_id)
    since: Any = origin
    if local and remote:
        if local.get("session_id") == remote.get("session_id"):
            since = local.get("last_seq", origin)
        else:
            theirs = {h.get("session_id") for h in remote.get("history") or []}
            common = next((h for h in local.get("history") or [] if h.get("session_id") in theirs), None)
            since = common["recorded_seq"] if common else origin
    history = list(local.get("history") or []) if local else []
    return Checkpoint(rep_id, since, uuid.uuid4().hex, history, (remote or {}).get("_rev"))


def _save_local(tx: Tx, cp: Checkpoint, doc: dict[str, Any], url: str) -> None:
    data = {"kind": "checkpoint", "rep_id": cp.rep_id, "remote": url, **doc}
    existing = _local_checkpoint(tx, cp.rep_id)
    if existing is None:
        tx.insert(STATE, data)
    else:
        tx.update(STATE, existing["id"], data)


def _save_remote(db: Database, cp: Checkpoint, doc: dict[str, Any]) -> None:
    body = {**doc, "replicator": "lessonkit"}
    if cp.remote_rev:
        body["_rev"] = cp.remote_rev
    cp.remote_rev = db.put_local(cp.rep_id, body)


def sync_library(
    store: Store,
    db: Database,
    *,
    batch: int = BATCH,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> SyncReport:
    """Replicate the library with ``db`` both ways; safe to run again after any interruption."""
    report = SyncReport()
    db.ensure()
    stamped = stamp(store)
    report.withdrawn, report.deleted = stamped.withdrawn, stamped.deleted
    pull = _start(store, db, "pull", 0)
    rows, last_seq = db.changes(pull.since)
    with store.read() as tx:
        retry = list(read_meta(tx).get("retry") or [])
    retry_rows = db.changes(0, doc_ids=retry)[0] if retry else []
    push = _start(store, db, "push", FROM_THE_START)
    pending = _pending(store, int(push.since))
    if on_total:
        on_total(len(rows) + len(retry_rows) + len(pending))
    tick = progress or (lambda n: None)
    url = db.remote.url
    with store.read() as tx:  # what this library knows, read once: each document appears once in the feed
        known = {slug: rec.leaves for slug, rec in records(tx).items()}
    if retry_rows:
        _pull_batch(store, db, retry_rows, known, report)
        tick(len(retry_rows))
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        seq = last_seq if start + batch >= len(rows) else chunk[-1]["seq"]
        doc = pull.record(seq)
        save = lambda tx, d=doc: _save_local(tx, pull, d, url)  # type: ignore[misc]  # noqa: E731
        _pull_batch(store, db, chunk, known, report, save)
        _save_remote(db, pull, doc)
        tick(len(chunk))
    for start in range(0, len(pending), batch):
        todo = pending[start : start + batch]
        _push_batch(store, db, [slug for _seq, slug in todo], report)
        doc = push.record(todo[-1][0])
        _save_remote(db, push, doc)
        with store.transaction() as tx:
            _save_local(tx, push, doc, url)
        tick(len(todo))
    if not pending and push.since == FROM_THE_START:
        # Nothing of this laptop's own yet: what arrived in this sync came from this server, so the push side
        # starts after it (otherwise the next sync would ask the server about every received module again).
        doc = push.record(0)
        _save_remote(db, push, doc)
        with store.transaction() as tx:
            _save_local(tx, push, doc, url)
    report.conflicts = [c.slug for c in list_conflicts(store)]
    return report


def _pull_batch(
    store: Store,
    db: Database,
    rows: list[dict[str, Any]],
    known: dict[str, tuple[Leaf, ...]],
    report: SyncReport,
    after: Callable[[Tx], None] | None = None,
) -> None:
    """Fetch the revisions of ``rows`` this library lacks (a local ``_revs_diff``) and merge them in one go."""
    wanted: list[tuple[str, str]] = []
    for row in rows:
        slug = slug_of(str(row.get("id") or ""))
        if slug is None:
            continue
        leaves = known.get(slug, ())
        wanted += [(row["id"], c["rev"]) for c in row.get("changes") or [] if not knows(leaves, c["rev"])]
    merged = merge_received(store, db.bulk_get(wanted), after)
    report.received += merged.received
    report.skipped += merged.skipped


def _pending(store: Store, after: int) -> list[tuple[int, str]]:
    """Records changed here after the push checkpoint, oldest first (the push side's ``_changes``).

    From the start (a first push, or a server database that lost its checkpoint) that is every record, those
    received from others too (counter 0): a recreated database gets everything this laptop knows.
    """
    with store.read() as tx:
        recs = records(tx)
    return sorted((r.seq, r.slug) for r in recs.values() if r.seq > after)


def _push_batch(store: Store, db: Database, slugs: list[str], report: SyncReport) -> None:
    with store.read() as tx:
        recs, modules = records(tx), module_docs(tx)
    missing = db.revs_diff({doc_id(s): [x.rev for x in recs[s].leaves] for s in slugs if s in recs})
    docs: list[dict[str, Any]] = []
    for document_id, revs in missing.items():
        slug = slug_of(document_id)
        if slug is None or slug not in recs:
            continue
        for rev in revs:
            out = _outgoing(recs[slug], modules.get(slug), rev)
            if out is None:
                report.held_back.append(slug)
            else:
                docs.append(out)
    errors = db.bulk_docs(docs)
    failed = {str(e.get("id")) for e in errors}
    report.sent += [slug_of(d["_id"]) or d["_id"] for d in docs if d["_id"] not in failed]
    for e in errors:
        report.skipped.append((str(e.get("id")), str(e.get("reason") or e.get("error"))))


def _outgoing(rec: Record, module_doc: dict[str, Any] | None, rev: str) -> dict[str, Any] | None:
    """The document for one revision the server lacks, or None when it must not (or cannot yet) be sent."""
    leaf = next((x for x in rec.leaves if x.rev == rev), None)
    if leaf is None:
        return None
    if leaf.deleted:
        return couch_doc(doc_id(rec.slug), leaf, None)  # a deletion carries no content
    top = winner(rec.leaves)
    body = leaf.body if leaf.body is not None else (module_doc if top is leaf else None)
    if body is None or body_digest(body) != leaf.digest:
        return None  # changed since it was stamped: the next sync sends the newer revision
    if not may_leave(Module.from_dict(body)):
        return None
    return couch_doc(doc_id(rec.slug), leaf, body)

