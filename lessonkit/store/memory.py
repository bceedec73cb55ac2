"""An in-memory Store with the same behaviour as the TinyDB one, for tests and throwaway use."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from lessonkit.errors import AlreadyExistsError, NotFoundError
from lessonkit.i18n import _
from lessonkit.store.base import Doc, Predicate, ReadOnlyError, Store, Tx, check_id, with_id, without_id


class _MemoryTx(Tx):
    def __init__(self, tables: dict[str, dict[int, Doc]], writable: bool) -> None:
        self._base = tables
        self._work: dict[str, dict[int, Doc]] = {}
        self._writable = writable
        self._next: dict[str, int] = {}

    def _table(self, name: str, for_write: bool = False) -> dict[int, Doc]:
        if for_write and not self._writable:
            raise ReadOnlyError("write inside a read-only view")
        if name not in self._work:
            if not for_write:
                return self._base.get(name, {})
            self._work[name] = {k: dict(v) for k, v in self._base.get(name, {}).items()}
        return self._work[name]

    def _next_id(self, table: str, rows: dict[int, Doc]) -> int:
        if table not in self._next:
            self._next[table] = max(rows, default=0) + 1
        return self._next[table]

    def insert(self, table: str, doc: Doc) -> int:
        rows = self._table(table, for_write=True)
        doc_id = self._next_id(table, rows)
        rows[doc_id] = without_id(doc)
        self._next[table] = doc_id + 1
        return doc_id

    def insert_with_id(self, table: str, doc_id: int, doc: Doc) -> None:
        rows = self._table(table, for_write=True)
        if check_id(doc_id) in rows:
            raise AlreadyExistsError(_("There is already a record {id} in {table}.").format(id=doc_id, table=table))
        rows[doc_id] = without_id(doc)
        self._next[table] = max(self._next_id(table, rows), doc_id + 1)

    def get(self, table: str, doc_id: int) -> Doc | None:
        doc = self._table(table).get(int(doc_id))
        return with_id(doc_id, doc) if doc is not None else None

    def search(self, table: str, predicate: Predicate | None = None) -> list[Doc]:
        docs = [with_id(k, v) for k, v in sorted(self._table(table).items())]
        return [d for d in docs if predicate is None or predicate(d)]

    def update(self, table: str, doc_id: int, fields: Doc) -> None:
        rows = self._table(table, for_write=True)
        if int(doc_id) not in rows:
            raise NotFoundError(f"No record {doc_id} in {table}.")
        rows[int(doc_id)].update(without_id(fields))

    def remove(self, table: str, doc_id: int) -> None:
        rows = self._table(table, for_write=True)
        if rows.pop(int(doc_id), None) is None:
            raise NotFoundError(f"No record {doc_id} in {table}.")


class MemoryStore(Store):
    label = "memory"

    def __init__(self) -> None:
        self._tables: dict[str, dict[int, Doc]] = {}
        self._lock = threading.RLock()
        self._version = 0

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self._lock:
            tx = _MemoryTx(self._tables, writable=True)
            yield tx
            if tx._work:
                self._tables.update(tx._work)
                self._version += 1

    @contextmanager
    def read(self) -> Iterator[Tx]:
        with self._lock:
            yield _MemoryTx(self._tables, writable=False)

    def version(self) -> object:
        return self._version
