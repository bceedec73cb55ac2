"""The keys file of an encrypted convening: ``SLUG.json.keys``, readable JSON that says nothing about anyone.

::

    {"format": "lessonkit-keys", "version": 1, "key_id": "…", "created": "2026-05-04T10:00:00+00:00",
     "recipient": "age1…",                 the convening's public key: everything is encrypted to it
     "recovery": ["age1…"],                more public keys everything is also encrypted to (a recovery sheet,
                                           a trusted partner): each can read the data without the passphrase
     "identity": "-----BEGIN AGE ENCRYPTED FILE-----…",
                                           the secret key(s), an age file encrypted with the passphrase (scrypt)
     "codes": {"salt": "…", "n": 16384, "r": 8, "p": 1}}
                                           how join codes become lookup keys (see lessonkit.store.code_seal)

The identity part is a standard age passphrase file holding an age identity file (one ``AGE-SECRET-KEY-1…`` line
per key, the current one first, then keys replaced by ``passphrase --new-key``, so older copies stay readable).
So even without lessonkit: ``age -d`` it with the passphrase, then ``age -d -i`` the snapshot with the result.

Opening it costs about a second on purpose (age's scrypt work factor 18): that is what makes guessing passphrases
slow for whoever holds the laptop. Nothing here is home-made: the passphrase step is age's own.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyrage
from pyrage import passphrase as age_passphrase

from lessonkit.domain import validation as v
from lessonkit.errors import StoreError, ValidationError, WrongPassphraseError
from lessonkit.i18n import _
from lessonkit.store import code_seal
from lessonkit.store.age_cipher import Cipher, identities_from_text, new_identity, recipient
from lessonkit.store.snapshot import write_atomic

FORMAT = "lessonkit-keys"
VERSION = 1
MIN_PASSPHRASE = 10


def keys_path(path: Path) -> Path:
    """The keys file beside the convening file ``path``."""
    return path.with_name(path.name + ".keys")


def is_encrypted(path: Path) -> bool:
    return keys_path(path).exists()


@dataclass(frozen=True)
class KeysFile:
    key_id: str
    recipient: str
    identity: str  # armored age passphrase file
    recovery: tuple[str, ...] = ()
    codes: dict[str, Any] = field(default_factory=dict)
    created: str = ""

    @property
    def recipients(self) -> list[str]:
        return [self.recipient, *self.recovery]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "key_id": self.key_id,
            "created": self.created,
            "recipient": self.recipient,
            "recovery": list(self.recovery),
            "identity": self.identity,
            "codes": self.codes,
        }

    def cipher(self, identities: list[Any]) -> Cipher:
        return Cipher(self.recipients, identities, self.key_id, dict(self.codes))


def check_passphrase(text: str) -> str:
    """A new passphrase: at least MIN_PASSPHRASE characters (several words are easier to remember than symbols)."""
    if len(text or "") < MIN_PASSPHRASE:
        raise ValidationError(
            "passphrase",
            _("use at least {n} characters; several unrelated words are strong and easy to remember.").format(
                n=MIN_PASSPHRASE
            ),
        )
    return text


def _wrap(identities: list[Any], passphrase: str) -> str:
    text = "".join(f"{i}\n" for i in identities).encode("ascii")
    return bytes(age_passphrase.encrypt(text, passphrase, armored=True)).decode("ascii")


def make(passphrase: str, recovery: list[str] | tuple[str, ...] = ()) -> tuple[KeysFile, list[Any]]:
    """New keys for a convening: (the keys file's content, the unlocked identities)."""
    check_passphrase(passphrase)
    extra = tuple(dict.fromkeys(r.strip() for r in recovery if r.strip()))
    for r in extra:
        recipient(r, "--recovery-recipient")
    identity = new_identity()
    keys = KeysFile(
        key_id=secrets.token_hex(8),
        recipient=str(identity.to_public()),
        identity=_wrap([identity], passphrase),
        recovery=extra,
        codes=code_seal.new_params(),
        created=v.now().isoformat(),
    )
    return keys, [identity]


def read(path: Path) -> KeysFile:
    """The keys file of convening file ``path`` (StoreError when it is missing or damaged)."""
    kpath = keys_path(path)
    try:
        data = json.loads(kpath.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(data.get("format"))
        return KeysFile(
            key_id=str(data["key_id"]),
            recipient=str(data["recipient"]),
            identity=str(data["identity"]),
            recovery=tuple(str(r) for r in data.get("recovery") or ()),
            codes=dict(data.get("codes") or {}),
            created=str(data.get("created") or ""),
        )
    except FileNotFoundError:
        raise StoreError(_("{path} is not encrypted (it has no keys file).").format(path=path)) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreError(
            _("The keys file {path} cannot be read ({e}): keep it and every file beside it unchanged.").format(
                path=kpath, e=exc
            )
        ) from None


def write(path: Path, keys: KeysFile) -> None:
    write_atomic(keys_path(path), json.dumps(keys.to_dict(), indent=1).encode("utf-8"))


def open_identities(keys: KeysFile, passphrase: str, slug: str) -> list[Any]:
    """The secret keys, with ``passphrase``: WrongPassphraseError (one line, nothing changed) when it does not fit."""
    try:
        text = bytes(age_passphrase.decrypt(keys.identity.encode("ascii"), passphrase)).decode("ascii")
    except (pyrage.DecryptError, UnicodeError, ValueError):
        raise WrongPassphraseError(
            _("Wrong passphrase for '{slug}': nothing was read or changed. Type it again (capitals count).").format(
                slug=slug
            )
        ) from None
    return identities_from_text(text)


def with_passphrase(keys: KeysFile, identities: list[Any], passphrase: str) -> KeysFile:
    """The same keys, the secret part now opened by ``passphrase``."""
    check_passphrase(passphrase)
    return replace(keys, identity=_wrap(identities, passphrase))


def with_new_key(keys: KeysFile, identities: list[Any], passphrase: str) -> tuple[KeysFile, list[Any]]:
    """A new key pair (older keys kept, behind it, to read what was encrypted to them), under ``passphrase``."""
    check_passphrase(passphrase)
    fresh = new_identity()
    kept = [fresh, *(i for i in identities if str(i.to_public()) != str(fresh.to_public()))]
    made = replace(
        keys, key_id=secrets.token_hex(8), recipient=str(fresh.to_public()), identity=_wrap(kept, passphrase)
    )
    return made, kept


def destroy(path: Path) -> bool:
    """Overwrite the keys file with random bytes, flush it to the disk, and delete it (crypto-shredding). Returns
    whether there was one. On an SSD the old blocks may survive the overwrite; what survives is still locked by the
    passphrase."""
    kpath = keys_path(path)
    try:
        size = kpath.stat().st_size
    except FileNotFoundError:
        return False
    with open(kpath, "r+b") as f:
        f.write(secrets.token_bytes(max(size, 1)))
        f.flush()
        os.fsync(f.fileno())
    kpath.unlink()
    return True
