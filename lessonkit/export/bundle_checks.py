"""Everything a bundle must pass before one byte of it is written to the workspace.

A bundle is a zip file someone handed over: it is read as hostile. Refused, each with its own message: a file that
is not a zip, too many members, a member whose name is absolute or climbs out with ``..``, a link, a member (or the
whole) larger than the limits, anything not listed in the manifest, a checksum or count that does not match, a
table this lessonkit does not know, and records (or a manifest) newer than this lessonkit. Every record is then
validated by the domain code of its table (:mod:`lessonkit.services.tables`), unknown fields refused by name.
"""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from lessonkit.domain.schema import CURRENT_VERSIONS
from lessonkit.errors import LessonkitError, SchemaVersionError, ValidationError
from lessonkit.i18n import _, ngettext
from lessonkit.services.tables import CONVENING_TABLES, check_record
from lessonkit.store.base import MAX_ID

FORMAT = "lessonkit-convening-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"

#: Every table of a convening and the record kind (schema) of its documents (see lessonkit.services.tables).
TABLE_KINDS: dict[str, str] = {name: table.kind for name, table in CONVENING_TABLES.items()}


class BundleError(LessonkitError):
    """A bundle that was refused; nothing was written."""


@dataclass(frozen=True)
class Limits:
    max_members: int = 64
    max_member_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 256 * 1024 * 1024


def refuse(path: object, reason: str) -> BundleError:
    return BundleError(
        _("The bundle {path} was refused, nothing was imported: {reason}").format(path=path, reason=reason)
    )


def safe_name(name: str) -> bool:
    """A relative name that stays inside the bundle: no leading slash or drive, no '..', no backslashes."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or (len(name) > 1 and name[1] == ":"):
        return False
    parts = PurePosixPath(name).parts
    return ".." not in parts and not PurePosixPath(name).is_absolute()


def is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode)


def check_members(zf: zipfile.ZipFile, path: object, limits: Limits) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise refuse(
            path,
            ngettext("it has {n} member; the limit is {m}.", "it has {n} members; the limit is {m}.", len(infos))
            .format(n=len(infos), m=limits.max_members),
        )
    total = 0
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        if not safe_name(name):
            raise refuse(path, _("the member '{name}' has an absolute path or '..' in it.").format(name=name))
        if is_link(info):
            raise refuse(path, _("the member '{name}' is a link.").format(name=name))
        if info.is_dir():
            raise refuse(path, _("the member '{name}' is a folder; bundles hold files only.").format(name=name))
        if info.file_size > limits.max_member_bytes:
            raise refuse(
                path,
                ngettext(
                    "the member '{name}' is {n} byte; the limit is {m}.",
                    "the member '{name}' is {n} bytes; the limit is {m}.",
                    info.file_size,
                ).format(name=name, n=info.file_size, m=limits.max_member_bytes),
            )
        total += info.file_size
        if name in members:
            raise refuse(path, _("the member '{name}' appears twice.").format(name=name))
        members[name] = info
    if total > limits.max_total_bytes:
        raise refuse(
            path,
            ngettext(
                "its members hold {n} byte; the limit is {m}.", "its members hold {n} bytes; the limit is {m}.", total
            ).format(n=total, m=limits.max_total_bytes),
        )
    return members


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: object) -> bytes:
    """The member's bytes, never more than it declares (a zip bomb stops at its declared size)."""
    with zf.open(info) as f:
        data = f.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise refuse(path, _("the member '{name}' is not the size it declares.").format(name=info.filename))
    return data


def check_manifest(raw: bytes, path: object) -> dict[str, Any]:
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise refuse(path, _("its manifest cannot be read: {e}").format(e=exc)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise refuse(path, _("it is not a lessonkit convening bundle (its manifest says otherwise)."))
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise refuse(
            path, _("it was made by a newer lessonkit (bundle format {v}): upgrade lessonkit.").format(v=version)
        )
    for kind, v in (manifest.get("schema_versions") or {}).items():
        if kind in CURRENT_VERSIONS and isinstance(v, int) and v > CURRENT_VERSIONS[kind]:
            raise refuse(
                path,
                _(
                    "its {kind} records have schema version {v}, newer than this lessonkit understands ({c}). "
                    "Upgrade lessonkit to import it."
                ).format(kind=kind, v=v, c=CURRENT_VERSIONS[kind]),
            )
    if not isinstance(manifest.get("tables"), dict):
        raise refuse(path, _("its manifest lists no tables."))
    return manifest


def check_table(name: str, entry: Any, data: bytes, path: object) -> list[dict[str, Any]]:
    """The table's documents after checksum, count and per-record validation."""
    if name not in TABLE_KINDS:
        raise refuse(
            path, _("it holds a table '{name}' this lessonkit does not know: upgrade lessonkit.").format(name=name)
        )
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        raise refuse(
            path,
            _("the checksum of '{file}' does not match the manifest: the file was changed or damaged.").format(
                file=entry.get("file")
            ),
        )
    try:
        docs = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise refuse(path, _("'{file}' cannot be read: {e}").format(file=entry.get("file"), e=exc)) from None
    if not isinstance(docs, list) or len(docs) != entry.get("count"):
        raise refuse(
            path, _("'{file}' does not hold the number of records the manifest says.").format(file=entry.get("file"))
        )
    seen: set[int] = set()
    out = []
    for doc in docs:
        doc_id = doc.get("id") if isinstance(doc, dict) else None
        if isinstance(doc_id, bool) or not isinstance(doc_id, int) or not 1 <= doc_id <= MAX_ID or doc_id in seen:
            raise refuse(path, _("a record of '{name}' has no valid, unique id.").format(name=name))
        seen.add(doc_id)
        try:
            out.append(check_record(name, doc))
        except SchemaVersionError as exc:
            raise refuse(path, str(exc)) from None
        except ValidationError as exc:
            raise refuse(
                path, _("record {id} of '{name}' is not valid: {e}").format(id=doc_id, name=name, e=exc)
            ) from None
    return out
