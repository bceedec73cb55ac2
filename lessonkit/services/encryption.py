"""Encryption at rest, as the facilitator uses it: turn it on or off, unlock, lock, change the passphrase or key,
recover with a second key, destroy a convening's key. (How: :mod:`lessonkit.store.age_cipher` and its neighbours;
what the participant server may still read: :mod:`lessonkit.services.published`; the whole story for a facilitator:
``facilitator_guides/safety.md``.)

Every function here that needs the key opens the convening the one way (:func:`open_convening`), so a locked
convening asks for its passphrase where an asker is set (the command line) and otherwise raises LockedError.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessonkit.domain.records import Convening
from lessonkit.errors import AlreadyExistsError, StoreError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.convenings import create_convening, open_convening
from lessonkit.store import at_rest, keyring
from lessonkit.store import keys as keyfile
from lessonkit.store.age_cipher import CannotDecrypt, Cipher, identities_from_text, new_identity, recipient
from lessonkit.store.tinydb_store import TinyDBStore
from lessonkit.store.workspace import BaseWorkspace, Workspace

__all__ = [
    "Status",
    "change_passphrase",
    "create_encrypted",
    "decrypt_convening",
    "encrypt_convening",
    "encryption_status",
    "is_encrypted",
    "lock_convening",
    "new_recovery_key",
    "publish_index",
    "recover_convening",
    "shred_convening",
    "unlock_convening",
]


@dataclass(frozen=True)
class Status:
    """Whether a convening is encrypted, whether this process holds its key, and its public keys."""

    slug: str
    encrypted: bool
    unlocked: bool = False
    recipient: str = ""
    recovery: tuple[str, ...] = ()
    key_id: str = ""
    created: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "encrypted": self.encrypted,
            "unlocked": self.unlocked,
            "recipient": self.recipient,
            "recovery": list(self.recovery),
            "key_id": self.key_id,
        }


def _path(ws: BaseWorkspace, slug: str, must_exist: bool = True) -> Path:
    if not isinstance(ws, Workspace):
        raise StoreError(_("Encryption at rest needs a workspace on disk."))
    if must_exist and not ws.exists(slug):
        ws.store(slug)  # raises the one clear error that lists the convenings there are
    return ws.path_for(slug)


def is_encrypted(ws: BaseWorkspace, slug: str) -> bool:
    return isinstance(ws, Workspace) and keyfile.is_encrypted(ws.path_for(slug))


def encryption_status(ws: BaseWorkspace, slug: str) -> Status:
    path = _path(ws, slug)
    if not keyfile.is_encrypted(path):
        return Status(slug, False)
    keys = keyfile.read(path)
    return Status(
        slug, True, keyring.unlocked(path) is not None, keys.recipient, keys.recovery, keys.key_id, keys.created
    )


def _recipients(recovery: Sequence[str]) -> list[str]:
    for r in recovery:
        recipient(r, "--recovery-recipient")
    return list(recovery)


def new_recovery_key() -> tuple[str, str]:
    """A recovery key pair: (its secret, to print once and keep elsewhere; its public key, to encrypt to)."""
    identity = new_identity()
    return str(identity), str(identity.to_public())


def create_encrypted(
    ws: BaseWorkspace, slug: str, title: str, passphrase: str, recovery: Sequence[str] = (), **fields: Any
) -> Convening:
    """A new convening, encrypted from its first byte (its keys unlocked in this process)."""
    Convening.from_dict({"slug": slug, "title": title, **fields})  # checked before any file is written
    path = _path(ws, slug, must_exist=False)
    if ws.exists(slug):
        raise AlreadyExistsError(_("A convening '{slug}' already exists: choose another short name.").format(slug=slug))
    keys, identities = keyfile.make(passphrase, _recipients(recovery))
    path.parent.mkdir(parents=True, exist_ok=True)
    keyfile.write(path, keys)  # a leftover of a create killed before its snapshot appeared is replaced
    cipher = keyring.remember(path, keys, identities)
    return create_convening(ws, slug, title, cipher=cipher, **fields)


def encrypt_convening(ws: BaseWorkspace, slug: str, passphrase: str, recovery: Sequence[str] = ()) -> Status:
    """Encrypt an existing convening: its snapshot, journal, last good copy and damaged files set aside."""
    path = _path(ws, slug)
    if keyfile.is_encrypted(path):
        raise AlreadyExistsError(_("The convening '{slug}' is already encrypted.").format(slug=slug))
    open_convening(slug, ws)  # readable now, pseudonyms filled in
    keys, identities = keyfile.make(passphrase, _recipients(recovery))
    at_rest.encrypt(path, keys, keys.cipher(identities))
    return encryption_status(ws, slug)


def _cipher(ws: BaseWorkspace, slug: str) -> tuple[Path, Cipher]:
    path = _path(ws, slug)
    if not keyfile.is_encrypted(path):
        raise StoreError(_("The convening '{slug}' is not encrypted.").format(slug=slug))
    store = open_convening(slug, ws)  # asks for the passphrase where it can
    cipher = getattr(store, "cipher", None)
    if cipher is None:  # pragma: no cover - an encrypted convening opened by the facilitator has its keys
        raise keyring.locked_error(path)
    return path, cipher


def decrypt_convening(ws: BaseWorkspace, slug: str) -> list[Path]:
    """Store the convening plainly again (its keys are removed); returns damaged files set aside that stayed
    encrypted because they could not be opened."""
    path, cipher = _cipher(ws, slug)
    return at_rest.decrypt(path, cipher)


def unlock_convening(ws: BaseWorkspace, slug: str, passphrase: str) -> Status:
    """Hold the convening's key in this process (WrongPassphraseError: one line, nothing changed)."""
    path = _path(ws, slug)
    if not keyfile.is_encrypted(path):
        raise StoreError(_("The convening '{slug}' is not encrypted: there is nothing to unlock.").format(slug=slug))
    keyring.unlock(path, passphrase)
    return encryption_status(ws, slug)


