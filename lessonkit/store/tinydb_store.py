"""The TinyDB store: the only module that imports tinydb.

Safe across processes: every transaction holds an exclusive file lock (``portalocker``, a blocking ``flock``: waiting
writers sleep in the kernel instead of polling, and the OS releases the lock if a holder dies) around its whole
read-modify-write, opens
a fresh ``TinyDB`` handle (so no table caches an id or a query result across transactions) and commits through the
journal format of :mod:`lessonkit.store.journal` (appends with fsync, atomic compaction).

An encrypted convening's store is given its unlocked keys (``cipher``): everything it writes is encrypted, and after
each transaction that changes what the participant server may read, it rewrites the published index
(:mod:`lessonkit.store.sealed_index`). Without a key, a process opens it as :class:`~lessonkit.store.sealed_store.
SealedAppendStore` (append only) or not at all.
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

from lessonkit.errors import AlreadyExistsError, NotFoundError, StoreError
from lessonkit.i18n import _
from lessonkit.store import journal, sealed_index
from lessonkit.store.age_cipher import Cipher
from lessonkit.store.base import Doc, Predicate, ReadOnlyError, Store, Tx, check_id, with_id, without_id


class _WorkingTables(dict):  # type: ignore[type-arg]
    """The tables a transaction sees, copying only the tables it writes, once.

    A table is handed to TinyDB straight from the snapshot for reading. The first write to a table in a transaction
    takes a shallow copy of it (:meth:`writable`); documents are never changed in place (an update stores a new
    dict), so the snapshot stays untouched until commit, which writes only the documents the transaction touched.
    """

    def __init__(self, base: journal.Tables, writable: bool) -> None:
        super().__init__()
        self._base = base
        self._writable = writable

    def __missing__(self, name: str) -> dict[str, Any]:
        if name not in self._base:
            raise KeyError(name)
        return self._base[name]

    def writable(self, name: str) -> dict[str, Any]:
        if not self._writable:
            raise ReadOnlyError("write inside a read-only view")
        if not dict.__contains__(self, name):
            self[name] = dict(self._base.get(name, {}))
        return dict.__getitem__(self, name)  # type: ignore[no-any-return]


class _TxStorage(Storage):
    """A TinyDB storage that hands TinyDB the transaction's working tables (TinyDB only reads through it)."""

    def __init__(self, working: _WorkingTables) -> None:
        self.working = working

    def read(self) -> dict[str, dict[str, Any]]:
        return self.working

    def write(self, data: dict[str, dict[str, Any]]) -> None:  # pragma: no cover - _TinyTx writes directly
        raise ReadOnlyError("writes go through the transaction")

    def close(self) -> None:
        pass


class _TinyTx(Tx):
    """Reads through TinyDB; writes straight into the transaction's copy of each table it changes.

    TinyDB's own ``Table.insert``/``update``/``remove`` rebuild the whole table (two dict copies) on every call, so a
    transaction writing n documents cost O(n * table size): importing 16,000 paper cards took a minute. Writing into
    the table dict is O(1) per document. The transaction remembers which documents it wrote, so commit needs no diff.
    """

    def __init__(self, db: TinyDB, snap: journal.Snapshot, working: _WorkingTables) -> None:
        self._db = db
        self._snap = snap
        self._working = working
        self._next: dict[str, int] = {}
        self.touched: dict[tuple[str, str], None] = {}

    def _table(self, name: str) -> Any:
        return self._db.table(name, cache_size=0)

    def _next_id(self, table: str) -> int:
        if table not in self._next:
            self._next[table] = journal.max_id(self._snap, table) + 1
        return self._next[table]

    def insert(self, table: str, doc: Doc) -> int:
        doc_id = self._next_id(table)
        self._working.writable(table)[str(doc_id)] = without_id(doc)
        self._next[table] = doc_id + 1
        self.touched[(table, str(doc_id))] = None
        return doc_id

    def insert_with_id(self, table: str, doc_id: int, doc: Doc) -> None:
        rows = self._working.writable(table)
        key = str(check_id(doc_id))
        if key in rows:
            raise AlreadyExistsError(_("There is already a record {id} in {table}.").format(id=doc_id, table=table))
        rows[key] = without_id(doc)
        self._next[table] = max(self._next_id(table), int(doc_id) + 1)
        self.touched[(table, key)] = None

    def get(self, table: str, doc_id: int) -> Doc | None:
        doc = self._table(table).get(doc_id=int(doc_id))
        return with_id(doc.doc_id, doc) if doc is not None else None  # type: ignore[union-attr]

    def search(self, table: str, predicate: Predicate | None = None) -> list[Doc]:
        docs = sorted((with_id(d.doc_id, d) for d in self._table(table).all()), key=lambda d: d["id"])
        return docs if predicate is None else [d for d in docs if predicate(d)]

    def update(self, table: str, doc_id: int, fields: Doc) -> None:
        rows = self._working.writable(table)
        doc = rows.get(str(int(doc_id)))
        if doc is None:
            raise NotFoundError(f"No record {doc_id} in {table}.")
        rows[str(int(doc_id))] = {**doc, **without_id(fields)}  # a new dict: the old one is shared with the snapshot
        self.touched[(table, str(int(doc_id)))] = None

    def remove(self, table: str, doc_id: int) -> None:
        rows = self._working.writable(table)
        if rows.pop(str(int(doc_id)), None) is None:
            raise NotFoundError(f"No record {doc_id} in {table}.")
        self.touched[(table, str(int(doc_id)))] = None

    def changes(self) -> list[journal.Change]:
        return [(t, i, dict.get(self._working, t, {}).get(i)) for t, i in self.touched]


