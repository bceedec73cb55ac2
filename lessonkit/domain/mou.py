"""The memorandum of understanding: parties, clauses and immutable versions.

A version is a frozen snapshot of every clause (text and structured parts) with who saved it,
when, and a one-line summary. Versions are never changed: every save makes a new one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.levels import parse_enum
from lessonkit.domain.mou_parts import ConsentReview, Metric, RotationSlot, check_rotation, role_label
from lessonkit.domain.records import Participant
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.errors import ValidationError
from lessonkit.i18n import _, pgettext

MAX_CLAUSE_LENGTH = 8000
MAX_SUMMARY_LENGTH = 200


class ClauseKind(str, Enum):
    """What a clause holds besides its words."""

    TEXT = "text"
    ROTATION = "rotation"  # a schedule: who coordinates in which period
    METRICS = "metrics"  # structured evaluation metrics
    CONSENT_REVIEW = "consent_review"  # when each party's consent is re-evaluated
    REVIEW = "review"  # duration and renewal: the date of the next review
    SIGNATURES = "signatures"  # the signature block follows this clause


@dataclass(frozen=True)
class Party:
    """A group that is party to the memorandum, and the registered participants who belong to it."""

    name: str
    participant_ids: tuple[int, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Party:
        return cls(
            name=v.text("party", data.get("name"), max_length=200),
            participant_ids=tuple(int(i) for i in data.get("participant_ids") or ()),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "participant_ids": list(self.participant_ids)}


@dataclass(frozen=True)
class Clause:
    key: str
    title: str
    text: str
    kind: ClauseKind = ClauseKind.TEXT
    guidance: str = ""
    rotation: tuple[RotationSlot, ...] = ()
    metrics: tuple[Metric, ...] = ()
    consent_reviews: tuple[ConsentReview, ...] = ()
    review_date: date | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Clause:
        key = v.text("clause.key", data.get("key"), max_length=63)
        title = v.text("clause.title", data.get("title"), max_length=200)
        text = data.get("text")
        if not (text or "").strip():
            raise ValidationError(f"clause '{title}'", _("the clause is empty: write its text, or remove the clause."))
        rotation = tuple(
            sorted(
                (RotationSlot.from_dict(d) for d in data.get("rotation") or ()),
                key=lambda s: (s.start, s.role),
            )
        )
        check_rotation(rotation)
        return cls(
            key=key,
            title=title,
            text=v.text(f"clause '{title}'", text, max_length=MAX_CLAUSE_LENGTH),
            kind=parse_enum(ClauseKind, "clause.kind", data.get("kind") or "text"),  # type: ignore[arg-type]
            guidance=v.text("clause.guidance", data.get("guidance"), max_length=2000, required=False),
            rotation=rotation,
            metrics=tuple(Metric.from_dict(d) for d in data.get("metrics") or ()),
            consent_reviews=tuple(ConsentReview.from_dict(d) for d in data.get("consent_reviews") or ()),
            review_date=v.iso_date("review_date", data.get("review_date")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "text": self.text,
            "kind": self.kind.value,
            "guidance": self.guidance,
            "rotation": [s.to_dict() for s in self.rotation],
            "metrics": [m.to_dict() for m in self.metrics],
            "consent_reviews": [c.to_dict() for c in self.consent_reviews],
            "review_date": self.review_date.isoformat() if self.review_date else None,
        }

    def parties_named(self) -> list[str]:
        """Every party this clause's structured parts refer to."""
        return (
            [s.party for s in self.rotation]
            + [m.who_reports for m in self.metrics]
            + [c.party for c in self.consent_reviews]
        )


