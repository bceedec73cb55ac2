"""The journal's line format: every line carries a check, so a damaged byte costs its own line and nothing else.

A line is ``CHECK SP PAYLOAD LF``:

* ``CHECK`` is the CRC-32 of the PAYLOAD bytes exactly as stored, as 8 lower-case hex digits. It finds every
  change of up to 32 consecutive bits (any single flipped byte), which is what disks and torn writes do. It is not a
  defence against someone who edits the file on purpose: that is the job of encryption at rest.
* ``PAYLOAD`` never holds a newline byte. It is compact UTF-8 JSON (an object, so it starts with ``{``), or on an
  encrypted convening ``age:`` + base64 of an age file holding that JSON (``age:TABLE:`` + base64 for an append, so
  the table whose next id it takes stays known even when the line is damaged). The check covers the stored bytes:
  damage is found without decrypting anything. The header line stays plain JSON (it says nothing about anyone).

The payload is one of:

``{"journal": 2, "id": ID, "generation": N}``  the header, first line of every journal this version starts. ``ID``
    (random) tells this journal from every other one, so a snapshot can say how far it has absorbed it.
``{"c": [[TABLE, "ID", DOC|null], ...]}``  a transaction: sets (or, with null, deletes) whole documents.
``{"a": [TABLE, DOC], "t": TOKEN}``  an append: the document's id is the table's next one at this point of the
    journal, so every process that replays the same bytes gives it the same id.

Lines written before checks existed (bare JSON) are still read; they are upgraded by the next compaction.
A line that fails its check, or holds something else than the shapes above, is *damaged*: it is reported with its
line number and left out, and every other line is applied. When a dead writer's torn fragment and the next append
share one line, or a flipped newline joins two lines, the valid line(s) inside are found again (``resync``).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import zlib
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from lessonkit.i18n import _
from lessonkit.store.age_cipher import CannotDecrypt, Cipher
from lessonkit.store.line_salvage import one_byte_fix

FORMAT = 2
TABLE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
ID_RE = re.compile(r"[1-9][0-9]{0,17}")
_CHECKED = re.compile(rb"[0-9a-f]{8} ")
_APPEND_PREFIX = re.compile(rb'\{"a":\["([A-Za-z0-9][A-Za-z0-9_-]{0,63})",')
_SET = re.compile(rb'\["([A-Za-z0-9][A-Za-z0-9_-]{0,63})","([1-9][0-9]{0,17})",\{')
SEALED = b"age:"
_SEALED_APPEND = re.compile(rb"age:([A-Za-z0-9][A-Za-z0-9_-]{0,63}):")

Entry = dict[str, Any]


@dataclass(frozen=True)
class Damage:
    """A line left out: its 1-based number in the journal file, where it starts, and why."""

    line: int
    offset: int
    length: int
    reason: str
    #: ids the line had used up, as (table, id), id 0 meaning "the table's next one" (an append): they stay used
    #: up, so later appends keep the ids they were given (see ``_damage``)
    reserves: tuple[tuple[str, int], ...] = ()


def check_of(payload: bytes) -> bytes:
    return b"%08x" % zlib.crc32(payload)


def encode(entry: Entry, cipher: Cipher | None = None) -> bytes:
    """One complete journal line (with its newline) for ``entry``, encrypted with ``cipher`` (not the header)."""
    payload = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if cipher is not None and "journal" not in entry:
        table = entry["a"][0].encode() + b":" if "a" in entry else b""
        payload = SEALED + table + base64.b64encode(cipher.seal(payload))
    return check_of(payload) + b" " + payload + b"\n"


def is_sealed(raw: bytes) -> bool:
    """Whether a stored line (without its newline) holds an encrypted payload."""
    return raw[9:13] == SEALED


def header(generation: int) -> tuple[bytes, str]:
    """The first line of a new journal, and the journal's id."""
    journal_id = secrets.token_hex(16)
    return encode({"journal": FORMAT, "id": journal_id, "generation": generation}), journal_id


def _checked_payload(raw: bytes) -> bytes | None:
    """The payload of a line whose check matches, else None."""
    if len(raw) < 10 or not _CHECKED.match(raw) or check_of(raw[9:]) != raw[:8]:
        return None
    return raw[9:]


def _shape(obj: Any) -> Entry:
    """``obj`` if it is one of the three entry shapes, else ValueError saying what is wrong."""
    if not isinstance(obj, dict):
        raise ValueError(_("not an object"))
    if "journal" in obj:
        if not isinstance(obj.get("id"), str) or not isinstance(obj.get("generation", 0), int):
            raise ValueError(_("a journal header without an id"))
        return obj
    if "a" in obj:
        a = obj["a"]
        if not (isinstance(a, list) and len(a) == 2 and _table(a[0]) and isinstance(a[1], dict)):
            raise ValueError(_("an append that is not [table, document]"))
        if not isinstance(obj.get("t", ""), str):
            raise ValueError(_("an append with a bad token"))
        return obj
    changes = obj.get("c")
    if not isinstance(changes, list):
        raise ValueError(_("neither a transaction nor an append"))
    for change in changes:
        if not (isinstance(change, list) and len(change) == 3 and _table(change[0])):
            raise ValueError(_("a change that is not [table, id, document]"))
        if not (isinstance(change[1], str) and ID_RE.fullmatch(change[1])):
            raise ValueError(_("a change whose id is not a positive whole number"))
        if change[2] is not None and not isinstance(change[2], dict):
            raise ValueError(_("a change whose document is not an object"))
    return obj


def _table(name: Any) -> bool:
    return isinstance(name, str) and TABLE_RE.fullmatch(name) is not None


