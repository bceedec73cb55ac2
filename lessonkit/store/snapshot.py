"""The snapshot file of a database and how journal lines are applied to it (see :mod:`lessonkit.store.journal`).

``NAME.json`` is a plain TinyDB file. One extra table, ``_journal``, records which journal the snapshot absorbed and
how many of its bytes, so replay never applies a line twice. Applying is pure: bytes in, tables changed.

On an encrypted convening the snapshot (and so its last good copy) is that same JSON inside one age file
(:mod:`lessonkit.store.age_cipher`): ``age -d -i KEY NAME.json`` gives the TinyDB file back. Plain data found in an
encrypted convening (a snapshot or lines written before it was encrypted, by a process killed half-way through
``convening encrypt``) is read, never refused, and marks the snapshot ``plain`` so the next compaction encrypts it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lessonkit.errors import CorruptStoreError, NotFoundError
from lessonkit.i18n import _
from lessonkit.store import journal_lines as lines
from lessonkit.store.age_cipher import CannotDecrypt, Cipher, is_sealed
from lessonkit.store.journal_lines import Damage

Tables = dict[str, dict[str, Any]]
Change = tuple[str, str, Any]


#: The table of a snapshot that says which journal it absorbed; it is not data and never reaches a transaction.
META = "_journal"


@dataclass
class Absorbed:
    """How far a snapshot holds a journal: the journal's identity and how many of its bytes."""

    journal: str | None = None
    offset: int = 0
    generation: int = 0


@dataclass
class Snapshot:
    tables: Tables
    base_key: tuple[int, int, int]
    base_size: int
    absorbed: Absorbed = field(default_factory=Absorbed)
    journal_ino: int | None = None
    journal_id: str | None = None
    generation: int = 0
    journal_offset: int = 0
    lines: int = 0  # complete lines before journal_offset (for line numbers in reports)
    torn_tail: bool = False
    damage: list[Damage] = field(default_factory=list)
    max_ids: dict[str, int] = field(default_factory=dict)
    cipher: Cipher | None = None  # the convening's keys, when it is encrypted
    plain: bool = False  # encrypted, yet holds data read from plain bytes: to be encrypted by the next compaction


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def last_good_path(path: Path) -> Path:
    return path.with_name(path.name + ".lastgood")


