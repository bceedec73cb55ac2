"""The records of a convening. Each ``from_dict`` validates its input and names the field at fault."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.language import Shown, language_tag, language_tags, pick
from lessonkit.domain.levels import Attribution, Category, Moderation, Sensitivity, parse_enum
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.domain.translations import (
    NoteTranslation,
    SessionText,
    merge_text,
    note_translations,
    session_texts,
)
from lessonkit.errors import ValidationError
from lessonkit.i18n import _

MAX_NOTE_LENGTH = 4000
MAX_PSEUDONYM_LENGTH = 60
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def optional_language(field: str, value: object) -> str | None:
    """A short language tag such as ``es`` or ``pt-BR`` (normalised); None or '' mean "not set"."""
    return None if value in (None, "") else language_tag(field, value)


def country_codes(field: str, value: object) -> tuple[str, ...]:
    """Two-letter country codes (ISO 3166), from a list or a comma-separated string, upper-case, without repeats."""
    if value in (None, ""):
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    out: list[str] = []
    for item in items:
        code = str(item).strip().upper()
        if not code:
            continue
        if not _COUNTRY.match(code):
            raise ValidationError(
                field, _("'{value}' is not a two-letter country code (such as KE, PL or UA).").format(value=item)
            )
        if code not in out:
            out.append(code)
    return tuple(out)


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
    countries: tuple[str, ...] = ()  # where participants' phone numbers come from (redaction reads them)

    @property
    def first_language(self) -> str:
        """The language a text is taken to be written in when nobody said (the first one listed)."""
        return self.languages[0] if self.languages else "en"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Convening:
        data = upgrade("convening", data)
        start = v.iso_date("start", data.get("start"))
        end = v.iso_date("end", data.get("end"))
        if start and end and end < start:
            raise ValidationError("end", _("ends before it starts: check the dates."))
        return cls(
            slug=v.slug("slug", data.get("slug")),
            title=v.text("title", data.get("title"), max_length=200, multiline=False),
            start=start,
            end=end,
            place=v.text("place", data.get("place"), max_length=200, required=False, multiline=False),
            languages=language_tags("languages", data.get("languages") or ["en"], names=True),
            countries=country_codes("countries", data.get("countries")),
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
            "countries": list(self.countries),
        }


@dataclass(frozen=True)
class Consent:
    """What a participant agreed to: whether to record at all, how to credit them, how far to share, and when to
    check it with them again. (lessonkit holds no photos, audio or video, so it keeps no media consent: see the
    participant schema upgrade to version 2.)"""

    record: bool = True
    attribution: Attribution = Attribution.PSEUDONYM
    share_up_to: Sensitivity = Sensitivity.CONVENING
    review_date: date | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Consent:
        data = data or {}
        return cls(
            record=v.boolean("consent.record", data.get("record", True)),
            attribution=parse_enum(Attribution, "consent.attribution", data.get("attribution", "pseudonym")),  # type: ignore[arg-type]
            share_up_to=parse_enum(Sensitivity, "consent.share_up_to", data.get("share_up_to", "convening")),  # type: ignore[arg-type]
            review_date=v.iso_date("consent.review_date", data.get("review_date")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "record": self.record,
            "attribution": self.attribution.value,
            "share_up_to": self.share_up_to.value,
            "review_date": _date_str(self.review_date),
        }

    def allowed_levels(self) -> list[Sensitivity]:
        """The sensitivities this person's notes may carry: never shared wider than ``share_up_to``."""
        if not self.record:
            return []
        return [s for s in Sensitivity if s.at_least_as_private_as(self.share_up_to)]


@dataclass(frozen=True)
class Participant:
    """A person of the convening.

    ``name`` is what the facilitator knows them by: it stays inside the convening (never at network or public).
    ``pseudonym`` is the name their words carry outside it, chosen by the person or generated ('' only for a record
    upgraded from version 1 that has not been given one yet: such a person is credited as "a participant").
    ``language`` is the interface language they prefer (None: the convening's).
    """

    name: str
    join_code: str
    organization: str = ""
    consent: Consent = field(default_factory=Consent)
    pseudonym: str = ""
    language: str | None = None
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
            pseudonym=v.text("pseudonym", data.get("pseudonym"), max_length=MAX_PSEUDONYM_LENGTH, required=False),
            language=optional_language("language", data.get("language")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["participant"],
            "name": self.name,
            "pseudonym": self.pseudonym,
            "organization": self.organization,
            "join_code": self.join_code,
            "language": self.language,
            "consent": self.consent.to_dict(),
        }


