"""One line of a convening's export log: what left the laptop, at which level, when, and whose words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.levels import Sensitivity, parse_enum
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade


@dataclass(frozen=True)
class ExportRecord:
    """A report, data export, bundle or clone that was made."""

    what: str  # e.g. "report listening", "export notes", "bundle", "clone"
    level: Sensitivity
    file: str  # the file's name (no folders), or "" when printed / not a file
    included: int = 0
    withheld: int = 0
    redacted: int = 0
    participant_ids: tuple[int, ...] = ()  # whose words went out
    by: str = ""
    at: datetime = field(default_factory=v.now)
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExportRecord:
        data = upgrade("export_record", data)
        return cls(
            id=data.get("id"),
            what=v.text("what", data.get("what"), max_length=80),
            level=parse_enum(Sensitivity, "level", data.get("level")),  # type: ignore[arg-type]
            file=v.text("file", data.get("file"), max_length=300, required=False),
            included=int(data.get("included") or 0),
            withheld=int(data.get("withheld") or 0),
            redacted=int(data.get("redacted") or 0),
            participant_ids=tuple(sorted(int(i) for i in data.get("participant_ids") or ())),
            by=v.text("by", data.get("by"), max_length=120, required=False),
            at=v.iso_datetime("at", data["at"]) if data.get("at") else v.now(),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["export_record"],
            "what": self.what,
            "level": self.level.value,
            "file": self.file,
            "included": self.included,
            "withheld": self.withheld,
            "redacted": self.redacted,
            "participant_ids": sorted(self.participant_ids),
            "by": self.by,
            "at": self.at.isoformat(),
        }