def _entry(payload: bytes, cipher: Cipher | None = None) -> Entry:
    if payload.startswith(SEALED):
        return _unsealed(payload, cipher)
    try:
        obj = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(_("not JSON ({e})").format(e=exc)) from None
    return _shape(obj)


def _unsealed(payload: bytes, cipher: Cipher | None) -> Entry:
    """The entry of an encrypted payload (``age:[TABLE:]BASE64``)."""
    if cipher is None or not cipher.can_read:
        raise ValueError(_("an encrypted line, and no key to read it was given"))
    rest = payload[len(SEALED):]
    table, _sep, data = rest.rpartition(b":")
    try:
        entry = _entry(cipher.open(base64.b64decode(data, validate=True)))
    except (binascii.Error, CannotDecrypt) as exc:
        raise ValueError(str(exc) or _("not base64")) from None
    if entry.get("journal") is not None or ("a" in entry) != bool(table):
        raise ValueError(_("an encrypted line of the wrong kind"))
    if table and entry["a"][0] != table.decode():
        raise ValueError(_("an encrypted append whose table does not match"))
    return entry


def decode(raw: bytes, cipher: Cipher | None = None) -> Entry:
    """The entry of one line (without its newline); ValueError when the line is damaged. ``cipher`` reads
    encrypted lines."""
    if raw[:1] == b"{":  # written before lines had checks
        return _entry(raw)
    payload = _checked_payload(raw)
    if payload is None:
        raise ValueError(_("its check does not match (the line was damaged)"))
    return _entry(payload, cipher)


def read_lines(
    raw: bytes, number: int, offset: int, tables: Collection[str] = (), cipher: Cipher | None = None
) -> list[Entry | Damage]:
    """The entries of one stored line (usually one; more when damage joined lines) and the damage found in it.

    ``number`` is the line's 1-based number in the file, ``offset`` where it starts, ``tables`` the names of the
    tables that exist (to recognise a damaged append, see ``Damage.reserves``), ``cipher`` reads encrypted lines."""
    try:
        return [decode(raw, cipher)]
    except ValueError as exc:
        reason = str(exc)
    found = resync(raw, cipher)
    if found is None:
        return [_damage(raw, number, offset, reason, tables, cipher)]
    start, entry = found
    out: list[Entry | Damage] = []
    try:  # a flipped newline joined two lines: the one before it may be whole
        out.append(decode(raw[: start - 1], cipher))
        out.append(Damage(number, offset + start - 1, 1, _("a damaged line break")))
    except ValueError:
        out.append(_damage(raw[:start], number, offset, reason, tables, cipher))
    out.append(entry)
    return out


def resync(raw: bytes, cipher: Cipher | None = None) -> tuple[int, Entry] | None:
    """The first position inside ``raw`` where a whole valid line starts, with its entry."""
    starts = [m.start() for m in re.finditer(rb"[0-9a-f]{8} ", raw)]
    if raw[:1] == b"{":  # a line from before checks: its writer may have died mid-line, as in wave 1
        starts += [m.start() for m in re.finditer(rb'\{"[ac]":', raw)]
    for start in sorted(set(starts)):
        if start == 0:
            continue
        try:
            return start, decode(raw[start:], cipher)
        except ValueError:
            continue
    return None


def _damage(
    raw: bytes, number: int, offset: int, reason: str, tables: Collection[str], cipher: Cipher | None = None
) -> Damage:
    """A damaged stretch of a line. It is never applied, but the ids it used up stay used up, so the appends after
    it keep the ids they were given: found exactly when one byte was damaged (see :mod:`line_salvage`), else by
    what can still be read (an append's start, give or take one byte; ``["TABLE","ID",{`` of a transaction; the
    table of an encrypted append). Lines from before checks never kept ids used up when damaged, so they do not."""
    was = _what_it_was(raw, cipher)
    if was is not None:
        if "a" in was:
            return Damage(number, offset, len(raw), reason, ((was["a"][0], 0),))
        sets = tuple((t, int(i)) for t, i, d in was.get("c", ()) if d is not None)
        return Damage(number, offset, len(raw), reason, sets)
    payload = raw[9:]
    table = _appended_to(payload, tables)
    if table is not None:
        return Damage(number, offset, len(raw), reason, ((table, 0),))
    sets = tuple((m.group(1).decode(), int(m.group(2))) for m in _SET.finditer(payload))
    return Damage(number, offset, len(raw), reason, sets)


def _what_it_was(raw: bytes, cipher: Cipher | None = None) -> Entry | None:
    """The entry of a checked line of which one byte (check included) was damaged."""
    if len(raw) < 10 or raw[:1] == b"{":
        return None
    payload = raw[9:]
    if _CHECKED.match(raw):
        fixed = one_byte_fix(payload, int(raw[:8], 16))
        if fixed is not None:
            try:
                return _entry(fixed, cipher)
            except ValueError:
                pass
    try:  # the damaged byte was in the check or the space after it: the payload is whole
        return _entry(payload, cipher)
    except ValueError:
        return None


def _appended_to(payload: bytes, tables: Collection[str]) -> str | None:
    looks = _APPEND_PREFIX.match(payload) or _SEALED_APPEND.match(payload)
    if looks:
        return looks.group(1).decode()
    close = []
    for table in tables:
        start = b'{"a":["' + table.encode() + b'",'
        head = payload[: len(start)]
        if len(head) == len(start) and sum(a != b for a, b in zip(head, start, strict=True)) <= 1:
            close.append(table)
    return close[0] if len(close) == 1 else None


def identity(first_line: bytes) -> str:
    """What tells one journal from another: its header's id, or (for a journal from before headers) a digest of
    its first line."""
    try:
        entry = decode(first_line)
    except ValueError:
        entry = {}
    if "journal" in entry:
        return str(entry["id"])
    return "first-line:" + check_of(first_line).decode()
