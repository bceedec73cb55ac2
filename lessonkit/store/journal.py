"""A crash-safe, multi-process file format for one TinyDB database: a snapshot plus an append-only journal.

``NAME.json`` is a TinyDB JSON file (readable by plain TinyDB). Each committed transaction appends one checked line
to ``NAME.json.journal`` (format: :mod:`lessonkit.store.journal_lines`) and fsyncs it, so a write costs one small
append instead of rewriting the whole file. When the journal outgrows the snapshot, the two are compacted: a new
snapshot (and the same bytes as ``NAME.json.lastgood``) is written to a temporary file, fsynced and moved into place
with ``os.replace``, then a new journal replaces the old one.

Idempotent replay: the snapshot records, in its ``_journal`` table, which journal it absorbed (by the id in the
journal's header) and how many of its bytes. A compaction killed after the new snapshot is in place but before the
journal was replaced therefore costs nothing: replay skips what the snapshot already holds, and appends made after
the crash are replayed from where it stopped.

Damage: a line that fails its check is left out and every other line is applied. The first process that reads the
damage while holding the exclusive lock copies the whole journal, unchanged, into ``NAME.json.damaged-STAMP/``
with a report naming the lines, logs a warning, and compacts (so the damaged line is read no more). A last line
without its newline is an append still being written while appenders hold the shared lock; under the exclusive lock
nobody is writing, so it was left by a writer that died and is kept aside the same way.

Encryption at rest: given the convening's keys (``cipher``), the snapshot and last good copy are age files and
every line but the header is encrypted (:mod:`lessonkit.store.snapshot`, :mod:`lessonkit.store.journal_lines`);
the keys travel on the Snapshot. :func:`append_sealed` appends with the public key only (the participant server,
which can neither replay nor compact an encrypted journal).

Callers must hold the file lock around every ``load`` and ``commit``. Within one process the parsed data is kept
between transactions and refreshed from the bytes another process appended, so no handle ever serves stale data.
"""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessonkit.errors import CorruptStoreError, NotFoundError, StoreError
from lessonkit.i18n import _, ngettext
from lessonkit.store import aside
from lessonkit.store import journal_lines as lines
from lessonkit.store.age_cipher import Cipher
from lessonkit.store.group_sync import forget_synced, group_sync
from lessonkit.store.snapshot import (
    Absorbed,
    Change,
    Snapshot,
    Tables,
    apply,
    apply_chunk,
    corrupt,
    dumps,
    journal_path,
    key,
    last_good_path,
    read_base,
    write_atomic,
)
from lessonkit.store.snapshot import max_id as max_id  # re-exported: the stores' transactions use it

log = logging.getLogger("lessonkit.store")

# The journal is folded into a new snapshot once it is larger than this and than the snapshot itself.
COMPACT_MIN_BYTES = int(os.environ.get("LESSONKIT_COMPACT_MIN_BYTES", 1 << 20))


@dataclass(frozen=True)
class Recovered:
    tables: Tables
    replayed: int
    damage: tuple[str, ...]


def create(path: Path, tables: Tables | None = None, cipher: Cipher | None = None) -> None:
    """A new database holding ``tables`` (encrypted with ``cipher``): the snapshot appears last, in one step, so a
    kill leaves nothing half-made (a journal or last good copy left by an earlier kill is replaced)."""
    jpath = journal_path(path)
    forget_synced(jpath)
    head, _jid = lines.header(1)
    write_atomic(jpath, head)
    data = dumps(tables or {}, Absorbed(), cipher)
    write_atomic(last_good_path(path), data)
    write_atomic(path, data)


