"""The TinyDB store: the only module that imports tinydb.

Safe across processes: every transaction holds an exclusive file lock (``portalocker``, a blocking ``flock``: waiting
writers sleep in the kernel instead of polling, and the OS releases the lock if a holder dies) around its whole
read-modify-write, opens
a fresh ``TinyDB`` handle (so no table caches an id or a query result across transactions) and commits through the
journal format of :mod:`lessonkit.store.journal` (appends with fsync, atomic compaction).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import portalocker
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from lessonkit.errors import NotFoundError, StoreError
from lessonkit.i18n import _
from lessonkit.store import journal
from lessonkit.store.base import Doc, Predicate, ReadOnlyError, Store, Tx, with_id, without_id


class _WorkingTables(dict):  # type: ignore[type-arg]
    """The tables a transaction sees, without copying anything.

    A table is handed to TinyDB straight from the snapshot. TinyDB never mutates a table it reads: a write builds a
    new table dict and stores it here, and the only operation that would change a document in place (``update``) is
    done by :class:`_TinyTx` as remove + insert of a new document. So the snapshot stays untouched until commit, which
    writes only the documents the transaction touched.
    """

    def __init__(self, base: journal.Tables, writable: bool) -> None:
        super().__init__()
        self._base = base
        self._writable = writable

    def __missing__(self, name: str) -> dict[str, Any]:
        if name not in self._base:
            raise KeyError(name)
        return self._base[name]


class _TxStorage(Storage):
    """A TinyDB storage that hands TinyDB the transaction's working tables and keeps its writes in memory."""

    def __init__(self, working: _WorkingTables) -> None:
        self.working = working

    def read(self) -> dict[str, dict[str, Any]]:
        return self.working

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if not self.working._writable:
            raise ReadOnlyError("write inside a read-only view")
        if data is not self.working:
            self.working.update(data)

    def close(self) -> None:
        pass


class _TinyTx(Tx):
    """Table operations through TinyDB; remembers which documents it wrote, so the commit needs no diff."""

    def __init__(self, db: TinyDB, snap: journal.Snapshot) -> None:
        self._db = db
        self._snap = snap
        self._next: dict[str, int] = {}
        self.touched: dict[tuple[str, str], None] = {}

    def _table(self, name: str) -> Any:
        return self._db.table(name, cache_size=0)

    def insert(self, table: str, doc: Doc) -> int:
        if table not in self._next:
            self._next[table] = journal.max_id(self._snap, table) + 1
        doc_id = self._next[table]
        self._table(table).insert(Document(without_id(doc), doc_id=doc_id))
        self._next[table] = doc_id + 1
        self.touched[(table, str(doc_id))] = None
        return doc_id

    def get(self, table: str, doc_id: int) -> Doc | None:
        doc = self._table(table).get(doc_id=int(doc_id))
        return with_id(doc.doc_id, doc) if doc is not None else None  # type: ignore[union-attr]

    def search(self, table: str, predicate: Predicate | None = None) -> list[Doc]:
        docs = sorted((with_id(d.doc_id, d) for d in self._table(table).all()), key=lambda d: d["id"])
        return docs if predicate is None else [d for d in docs if predicate(d)]

    def update(self, table: str, doc_id: int, fields: Doc) -> None:
        t = self._table(table)
        doc = t.get(doc_id=int(doc_id))
        if doc is None:
            raise NotFoundError(f"No record {doc_id} in {table}.")
        # Replace rather than mutate: the stored document object is shared with the snapshot.
        t.remove(doc_ids=[int(doc_id)])
        t.insert(Document({**doc, **without_id(fields)}, doc_id=int(doc_id)))
        self.touched[(table, str(doc_id))] = None

    def remove(self, table: str, doc_id: int) -> None:
        t = self._table(table)
        if not t.contains(doc_id=int(doc_id)):
            raise NotFoundError(f"No record {doc_id} in {table}.")
        t.remove(doc_ids=[int(doc_id)])
        self.touched[(table, str(doc_id))] = None

    def changes(self, working: dict[str, dict[str, Any]]) -> list[journal.Change]:
        return [(t, i, working.get(t, {}).get(i)) for t, i in self.touched]


