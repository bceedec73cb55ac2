"""Bundles: a whole convening in one zip file, to carry it to another laptop or keep it.

``manifest.json`` names the format, the lessonkit version, the schema version of every record kind, and for each
table its file, record count, size and SHA-256; ``tables/NAME.json`` holds the table's records with their ids.
A bundle holds EVERY record (restricted notes, names, join codes): keep it as safe as the laptop. Words removed by
a consent withdrawal are not in bundles made afterwards.

A bundle of an encrypted convening is itself encrypted (:mod:`lessonkit.export.bundle_seal`), to the convening's
keys or to the age public keys given with ``to``; import opens it with the passphrase or an identity file, and the
imported convening is encrypted too.

Import is all or nothing: every check of :mod:`lessonkit.export.bundle_checks` passes first (each record validated
by its table's domain code), then the convening file is written whole and moved into place in one step, each record
under its own id (so notes still point at their sessions and authors; an id costs nothing, however large).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessonkit import __version__
from lessonkit.domain import validation as v
from lessonkit.domain.schema import CURRENT_VERSIONS
from lessonkit.errors import AlreadyExistsError, ValidationError
from lessonkit.export.bundle_checks import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    TABLE_KINDS,
    BundleError,
    Limits,
    check_manifest,
    check_members,
    check_table,
    read_member,
    refuse,
)
from lessonkit.i18n import _
from lessonkit.services.tables import check_references
from lessonkit.store.base import Store, Tx
from lessonkit.store.workspace import BaseWorkspace

__all__ = ["BundleError", "Imported", "Limits", "export_bundle", "import_bundle", "read_bundle"]


@dataclass(frozen=True)
class Imported:
    slug: str
    counts: dict[str, int]


def _dump(docs: list[dict[str, Any]]) -> bytes:
    return json.dumps(docs, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def bundle_bytes(store: Store, slug: str) -> bytes:
    """The zip file of one convening, read in one consistent view."""
    with store.read() as tx:
        tables = {name: tx.all(name) for name in TABLE_KINDS}
    return pack(tables, slug)


def pack(tables: dict[str, list[dict[str, Any]]], slug: str) -> bytes:
    """A bundle (zip with manifest) holding ``tables`` (records with their ids)."""
    files = {name: _dump(docs) for name, docs in tables.items() if docs}
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "lessonkit": __version__,
        "created": v.now().isoformat(),
        "convening": slug,
        "schema_versions": {kind: CURRENT_VERSIONS[kind] for kind in sorted(set(TABLE_KINDS.values()))},
        "tables": {
            name: {
                "file": f"tables/{name}.json",
                "count": len(tables[name]),
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            for name, data in files.items()
        },
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        for name, data in files.items():
            zf.writestr(f"tables/{name}.json", data)
    return buf.getvalue()


def export_bundle(ws: BaseWorkspace, slug: str, out: str | os.PathLike[str], to: Sequence[str] = ()) -> Path:
    """Write the convening ``slug`` to the zip file ``out`` (replaced in one step), encrypted when the convening is
    or to the age public keys ``to``; the export log says so."""
    from lessonkit.services.convenings import open_convening

    store = open_convening(slug, ws)
    data, sealed = maybe_seal(ws, slug, bundle_bytes(store, slug), to)
    path = write_zip(data, out)
    log_backup(store, path, sealed)
    return path


def maybe_seal(ws: BaseWorkspace, slug: str, data: bytes, to: Sequence[str] = ()) -> tuple[bytes, bool]:
    """``data`` sealed for the convening's keys or for ``to`` (see bundle_seal); unchanged for a plain convening
    without ``to``. Returns (bytes, whether sealed)."""
    from lessonkit.export.bundle_seal import recipients_for, seal
    from lessonkit.store.age_cipher import recipient

    path_for = getattr(ws, "path_for", None)
    if path_for is not None:
        recipients, keys = recipients_for(Path(path_for(slug)), to)
    else:
        recipients, keys = [str(recipient(r)) for r in to], None
    if not recipients:
        return data, False
    return seal(data, slug, recipients, keys), True


def write_zip(data: bytes, out: str | os.PathLike[str]) -> Path:
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return path


def log_backup(store: Store, path: Path, sealed: bool = False) -> None:
    """A whole-convening bundle holds every record: logged at level restricted, with every participant."""
    from lessonkit.domain.levels import Sensitivity
    from lessonkit.domain.privacy import Tally
    from lessonkit.services.export_log import log_export

    with store.read() as tx:
        tally = Tally(included=sum(len(tx.all(name)) for name in TABLE_KINDS if name != "exports"))
        people = [d["id"] for d in tx.all("participants")]
    log_export(store, "bundle (encrypted)" if sealed else "bundle", Sensitivity.RESTRICTED, path, tally, people)


def read_bundle(
    path: str | os.PathLike[str], limits: Limits | None = None, data: bytes | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Every table of a bundle (the file ``path``, or its bytes ``data`` when given, e.g. opened from a sealed
    bundle), after every check; raises BundleError naming the first problem."""
    limits = limits or Limits()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data) if data is not None else path)
    except FileNotFoundError:
        raise BundleError(_("There is no file {path}.").format(path=path)) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise refuse(path, _("it is not a zip file ({e}).").format(e=exc)) from None
    with zf:
        members = check_members(zf, path, limits)
        if MANIFEST not in members:
            raise refuse(path, _("it has no manifest.json."))
        manifest = check_manifest(read_member(zf, members[MANIFEST], path), path)
        listed = {MANIFEST} | {str(e.get("file")) for e in manifest["tables"].values() if isinstance(e, dict)}
        for name in members:
            if name not in listed:
                raise refuse(path, _("the member '{name}' is not listed in the manifest.").format(name=name))
        tables: dict[str, list[dict[str, Any]]] = {}
        for name, entry in manifest["tables"].items():
            if not isinstance(entry, dict) or entry.get("file") not in members:
                raise refuse(path, _("the table '{name}' is listed but its file is missing.").format(name=name))
            tables[name] = check_table(name, entry, read_member(zf, members[entry["file"]], path), path)
    conv = tables.get("convening") or []
    if len(conv) != 1:
        raise refuse(path, _("it must hold exactly one convening record."))
    try:
        check_references(tables)
    except ValidationError as exc:
        raise refuse(path, str(exc)) from None
    return tables


