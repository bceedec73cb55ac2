"""The published index of an encrypted convening: what the participant server may read, and nothing more.

``SLUG.json.index`` is readable JSON, rewritten (atomically, under the exclusive lock) by the facilitator's unlocked
process after every change to a table it is made from::

    {"format": "lessonkit-index", "version": 1, "key_id": "…",
     "recipients": ["age1…"],              where the participant server encrypts notes to
     "codes": {"salt": "…", "n": …},       how a typed join code finds its sealed entry
     "tables": {"sessions": {"3": {…}}},   readable records, TinyDB-style (id -> document)
     "sealed": {"participants": {"field": "join_code", "entries": {LOOKUP: SEALED}}}}

*What* goes in is decided above the store (``lessonkit.services.published`` registers a projection); the store
only writes it, reads it, and opens a sealed entry for the code a person types (:mod:`lessonkit.store.code_seal`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lessonkit.errors import StoreError
from lessonkit.i18n import _
from lessonkit.store import code_seal
from lessonkit.store.age_cipher import Cipher
from lessonkit.store.snapshot import Tables, write_atomic

FORMAT = "lessonkit-index"
VERSION = 1
Doc = dict[str, Any]


@dataclass(frozen=True)
class Published:
    """A projection's answer: readable ``tables`` (name -> id -> document) and ``sealed`` ones (name -> (key field,
    key value -> document)); each sealed document can be opened only with its key value (a join code)."""

    tables: dict[str, dict[str, Doc]] = field(default_factory=dict)
    sealed: dict[str, tuple[str, dict[str, Doc]]] = field(default_factory=dict)


Projection = Callable[[Tables], Published]
_PROJECTION: list[tuple[Projection, frozenset[str]]] = []


def set_projection(projection: Projection, sources: Iterable[str]) -> None:
    """What the index holds: ``projection(tables)``, rebuilt whenever a table in ``sources`` changes."""
    _PROJECTION.clear()
    _PROJECTION.append((projection, frozenset(sources)))


def touches(tables: Iterable[str]) -> bool:
    """Whether a change to ``tables`` changes the index."""
    return bool(_PROJECTION) and not _PROJECTION[0][1].isdisjoint(tables)


def index_path(path: Path) -> Path:
    return path.with_name(path.name + ".index")


def build(tables: Tables, cipher: Cipher) -> dict[str, Any]:
    published = _PROJECTION[0][0](tables) if _PROJECTION else Published()
    sealed: dict[str, Any] = {}
    for name, (key_field, docs) in published.sealed.items():
        entries = dict(code_seal.seal(key, cipher.code_params, doc) for key, doc in docs.items())
        sealed[name] = {"field": key_field, "entries": dict(sorted(entries.items()))}
    return {
        "format": FORMAT,
        "version": VERSION,
        "key_id": cipher.key_id,
        "recipients": list(cipher.recipients),
        "codes": cipher.code_params,
        "tables": published.tables,
        "sealed": sealed,
    }


def publish(path: Path, tables: Tables, cipher: Cipher) -> None:
    """Write the index of convening file ``path`` from its current ``tables`` (exclusive lock held)."""
    data = json.dumps(build(tables, cipher), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    write_atomic(index_path(path), data)


@dataclass
class Index:
    recipients: list[str]
    codes: dict[str, Any]
    key_id: str
    tables: dict[str, dict[str, Doc]]
    sealed: dict[str, dict[str, Any]]

    def cipher(self) -> Cipher:
        """Keys that encrypt and cannot read."""
        return Cipher(self.recipients, (), self.key_id, dict(self.codes))

    def find(self, table: str, key_field: str, value: object) -> tuple[bool, Doc | None]:
        """(whether ``table`` is sealed by ``key_field``, the document sealed under ``value`` if any)."""
        spec = self.sealed.get(table)
        if not spec or spec.get("field") != key_field or not isinstance(value, str):
            return False, None
        return True, code_seal.unseal(value, self.codes, spec.get("entries") or {})


_CACHE: dict[str, tuple[tuple[int, int, int], Index]] = {}


def read(path: Path) -> Index:
    """The index of convening file ``path`` (parsed again only when the file was replaced)."""
    ipath = index_path(path)
    try:
        st = os.stat(ipath)
    except FileNotFoundError:
        raise StoreError(
            _(
                "The convening '{slug}' is encrypted and has no participant index yet: the facilitator unlocks it "
                "once (for example with `lessonkit convening publish {slug}`) to write it."
            ).format(slug=path.name[:-5])
        ) from None
    key = (st.st_ino, st.st_size, st.st_mtime_ns)
    cached = _CACHE.get(str(ipath))
    if cached is not None and cached[0] == key:
        return cached[1]
    try:
        data = json.loads(ipath.read_bytes().decode("utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(data.get("format"))
        index = Index(
            recipients=[str(r) for r in data["recipients"]],
            codes=dict(data["codes"]),
            key_id=str(data.get("key_id", "")),
            tables={str(k): dict(v) for k, v in (data.get("tables") or {}).items()},
            sealed={str(k): dict(v) for k, v in (data.get("sealed") or {}).items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StoreError(
            _("The participant index {path} cannot be read ({e}): ask the facilitator to unlock the convening once.")
            .format(path=ipath, e=exc)
        ) from None
    _CACHE[str(ipath)] = (key, index)
    return index


def remove(path: Path) -> None:
    index_path(path).unlink(missing_ok=True)
    _CACHE.pop(str(index_path(path)), None)