_THREAD_LOCKS: dict[str, threading.RLock] = {}
_HELD: dict[str, int] = {}  # lock path -> nesting depth of the one thread inside (guarded by the RLock)


class TinyDBStore(Store):
    """One TinyDB database in one file, safe for many processes and threads."""

    label = "tinydb"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock_path = str(self.path) + ".lock"
        self._thread_lock = _THREAD_LOCKS.setdefault(str(self.path), threading.RLock())

    @classmethod
    def create(cls, path: str | os.PathLike[str]) -> TinyDBStore:
        store = cls(path)
        with store._locked():
            if store.path.exists():
                raise StoreError(_("{path} already exists.").format(path=store.path))
            journal.create(store.path)
        return store

    @contextmanager
    def _locked(self, shared: bool = False) -> Iterator[None]:
        """Across threads (an RLock) and processes (flock): exclusive, or ``shared`` with other appenders.

        Re-entrant within one thread; a thread holding the shared lock must not ask for the exclusive one."""
        with self._thread_lock:
            if _HELD.get(self._lock_path):
                _HELD[self._lock_path] += 1
                try:
                    yield
                finally:
                    _HELD[self._lock_path] -= 1
                return
            try:
                fh = open(self._lock_path, "a")
            except OSError as exc:
                raise StoreError(
                    _("Cannot open the lock file {path}: {e}. Check that the workspace folder is writable.").format(
                        path=self._lock_path, e=exc.strerror)
                ) from exc
            with fh:
                portalocker.lock(fh, portalocker.LOCK_SH if shared else portalocker.LOCK_EX)
                _HELD[self._lock_path] = 1
                try:
                    yield
                finally:
                    _HELD[self._lock_path] = 0
                    portalocker.unlock(fh)

    @contextmanager
    def _open(self, writable: bool) -> Iterator[tuple[_TinyTx, _WorkingTables, journal.Snapshot]]:
        journal.preload(self.path)
        with self._locked():
            snap = journal.load(self.path)
            working = _WorkingTables(snap.tables, writable)
            db = TinyDB(working, storage=_TxStorage)
            try:
                yield _TinyTx(db, snap), working, snap
            finally:
                db.close()

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self._open(writable=True) as (tx, working, snap):
            yield tx
            journal.commit(self.path, snap, tx.changes(working))

    def append(self, table: str, build: Callable[[Tx], Doc]) -> int:
        """Check in a read-only view and insert by appending under the *shared* lock (see journal.append_insert).

        Thirty participants submitting at once then write side by side: handing one exclusive lock from process to
        process costs about 4-5 ms per hand-off on a 2-core laptop, whatever the work inside it.
        """
        journal.preload(self.path)
        with self._locked(shared=True):
            snap = journal.load(self.path)
            db = TinyDB(_WorkingTables(snap.tables, writable=False), storage=_TxStorage)
            try:
                doc = build(_TinyTx(db, snap))
            finally:
                db.close()
            doc_id = journal.append_insert(self.path, snap, table, without_id(doc))
        if journal.needs_compaction(snap):
            with self._locked():
                snap = journal.load(self.path)
                if journal.needs_compaction(snap):
                    journal.compact(self.path, snap)
        return doc_id

    @contextmanager
    def read(self) -> Iterator[Tx]:
        with self._open(writable=False) as (tx, _working, _snap):
            yield tx

    def version(self) -> object:
        keys: list[tuple[int, int, int] | None] = []
        for p in (self.path, journal.journal_path(self.path)):
            try:
                st = os.stat(p)
                keys.append((st.st_ino, st.st_size, st.st_mtime_ns))
            except FileNotFoundError:
                keys.append(None)
        return tuple(keys)