def discard(ws: BaseWorkspace, slug: str) -> None:
    """Remove a convening this import had just created and could not fill (so nothing is left half-written)."""
    path = getattr(ws, "path_for", None)
    if path is None:
        getattr(ws, "_stores", {}).pop(slug, None)  # MemoryWorkspace
        return
    base = Path(path(slug))
    for suffix in ("", ".journal", ".lastgood", ".lock", ".keys", ".index", ".locked"):
        Path(str(base) + suffix).unlink(missing_ok=True)


def import_bundle(
    ws: BaseWorkspace,
    path: str | os.PathLike[str],
    as_slug: str | None = None,
    limits: Limits | None = None,
    identity: str | None = None,
    new_passphrase: str | Callable[[str], str] | None = None,
) -> Imported:
    """Check the whole bundle, then create the convening (``as_slug`` or its own) holding every record.

    An encrypted bundle is opened with ``identity`` (the text of an age identity file) or, when it carries its
    convening's keys, with their passphrase (asked through the keyring's asker); the new convening is encrypted with
    those same keys, or (opened with ``identity``) with new keys under ``new_passphrase`` (or what it returns, when
    it is a function of the new convening's short name: asked only when needed)."""
    from lessonkit.export.bundle_seal import open_sealed, read_sealed
    from lessonkit.store import keyring

    sealed = read_sealed(path, limits)
    inner: bytes | None = None
    identities: list[Any] = []
    if sealed is not None:
        inner, identities = open_sealed(sealed, path, identity, keyring.ask_passphrase)
    tables = read_bundle(path, limits, inner)
    record = dict(tables["convening"][0])
    slug = v.slug("--as", as_slug) if as_slug else v.slug("slug", record.get("slug"))
    if ws.exists(slug):
        raise AlreadyExistsError(
            _("A convening '{slug}' already exists: import under another name with --as NEW-SLUG.").format(slug=slug)
        )
    tables["convening"] = [{**record, "slug": slug}]

    def fill(tx: Tx) -> None:
        for name, docs in tables.items():
            for doc in docs:
                tx.insert_with_id(name, doc["id"], doc)

    cipher = None
    if sealed is not None:
        keys = sealed.keys if sealed.keys is not None and not identity else None
        cipher = _imported_keys(ws, slug, keys, identities, new_passphrase)
    try:
        ws.create_store(slug, fill, cipher)  # appears with every record, or (killed, or refused) not at all
    except BaseException:
        if cipher is not None:
            discard(ws, slug)
        raise
    return Imported(slug, {name: len(docs) for name, docs in tables.items()})


def _imported_keys(
    ws: BaseWorkspace, slug: str, keys: Any, identities: list[Any], new_passphrase: str | Callable[[str], str] | None
) -> Any:
    """The keys an imported encrypted convening gets: the bundle's own (same passphrase), else new ones."""
    from lessonkit.store import keyring
    from lessonkit.store import keys as keyfile

    path_for = getattr(ws, "path_for", None)
    if path_for is None:
        from lessonkit.errors import StoreError

        raise StoreError(_("Encryption at rest needs a workspace on disk."))
    if keys is None:
        if callable(new_passphrase):
            new_passphrase = new_passphrase(slug)
        if not new_passphrase:
            raise ValidationError(
                "passphrase", _("give a passphrase for the imported convening: it stays encrypted.")
            )
        keys, identities = keyfile.make(new_passphrase)
    path = Path(path_for(slug))
    path.parent.mkdir(parents=True, exist_ok=True)
    keyfile.write(path, keys)
    return keyring.remember(path, keys, identities)
