"""Two small records of a convening that had no domain type of their own: the facilitator's extra redaction terms
and the audit log. Each ``from_dict`` validates its input and names the field at fault, like the other records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.errors import ValidationError
from lessonkit.i18n import _, ngettext

MAX_TERM_LENGTH = 200
MAX_TERMS = 500


def clean_term(term: object) -> str:
    """One extra redaction term: every run of spaces or line breaks in it made one space."""
    return " ".join(v.text("term", term, max_length=MAX_TERM_LENGTH).split())


@dataclass(frozen=True)
class RedactionTerms:
    """The extra terms every report and data export of the convening redacts (places, organisations)."""

    terms: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RedactionTerms:
        data = upgrade("redaction_terms", data)
        terms = data.get("terms")
        if terms is None:
            terms = []
        if not isinstance(terms, list):
            raise ValidationError("terms", _("must be a list of terms."))
        if len(terms) > MAX_TERMS:
            raise ValidationError(
                "terms",
                ngettext(
                    "a convening keeps at most {n} extra term: remove some first.",
                    "a convening keeps at most {n} extra terms: remove some first.",
                    MAX_TERMS,
                ).format(n=MAX_TERMS),
            )
        return cls(tuple(clean_term(t) for t in terms))

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": CURRENT_VERSIONS["redaction_terms"], "terms": list(self.terms)}


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log: what was done, when, by whom, and counts of what it removed (never words)."""

    action: str
    at: datetime
    participant_id: int | None = None
    by: str = ""
    removed: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AuditEntry:
        data = upgrade("audit", data)
        person = data.get("participant_id")
        if person is not None and (isinstance(person, bool) or not isinstance(person, int)):
            raise ValidationError("participant_id", _("must be a participant's number."))
        removed = data.get("removed") or {}
        if not isinstance(removed, dict) or not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in removed.values()
        ):
            raise ValidationError("removed", _("must map what was removed to how many."))
        return cls(
            action=v.text("action", data.get("action"), max_length=200, multiline=False),
            at=v.iso_datetime("at", data.get("at")),
            participant_id=person,
            by=v.text("by", data.get("by"), max_length=120, required=False, multiline=False),
            removed={v.text("removed", k, max_length=40, multiline=False): n for k, n in removed.items()},
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["audit"],
            "action": self.action,
            "participant_id": self.participant_id,
            "by": self.by,
            "at": self.at.isoformat(),
            "removed": dict(self.removed),
        }
