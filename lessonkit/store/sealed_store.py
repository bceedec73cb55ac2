"""The participant server's view of an encrypted convening: it appends encrypted records (notes, reflections) and
reads only the index.

:class:`SealedAppendStore` holds the convening's *public* key and nothing that reads: its reads are answered from
the published index (:mod:`lessonkit.store.sealed_index`: open sessions, the glossary terms they use, sealed join
code entries), its ``append`` encrypts the record to the convening's recipients and appends it under the shared
lock (side by side with other participants, as on a plain convening), and transactions are refused with one clear
line. It never replays or compacts the journal: the facilitator's unlocked process does (see
:class:`~lessonkit.store.tinydb_store.TinyDBStore`), and gives each appended record its id when it reads it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn

from lessonkit.errors import StoreError
from lessonkit.i18n import _
from lessonkit.store import journal, sealed_index
from lessonkit.store.base import Doc, Predicate, ReadOnlyError, Tx, with_id, without_id
from lessonkit.store.keyring import slug_of
from lessonkit.store.tinydb_store import TinyDBStore


class IndexTx(Tx):
    """A read-only view of the published index."""

    def __init__(self, index: sealed_index.Index) -> None:
        self.index = index

    def _refuse(self) -> NoReturn:
        raise ReadOnlyError("the participant server of an encrypted convening only appends")

    def insert(self, table: str, doc: Doc) -> int:
        self._refuse()

    def insert_with_id(self, table: str, doc_id: int, doc: Doc) -> None:
        self._refuse()

    def update(self, table: str, doc_id: int, fields: Doc) -> None:
        self._refuse()

    def remove(self, table: str, doc_id: int) -> None:
        self._refuse()

    def get(self, table: str, doc_id: int) -> Doc | None:
        doc = self.index.tables.get(table, {}).get(str(int(doc_id)))
        return with_id(doc_id, doc) if doc is not None else None

    def search(self, table: str, predicate: Predicate | None = None) -> list[Doc]:
        docs = sorted((with_id(i, d) for i, d in self.index.tables.get(table, {}).items()), key=lambda d: d["id"])
        return docs if predicate is None else [d for d in docs if predicate(d)]

    def find_one(self, table: str, field: str, value: object) -> Doc | None:
        sealed, doc = self.index.find(table, field, value)
        if not sealed:
            return super().find_one(table, field, value)
        if doc is None:
            return None
        return {**with_id(int(doc.pop("id")), doc), field: value}


class SealedAppendStore(TinyDBStore):
    """An encrypted convening as the participant server sees it (see the module's docstring)."""

    label = "sealed"
    append_only = True

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(path, None)

    def _index(self) -> sealed_index.Index:
        return sealed_index.read(self.path)

    @contextmanager
    def read(self) -> Iterator[Tx]:
        yield IndexTx(self._index())

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        raise StoreError(
            _(
                "This cannot be changed from the participant form: '{slug}' is encrypted, and this server can only "
                "add notes. Ask the facilitator."
            ).format(slug=slug_of(self.path))
        )
        yield IndexTx(self._index())  # pragma: no cover - never reached

    def publish(self) -> None:
        raise StoreError(_("Only the facilitator's unlocked process writes the participant index."))

    def append(self, table: str, build: Callable[[Tx], Doc]) -> int:
        """Check in the index, encrypt, append; returns 0 (the id is given when the facilitator reads the line)."""
        with self._locked(shared=True):
            index = self._index()  # read under the lock: a re-key or decrypt holds it exclusively
            doc = build(IndexTx(index))
            journal.append_sealed(self.path, index.cipher(), table, without_id(doc))
        return 0

    def version(self) -> object:
        keys: list[tuple[int, int, int] | None] = []
        for p in (sealed_index.index_path(self.path), journal.journal_path(self.path)):
            try:
                st = os.stat(p)
                keys.append((st.st_ino, st.st_size, st.st_mtime_ns))
            except FileNotFoundError:
                keys.append(None)
        return tuple(keys)
