"""The TinyDB store: the only module that imports tinydb.

Safe across processes: every transaction holds a file lock (``filelock``) around its whole read-modify-write, opens
a fresh ``TinyDB`` handle (so no table caches an id or a query result across transactions) and commits through the
journal format of :mod:`lessonkit.store.journal` (appends with fsync, atomic compaction).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.storages import Storage

from lessonkit.errors import NotFoundError, StoreError
from lessonkit.i18n import _
from lessonkit.store import journal
from lessonkit.store.base import Doc, Predicate, ReadOnlyError, Store, Tx, with_id, without_id

LOCK_TIMEOUT_S = 30.0


class _WorkingTables(dict):  # type: ignore[type-arg]
    """The tables a transaction sees: each one copied from the snapshot the first time it is touched."""

    def __init__(self, base: journal.Tables, writable: bool) -> None:
        super().__init__()
        self._base = base
        self._writable = writable

    def __missing__(self, name: str) -> dict[str, Any]:
        if name not in self._base:
            raise KeyError(name)
        rows = self._base[name]
        table = {k: dict(v) for k, v in rows.items()} if self._writable else rows
        self[name] = table
        return table


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
    def __init__(self, db: TinyDB) -> None:
        self._db = db

    def insert(self, table: str, doc: Doc) -> int:
        return int(self._db.table(table, cache_size=0).insert(without_id(doc)))

    def get(self, table: str, doc_id: int) -> Doc | None:
        doc = self._db.table(table, cache_size=0).get(doc_id=int(doc_id))
        return with_id(doc.doc_id, doc) if doc is not None else None  # type: ignore[union-attr]

    def search(self, table: str, predicate: Predicate | None = None) -> list[Doc]:
        docs = sorted((with_id(d.doc_id, d) for d in self._db.table(table, cache_size=0).all()), key=lambda d: d["id"])
        return docs if predicate is None else [d for d in docs if predicate(d)]

    def update(self, table: str, doc_id: int, fields: Doc) -> None:
        t = self._db.table(table, cache_size=0)
        if not t.contains(doc_id=int(doc_id)):
            raise NotFoundError(f"No record {doc_id} in {table}.")
        t.update(without_id(fields), doc_ids=[int(doc_id)])

    def remove(self, table: str, doc_id: int) -> None:
        t = self._db.table(table, cache_size=0)
        if not t.contains(doc_id=int(doc_id)):
            raise NotFoundError(f"No record {doc_id} in {table}.")
        t.remove(doc_ids=[int(doc_id)])


_THREAD_LOCKS: dict[str, threading.RLock] = {}


class TinyDBStore(Store):
    """One TinyDB database in one file, safe for many processes and threads."""

    label = "tinydb"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_S)
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
    def _locked(self) -> Iterator[None]:
        with self._thread_lock:
            try:
                with self._lock:
                    yield
            except Timeout:
                raise StoreError(
                    _("{path} stayed locked for {s:.0f} s: another lessonkit process may be stuck. "
                      "Close other lessonkit windows and try again.").format(path=self.path, s=LOCK_TIMEOUT_S)
                ) from None

    @contextmanager
    def _open(self, writable: bool) -> Iterator[tuple[Tx, _WorkingTables, journal.Snapshot]]:
        with self._locked():
            snap = journal.load(self.path)
            working = _WorkingTables(snap.tables, writable)
            db = TinyDB(working, storage=_TxStorage)
            try:
                yield _TinyTx(db), working, snap
            finally:
                db.close()

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self._open(writable=True) as (tx, working, snap):
            yield tx
            changes = journal.diff(snap.tables, dict(working))
            journal.commit(self.path, snap, changes)

    @contextmanager
    def read(self) -> Iterator[Tx]:
        with self._open(writable=False) as (tx, _working, _snap):
            yield tx

    def version(self) -> object:
        keys = []
        for p in (self.path, journal.journal_path(self.path)):
            try:
                st = os.stat(p)
                keys.append((st.st_ino, st.st_size, st.st_mtime_ns))
            except FileNotFoundError:
                keys.append(None)
        return tuple(keys)
