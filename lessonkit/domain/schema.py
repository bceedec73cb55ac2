"""Schema versions of stored records and the chain of small functions that upgrades old ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lessonkit.errors import SchemaVersionError
from lessonkit.i18n import _

Upgrade = Callable[[dict[str, Any]], dict[str, Any]]

CURRENT_VERSIONS: dict[str, int] = {"convening": 1, "participant": 1, "session": 1, "note": 1}
# The memorandum of understanding (issue 3).
CURRENT_VERSIONS.update(mou=1, mou_version=1, mou_position=1, mou_amendment=1, mou_signature=1)
# The tactic library and transferability scoring (issue 4).
CURRENT_VERSIONS.update(module=1, scoring_round=1, scoring_rating=1, context_profile=1)
# Reports, exports and bundles (issue 5): the facilitator's extra redaction terms, the audit log.
CURRENT_VERSIONS.update(redaction_terms=1, audit=1)

# UPGRADES[kind][n] turns a version-n record into a version-(n+1) record.
UPGRADES: dict[str, dict[int, Upgrade]] = {
    kind: {0: lambda d: {**d, "schema_version": 1}} for kind in CURRENT_VERSIONS
}
# The library on CouchDB (issue 17): modules get a share level; those written before stay on the laptop.
CURRENT_VERSIONS["module"] = 2
UPGRADES["module"][1] = lambda d: {**d, "share": d.get("share") or "local", "schema_version": 2}


def upgrade(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Bring ``data`` up to the current version of ``kind``; refuse data newer than this code."""
    current = CURRENT_VERSIONS[kind]
    version = data.get("schema_version", 0)
    if not isinstance(version, int) or version < 0:
        raise SchemaVersionError(
            _("A {kind} record has an unreadable schema_version {v!r}.").format(kind=kind, v=version)
        )
    if version > current:
        raise SchemaVersionError(
            _("A {kind} record has schema version {v}, newer than this lessonkit understands ({c}). "
              "Upgrade lessonkit to read it.").format(kind=kind, v=version, c=current)
        )
    chain = UPGRADES.get(kind, {})
    while version < current:
        data = chain[version](data)
        version = data["schema_version"]
    return data