@dataclass(frozen=True)
class Session:
    """A session. ``title`` and ``prompts`` are the original, written in ``language``; ``translations`` hold the
    same title and prompts in other languages (a reader without theirs sees the original, marked as such)."""

    title: str
    kind: str = "listening"
    prompts: tuple[str, ...] = ()
    is_open: bool = True
    allow_anonymous: bool = False
    language: str = "en"
    translations: tuple[SessionText, ...] = ()
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, default_language: str = "en") -> Session:
        """``default_language`` is the original's language of a record that does not say (sessions written before
        version 2): the convening's first language, which the services pass in."""
        data = upgrade("session", data)
        prompts = data.get("prompts") or []
        if isinstance(prompts, str):
            prompts = [p for p in prompts.splitlines() if p.strip()]
        prompts = tuple(v.text("prompts", p, max_length=500, multiline=False) for p in prompts)
        language = language_tag("language", data.get("language") or default_language)
        return cls(
            id=data.get("id"),
            title=v.text("title", data.get("title"), max_length=200, multiline=False),
            kind=v.text("kind", data.get("kind", "listening"), max_length=40, multiline=False),
            prompts=prompts,
            is_open=v.boolean("is_open", data.get("is_open", True)),
            allow_anonymous=v.boolean("allow_anonymous", data.get("allow_anonymous", False)),
            language=language,
            translations=session_texts(data.get("translations"), language, len(prompts)),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["session"],
            "title": self.title,
            "kind": self.kind,
            "prompts": list(self.prompts),
            "is_open": self.is_open,
            "allow_anonymous": self.allow_anonymous,
            "language": self.language,
            "translations": {t.language: t.to_dict() for t in self.translations},
        }

    def languages(self) -> tuple[str, ...]:
        """The original's language first, then every language with a translation."""
        return (self.language, *(t.language for t in self.translations))

    def translation(self, language: str) -> SessionText | None:
        return next((t for t in self.translations if t.language == language), None)

    def title_in(self, language: str | None) -> Shown:
        """The title in ``language``, else the original (``fallback`` set when the reader's one is missing)."""
        return pick(self.title, self.language, {t.language: t.title for t in self.translations}, language)

    def prompts_in(self, language: str | None) -> list[Shown]:
        """Each prompt in ``language`` where translated, else the original prompt (marked)."""
        return [
            pick(p, self.language, {t.language: t.prompt(i) for t in self.translations}, language)
            for i, p in enumerate(self.prompts)
        ]

    def all_texts(self) -> list[str]:
        """The title and prompts in every language (for finding glossary terms)."""
        return [self.title, *self.prompts, *(t for x in self.translations for t in (x.title, *x.prompts))]

    def with_translation(self, text: SessionText) -> Session:
        """This session with ``text`` added (parts left empty keep an earlier translation); checked again."""
        merged = merge_text(self.translations, text)
        data = {**self.to_dict(), "translations": {t.language: t.to_dict() for t in merged}, "id": self.id}
        return Session.from_dict(data)


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
    language: str = ""  # the language it was written in; "" for notes written before this was asked
    translations: tuple[NoteTranslation, ...] = ()
    id: int | None = None

    @property
    def anonymous(self) -> bool:
        return self.author_id is None

    def translation(self, language: str) -> NoteTranslation | None:
        """The latest human translation into ``language``, if anyone gave one."""
        return next((t for t in reversed(self.translations) if t.language == language), None)

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
            language=language_tag("language", data["language"]) if data.get("language") else "",
            translations=note_translations(data.get("translations")),
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
            "language": self.language,
            "translations": [t.to_dict() for t in self.translations],
        }
