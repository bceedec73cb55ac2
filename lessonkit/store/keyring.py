"""Unlocked keys, in this process's memory only: unlock once per working session, lock to forget.

A process (a workbook's kernel, one CLI command) unlocks a convening with its passphrase once; the identity then
stays in a dict here, never on disk. :func:`lock` forgets it here and writes the convening's *lock mark*
(``SLUG.json.locked``, holding nothing but a random value), so every other process that holds the key forgets it
the next time it would use it: ``lessonkit convening lock SLUG`` in a terminal locks the workbooks too.

No unlock agent: a long-lived process that hands keys to whoever asks is what someone who takes an unlocked laptop
would use; each CLI command asks for the passphrase (or reads ``LESSONKIT_PASSPHRASE``) instead, costing about a
second of scrypt.

Python cannot wipe memory: forgetting drops every reference (and this process's parsed copy of the data), and the
bytes are overwritten when the memory is reused. While unlocked, the data is readable to anyone who can read this
process's memory (or the swap file).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessonkit.errors import LessonkitError, LockedError
from lessonkit.i18n import _
from lessonkit.store import code_seal, journal
from lessonkit.store import keys as keyfile
from lessonkit.store.age_cipher import Cipher, identities_from_text
from lessonkit.store.snapshot import write_atomic

Asker = Callable[[str], str]  # the convening's short name -> its passphrase


@dataclass
class _Entry:
    cipher: Cipher
    mark: tuple[int, int, int] | None


_UNLOCKED: dict[str, _Entry] = {}
_ASKER: list[Asker] = []


def _key(path: Path) -> str:
    return os.path.abspath(path)


def lock_mark_path(path: Path) -> Path:
    return path.with_name(path.name + ".locked")


def _mark(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(lock_mark_path(path))
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def slug_of(path: Path) -> str:
    return path.name[:-5] if path.name.endswith(".json") else path.name


def set_asker(asker: Asker | None) -> None:
    """Who is asked for a passphrase when a locked convening is opened (the command line asks on the terminal);
    None: nobody, opening it raises LockedError."""
    _ASKER.clear()
    if asker is not None:
        _ASKER.append(asker)


def ask_passphrase(slug: str) -> str:
    """The passphrase of ``slug`` from the asker (the terminal), else LockedError (nobody to ask)."""
    if not _ASKER:
        raise LockedError(
            _("The passphrase of '{slug}' is needed: type it when asked, or set LESSONKIT_PASSPHRASE.").format(
                slug=slug
            )
        )
    return _ASKER[0](slug)


def _check(path: Path) -> Callable[[], None]:
    def check() -> None:
        entry = _UNLOCKED.get(_key(path))
        if entry is None or entry.mark != _mark(path):
            forget(path)
            raise locked_error(path)

    return check


def locked_error(path: Path) -> LockedError:
    return LockedError(
        _(
            "The convening '{slug}' is encrypted and locked. Unlock it with its passphrase: in a workbook, in the "
            "box that asks for it; on the command line, type it when asked (or set LESSONKIT_PASSPHRASE)."
        ).format(slug=slug_of(path)),
        str(path),
    )


def remember(path: Path, keys: keyfile.KeysFile, identities: list[Any]) -> Cipher:
    """Hold ``identities`` for the convening file ``path`` (after creating or re-keying it)."""
    cipher = keys.cipher(identities)
    cipher.check = _check(path)
    _UNLOCKED[_key(path)] = _Entry(cipher, _mark(path))
    return cipher


def unlock(path: Path, passphrase: str) -> Cipher:
    """Open the convening's key with ``passphrase`` and hold it (WrongPassphraseError: one line, nothing changed)."""
    keys = keyfile.read(path)
    identities = keyfile.open_identities(keys, passphrase, slug_of(path))
    return remember(path, keys, identities)


def unlocked(path: Path) -> Cipher | None:
    """The key held for ``path`` if it is still unlocked (a lock mark written since forgets it)."""
    entry = _UNLOCKED.get(_key(path))
    if entry is None:
        return None
    if entry.mark != _mark(path):
        forget(path)
        return None
    return entry.cipher


def cipher_for(path: Path) -> Cipher | None:
    """The key of convening file ``path``: None when it is not encrypted; else the key held, or (asking the asker for
    the passphrase) unlocked now; else LockedError."""
    if not keyfile.is_encrypted(path):
        return None
    found = unlocked(path)
    if found is not None:
        return found
    if not _ASKER:
        raise locked_error(path)
    return unlock(path, _ASKER[0](slug_of(path)))


def forget(path: Path) -> None:
    """Forget the key and the parsed data of ``path`` in this process only."""
    key = _key(path)
    _UNLOCKED.pop(key, None)
    for name in [n for n in journal._CACHE if os.path.abspath(n) == key] + [str(path)]:
        journal.forget(Path(name))  # this process's parsed copy of the data


def lock(path: Path) -> None:
    """Forget here, and write a new lock mark so that every other process holding the key forgets it too."""
    forget(path)
    if path.parent.is_dir():
        write_atomic(lock_mark_path(path), secrets.token_hex(8).encode())
    if not _UNLOCKED:
        code_seal.forget()


HANDOFF_ENV = "LESSONKIT_KEY_HANDOFF"


def handoff_env(paths: list[Path]) -> dict[str, str]:
    """The environment that hands the keys held here for ``paths`` to a child process this one starts and waits for
    (the report kernel): read and removed from the child's environment when it imports this module, never written
    to disk. Empty when none of them is encrypted."""
    held = {}
    for path in paths:
        cipher = unlocked(path)
        if cipher is not None:
            held[os.path.abspath(path)] = [str(i) for i in cipher.identities]
    return {HANDOFF_ENV: json.dumps(held)} if held else {}


def _receive_handoff() -> None:
    raw = os.environ.pop(HANDOFF_ENV, None)
    if not raw:
        return
    try:
        for name, secrets_ in json.loads(raw).items():
            path = Path(name)
            remember(path, keyfile.read(path), identities_from_text("\n".join(secrets_)))
    except (ValueError, TypeError, AttributeError, LessonkitError):
        return  # a damaged hand-off: the convening stays locked here and says so when opened


def forget_all() -> None:
    for name in list(_UNLOCKED):
        forget(Path(name))
    code_seal.forget()


_receive_handoff()
