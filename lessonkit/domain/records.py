"""The records of a convening. Each ``from_dict`` validates its input and names the field at fault."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.levels import Attribution, Category, Moderation, Sensitivity, parse_enum
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.errors import ValidationError
from lessonkit.i18n import _

MAX_NOTE_LENGTH = 4000


def _date_str(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass(frozen=True)
class Convening:
    slug: str
    title: str
    start: date | None = None
    end: date | None = None
    place: str = ""
    languages: tuple[str, ...] = ("en",)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Convening:
        data = upgrade("convening", data)
        start = v.iso_date("start", data.get("start"))
        end = v.iso_date("end", data.get("end"))
        if start and end and end < start:
            raise ValidationError("end", _("ends before it starts: check the dates."))
        languages = data.get("languages") or ["en"]
        if isinstance(languages, str):
            languages = [x.strip() for x in languages.split(",") if x.strip()]
        return cls(
            slug=v.slug("slug", data.get("slug")),
            title=v.text("title", data.get("title"), max_length=200, multiline=False),
            start=start,
            end=end,
            place=v.text("place", data.get("place"), max_length=200, required=False, multiline=False),
            languages=tuple(v.text("languages", x, max_length=20, multiline=False) for x in languages),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["convening"],
            "slug": self.slug,
            "title": self.title,
            "start": _date_str(self.start),
            "end": _date_str(self.end),
            "place": self.place,
            "languages": list(self.languages),
        }


@dataclass(frozen=True)
class Consent:
    """What a participant agreed to: whether to record at all, how to credit them, how far to share."""

    record: bool = True
    attribution: Attribution = Attribution.PSEUDONYM
    share_up_to: Sensitivity = Sensitivity.CONVENING
    media_use: bool = False
    review_date: date | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Consent:
        data = data or {}
        return cls(
            record=v.boolean("consent.record", data.get("record", True)),
            attribution=parse_enum(Attribution, "consent.attribution", data.get("attribution", "pseudonym")),  # type: ignore[arg-type]
            share_up_to=parse_enum(Sensitivity, "consent.share_up_to", data.get("share_up_to", "convening")),  # type: ignore[arg-type]
            media_use=v.boolean("consent.media_use", data.get("media_use", False)),
            review_date=v.iso_date("consent.review_date", data.get("review_date")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "record": self.record,
            "attribution": self.attribution.value,
            "share_up_to": self.share_up_to.value,
            "media_use": self.media_use,
            "review_date": _date_str(self.review_date),
        }

    def allowed_levels(self) -> list[Sensitivity]:
        """The sensitivities this person's notes may carry: never shared wider than ``share_up_to``."""
        if not self.record:
            return []
        return [s for s in Sensitivity if s.at_least_as_private_as(self.share_up_to)]


@dataclass(frozen=True)
class Participant:
    name: str
    join_code: str
    organization: str = ""
    consent: Consent = field(default_factory=Consent)
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Participant:
        data = upgrade("participant", data)
        return cls(
            id=data.get("id"),
            name=v.text("name", data.get("name"), max_length=120, multiline=False),
            organization=v.text(
                "organization", data.get("organization"), max_length=200, required=False, multiline=False
            ),
            join_code=v.text("join_code", data.get("join_code"), max_length=32, multiline=False),
            consent=Consent.from_dict(data.get("consent")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["participant"],
            "name": self.name,
            "organization": self.organization,
            "join_code": self.join_code,
            "consent": self.consent.to_dict(),
        }


@dataclass(frozen=True)
class Session:
    title: str
    kind: str = "listening"
    prompts: tuple[str, ...] = ()
    is_open: bool = True
    allow_anonymous: bool = False
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        data = upgrade("session", data)
        prompts = data.get("prompts") or []
        if isinstance(prompts, str):
            prompts = [p for p in prompts.splitlines() if p.strip()]
        return cls(
            id=data.get("id"),
            title=v.text("title", data.get("title"), max_length=200, multiline=False),
            kind=v.text("kind", data.get("kind", "listening"), max_length=40, multiline=False),
            prompts=tuple(v.text("prompts", p, max_length=500, multiline=False) for p in prompts),
            is_open=v.boolean("is_open", data.get("is_open", True)),
            allow_anonymous=v.boolean("allow_anonymous", data.get("allow_anonymous", False)),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["session"],
            "title": self.title,
            "kind": self.kind,
            "prompts": list(self.prompts),
            "is_open": self.is_open,
            "allow_anonymous": self.allow_anonymous,
        }


@dataclass(frozen=True)
class Note:
    session_id: int
    category: Category
    text: str
    sensitivity: Sensitivity
    author_id: int | None = None
    tags: tuple[str, ...] = ()
    created: datetime = field(default_factory=v.now)
    updated: datetime | None = None
    moderation: Moderation = Moderation.VISIBLE
    merged_into: int | None = None
    source: str = "form"
    id: int | None = None

    @property
    def anonymous(self) -> bool:
        return self.author_id is None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Note:
        data = upgrade("note", data)
        session_id = data.get("session_id")
        if not isinstance(session_id, int):
            raise ValidationError("session_id", _("choose a session."))
        created = v.iso_datetime("created", data["created"]) if data.get("created") else v.now()
        return cls(
            id=data.get("id"),
            session_id=session_id,
            category=parse_enum(Category, "category", data.get("category")),  # type: ignore[arg-type]
            text=v.text("text", data.get("text"), max_length=MAX_NOTE_LENGTH),
            sensitivity=parse_enum(Sensitivity, "sensitivity", data.get("sensitivity")),  # type: ignore[arg-type]
            author_id=data.get("author_id"),
            tags=tuple(v.tags("tags", data.get("tags"))),
            created=created,
            updated=v.iso_datetime("updated", data["updated"]) if data.get("updated") else None,
            moderation=parse_enum(Moderation, "moderation", data.get("moderation", "visible")),  # type: ignore[arg-type]
            merged_into=data.get("merged_into"),
            source=str(data.get("source", "form")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["note"],
            "session_id": self.session_id,
            "category": self.category.value,
            "text": self.text,
            "sensitivity": self.sensitivity.value,
            "author_id": self.author_id,
            "tags": list(self.tags),
            "created": self.created.isoformat(),
            "updated": self.updated.isoformat() if self.updated else None,
            "moderation": self.moderation.value,
            "merged_into": self.merged_into,
            "source": self.source,
        }
