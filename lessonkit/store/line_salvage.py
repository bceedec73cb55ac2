"""What a damaged journal line used to say, when one byte of it was damaged: found from its CRC-32, in linear time.

A damaged line is never applied (its data stays in the journal kept aside), but knowing what it was tells which ids it
had used up, so the appends after it keep the ids they were acknowledged with.

CRC-32 is linear over GF(2): for two messages of the same length, ``crc(a) ^ crc(b)`` depends only on ``a ^ b``. If the
stored check is intact and one payload byte changed by ``d`` at ``k`` bytes before the end, the *syndrome*
``crc(payload) ^ check`` equals ``Z^k(T[d])``, where ``T`` is the CRC table and ``Z`` advances the CRC register over a
zero byte. ``Z`` can be undone step by step (the top bytes of ``T`` are all different), so walking the syndrome back
over at most ``len(payload)`` bytes finds ``k`` and ``d`` (or shows that the damage was not one byte).
"""

from __future__ import annotations

import zlib

MAX_LENGTH = 1 << 20  # longer lines (bulk imports) are not searched


def _table() -> list[int]:
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table.append(c)
    return table


_T = _table()
_BY_TOP = {t >> 24: i for i, t in enumerate(_T)}  # the top bytes of the table are all different
_BY_VALUE = {t: i for i, t in enumerate(_T) if i}


def _unshift(r: int) -> int:
    """The register before ``Z`` (one zero byte) turned it into ``r``."""
    i = _BY_TOP[r >> 24]
    return (((r ^ _T[i]) << 8) | i) & 0xFFFFFFFF


def one_byte_fix(payload: bytes, check: int) -> bytes | None:
    """``payload`` with one byte changed so that its CRC-32 is ``check``, if such a change exists."""
    if len(payload) > MAX_LENGTH:
        return None
    syndrome = zlib.crc32(payload) ^ check
    if syndrome == 0:
        return payload
    for k in range(len(payload)):
        d = _BY_VALUE.get(syndrome)
        if d is not None:
            p = len(payload) - 1 - k
            fixed = payload[:p] + bytes([payload[p] ^ d]) + payload[p + 1 :]
            if zlib.crc32(fixed) == check:
                return fixed
        syndrome = _unshift(syndrome)
    return None
