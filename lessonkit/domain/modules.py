"""The vocabulary of case modules and their small parts: types, risk, review, lineage, signals, authorship.

``Signal`` lives in :mod:`lessonkit.domain.signals` (signals as evidence) and is importable from here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.levels import parse_enum
from lessonkit.domain.signals import Signal as Signal  # re-exported: modules carry signals
from lessonkit.errors import ValidationError
from lessonkit.i18n import N_, _, ngettext, pgettext

MAX_SHORT = 200
MAX_NOTE = 4000


class ModuleType(str, Enum):
    """What kind of knowledge a module holds."""

    TACTIC = "tactic"
    PRINCIPLE = "principle"
    THEORY = "theory"
    METHODOLOGY = "methodology"
    STORY = "story"


class RiskLevel(str, Enum):
    """How dangerous the tactic is for the people who use it, as judged by the curators."""

    UNKNOWN = "unknown"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ReviewStatus(str, Enum):
    """Where a module is in peer review."""

    DRAFT = "draft"
    IN_REVIEW = "in review"
    ENDORSED = "endorsed"
    RETIRED = "retired"


class ShareLevel(str, Enum):
    """How far a module may travel through the network's library server (``lessonkit library sync``).

    ``local``: never leaves this laptop (the default for a module written here); ``network``: the network's
    library server, so partner groups receive it; ``public``: the same server, and marked as fit to publish.
    """

    LOCAL = "local"
    NETWORK = "network"
    PUBLIC = "public"


class TransferMode(str, Enum):
    """How a module was derived from another (Dolowitz & Marsh 2000)."""

    COPYING = "copying"
    EMULATION = "emulation"
    MIXTURE = "mixture"
    INSPIRATION = "inspiration"


class Verdict(str, Enum):
    """A reviewer's conclusion."""

    ENDORSE = "endorse"
    REVISE = "revise"


def module_type_label(kind: ModuleType) -> str:
    """The type for readers; what a person types (``--type tactic``) and what is stored stay the value."""
    return {
        ModuleType.TACTIC: pgettext("module type", "tactic"),
        ModuleType.PRINCIPLE: pgettext("module type", "principle"),
        ModuleType.THEORY: pgettext("module type", "theory"),
        ModuleType.METHODOLOGY: pgettext("module type", "methodology"),
        ModuleType.STORY: pgettext("module type", "story"),
    }[kind]


def risk_label(level: RiskLevel) -> str:
    return {
        RiskLevel.UNKNOWN: pgettext("risk level of a module", "unknown"),
        RiskLevel.LOW: pgettext("risk level of a module", "low"),
        RiskLevel.MEDIUM: pgettext("risk level of a module", "medium"),
        RiskLevel.HIGH: pgettext("risk level of a module", "high"),
    }[level]


def review_status_label(status: ReviewStatus) -> str:
    return {
        ReviewStatus.DRAFT: pgettext("review status of a module", "draft"),
        ReviewStatus.IN_REVIEW: pgettext("review status of a module", "in review"),
        ReviewStatus.ENDORSED: pgettext("review status of a module", "endorsed"),
        ReviewStatus.RETIRED: pgettext("review status of a module", "retired"),
    }[status]


def transfer_mode_label(mode: TransferMode) -> str:
    return {
        TransferMode.COPYING: pgettext("how a module was derived", "copying"),
        TransferMode.EMULATION: pgettext("how a module was derived", "emulation"),
        TransferMode.MIXTURE: pgettext("how a module was derived", "mixture"),
        TransferMode.INSPIRATION: pgettext("how a module was derived", "inspiration"),
    }[mode]


def verdict_label(verdict: Verdict) -> str:
    """A reviewer's conclusion for readers (a verb, as the reviewer chose it)."""
    return {
        Verdict.ENDORSE: pgettext("a reviewer's verdict", "endorse"),
        Verdict.REVISE: pgettext("a reviewer's verdict", "ask for changes"),
    }[verdict]


# Section keys in display order, with their headings; other keys found in a body follow these.
SECTION_HEADINGS: dict[str, str] = {
    "overview": N_("Overview"),
    "problem": N_("Problem statement"),
    "activities": N_("Activities"),
    "outcomes": N_("Outcomes"),
    "why_it_worked": N_("Why it worked"),
    "why_it_failed": N_("Why it failed"),
    "risks": N_("Cautions and potential risks"),
    "how_to_use": N_("How to use"),
    "origins": N_("Origins"),
    "learn_more": N_("Learn more"),
}