@dataclass(frozen=True)
class MouVersion:
    """One saved state of the memorandum. Frozen: what was saved (and signed) never changes."""

    number: int
    clauses: tuple[Clause, ...]
    author: str
    summary: str
    created: datetime = field(default_factory=v.now)
    amendment_id: int | None = None
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MouVersion:
        data = upgrade("mou_version", data)
        clauses = tuple(Clause.from_dict(c) for c in data.get("clauses") or ())
        check_clauses(clauses)
        return cls(
            id=data.get("id"),
            number=int(data["number"]),
            clauses=clauses,
            author=v.text("author", data.get("author"), max_length=120),
            summary=v.text("summary", data.get("summary"), max_length=MAX_SUMMARY_LENGTH),
            created=v.iso_datetime("created", data["created"]) if data.get("created") else v.now(),
            amendment_id=data.get("amendment_id"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["mou_version"],
            "number": self.number,
            "clauses": [c.to_dict() for c in self.clauses],
            "author": self.author,
            "summary": self.summary,
            "created": self.created.isoformat(),
            "amendment_id": self.amendment_id,
        }

    def clause(self, key: str) -> Clause | None:
        return next((c for c in self.clauses if c.key == key), None)

    def keys(self) -> list[str]:
        return [c.key for c in self.clauses]

    def same_content(self, clauses: Iterable[Clause]) -> bool:
        return tuple(c.to_dict() for c in self.clauses) == tuple(c.to_dict() for c in clauses)

    def first(self, kind: ClauseKind) -> Clause | None:
        return next((c for c in self.clauses if c.kind is kind), None)


def check_clauses(clauses: tuple[Clause, ...]) -> None:
    """At least one clause; keys unique."""
    if not clauses:
        raise ValidationError("clauses", _("a memorandum needs at least one clause."))
    seen: set[str] = set()
    for c in clauses:
        if c.key in seen:
            raise ValidationError("clause.key", _("two clauses share the key '{key}'.").format(key=c.key))
        seen.add(c.key)


def find_party(parties: Iterable[Party], name: str, field: str = "party") -> Party:
    """The party called ``name`` (case-insensitive), or a clear error listing the parties there are."""
    wanted = (name or "").strip().casefold()
    parties = list(parties)
    for p in parties:
        if p.name.casefold() == wanted:
            return p
    known = ", ".join(p.name for p in parties) or pgettext("empty list of parties", "none yet")
    raise ValidationError(
        field,
        _("'{name}' is not a party to this memorandum (parties: {known}).").format(name=name, known=known),
    )


def check_parties_named(clauses: Iterable[Clause], parties: Iterable[Party]) -> None:
    """Every party named in a rotation slot, metric or consent review is a party to the memorandum."""
    parties = list(parties)
    for c in clauses:
        for name in c.parties_named():
            try:
                find_party(parties, name)
            except ValidationError as exc:
                raise ValidationError(f"clause '{c.title}'", exc.message) from None


def new_clause_key(title: str, taken: Iterable[str]) -> str:
    """A stable key for a new clause, made from its title and unique among ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "_", title.casefold()).strip("_")[:40] or "clause"
    taken = set(taken)
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def clause_body(clause: Clause) -> str:
    """The clause as plain text, structured parts included: what diffs compare and exports print."""
    lines = [clause.text]
    if clause.rotation:
        lines += [_("Rotation:")]
        lines += [f"- {s.start} – {s.end}: {s.party} ({role_label(s.role)})" for s in clause.rotation]
    if clause.metrics:
        lines += [_("Metrics:")] + [
            "- "
            + _(
                "{metric}: baseline {baseline}, target {target}; measured by {how}; reported by {who} on {when}"
            ).format(
                metric=m.metric,
                baseline=m.baseline,
                target=m.target,
                how=m.how_measured,
                who=m.who_reports,
                when=m.when,
            )
            for m in clause.metrics
        ]
    if clause.consent_reviews:
        lines += [_("Consent re-evaluation:")] + [f"- {c.party}: {c.on}" for c in clause.consent_reviews]
    if clause.review_date:
        lines.append(_("Next review: {d}").format(d=clause.review_date))
    return "\n".join(lines)


def eligible_parties(participants: Iterable[Participant]) -> list[Party]:
    """The groups that may be parties: each registered participant's organisation, or the person's own name
    when they came without one. People whose consent says not to record them are left out."""
    parties: dict[str, Party] = {}
    for person in participants:
        if not person.consent.record:
            continue
        name = person.organization or person.name
        found = parties.get(name.casefold(), Party(name))
        ids = found.participant_ids + ((person.id,) if person.id is not None else ())
        parties[name.casefold()] = Party(found.name, ids)
    return list(parties.values())
