"""The Store seam: one small interface, two implementations (TinyDB file and memory).

Every operation runs inside a transaction: a consistent view of the data, and writes that land all together
or not at all. Documents come back as plain dicts with their integer ``id`` added.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

Doc = dict[str, Any]
Predicate = Callable[[Doc], bool]


class Tx(ABC):
    """Operations available inside a transaction."""

    @abstractmethod
    def insert(self, table: str, doc: Doc) -> int: ...

    @abstractmethod
    def insert_with_id(self, table: str, doc_id: int, doc: Doc) -> None:
        """Insert ``doc`` under its own id (a bundle's records keep theirs); refused when the id is taken.
        Costs the same whatever the id, and later ``insert`` calls continue after the highest id."""

    @abstractmethod
    def get(self, table: str, doc_id: int) -> Doc | None: ...

    @abstractmethod
    def search(self, table: str, predicate: Predicate | None = None) -> list[Doc]: ...

    @abstractmethod
    def update(self, table: str, doc_id: int, fields: Doc) -> None: ...

    @abstractmethod
    def remove(self, table: str, doc_id: int) -> None: ...

    def all(self, table: str) -> list[Doc]:
        return self.search(table)

    def find_one(self, table: str, field: str, value: object) -> Doc | None:
        """The first record whose ``field`` equals ``value``. A store may answer without listing the table: the
        participant server of an encrypted convening finds a join code this way, and can list no participant."""
        found = self.search(table, lambda d: d.get(field) == value)
        return found[0] if found else None


class Store(ABC):
    """A convening's (or the library's) records."""

    label: str = "store"
    #: True for a store that can only append and reads a published subset (the participant server of an encrypted
    #: convening): transactions are refused, so forms offer no change that needs one.
    append_only: bool = False

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Tx]:
        """Exclusive read-modify-write: all writes land when the block ends without an exception."""

    @abstractmethod
    def read(self) -> AbstractContextManager[Tx]:
        """A consistent read-only view."""

    @abstractmethod
    def version(self) -> object:
        """A cheap token that changes whenever the data may have changed (for polling boards)."""

    def append(self, table: str, build: Callable[[Tx], Doc]) -> int:
        """Insert the document ``build(view)`` returns, after it checked what it needs in a read-only ``view``.

        For records that only ever get added (a participant's note): the file store lets many of these run side
        by side instead of queueing for the exclusive lock. ``build`` may raise to refuse; then nothing is written.
        """
        with self.transaction() as tx:
            return tx.insert(table, build(tx))

    # Conveniences: one operation, one transaction.
    def insert(self, table: str, doc: Doc) -> int:
        with self.transaction() as tx:
            return tx.insert(table, doc)

    def get(self, table: str, doc_id: int) -> Doc | None:
        with self.read() as tx:
            return tx.get(table, doc_id)

    def search(self, table: str, predicate: Predicate | None = None) -> list[Doc]:
        with self.read() as tx:
            return tx.search(table, predicate)

    def all(self, table: str) -> list[Doc]:
        return self.search(table)

    def update(self, table: str, doc_id: int, fields: Doc) -> None:
        with self.transaction() as tx:
            tx.update(table, doc_id, fields)

    def remove(self, table: str, doc_id: int) -> None:
        with self.transaction() as tx:
            tx.remove(table, doc_id)


class ReadOnlyError(RuntimeError):
    """A write attempted inside ``Store.read()``: a programming error, not a user's."""


def clone(value: Any) -> Any:
    """A deep copy of JSON-like data (dicts, lists, scalars), much faster than ``copy.deepcopy``."""
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clone(v) for v in value]
    return value


MAX_ID = 10**15  # ids stay exact in JSON readers that use doubles, and short in journal lines


def check_id(doc_id: object) -> int:
    """A document id: a whole number from 1 to MAX_ID (not a bool)."""
    if isinstance(doc_id, bool) or not isinstance(doc_id, int) or not 1 <= doc_id <= MAX_ID:
        raise ValueError(f"a record id must be a whole number from 1 to {MAX_ID}, not {doc_id!r}")
    return doc_id


def with_id(doc_id: int | str, doc: Doc) -> Doc:
    """A copy of a stored document for the caller, with its id: changing it cannot change the store."""
    out = clone(doc)
    out["id"] = int(doc_id)
    return out


def without_id(doc: Doc) -> Doc:
    """A copy of the caller's document for storing, without the id."""
    return {k: clone(v) for k, v in doc.items() if k != "id"}