def key(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write a temp file in the same folder, fsync it, ``os.replace`` it over ``path``, fsync the folder."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def dumps(tables: Tables, absorbed: Absorbed | None = None, cipher: Cipher | None = None) -> bytes:
    """The snapshot file: the tables, plus (as one more TinyDB table) how far it absorbed which journal; one age
    file with ``cipher``."""
    out: dict[str, Any] = dict(tables)
    if absorbed is not None:
        out[META] = {"1": {"journal": absorbed.journal, "offset": absorbed.offset, "generation": absorbed.generation}}
    data = json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return cipher.seal(data) if cipher is not None else data


def corrupt(path: Path, reason: str) -> CorruptStoreError:
    base = path if not path.name.endswith(".journal") else path.with_name(path.name[:-8])
    good = last_good_path(base)
    command = restore_command(base)
    offer = (
        _("A last good copy exists: {good}. Run `{command}` to move the damaged file aside and continue from it.")
        .format(good=good, command=command)
        if good.exists()
        else _("No last good copy was found; keep the file and ask for help before changing it.")
    )
    return CorruptStoreError(
        _("The file {path} cannot be read ({reason}). It has not been changed.").format(path=path, reason=reason)
        + " "
        + offer,
        str(path),
        str(good) if good.exists() else None,
    )


def restore_command(path: Path) -> str:
    """The command that restores the database file ``path`` (a convening's, or the library)."""
    if path.parent.name == "convenings" and path.name.endswith(".json"):
        return f"lessonkit convening restore {path.name[:-5]}"
    return "lessonkit library restore"


def read_base(path: Path, cipher: Cipher | None = None) -> tuple[Tables, Absorbed, os.stat_result, bool]:
    """(tables, how far they hold the journal, the file's stat, whether the bytes were encrypted)."""
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            raw = f.read()
    except FileNotFoundError:
        raise NotFoundError(_("There is no file {path}.").format(path=path)) from None
    except OSError as exc:
        raise corrupt(path, str(exc)) from exc
    sealed = is_sealed(raw)
    if sealed:
        if cipher is None:
            raise corrupt(path, _("it is encrypted and this convening has no keys file beside it"))
        try:
            raw = cipher.open(raw)
        except CannotDecrypt as exc:
            raise corrupt(path, str(exc)) from None
    try:
        tables = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise corrupt(path, str(exc)) from exc
    if not isinstance(tables, dict):
        raise corrupt(path, _("it is JSON but not a lessonkit database"))
    meta = tables.pop(META, None)
    for name, rows in tables.items():
        if not (isinstance(rows, dict) and lines.TABLE_RE.fullmatch(name)):
            raise corrupt(path, _("it is JSON but not a lessonkit database"))
        if not all(isinstance(d, dict) and lines.ID_RE.fullmatch(i) for i, d in rows.items()):
            raise corrupt(path, _("the table '{t}' holds something that is not a record").format(t=name))
    try:
        absorbed = Absorbed(**meta["1"]) if meta is not None else Absorbed()
        if not isinstance(absorbed.offset, int) or not isinstance(absorbed.generation, int):
            raise TypeError
    except (KeyError, TypeError):
        raise corrupt(path, _("its note of how far it holds the journal is damaged")) from None
    return tables, absorbed, st, sealed


def apply(snap: Snapshot, changes: list[Change]) -> None:
    for table, doc_id, doc in changes:
        rows = snap.tables.setdefault(table, {})
        if doc is None:
            rows.pop(doc_id, None)
            snap.max_ids.pop(table, None)
        else:
            rows[doc_id] = doc
            if table in snap.max_ids:
                snap.max_ids[table] = max(snap.max_ids[table], int(doc_id))


def max_id(snap: Snapshot, table: str) -> int:
    """The highest document id in ``table`` (0 when empty), cached between transactions."""
    if table not in snap.max_ids:
        snap.max_ids[table] = max((int(k) for k in snap.tables.get(table, {})), default=0)
    return snap.max_ids[table]


def apply_entry(snap: Snapshot, entry: lines.Entry) -> tuple[str, int] | None:
    """Apply one (well-shaped) entry; returns (token, id) for an append."""
    if "journal" in entry:
        snap.generation = int(entry.get("generation", 0))
        return None
    if "a" in entry:
        table, doc = entry["a"]
        doc_id = max_id(snap, table) + 1
        apply(snap, [(table, str(doc_id), doc)])
        return str(entry.get("t")), doc_id
    apply(snap, [(t, i, d) for t, i, d in entry["c"]])
    return None


def apply_chunk(snap: Snapshot, chunk: bytes, start: int) -> tuple[dict[str, int], int, int]:
    """Apply the complete lines of ``chunk`` (read at ``snap.journal_offset``) from ``start``; damaged ones are
    collected in ``snap.damage``. Returns (ids of appended documents by token, bytes consumed, changes applied)."""
    end = max(chunk.rfind(b"\n") + 1, start)
    appended: dict[str, int] = {}
    pos, number, applied = start, snap.lines, 0
    for raw in chunk[start:end].split(b"\n")[:-1]:
        number += 1
        if raw.strip():
            for item in lines.read_lines(raw, number, snap.journal_offset + pos, snap.tables.keys(), snap.cipher):
                if isinstance(item, Damage):
                    snap.damage.append(item)
                    for table, doc_id in item.reserves:
                        snap.max_ids[table] = max(max_id(snap, table) + (doc_id == 0), doc_id)
                    continue
                if snap.cipher is not None and "journal" not in item and not lines.is_sealed(raw):
                    snap.plain = True
                applied += "journal" not in item
                done = apply_entry(snap, item)
                if done:
                    appended[done[0]] = done[1]
        pos += len(raw) + 1
    snap.lines = number
    return appended, end, applied
