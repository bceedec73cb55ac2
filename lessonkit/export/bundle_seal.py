"""Encrypted bundles: what an encrypted convening carries off the laptop stays encrypted.

A sealed bundle is a zip holding:

- ``manifest.json``, readable and saying nothing about anyone: the format, the convening's short name and the public
  keys it is encrypted to;
- ``bundle.age``: the ordinary bundle (zip with its own manifest, see :mod:`lessonkit.export.bundle`) as one age
  file, encrypted to the convening's own public keys (its key and recovery keys), or only to the keys given with
  ``--to`` (a partner's);
- ``keys.json`` when it is encrypted to the convening's own key: its keys file (the secret part locked by the
  passphrase), so ``lessonkit convening import`` on another laptop opens it with the same passphrase, and the
  imported convening stays encrypted under it.

Bundles of a plain convening are sealed only when ``--to`` is given. ``age -d -i KEY bundle.age`` opens the inner
bundle without lessonkit.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessonkit.export.bundle_checks import Limits, check_members, read_member, refuse
from lessonkit.i18n import _
from lessonkit.store import keys as keyfile
from lessonkit.store.age_cipher import CannotDecrypt, Cipher, identities_from_text, recipient

FORMAT = "lessonkit-sealed-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PAYLOAD = "bundle.age"
KEYS = "keys.json"


def recipients_for(path: Path, to: Sequence[str]) -> tuple[list[str], keyfile.KeysFile | None]:
    """Whom a bundle of convening file ``path`` is encrypted to, and the keys file to carry along (or None):
    ``to`` if given (no keys carried), else the convening's own keys if it is encrypted, else nobody (plain)."""
    if to:
        return [str(recipient(r)) for r in to], None
    if keyfile.is_encrypted(path):
        keys = keyfile.read(path)
        return keys.recipients, keys
    return [], None


def seal(data: bytes, slug: str, recipients: list[str], keys: keyfile.KeysFile | None) -> bytes:
    """The sealed bundle holding bundle bytes ``data``."""
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "convening": slug, "recipients": recipients,
                "keys_included": keys is not None}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, indent=2))
        zf.writestr(PAYLOAD, Cipher(recipients).seal(data, padded=False))
        if keys is not None:
            zf.writestr(KEYS, json.dumps(keys.to_dict(), indent=1))
    return buf.getvalue()


@dataclass(frozen=True)
class Sealed:
    slug: str
    payload: bytes
    keys: keyfile.KeysFile | None


def read_sealed(path: str | os.PathLike[str], limits: Limits | None = None) -> Sealed | None:
    """The parts of a sealed bundle, or None when ``path`` is not one (an ordinary bundle, or not a zip)."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return None
    with zf:
        if MANIFEST not in zf.namelist():
            return None
        members = check_members(zf, path, limits or Limits())
        try:
            manifest = json.loads(read_member(zf, members[MANIFEST], path))
        except ValueError:
            return None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            return None
        if PAYLOAD not in members:
            raise refuse(path, _("it is encrypted but holds no {name}.").format(name=PAYLOAD))
        keys = None
        if KEYS in members:
            keys = _keys(read_member(zf, members[KEYS], path), path)
        return Sealed(str(manifest.get("convening") or ""), read_member(zf, members[PAYLOAD], path), keys)


def _keys(raw: bytes, path: object) -> keyfile.KeysFile:
    try:
        data: dict[str, Any] = json.loads(raw)
        return keyfile.KeysFile(
            key_id=str(data["key_id"]), recipient=str(data["recipient"]), identity=str(data["identity"]),
            recovery=tuple(str(r) for r in data.get("recovery") or ()), codes=dict(data.get("codes") or {}),
            created=str(data.get("created") or ""),
        )
    except (ValueError, KeyError, TypeError):
        raise refuse(path, _("its keys file is damaged.")) from None


def open_sealed(
    sealed: Sealed, path: object, identity_text: str | None, passphrase: Callable[[str], str] | None
) -> tuple[bytes, list[Any]]:
    """(the inner bundle's bytes, the identities that opened it): with ``identity_text`` (an age identity file),
    else with the bundle's own keys and ``passphrase(slug)``."""
    if identity_text:
        identities = identities_from_text(identity_text)
    elif sealed.keys is not None and passphrase is not None:
        identities = keyfile.open_identities(sealed.keys, passphrase(sealed.slug), sealed.slug)
    else:
        raise refuse(path, _("it is encrypted to someone else's key: give that key with --identity FILE."))
    try:
        return Cipher([], identities).open(sealed.payload), identities
    except CannotDecrypt as exc:
        raise refuse(path, str(exc)) from None
