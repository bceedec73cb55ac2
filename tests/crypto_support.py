"""Helpers for the encryption tests (importable as `crypto_support`): one key pair per test run, a leak scan.

Opening an age passphrase file costs about a second on purpose (scrypt), so tests share one keys file made once and
put a copy beside each convening they create (``keyring.remember`` holds it unlocked, as an unlock would); the
tests of unlocking itself pay for it once each.
"""

from __future__ import annotations

import io
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from lessonkit.services.convenings import create_convening
from lessonkit.store import keyring
from lessonkit.store import keys as keyfile
from lessonkit.store.age_cipher import Cipher
from lessonkit.store.workspace import Workspace

PASSPHRASE = "river stone lantern moss"


@lru_cache(maxsize=1)
def shared_keys() -> tuple[keyfile.KeysFile, tuple[Any, ...]]:
    keys, identities = keyfile.make(PASSPHRASE)
    return keys, tuple(identities)


def unlocked_cipher() -> Cipher:
    keys, identities = shared_keys()
    return keys.cipher(list(identities))


def hold_keys(path: Path) -> Cipher:
    """Write the shared keys beside convening file ``path`` and hold them unlocked, as after an unlock."""
    keys, identities = shared_keys()
    path.parent.mkdir(parents=True, exist_ok=True)
    keyfile.write(path, keys)
    return keyring.remember(path, keys, list(identities))


def encrypted_convening(ws: Workspace, slug: str = "safe", title: str = "Quiet Exchange") -> Cipher:
    """A new convening of ``ws``, encrypted with the shared keys (unlocked in this process)."""
    cipher = hold_keys(ws.path_for(slug))
    create_convening(ws, slug, title, cipher=cipher)
    return cipher


def member_texts(name: str, data: bytes) -> list[tuple[str, bytes]]:
    """``data`` and, when it is a zip, every member (zips inside zips included), each with its name."""
    out = [(name, data)]
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                out += member_texts(f"{name}!{info.filename}", zf.read(info))
    return out


def leaks(root: Path, secrets: list[str]) -> list[tuple[str, str]]:
    """(file, secret) for every seeded string found in plain text in any file under ``root`` (zips opened), in
    UTF-8 and in the JSON escapes json.dumps would write for it."""
    import json

    found = []
    forms = {s: {s.encode(), json.dumps(s).strip('"').encode(), json.dumps(s, ensure_ascii=False).encode()}
             for s in secrets}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        for name, data in member_texts(str(path.relative_to(root)), path.read_bytes()):
            for secret, variants in forms.items():
                if any(v in data for v in variants):
                    found.append((name, secret))
    return found
