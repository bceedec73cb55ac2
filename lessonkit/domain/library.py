"""A case module of the tactic library: its content, provenance, review state and source context."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.levels import Sensitivity, parse_enum
from lessonkit.domain.modules import (
    CONTEXT_FIELDS,
    MAX_NOTE,
    MAX_SHORT,
    Author,
    LineageLink,
    ModuleType,
    Review,
    ReviewStatus,
    RiskLevel,
    ShareLevel,
    Signal,
    items,
    module_slug,
    module_tags,
)
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.errors import ValidationError
from lessonkit.i18n import _

MAX_SECTION = 60_000

# Fields that are not the module's content: changing them is not an "edit" of what was imported.
NOT_CONTENT = ("schema_version", "status", "reviews", "origin", "source_profile", "updated", "share")


@dataclass(frozen=True)
class Origin:
    """Where a module came from (``local``, ``beautiful-trouble``, ``json``) and its last imported hash."""

    format: str = "local"
    external_id: str = ""
    imported_hash: str = ""

    @classmethod
    def from_dict(cls, data: Any) -> Origin:
        data = data if isinstance(data, dict) else {}
        return cls(
            str(data.get("format") or "local"),
            str(data.get("external_id") or ""),
            str(data.get("imported_hash") or ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"format": self.format, "external_id": self.external_id, "imported_hash": self.imported_hash}


@dataclass(frozen=True)
class Module:
    slug: str
    title: str
    type: ModuleType
    summary: str = ""
    sections: dict[str, str] = field(default_factory=dict)
    context: dict[str, str] = field(default_factory=dict)
    signals: tuple[Signal, ...] = ()
    risk_level: RiskLevel = RiskLevel.UNKNOWN
    tags: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    lineage: tuple[LineageLink, ...] = ()
    authors: tuple[Author, ...] = ()
    funding: str = ""
    licence: str = ""
    attribution: str = ""
    source_url: str = ""
    sensitivity: Sensitivity = Sensitivity.NETWORK
    anonymised: bool = False
    share: ShareLevel = ShareLevel.LOCAL
    status: ReviewStatus = ReviewStatus.DRAFT
    reviews: tuple[Review, ...] = ()
    source_profile: dict[str, float] = field(default_factory=dict)
    origin: Origin = field(default_factory=Origin)
    updated: datetime | None = None
    id: int | None = None

    def section(self, key: str) -> str:
        return self.sections.get(key, "")

    @property
    def cautions(self) -> str:
        """The module's own cautions: its risks section, else why it failed."""
        return self.section("risks") or self.section("why_it_failed")

    @property
    def author_organisations(self) -> set[str]:
        return {a.organisation.casefold() for a in self.authors if a.organisation}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Module:
        if not isinstance(data, dict):
            raise ValidationError(
                "module", _("a module must be a JSON object with a slug, a title and a type.")
            )
        data = upgrade("module", data)
        related = tuple(module_slug("related", s) for s in items("related", data.get("related")))
        return cls(
            id=data.get("id"),
            slug=module_slug("slug", data.get("slug")),
            title=v.text("title", data.get("title"), max_length=MAX_SHORT),
            type=parse_enum(ModuleType, "type", data.get("type")),  # type: ignore[arg-type]
            summary=v.text("summary", data.get("summary"), max_length=MAX_NOTE, required=False),
            sections=_text_map("sections", data.get("sections"), MAX_SECTION),
            context=_context(data.get("context")),
            signals=tuple(
                Signal.from_dict(s, f"signals[{i}]")
                for i, s in enumerate(items("signals", data.get("signals")))
            ),
            risk_level=parse_enum(RiskLevel, "risk_level", data.get("risk_level") or "unknown"),  # type: ignore[arg-type]
            tags=tuple(module_tags("tags", data.get("tags"))),
            regions=tuple(module_tags("regions", data.get("regions"), limit=30)),
            related=tuple(dict.fromkeys(related)),
            lineage=tuple(
                LineageLink.from_dict(x, f"lineage[{i}]")
                for i, x in enumerate(items("lineage", data.get("lineage")))
            ),
            authors=tuple(
                Author.from_dict(a, f"authors[{i}]")
                for i, a in enumerate(items("authors", data.get("authors")))
            ),
            funding=v.text("funding", data.get("funding"), max_length=MAX_NOTE, required=False),
            licence=v.text("licence", data.get("licence"), max_length=MAX_SHORT, required=False),
            attribution=v.text("attribution", data.get("attribution"), max_length=MAX_NOTE, required=False),
            source_url=v.text("source_url", data.get("source_url"), max_length=1000, required=False),
            sensitivity=parse_enum(Sensitivity, "sensitivity", data.get("sensitivity") or "network"),  # type: ignore[arg-type]
            anonymised=v.boolean("anonymised", data.get("anonymised", False)),
            share=parse_enum(ShareLevel, "share", data.get("share") or "local"),  # type: ignore[arg-type]
            status=parse_enum(ReviewStatus, "status", data.get("status") or "draft"),  # type: ignore[arg-type]
            reviews=tuple(
                Review.from_dict(r, f"reviews[{i}]")
                for i, r in enumerate(items("reviews", data.get("reviews")))
            ),
            source_profile=_ratings("source_profile", data.get("source_profile")),
            origin=Origin.from_dict(data.get("origin")),
            updated=v.iso_datetime("updated", data["updated"]) if data.get("updated") else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["module"],
            "slug": self.slug,
            "title": self.title,
            "type": self.type.value,
            "summary": self.summary,
            "sections": dict(self.sections),
            "context": dict(self.context),
            "signals": [s.to_dict() for s in self.signals],
            "risk_level": self.risk_level.value,
            "tags": list(self.tags),
            "regions": list(self.regions),
            "related": list(self.related),
            "lineage": [x.to_dict() for x in self.lineage],
            "authors": [a.to_dict() for a in self.authors],
            "funding": self.funding,
            "licence": self.licence,
            "attribution": self.attribution,
            "source_url": self.source_url,
            "sensitivity": self.sensitivity.value,
            "anonymised": self.anonymised,
            "share": self.share.value,
            "status": self.status.value,
            "reviews": [r.to_dict() for r in self.reviews],
            "source_profile": dict(self.source_profile),
            "origin": self.origin.to_dict(),
            "updated": self.updated.isoformat() if self.updated else None,
        }

    def with_changes(self, **changes: Any) -> Module:
        """A copy with ``changes`` applied and validated again."""
        return Module.from_dict({**self.to_dict(), **changes, "id": self.id})

    def full_text(self) -> str:
        """Everything a full-text search looks at, in lower case."""
        parts = [
            self.title,
            self.summary,
            *self.sections.values(),
            *self.context.values(),
            " ".join(self.tags),
        ]
        return "\n".join(parts).casefold()