def _replay(path: Path, snap: Snapshot) -> dict[str, int]:
    """Apply journal lines written since ``snap.journal_offset``; remember an incomplete last line.

    Returns the ids given to appended documents, by their token."""
    jpath = journal_path(path)
    try:
        f = open(jpath, "rb")
    except FileNotFoundError:
        snap.journal_ino, snap.journal_id, snap.journal_offset, snap.lines, snap.torn_tail = None, None, 0, 0, False
        return {}
    with f:
        st = os.fstat(f.fileno())
        if snap.journal_ino not in (None, st.st_ino) or st.st_size < snap.journal_offset:
            raise _Reload()
        f.seek(snap.journal_offset)
        chunk = f.read()
    start = 0
    if snap.journal_ino is None:  # a journal read from its start: does the snapshot already hold some of it?
        first = chunk.find(b"\n")
        snap.journal_id = lines.identity(chunk[:first]) if first >= 0 else None
        if snap.journal_id is not None and snap.journal_id == snap.absorbed.journal:
            start = min(snap.absorbed.offset, len(chunk))
            snap.lines = chunk[:start].count(b"\n")
            snap.generation = snap.absorbed.generation
    snap.journal_ino = st.st_ino
    appended, end, _n = apply_chunk(snap, chunk, start)
    snap.journal_offset += end
    snap.torn_tail = end < len(chunk)
    return appended


class _Reload(Exception):
    pass


_CACHE: dict[str, Snapshot] = {}
_SWEPT: set[str] = set()  # files whose stale temp files this process has swept (on its first exclusive load)


def load(path: Path, exclusive: bool = True, settle: bool = True, cipher: Cipher | None = None) -> Snapshot:
    """The current data of ``path``, reusing what this process already parsed. The caller holds the lock:
    ``exclusive`` (then, unless ``settle`` is false, damage found in the journal is kept aside, reported with a
    warning and compacted away, and plain data in an encrypted convening is encrypted) or shared (appenders).
    ``cipher``: the convening's keys, when it is encrypted."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise NotFoundError(_("There is no file {path}.").format(path=path)) from None
    snap = _cached(path, cipher)
    if exclusive and str(path) not in _SWEPT:  # the first time this process holds the file alone
        aside.clean_stale_temps(path.parent, f".{path.name}.")
        _SWEPT.add(str(path))
    if snap is not None and snap.base_key == key(st):
        try:
            _replay(path, snap)
            return _settle(path, snap, exclusive and settle)
        except _Reload:
            pass
        except (CorruptStoreError, OSError):
            forget(path)
            raise
    _CACHE.pop(str(path), None)
    tables, absorbed, st, sealed = read_base(path, cipher)
    snap = Snapshot(tables=tables, base_key=key(st), base_size=st.st_size, absorbed=absorbed, cipher=cipher)
    snap.plain = cipher is not None and not sealed
    try:
        _replay(path, snap)
    except _Reload:  # pragma: no cover - a new snapshot cannot have a stale journal offset
        raise corrupt(journal_path(path), "journal changed while reading") from None
    _CACHE[str(path)] = snap
    return _settle(path, snap, exclusive and settle)


def _cached(path: Path, cipher: Cipher | None) -> Snapshot | None:
    """This process's parsed copy of ``path``, if it was read with the same keys (else it is dropped)."""
    snap = _CACHE.get(str(path))
    if snap is None:
        return None
    if getattr(snap.cipher, "key_id", None) != getattr(cipher, "key_id", None):
        _CACHE.pop(str(path), None)
        return None
    snap.cipher = cipher  # the same keys, as the caller holds them now
    return snap


def _settle(path: Path, snap: Snapshot, exclusive: bool) -> Snapshot:
    if exclusive and (snap.damage or snap.torn_tail):
        numbers = damaged_lines(snap)
        kept = compact(path, snap)
        assert kept is not None
        _warn(path, numbers, kept)
    elif exclusive and snap.plain:
        compact(path, snap)
    return snap


def damaged_lines(snap: Snapshot) -> list[int]:
    """The numbers of the journal lines found damaged (a cut-off last line included, when it counts as damage)."""
    return sorted({d.line for d in snap.damage} | ({snap.lines + 1} if snap.torn_tail else set()))


