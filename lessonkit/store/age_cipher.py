"""Encryption at rest with age (https://age-encryption.org, through ``pyrage``): the one place that encrypts.

DESIGN. Why age, and how it is used:

- age is a small, well-reviewed, standard file format (X25519 recipients, ChaCha20-Poly1305 payloads, scrypt for
  passphrases) with independent implementations (the Go ``age`` tool, Rust ``rage`` that ``pyrage`` wraps). Every
  encrypted file lessonkit writes is a plain age file, so ``age -d -i KEY FILE`` opens it without lessonkit: the
  snapshot, its last good copy and bundles are whole age files; a journal line's payload is an age file in base64.
- Each encrypted convening has its own X25519 key pair. Anyone holding the *public* recipient (the participant
  server) can encrypt; only the *identity* reads. The identity is stored only encrypted under the facilitator's
  passphrase with age's scrypt mode (:mod:`lessonkit.store.keys`), and lives unlocked in memory only
  (:mod:`lessonkit.store.keyring`).
- What is encrypted is padded with spaces to a multiple of :data:`PAD` bytes first (JSON ignores them), so the
  length of a file or line tells roughly how much was written, not how many letters a note has.
- age gives confidentiality, not authorship: whoever knows the public recipient can write a line the facilitator
  will read. Someone able to write into the workspace can add records; they cannot read any.

No cryptography is made up here: encrypting, decrypting and the passphrase step are age's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyrage
from pyrage import x25519

from lessonkit.errors import ValidationError
from lessonkit.i18n import _

MAGIC = b"age-encryption.org/v1\n"
PAD = 128


def is_sealed(data: bytes) -> bool:
    """Whether ``data`` is an age file (binary form)."""
    return data.startswith(MAGIC)


def pad(data: bytes, block: int = PAD) -> bytes:
    """``data`` followed by spaces up to a multiple of ``block`` bytes (for JSON, which ignores them)."""
    return data + b" " * (-len(data) % block)


def recipient(text: str, field_name: str = "--to") -> Any:
    """An age X25519 recipient (``age1…``); ValidationError naming ``field_name`` when it is not one."""
    try:
        return x25519.Recipient.from_str(text.strip())
    except (pyrage.RecipientError, ValueError):
        raise ValidationError(
            field_name, _("'{text}' is not an age public key (it starts with age1…).").format(text=text.strip()[:80])
        ) from None


def identities_from_text(text: str, field_name: str = "--identity") -> list[Any]:
    """Every ``AGE-SECRET-KEY-1…`` line of an age identity file (comments and blank lines skipped)."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            found.append(x25519.Identity.from_str(line))
        except (pyrage.IdentityError, ValueError):
            wrong = _("this is not an age identity file (AGE-SECRET-KEY-1… lines).")
            raise ValidationError(field_name, wrong) from None
    if not found:
        raise ValidationError(field_name, _("this file holds no age identity (AGE-SECRET-KEY-1… line)."))
    return found


def new_identity() -> Any:
    return x25519.Identity.generate()


class CannotDecrypt(Exception):
    """Data that none of the identities held can open (or that is not an age file)."""


@dataclass
class Cipher:
    """A convening's keys as one process holds them.

    ``recipients``: public keys everything is encrypted to (the convening's own first, then recovery ones).
    ``identities``: secret keys that read (none in the participant server: it can only write). ``check`` runs
    before every read and raises when the convening was locked meanwhile. ``code_params``: the salt and scrypt
    cost that turn a join code into its lookup key (see :mod:`lessonkit.store.code_seal`), public.
    """

    recipients: Sequence[str]
    identities: Sequence[Any] = field(default=(), repr=False)
    key_id: str = ""
    code_params: dict[str, Any] = field(default_factory=dict)
    check: Callable[[], None] | None = field(default=None, repr=False)
    _parsed: list[Any] = field(default_factory=list, repr=False, compare=False)

    @property
    def can_read(self) -> bool:
        return bool(self.identities)

    def ensure(self) -> None:
        """Raise (LockedError) if the keys were forgotten since this cipher was made."""
        if self.check is not None:
            self.check()

    def seal(self, data: bytes, padded: bool = True) -> bytes:
        """``data`` encrypted to every recipient (an age file, binary)."""
        if not self._parsed:
            self._parsed.extend(recipient(r) for r in self.recipients)
        return bytes(pyrage.encrypt(pad(data) if padded else data, self._parsed))

    def open(self, data: bytes) -> bytes:
        """What ``seal`` encrypted (padding left in place). CannotDecrypt when no identity held opens it."""
        if not self.identities:
            raise CannotDecrypt(_("this process holds no key that reads it"))
        self.ensure()
        try:
            return bytes(pyrage.decrypt(data, list(self.identities)))
        except pyrage.DecryptError as exc:
            raise CannotDecrypt(_("it cannot be decrypted with this convening's key ({e})").format(e=exc)) from None

    def public(self) -> Cipher:
        """The same keys without the secret part: what may be handed to a process that must not read."""
        return Cipher(list(self.recipients), (), self.key_id, dict(self.code_params))
