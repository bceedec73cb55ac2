"""The joint risk register of a convening: risks, each partner group's own rating, and reviews.

A risk carries the rating the groups agreed (likelihood and impact, 1 to 5 each), who raised it (a partner group, a
participant, both, or nobody named), what is done to make it less likely or less harmful (mitigations), what happens
if it comes true (the contingency plan: who acts, how, through which channel), an owner, a review date and a
sensitivity. A risk promoted from a listening note keeps the note's id and its author: the author's consent rules
the risk's words as it ruled the note's. Each partner group rates on its own (:class:`RiskRating`); the ranking,
the spread and what is due are pure functions in :mod:`lessonkit.domain.risk_register`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.levels import Sensitivity, parse_enum
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.errors import ValidationError
from lessonkit.i18n import _

SCALE = range(1, 6)  # likelihood and impact: 1 (rare, minor) to 5 (almost certain, severe)
MAX_TITLE = 200
MAX_TEXT = 4000
MAX_LINE = 500
MAX_NAME = 200
MAX_MITIGATIONS = 20


class RiskCategory(str, Enum):
    """What kind of harm a risk is about (the values people type, with hyphens)."""

    LEGAL = "legal"
    DIGITAL_SECURITY = "digital-security"
    PHYSICAL_SAFETY = "physical-safety"
    PUBLIC_HEALTH = "public-health"
    POLITICAL_VOLATILITY = "political-volatility"
    REPUTATIONAL = "reputational"
    LOGISTICS = "logistics"
    OTHER = "other"


def risk_category_label(category: RiskCategory) -> str:
    return {
        RiskCategory.LEGAL: _("Legal"),
        RiskCategory.DIGITAL_SECURITY: _("Digital security"),
        RiskCategory.PHYSICAL_SAFETY: _("Physical safety"),
        RiskCategory.PUBLIC_HEALTH: _("Public health"),
        RiskCategory.POLITICAL_VOLATILITY: _("Political volatility"),
        RiskCategory.REPUTATIONAL: _("Reputational"),
        RiskCategory.LOGISTICS: _("Logistics"),
        RiskCategory.OTHER: _("Other"),
    }[category]


def parse_category(value: object) -> RiskCategory:
    """A category from its value ('digital-security'); spaces and underscores are taken as hyphens."""
    text = str(value).strip().lower().replace("_", "-").replace(" ", "-") if value is not None else ""
    if not text:
        choices = ", ".join(c.value for c in RiskCategory)
        raise ValidationError("category", _("choose a category: {choices}.").format(choices=choices))
    return parse_enum(RiskCategory, "category", text)  # type: ignore[return-value]


def rating(field: str, value: object) -> int:
    """A likelihood or an impact: a whole number from 1 to 5."""
    if isinstance(value, bool):
        raise ValidationError(field, _("must be a whole number from 1 to 5."))
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value not in SCALE:
        raise ValidationError(field, _("'{value}' is not a whole number from 1 to 5.").format(value=value))
    return value


def _optional_id(field: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(field, _("must be a record's number."))
    return value


def line(field: str, value: object, max_length: int = MAX_LINE, required: bool = False) -> str:
    return v.text(field, value, max_length=max_length, required=required, multiline=False)


@dataclass(frozen=True)
class Contingency:
    """What happens if the risk comes true: who acts, how, and through which channel they are reached."""

    who: str = ""
    how: str = ""
    channel: str = ""

    @classmethod
    def from_dict(cls, data: object) -> Contingency:
        if data in (None, ""):
            return cls()
        if isinstance(data, str):
            return cls(how=v.text("contingency.how", data, max_length=MAX_TEXT, required=False))
        if not isinstance(data, dict):
            raise ValidationError("contingency", _("must say who acts, how, and through which channel."))
        return cls(
            who=line("contingency.who", data.get("who"), MAX_NAME),
            how=v.text("contingency.how", data.get("how"), max_length=MAX_TEXT, required=False),
            channel=line("contingency.channel", data.get("channel"), MAX_NAME),
        )

    def to_dict(self) -> dict[str, str]:
        return {"who": self.who, "how": self.how, "channel": self.channel}

    def __bool__(self) -> bool:
        return bool(self.who or self.how or self.channel)


@dataclass(frozen=True)
class RiskReview:
    """One review of a risk: when, by whom, what was said, the agreed rating after it and the next review date."""

    on: date
    likelihood: int
    impact: int
    by: str = ""
    note: str = ""
    next_review: date | None = None

    @classmethod
    def from_dict(cls, data: object) -> RiskReview:
        if not isinstance(data, dict):
            raise ValidationError("reviews", _("each review needs a date and the agreed rating."))
        return cls(
            on=v.iso_date("reviews.on", data.get("on"), required=True),  # type: ignore[arg-type]
            likelihood=rating("reviews.likelihood", data.get("likelihood")),
            impact=rating("reviews.impact", data.get("impact")),
            by=line("reviews.by", data.get("by"), MAX_NAME),
            note=v.text("reviews.note", data.get("note"), max_length=MAX_TEXT, required=False),
            next_review=v.iso_date("reviews.next_review", data.get("next_review")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "likelihood": self.likelihood,
            "impact": self.impact,
            "by": self.by,
            "note": self.note,
            "next_review": self.next_review.isoformat() if self.next_review else None,
        }


@dataclass(frozen=True)
class Risk:
    """One risk of the register. ``likelihood`` and ``impact`` are the agreed rating.

    Who raised it: ``group`` (a partner group's name, '' for none) and ``author_id`` (a participant, None for none);
    neither means it was raised anonymously. ``note_id`` is the listening note it was promoted from.
    """

    title: str
    category: RiskCategory
    likelihood: int
    impact: int
    description: str = ""
    group: str = ""
    author_id: int | None = None
    note_id: int | None = None
    mitigations: tuple[str, ...] = ()
    contingency: Contingency = field(default_factory=Contingency)
    owner: str = ""
    review_date: date | None = None
    sensitivity: Sensitivity = Sensitivity.CONVENING
    created: datetime = field(default_factory=v.now)
    reviews: tuple[RiskReview, ...] = ()
    id: int | None = None

    @property
    def score(self) -> int:
        """Agreed likelihood × impact (1 to 25)."""
        return self.likelihood * self.impact

    @property
    def anonymous(self) -> bool:
        return self.author_id is None and not self.group

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Risk:
        data = upgrade("risk", data)
        mitigations = data.get("mitigations") or []
        if isinstance(mitigations, str):
            mitigations = mitigations.splitlines()
        if not isinstance(mitigations, list):
            raise ValidationError("mitigations", _("must be a list of mitigations."))
        kept = tuple(m for m in (line("mitigations", x, MAX_LINE) for x in mitigations) if m)
        if len(kept) > MAX_MITIGATIONS:
            raise ValidationError(
                "mitigations", _("at most {n} mitigations: merge some.").format(n=MAX_MITIGATIONS)
            )
        reviews = data.get("reviews") or []
        if not isinstance(reviews, list):
            raise ValidationError("reviews", _("must be a list of reviews."))
        return cls(
            id=data.get("id"),
            title=line("title", data.get("title"), MAX_TITLE, required=True),
            category=parse_category(data.get("category")),
            likelihood=rating("likelihood", data.get("likelihood")),
            impact=rating("impact", data.get("impact")),
            description=v.text("description", data.get("description"), max_length=MAX_TEXT, required=False),
            group=line("group", data.get("group"), MAX_NAME),
            author_id=_optional_id("author_id", data.get("author_id")),
            note_id=_optional_id("note_id", data.get("note_id")),
            mitigations=kept,
            contingency=Contingency.from_dict(data.get("contingency")),
            owner=line("owner", data.get("owner"), MAX_NAME),
            review_date=v.iso_date("review_date", data.get("review_date")),
            sensitivity=parse_enum(Sensitivity, "sensitivity", data.get("sensitivity") or "convening"),  # type: ignore[arg-type]
            created=v.iso_datetime("created", data["created"]) if data.get("created") else v.now(),
            reviews=tuple(RiskReview.from_dict(r) for r in reviews),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["risk"],
            "title": self.title,
            "category": self.category.value,
            "likelihood": self.likelihood,
            "impact": self.impact,
            "description": self.description,
            "group": self.group,
            "author_id": self.author_id,
            "note_id": self.note_id,
            "mitigations": list(self.mitigations),
            "contingency": self.contingency.to_dict(),
            "owner": self.owner,
            "review_date": self.review_date.isoformat() if self.review_date else None,
            "sensitivity": self.sensitivity.value,
            "created": self.created.isoformat(),
            "reviews": [r.to_dict() for r in self.reviews],
        }


@dataclass(frozen=True)
class RiskRating:
    """One partner group's own rating of a risk (a group rates each risk once; rating again replaces it)."""

    risk_id: int
    group: str
    likelihood: int
    impact: int
    at: datetime = field(default_factory=v.now)
    id: int | None = None

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RiskRating:
        data = upgrade("risk_rating", data)
        risk_id = _optional_id("risk_id", data.get("risk_id"))
        if risk_id is None:
            raise ValidationError("risk_id", _("choose the risk to rate."))
        return cls(
            id=data.get("id"),
            risk_id=risk_id,
            group=line("group", data.get("group"), MAX_NAME, required=True),
            likelihood=rating("likelihood", data.get("likelihood")),
            impact=rating("impact", data.get("impact")),
            at=v.iso_datetime("at", data["at"]) if data.get("at") else v.now(),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["risk_rating"],
            "risk_id": self.risk_id,
            "group": self.group,
            "likelihood": self.likelihood,
            "impact": self.impact,
            "at": self.at.isoformat(),
        }