def preload(path: Path, cipher: Cipher | None = None) -> None:
    """Parse a new snapshot file *before* taking the lock, so that waiting writers do not parse it one by one.

    Safe because a snapshot is never changed in place, only replaced: ``load`` (under the lock) uses this copy only
    if the file still has the same inode, size and mtime, and replays the journal on top of it.
    """
    try:
        st = os.stat(path)
    except OSError:
        return
    snap = _cached(path, cipher)
    if snap is not None and snap.base_key == key(st):
        return
    try:
        tables, absorbed, st, sealed = read_base(path, cipher)
    except (CorruptStoreError, NotFoundError):
        return  # reported properly under the lock
    snap = Snapshot(tables=tables, base_key=key(st), base_size=st.st_size, absorbed=absorbed, cipher=cipher)
    snap.plain = cipher is not None and not sealed
    _CACHE[str(path)] = snap


def has_journal(snap: Snapshot) -> bool:
    return snap.journal_ino is not None


#: A transaction changing more documents than this (and than the file holds) is written as a new snapshot rather
#: than as a journal line that the next compaction would write again (a bulk import: one write instead of two).
BULK_CHANGES = 1000


def commit(path: Path, snap: Snapshot, changes: list[Change]) -> None:
    """Append one journal line holding ``changes`` (exclusive lock held), then compact if the journal has grown."""
    if not changes:
        return
    if not has_journal(snap) or len(changes) > max(BULK_CHANGES, sum(len(t) for t in snap.tables.values())):
        apply(snap, changes)  # durable once the new snapshot is in place; until then the old one stands whole
        try:
            compact(path, snap)
        except BaseException:
            forget(path)  # the changes are in memory only: read the files again
            raise
        return
    line = lines.encode({"c": changes}, snap.cipher)
    fd = os.open(journal_path(path), os.O_WRONLY | os.O_APPEND)
    try:
        if os.write(fd, line) != len(line):
            raise StoreError(_("Could not write to {path} (is the disk full?).").format(path=journal_path(path)))
        os.fsync(fd)
    finally:
        os.close(fd)
    snap.journal_offset += len(line)
    snap.lines += 1
    apply(snap, changes)
    if needs_compaction(snap):
        compact(path, snap)


def append_insert(path: Path, snap: Snapshot, table: str, doc: dict[str, Any]) -> int:
    """Insert ``doc`` by appending one line with ``O_APPEND`` and fsync; returns its id.

    The caller holds the *shared* lock (and the journal exists): appenders run side by side (the kernel keeps each
    append whole and in order), while transactions and compaction, which need the file to themselves, take the
    exclusive lock. The id is the one replay gives the line, read back after the append.
    """
    token = secrets.token_hex(8)
    line = lines.encode({"a": [table, doc], "t": token}, snap.cipher)
    jpath = journal_path(path)
    fd = os.open(jpath, os.O_WRONLY | os.O_APPEND)
    try:
        written = os.write(fd, line)
        end = os.lseek(fd, 0, os.SEEK_CUR)
        group_sync(jpath, fd, end)
    finally:
        os.close(fd)
    if written != len(line):
        raise StoreError(_("Could not write to {path} (is the disk full?).").format(path=jpath))
    doc_id = _replay(path, snap).get(token)
    if doc_id is None:  # pragma: no cover - our own complete line is always replayed
        raise StoreError(_("A record written to {path} could not be read back.").format(path=jpath))
    return doc_id


def append_sealed(path: Path, cipher: Cipher, table: str, doc: dict[str, Any]) -> None:
    """Append ``doc`` to ``table`` encrypted to ``cipher``'s recipients, without reading anything (the caller holds
    the shared lock): the participant server of an encrypted convening. Its id is given when the facilitator's
    process replays the line, by the same rule as every append."""
    jpath = journal_path(path)
    if not jpath.exists():
        raise StoreError(_("{path} has no journal: the facilitator must open the convening once.").format(path=path))
    line = lines.encode({"a": [table, doc], "t": secrets.token_hex(8)}, cipher)
    fd = os.open(jpath, os.O_WRONLY | os.O_APPEND)  # as in append_insert: one whole line, group commit
    try:
        written = os.write(fd, line)
        end = os.lseek(fd, 0, os.SEEK_CUR)
        group_sync(jpath, fd, end)
    finally:
        os.close(fd)
    if written != len(line):
        raise StoreError(_("Could not write to {path} (is the disk full?).").format(path=jpath))


