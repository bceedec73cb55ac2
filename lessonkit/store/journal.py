"""A crash-safe, multi-process file format for one TinyDB database: a snapshot plus an append-only journal.

``NAME.json`` is a TinyDB JSON file (readable by plain TinyDB). Each committed transaction appends one line to
``NAME.json.journal`` and fsyncs it, so a write costs one small append instead of rewriting the whole file.
When the journal outgrows the snapshot, the two are compacted into a new snapshot written to a temporary file,
fsynced and moved into place with ``os.replace``; a copy of that snapshot is kept as ``NAME.json.lastgood``.
Replaying a journal line sets whole documents, so replaying one twice is harmless.

Callers must hold the file lock around every ``load`` and ``commit``. Within one process the parsed data is kept
between transactions and refreshed from the bytes another process appended, so no handle ever serves stale data.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lessonkit.errors import CorruptStoreError, NotFoundError, StoreError
from lessonkit.i18n import _
from lessonkit.store.group_sync import forget_synced, group_sync

Tables = dict[str, dict[str, Any]]
Change = tuple[str, str, Any]

# The journal is folded into a new snapshot once it is larger than this and than the snapshot itself.
COMPACT_MIN_BYTES = int(os.environ.get("LESSONKIT_COMPACT_MIN_BYTES", 1 << 20))


@dataclass
class Snapshot:
    tables: Tables
    base_key: tuple[int, int, int]
    base_size: int
    journal_ino: int | None = None
    journal_offset: int = 0
    torn_tail: bool = False
    max_ids: dict[str, int] = field(default_factory=dict)


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def last_good_path(path: Path) -> Path:
    return path.with_name(path.name + ".lastgood")


def _key(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _fsync_dir(folder: Path) -> None:
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
    _fsync_dir(path.parent)


def dumps(tables: Tables) -> bytes:
    return json.dumps(tables, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def create(path: Path, tables: Tables | None = None) -> None:
    data = dumps(tables or {})
    write_atomic(path, data)
    write_atomic(last_good_path(path), data)


def _corrupt(path: Path, reason: str) -> CorruptStoreError:
    good = last_good_path(path if not path.name.endswith(".journal") else path.with_name(path.name[:-8]))
    offer = (
        _(" A last good copy exists: {good}. Run `lessonkit convening restore SLUG` (or `lessonkit library "
          "restore`) to move the damaged file aside and continue from it.").format(good=good)
        if good.exists()
        else _(" No last good copy was found; keep the file and ask for help before changing it.")
    )
    return CorruptStoreError(
        _("The file {path} cannot be read ({reason}). It has not been changed.").format(path=path, reason=reason)
        + offer,
        str(path),
        str(good) if good.exists() else None,
    )


def _read_base(path: Path) -> tuple[Tables, os.stat_result]:
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            raw = f.read()
    except FileNotFoundError:
        raise NotFoundError(_("There is no file {path}.").format(path=path)) from None
    except OSError as exc:
        raise _corrupt(path, str(exc)) from exc
    try:
        tables = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _corrupt(path, str(exc)) from exc
    if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
        raise _corrupt(path, _("it is JSON but not a lessonkit database"))
    return tables, st


def _apply(snap: Snapshot, changes: list[Change]) -> None:
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


def _entry(line: bytes, where: Path) -> dict[str, Any]:
    """One journal line as a dict. A line that starts with the torn fragment of an append whose writer died
    mid-write (only possible while others append at the same time) is read from its last complete entry."""
    try:
        return dict(json.loads(line.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError, TypeError, ValueError) as exc:
        cut = max(line.rfind(b'{"c":'), line.rfind(b'{"a":'))
        if cut > 0:
            return _entry(line[cut:], where)
        raise _corrupt(where, str(exc)) from exc


def _apply_entry(snap: Snapshot, entry: dict[str, Any], where: Path) -> tuple[str, int] | None:
    """Apply one journal entry. ``{"c": [[table, id, doc|null], ...]}`` sets or deletes whole documents (a
    transaction); ``{"a": [table, doc], "t": token}`` inserts a document whose id is the table's next one at this
    point of the journal (an append made under the shared lock): every process replays the same order, so every
    process assigns the same id. Returns (token, id) for an append."""
    try:
        if "a" in entry:
            table, doc = entry["a"]
            doc_id = max_id(snap, str(table)) + 1
            _apply(snap, [(str(table), str(doc_id), doc)])
            return str(entry.get("t")), doc_id
        _apply(snap, [(str(t), str(i), d) for t, i, d in entry["c"]])
        return None
    except (KeyError, TypeError, ValueError) as exc:
        raise _corrupt(where, str(exc)) from exc


def _replay(path: Path, snap: Snapshot) -> dict[str, int]:
    """Apply journal lines written since ``snap.journal_offset``; remember an incomplete last line.

    Returns the ids given to appended documents, by their token."""
    jpath = journal_path(path)
    try:
        f = open(jpath, "rb")
    except FileNotFoundError:
        snap.journal_ino, snap.journal_offset, snap.torn_tail = None, 0, False
        return {}
    with f:
        st = os.fstat(f.fileno())
        if snap.journal_ino not in (None, st.st_ino) or st.st_size < snap.journal_offset:
            raise _Reload()
        f.seek(snap.journal_offset)
        chunk = f.read()
    snap.journal_ino = st.st_ino
    end = chunk.rfind(b"\n") + 1
    appended: dict[str, int] = {}
    for line in chunk[:end].splitlines():
        if not line.strip():
            continue
        done = _apply_entry(snap, _entry(line, jpath), jpath)
        if done:
            appended[done[0]] = done[1]
    snap.journal_offset += end
    snap.torn_tail = end < len(chunk)
    return appended


class _Reload(Exception):
    pass


_CACHE: dict[str, Snapshot] = {}


def load(path: Path) -> Snapshot:
    """The current data of ``path`` (lock held by the caller), reusing what this process already parsed."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise NotFoundError(_("There is no file {path}.").format(path=path)) from None
    snap = _CACHE.get(str(path))
    if snap is not None and snap.base_key == _key(st):
        try:
            _replay(path, snap)
            return snap
        except _Reload:
            pass
        except CorruptStoreError:
            forget(path)
            raise
    forget(path)
    tables, st = _read_base(path)
    snap = Snapshot(tables=tables, base_key=_key(st), base_size=st.st_size)
    try:
        _replay(path, snap)
    except _Reload:  # pragma: no cover - a new snapshot cannot have a stale journal offset
        raise _corrupt(journal_path(path), "journal changed while reading") from None
    _CACHE[str(path)] = snap
    return snap


