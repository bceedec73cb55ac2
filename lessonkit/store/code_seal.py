"""Join codes on an encrypted convening: found and opened by the person's own code, with no key on the server.

The participant server must recognise a join code and know what the person's consent allows, yet hold no key
that reads anything back. So the published index (:mod:`lessonkit.store.sealed_index`) holds, per participant,
one *sealed entry*:

- its place is ``lookup = scrypt(code, salt)[:16]`` (hex), so the code itself is written nowhere;
- its content (participant id, consent, interface language: never a name) is encrypted with ChaCha20-Poly1305
  under ``scrypt(code, salt)[32:64]``: only someone who types the code can open it.

scrypt (n=2^14, r=8: about 70 ms and 16 MB per code) is the same password hash age uses for passphrases; the AEAD
is the one age encrypts with (from ``cryptography``). The salt is per convening and public (it is in the index).

What it protects, and what it does not: a join code has 8 characters from 27, about 2.8e11 codes. Without the
laptop nobody can test codes at all. With a copy of the index, each guess costs one scrypt: years for one
computer, far less for a well-funded adversary with many. What a found code opens is that person's consent and
id, never their name, organisation or words (those are encrypted to the convening's key). So this slows a
determined adversary down and gives a casual one nothing; it is no substitute for keeping the laptop safe.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

DEFAULTS = {"n": 1 << 14, "r": 8, "p": 1}
_AAD = b"lessonkit sealed entry v1:"
_MEMO: dict[tuple[str, str, int, int, int], tuple[str, bytes]] = {}  # this process's derivations (memory only)


def new_params() -> dict[str, Any]:
    return {"salt": secrets.token_hex(16), **DEFAULTS}


def derive(code: str, params: dict[str, Any]) -> tuple[str, bytes]:
    """(lookup, key) of a normalised join code; remembered by this process so a code costs one scrypt."""
    n, r, p = int(params.get("n", DEFAULTS["n"])), int(params.get("r", DEFAULTS["r"])), int(params.get("p", 1))
    memo = (code, str(params["salt"]), n, r, p)
    found = _MEMO.get(memo)
    if found is None:
        out = hashlib.scrypt(
            code.encode("utf-8"), salt=bytes.fromhex(str(params["salt"])), n=n, r=r, p=p, dklen=64,
            maxmem=256 * n * r + (1 << 20),
        )
        found = _MEMO[memo] = (out[:16].hex(), out[32:])
    return found


def seal(code: str, params: dict[str, Any], doc: dict[str, Any]) -> tuple[str, str]:
    """(lookup, sealed content) of ``doc`` under ``code``."""
    lookup, key = derive(code, params)
    nonce = secrets.token_bytes(12)
    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    box = ChaCha20Poly1305(key).encrypt(nonce, data, _AAD + lookup.encode())
    return lookup, base64.b64encode(nonce + box).decode("ascii")


def unseal(code: str, params: dict[str, Any], entries: dict[str, str]) -> dict[str, Any] | None:
    """The document sealed under ``code`` in ``entries`` (lookup -> sealed), or None when there is none."""
    lookup, key = derive(code, params)
    sealed = entries.get(lookup)
    if sealed is None:
        return None
    try:
        raw = base64.b64decode(sealed, validate=True)
        data = ChaCha20Poly1305(key).decrypt(raw[:12], raw[12:], _AAD + lookup.encode())
        doc = json.loads(data.decode("utf-8"))
    except (ValueError, InvalidTag, UnicodeError):
        return None
    return doc if isinstance(doc, dict) else None


def forget() -> None:
    """Drop every derivation this process remembers (on lock)."""
    _MEMO.clear()