def lock_convening(ws: BaseWorkspace, slug: str) -> Status:
    """Forget the key here and in every other process holding it (workbooks included)."""
    path = _path(ws, slug)
    if not keyfile.is_encrypted(path):
        raise StoreError(_("The convening '{slug}' is not encrypted: there is nothing to lock.").format(slug=slug))
    keyring.lock(path)
    return encryption_status(ws, slug)


def change_passphrase(ws: BaseWorkspace, slug: str, new_passphrase: str, new_key: bool = False) -> Status:
    """A new passphrase; with ``new_key`` also a new key pair, everything re-encrypted to it (older keys are kept
    inside the keys file, to read what was set aside)."""
    path, cipher = _cipher(ws, slug)
    keys = keyfile.read(path)
    identities = list(cipher.identities)
    if new_key:
        made, kept = keyfile.with_new_key(keys, identities, new_passphrase)
        at_rest.rekey(path, cipher, made, made.cipher(kept))
    else:
        made = keyfile.with_passphrase(keys, identities, new_passphrase)
        with TinyDBStore(path)._locked():
            keyfile.write(path, made)
        keyring.remember(path, made, identities)
    return encryption_status(ws, slug)


def recover_convening(ws: BaseWorkspace, slug: str, identity_text: str, new_passphrase: str) -> Status:
    """The passphrase is lost: read the convening with a recovery identity (the sheet, or a partner's key that it
    was also encrypted to) and give it a new key under ``new_passphrase``."""
    path = _path(ws, slug)
    if not keyfile.is_encrypted(path):
        raise StoreError(_("The convening '{slug}' is not encrypted.").format(slug=slug))
    keys = keyfile.read(path)
    readers = identities_from_text(identity_text)
    reader = Cipher(keys.recipients, readers, keys.key_id, dict(keys.codes))
    keyfile.check_passphrase(new_passphrase)
    try:
        reader.open(path.read_bytes())  # a key that does not fit is refused before anything is made or written
    except CannotDecrypt as exc:
        raise ValidationError(
            "--identity", _("this key does not open '{slug}': nothing was changed ({e}).").format(slug=slug, e=exc)
        ) from None
    at_rest.rekey(path, reader, *_fresh(keys, readers, new_passphrase))
    return encryption_status(ws, slug)


def _fresh(keys: keyfile.KeysFile, readers: list[Any], passphrase: str) -> tuple[keyfile.KeysFile, Cipher]:
    made, kept = keyfile.with_new_key(keys, readers, passphrase)
    return made, made.cipher(kept)


def publish_index(ws: BaseWorkspace, slug: str) -> None:
    """Write the participant index again from the convening's data (it is rewritten after every change anyway)."""
    path, cipher = _cipher(ws, slug)
    TinyDBStore(path, cipher).publish()


def shred_convening(ws: BaseWorkspace, slug: str, confirm: str) -> list[Path]:
    """Destroy the key of an encrypted convening, then delete its files; ``confirm`` must be its short name.
    Needs no passphrase. Bundles encrypted only to this convening's key can then never be opened either."""
    path = _path(ws, slug)
    if not keyfile.is_encrypted(path):
        raise StoreError(
            _(
                "The convening '{slug}' is not encrypted, so there is no key to destroy; deleting its plain files "
                "would not erase them from an SSD. Encrypt it first, or delete the files knowing that."
            ).format(slug=slug)
        )
    if confirm != slug:
        raise ValidationError("confirm", _("type the convening's short name, {slug}, to confirm.").format(slug=slug))
    return at_rest.shred(path)