def preload(path: Path) -> None:
    """Parse a new snapshot file *before* taking the lock, so that waiting writers do not parse it one by one.

    Safe because a snapshot is never changed in place, only replaced: ``load`` (under the lock) uses this copy only
    if the file still has the same inode, size and mtime, and replays the journal on top of it.
    """
    try:
        st = os.stat(path)
    except OSError:
        return
    snap = _CACHE.get(str(path))
    if snap is not None and snap.base_key == _key(st):
        return
    try:
        tables, st = _read_base(path)
    except (CorruptStoreError, NotFoundError):
        return  # reported properly under the lock
    _CACHE[str(path)] = Snapshot(tables=tables, base_key=_key(st), base_size=st.st_size)


def commit(path: Path, snap: Snapshot, changes: list[Change]) -> None:
    """Append one journal line holding ``changes`` (lock held), then compact if the journal has grown large."""
    if not changes:
        return
    line = json.dumps({"c": changes}, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
    jpath = journal_path(path)
    new_file = not jpath.exists()
    with open(jpath, "r+b" if not new_file else "wb") as f:
        f.seek(snap.journal_offset)
        if snap.torn_tail:
            f.truncate(snap.journal_offset)
        f.write(line)
        f.flush()
        os.fsync(f.fileno())
        snap.journal_ino = os.fstat(f.fileno()).st_ino
    if new_file:
        _fsync_dir(path.parent)
    snap.journal_offset += len(line)
    snap.torn_tail = False
    _apply(snap, changes)
    if needs_compaction(snap):
        compact(path, snap)


def append_insert(path: Path, snap: Snapshot, table: str, doc: dict[str, Any]) -> int:
    """Insert ``doc`` by appending one line with ``O_APPEND`` and fsync; returns its id.

    The caller holds the *shared* lock: appenders run side by side (the kernel keeps each append whole and in
    order), while transactions and compaction, which need the file to themselves, take the exclusive lock.
    """
    token = secrets.token_hex(8)
    line = json.dumps({"a": [table, doc], "t": token}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    jpath = journal_path(path)
    created = not jpath.exists()
    fd = os.open(jpath, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        written = os.write(fd, line + b"\n")
        end = os.lseek(fd, 0, os.SEEK_CUR)
        group_sync(jpath, fd, end)
    finally:
        os.close(fd)
    if created:
        _fsync_dir(path.parent)
    if written != len(line) + 1:
        raise StoreError(_("Could not write to {path} (is the disk full?).").format(path=jpath))
    doc_id = _replay(path, snap).get(token)
    if doc_id is None:  # pragma: no cover - our own complete line is always replayed
        raise StoreError(_("A note written to {path} could not be read back.").format(path=jpath))
    return doc_id


def needs_compaction(snap: Snapshot) -> bool:
    return snap.journal_offset > max(COMPACT_MIN_BYTES, snap.base_size)


def compact(path: Path, snap: Snapshot) -> None:
    """Fold the journal into a new snapshot and keep a copy of it as the last good one."""
    data = dumps(snap.tables)
    write_atomic(path, data)
    jpath = journal_path(path)
    forget_synced(jpath)  # the new journal may reuse the old one's inode number
    tmp = jpath.with_name(f".{jpath.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, jpath)
    _fsync_dir(path.parent)
    good = last_good_path(path)
    tmp_good = good.with_name(f".{good.name}.tmp-{os.getpid()}")
    shutil.copyfile(path, tmp_good)
    os.replace(tmp_good, good)
    st = os.stat(path)
    snap.base_key, snap.base_size = _key(st), st.st_size
    snap.journal_ino, snap.journal_offset, snap.torn_tail = os.stat(jpath).st_ino, 0, False


def recover(good: Path, journal_file: Path | None) -> tuple[Tables, int]:
    """The last good snapshot plus every journal line after it that still reads cleanly (stops at the first bad one).

    The last good copy is the snapshot of the last compaction and the journal holds everything since, so an intact
    journal brings the data back to its latest state. Returns (tables, journal lines replayed).
    """
    tables, _st = _read_base(good)
    snap = Snapshot(tables=tables, base_key=(0, 0, 0), base_size=0)
    replayed = 0
    if journal_file is not None and journal_file.exists():
        for line in journal_file.read_bytes().split(b"\n"):
            if not line.strip():
                continue
            try:
                _apply_entry(snap, _entry(line, journal_file), journal_file)
            except CorruptStoreError:
                break
            replayed += 1
    return snap.tables, replayed


def forget(path: Path) -> None:
    """Drop this process's cached copy (after a restore or a delete)."""
    _CACHE.pop(str(path), None)