def needs_compaction(snap: Snapshot) -> bool:
    return snap.journal_offset > max(COMPACT_MIN_BYTES, snap.base_size) or bool(snap.damage) or snap.plain


def compact(path: Path, snap: Snapshot) -> Path | None:
    """Fold the journal into a new snapshot (also kept as the last good copy) and start a new journal.

    The exclusive lock is held. Damage found in the journal is first kept aside (see the module's docstring);
    returns that folder, if any."""
    jpath = journal_path(path)
    _replay(path, snap)
    kept = None
    if snap.damage or snap.torn_tail:
        kept = aside.keep_journal(path, jpath, snap.damage, snap.lines + 1 if snap.torn_tail else None)
    aside.clean_stale_temps(path.parent, f".{path.name}.")
    try:
        size = os.stat(jpath).st_size
    except FileNotFoundError:
        size = 0
    absorbed = Absorbed(snap.journal_id, size, snap.generation)
    data = dumps(snap.tables, absorbed, snap.cipher)
    write_atomic(path, data)
    write_atomic(last_good_path(path), data)
    forget_synced(jpath)  # the new journal may reuse the old one's inode number
    head, journal_id = lines.header(snap.generation + 1)
    write_atomic(jpath, head)
    st = os.stat(path)
    snap.base_key, snap.base_size, snap.absorbed = key(st), st.st_size, absorbed
    snap.journal_ino, snap.journal_id, snap.generation = os.stat(jpath).st_ino, journal_id, snap.generation + 1
    snap.journal_offset, snap.lines, snap.torn_tail, snap.damage = len(head), 1, False, []
    snap.plain = False
    return kept


def _warn(path: Path, numbers: list[int], kept: Path) -> None:
    shown = ", ".join(str(n) for n in numbers)
    log.warning(
        ngettext(
            "Line {lines} of {journal} was damaged and was left out; every other change was kept. The journal as it "
            "was is kept in {folder} (see {report} there).",
            "Lines {lines} of {journal} were damaged and were left out; every other change was kept. The journal as "
            "it was is kept in {folder} (see {report} there).",
            len(numbers),
        ).format(lines=shown, journal=journal_path(path), folder=kept, report=aside.REPORT)
    )


def recover(good: Path, journal_file: Path | None, cipher: Cipher | None = None) -> Recovered:
    """The last good snapshot plus every journal line after it that reads cleanly (damaged lines are left out).

    The last good copy is the snapshot of the last compaction and the journal holds everything since, so an intact
    journal brings the data back to its latest state. ``cipher`` reads an encrypted convening's files.
    """
    tables, absorbed, _st, _sealed = read_base(good, cipher)
    snap = Snapshot(tables=tables, base_key=(0, 0, 0), base_size=0, absorbed=absorbed, cipher=cipher)
    if journal_file is None or not journal_file.exists():
        return Recovered(snap.tables, 0, ())
    chunk = journal_file.read_bytes()
    first = chunk.find(b"\n")
    start = 0
    if first >= 0 and lines.identity(chunk[:first]) == absorbed.journal:
        start = min(absorbed.offset, len(chunk))
        snap.lines = chunk[:start].count(b"\n")
    _appended, end, replayed = apply_chunk(snap, chunk, start)
    torn = snap.lines + 1 if end < len(chunk) else None
    return Recovered(snap.tables, replayed, tuple(aside.describe(snap.damage, torn)))


def forget(path: Path) -> None:
    """Drop this process's cached copy (after a restore or a delete); the next exclusive load sweeps temp files."""
    _CACHE.pop(str(path), None)
    _SWEPT.discard(str(path))