_THREAD_LOCKS: dict[str, threading.RLock] = {}
_HELD: dict[str, int] = {}  # lock path -> nesting depth of the one thread inside (guarded by the RLock)


class TinyDBStore(Store):
    """One TinyDB database in one file, safe for many processes and threads."""

    label = "tinydb"

    def __init__(self, path: str | os.PathLike[str], cipher: Cipher | None = None) -> None:
        self.path = Path(path)
        self.cipher = cipher
        self._lock_path = str(self.path) + ".lock"
        self._thread_lock = _THREAD_LOCKS.setdefault(str(self.path), threading.RLock())

    @classmethod
    def create(
        cls, path: str | os.PathLike[str], fill: Callable[[Tx], object] | None = None, cipher: Cipher | None = None
    ) -> TinyDBStore:
        """A new database file (encrypted with ``cipher``); ``fill`` writes its first records. The file appears whole
        or not at all: a process killed while filling leaves nothing behind but temp files, which the next writer
        sweeps away."""
        store = cls(path, cipher)
        with store._locked():
            if store.path.exists():
                raise StoreError(_("{path} already exists.").format(path=store.path))
            tables: journal.Tables = {}
            if fill is not None:
                working = _WorkingTables({}, writable=True)
                db = TinyDB(working, storage=_TxStorage)
                try:
                    fill(_TinyTx(db, journal.Snapshot(tables={}, base_key=(0, 0, 0), base_size=0), working))
                finally:
                    db.close()
                tables = {name: rows for name, rows in working.items() if rows}
            journal.create(store.path, tables, cipher)
            if cipher is not None:
                sealed_index.publish(store.path, tables, cipher)
        return store

    def _ensure(self) -> None:
        """Raise LockedError if this store's convening was locked since it was opened."""
        if self.cipher is not None:
            self.cipher.ensure()

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
        journal.preload(self.path, self.cipher)
        with self._locked():
            self._ensure()
            snap = journal.load(self.path, cipher=self.cipher)
            if self.cipher is not None and journal.needs_compaction(snap):
                journal.compact(self.path, snap)  # the participant server's appends never compact: we do
            working = _WorkingTables(snap.tables, writable)
            db = TinyDB(working, storage=_TxStorage)
            try:
                yield _TinyTx(db, snap, working), working, snap
            finally:
                db.close()

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self._open(writable=True) as (tx, working, snap):
            yield tx
            journal.commit(self.path, snap, tx.changes())
            if self.cipher is not None and sealed_index.touches(t for t, _i in tx.touched):
                sealed_index.publish(self.path, snap.tables, self.cipher)

    def compact_now(self) -> None:
        """Rewrite the snapshot, last good copy and journal from the current data (after a withdrawal: the words are
        then gone from every file, not just from the data)."""
        with self._open(writable=False) as (_tx, _working, snap):
            journal.compact(self.path, snap)

    def publish(self) -> None:
        """Rewrite the published index of an encrypted convening from its current data."""
        if self.cipher is None:
            return
        with self._open(writable=False) as (_tx, _working, snap):
            sealed_index.publish(self.path, snap.tables, self.cipher)

    def append(self, table: str, build: Callable[[Tx], Doc]) -> int:
        """Check in a read-only view and insert by appending under the *shared* lock (see journal.append_insert).

        Thirty participants submitting at once then write side by side: handing one exclusive lock from process to
        process costs about 4-5 ms per hand-off on a 2-core laptop, whatever the work inside it.
        """
        journal.preload(self.path, self.cipher)
        with self._locked(shared=True):
            self._ensure()
            snap = journal.load(self.path, exclusive=False, cipher=self.cipher)
            if journal.has_journal(snap):
                working = _WorkingTables(snap.tables, writable=False)
                db = TinyDB(working, storage=_TxStorage)
                try:
                    doc = build(_TinyTx(db, snap, working))
                finally:
                    db.close()
                doc_id: int | None = journal.append_insert(self.path, snap, table, without_id(doc))
            else:
                doc_id = None  # a file from before journals began with a header: start one, exclusively
        if doc_id is None:
            return super().append(table, build)
        if journal.needs_compaction(snap):
            with self._locked():
                snap = journal.load(self.path, cipher=self.cipher)  # keeps damage aside, under the exclusive lock
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