CONTEXT_FIELDS: dict[str, str] = {
    "political": N_("Political environment"),
    "coalition": N_("Coalition composition"),
    "media": N_("Media ecosystem"),
    "legal": N_("Legal context"),
    "resources": N_("Resources"),
}


def section_heading(key: str) -> str:
    return _(SECTION_HEADINGS.get(key, key.replace("_", " ").capitalize()))


@dataclass(frozen=True)
class Author:
    name: str
    organisation: str = ""

    @classmethod
    def from_dict(cls, data: Any, field: str = "authors") -> Author:
        if isinstance(data, str):
            data = {"name": data}
        if not isinstance(data, dict):
            raise ValidationError(field, _("each author needs a name (and an organisation)."))
        return cls(
            name=v.text(f"{field}.name", data.get("name"), max_length=MAX_SHORT),
            organisation=v.text(
                f"{field}.organisation", data.get("organisation"), max_length=MAX_SHORT, required=False
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "organisation": self.organisation}


@dataclass(frozen=True)
class Review:
    reviewer: str
    organisation: str
    date: date
    verdict: Verdict
    comments: str = ""

    @classmethod
    def from_dict(cls, data: Any, field: str = "reviews") -> Review:
        if not isinstance(data, dict):
            raise ValidationError(
                field, _("a review needs a reviewer, an organisation, a date and a verdict.")
            )
        return cls(
            reviewer=v.text(f"{field}.reviewer", data.get("reviewer"), max_length=MAX_SHORT),
            organisation=v.text(f"{field}.organisation", data.get("organisation"), max_length=MAX_SHORT),
            date=v.iso_date(f"{field}.date", data.get("date"), required=True),  # type: ignore[arg-type]
            verdict=parse_enum(Verdict, f"{field}.verdict", data.get("verdict")),  # type: ignore[arg-type]
            comments=v.text(f"{field}.comments", data.get("comments"), max_length=MAX_NOTE, required=False),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "reviewer": self.reviewer,
            "organisation": self.organisation,
            "date": self.date.isoformat(),
            "verdict": self.verdict.value,
            "comments": self.comments,
        }


@dataclass(frozen=True)
class LineageLink:
    """This module was derived from ``parent`` by ``mode``; ``adapted`` says what was changed."""

    parent: str
    mode: TransferMode
    adapted: str = ""

    @classmethod
    def from_dict(cls, data: Any, field: str = "lineage") -> LineageLink:
        if not isinstance(data, dict):
            raise ValidationError(field, _("each lineage entry needs a parent module and a mode."))
        return cls(
            parent=module_slug(f"{field}.parent", data.get("parent")),
            mode=parse_enum(TransferMode, f"{field}.mode", data.get("mode")),  # type: ignore[arg-type]
            adapted=v.text(f"{field}.adapted", data.get("adapted"), max_length=MAX_NOTE, required=False),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"parent": self.parent, "mode": self.mode.value, "adapted": self.adapted}


def module_slug(field: str, value: object) -> str:
    """A module's short name: lower-case letters, digits and dashes (up to 200 characters)."""
    s = v.text(field, value, max_length=200)
    if (
        not all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in s)
        or s != s.lower()
        or s.startswith("-")
    ):
        raise ValidationError(
            field,
            _("'{value}' is not a valid module name: use lower-case letters, digits and dashes.").format(
                value=s
            ),
        )
    return s


def module_tags(field: str, value: object, limit: int = 60) -> list[str]:
    """Tags from a list or a string separated by commas (any of ``validation.LIST_SEPARATORS``); colons are allowed
    ("set:resilience")."""
    if value is None or value == "":
        return []
    items = v.split_list(value) if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        raise ValidationError(field, _("give a list of tags, or tags separated by commas."))
    out: list[str] = []
    for item in items:
        tag = str(item).strip().lower().lstrip("#")
        if tag and tag not in out:
            if len(tag) > 80:
                raise ValidationError(field, _("the tag '{tag}' is too long.").format(tag=tag[:20] + "…"))
            out.append(tag)
    if len(out) > limit:
        raise ValidationError(
            field, ngettext("at most {n} tag, please.", "at most {n} tags, please.", limit).format(n=limit)
        )
    return out


def items(field: str, value: object) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise ValidationError(field, _("must be a list."))
    return list(value)