def content_hash(module: Module) -> str:
    """A fingerprint of what the module says; review state, provenance and source profile do not count."""
    data = {k: val for k, val in module.to_dict().items() if k not in NOT_CONTENT}
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def edited_since_import(module: Module) -> bool:
    """True when a module that came from an import was changed here afterwards."""
    return bool(module.origin.imported_hash) and content_hash(module) != module.origin.imported_hash


def _text_map(field_name: str, value: object, limit: int) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError(field_name, _("must map section names to text."))
    out: dict[str, str] = {}
    for key, text in value.items():
        cleaned = v.text(f"{field_name}.{key}", text, max_length=limit, required=False)
        if cleaned:
            out[str(key)] = cleaned
    return out


def _context(value: object) -> dict[str, str]:
    notes = _text_map("context", value, MAX_NOTE)
    unknown = sorted(set(notes) - set(CONTEXT_FIELDS))
    if unknown:
        raise ValidationError(
            "context",
            _("unknown context note '{key}': use {choices}.").format(
                key=unknown[0], choices=", ".join(CONTEXT_FIELDS)
            ),
        )
    return notes


def _ratings(field_name: str, value: object) -> dict[str, float]:
    """Ratings 0–4 by criterion id (checked against a rubric elsewhere)."""
    from lessonkit.domain.rubric import check_rating

    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ValidationError(field_name, _("must map criteria to ratings from 0 to 4."))
    return {str(k): check_rating(f"{field_name}.{k}", r) for k, r in value.items()}
