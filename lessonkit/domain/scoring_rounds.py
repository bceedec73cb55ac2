"""A scoring round (one module, one target context, several assessors) and one assessor's ratings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.errors import ValidationError
from lessonkit.i18n import _


@dataclass(frozen=True)
class ScoringRound:
    """What participants rate: the module is copied in, so a result does not change when the library does."""

    module_slug: str
    module_title: str
    target_name: str
    source: dict[str, float]
    rubric: str = "default"
    module_summary: str = ""
    cautions: str = ""
    context: dict[str, str] = field(default_factory=dict)
    target_description: str = ""
    is_open: bool = True
    created: datetime = field(default_factory=v.now)
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScoringRound:
        data = upgrade("scoring_round", data)
        return cls(
            id=data.get("id"),
            module_slug=v.text("module_slug", data.get("module_slug"), max_length=200),
            module_title=v.text("module_title", data.get("module_title"), max_length=200),
            target_name=v.text("target_name", data.get("target_name"), max_length=200),
            target_description=v.text(
                "target_description", data.get("target_description"), max_length=4000, required=False
            ),
            source={str(k): float(x) for k, x in (data.get("source") or {}).items()},
            rubric=v.text("rubric", data.get("rubric") or "default", max_length=200),
            module_summary=str(data.get("module_summary") or ""),
            cautions=str(data.get("cautions") or ""),
            context={str(k): str(x) for k, x in (data.get("context") or {}).items()},
            is_open=v.boolean("is_open", data.get("is_open", True)),
            created=v.iso_datetime("created", data["created"]) if data.get("created") else v.now(),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["scoring_round"],
            "module_slug": self.module_slug,
            "module_title": self.module_title,
            "module_summary": self.module_summary,
            "target_name": self.target_name,
            "target_description": self.target_description,
            "source": dict(self.source),
            "rubric": self.rubric,
            "cautions": self.cautions,
            "context": dict(self.context),
            "is_open": self.is_open,
            "created": self.created.isoformat(),
        }


@dataclass(frozen=True)
class ScoringRating:
    round_id: int
    participant_id: int
    ratings: dict[str, int]
    created: datetime = field(default_factory=v.now)
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScoringRating:
        data = upgrade("scoring_rating", data)
        round_id, participant_id = data.get("round_id"), data.get("participant_id")
        if not isinstance(round_id, int) or not isinstance(participant_id, int):
            raise ValidationError("round_id", _("a rating belongs to one round and one participant."))
        return cls(
            id=data.get("id"),
            round_id=round_id,
            participant_id=participant_id,
            ratings={str(k): int(x) for k, x in (data.get("ratings") or {}).items()},
            created=v.iso_datetime("created", data["created"]) if data.get("created") else v.now(),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["scoring_rating"],
            "round_id": self.round_id,
            "participant_id": self.participant_id,
            "ratings": dict(self.ratings),
            "created": self.created.isoformat(),
        }
