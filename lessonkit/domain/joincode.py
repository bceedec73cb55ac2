"""Personal join codes: short, easy to read aloud and to type on a phone."""

from __future__ import annotations

import secrets
from collections.abc import Container

# No 0/O, 1/I/L, 5/S, 2/Z: letters that are easily confused on a projector or a phone keyboard.
ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
LENGTH = 8


def new_join_code(taken: Container[str] = ()) -> str:
    """A fresh code like ``KX7R-M3PD`` that is not in ``taken``."""
    while True:
        raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        code = f"{raw[:4]}-{raw[4:]}"
        if code not in taken:
            return code


def normalize_join_code(text: str) -> str:
    """What the person typed, made comparable: upper-case, no spaces, dash in the middle."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == LENGTH else raw
