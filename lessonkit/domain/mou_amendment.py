"""Amendments participants propose to a clause, and the facilitator's decision on each (with a note)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.levels import Sensitivity, parse_enum
from lessonkit.domain.mou import MAX_CLAUSE_LENGTH, Clause, MouVersion
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.errors import ValidationError
from lessonkit.i18n import _


class AmendmentStatus(str, Enum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


def amendment_status_label(status: AmendmentStatus) -> str:
    return {
        AmendmentStatus.PENDING: _("Waiting for the facilitator"),
        AmendmentStatus.ACCEPTED: _("Accepted"),
        AmendmentStatus.DECLINED: _("Declined"),
    }[status]


@dataclass(frozen=True)
class Amendment:
    clause_key: str
    clause_title: str
    text: str
    reason: str
    participant_id: int
    base_version: int
    party: str = ""
    sensitivity: Sensitivity = Sensitivity.CONVENING
    status: AmendmentStatus = AmendmentStatus.PENDING
    note: str = ""
    decided_by: str = ""
    decided: datetime | None = None
    result_version: int | None = None
    created: datetime = field(default_factory=v.now)
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Amendment:
        data = upgrade("mou_amendment", data)
        text = data.get("text")
        if not (text or "").strip():
            raise ValidationError("proposed text", _("is empty: write the text you propose for the clause."))
        return cls(
            id=data.get("id"),
            clause_key=v.text("clause", data.get("clause_key"), max_length=63),
            clause_title=v.text("clause", data.get("clause_title"), max_length=200),
            text=v.text("proposed text", text, max_length=MAX_CLAUSE_LENGTH),
            reason=v.text("reason", data.get("reason"), max_length=2000),
            participant_id=int(data["participant_id"]),
            base_version=int(data["base_version"]),
            party=v.text("party", data.get("party"), max_length=200, required=False),
            sensitivity=parse_enum(Sensitivity, "sensitivity", data.get("sensitivity", "convening")),  # type: ignore[arg-type]
            status=parse_enum(AmendmentStatus, "status", data.get("status", "pending")),  # type: ignore[arg-type]
            note=v.text("note", data.get("note"), max_length=2000, required=False),
            decided_by=v.text("decided_by", data.get("decided_by"), max_length=120, required=False),
            decided=v.iso_datetime("decided", data["decided"]) if data.get("decided") else None,
            result_version=data.get("result_version"),
            created=v.iso_datetime("created", data["created"]) if data.get("created") else v.now(),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["mou_amendment"],
            "clause_key": self.clause_key,
            "clause_title": self.clause_title,
            "text": self.text,
            "reason": self.reason,
            "participant_id": self.participant_id,
            "base_version": self.base_version,
            "party": self.party,
            "sensitivity": self.sensitivity.value,
            "status": self.status.value,
            "note": self.note,
            "decided_by": self.decided_by,
            "decided": self.decided.isoformat() if self.decided else None,
            "result_version": self.result_version,
            "created": self.created.isoformat(),
        }


def existing_clause(version: MouVersion, key: str) -> Clause:
    """The clause ``key`` of ``version``, or a clear error when it no longer exists."""
    clause = version.clause(key)
    if clause is None:
        raise ValidationError(
            "clause",
            _(
                "the clause '{key}' no longer exists in version {n} of the memorandum: "
                "choose one of the current clauses."
            ).format(key=key, n=version.number),
        )
    return clause


def check_changes_something(clause: Clause, text: str) -> None:
    if clause.text.strip() == text.strip():
        raise ValidationError(
            "proposed text",
            _("is the same as the current text of '{title}': change it before sending.").format(title=clause.title),
        )


def check_pending(amendment: Amendment) -> None:
    if amendment.status is not AmendmentStatus.PENDING:
        raise ValidationError(
            "amendment",
            {
                AmendmentStatus.ACCEPTED: _("proposal {id} was already accepted by {by}."),
                AmendmentStatus.DECLINED: _("proposal {id} was already declined by {by}."),
            }[amendment.status].format(id=amendment.id, by=amendment.decided_by or "?"),
        )


def apply_amendment(version: MouVersion, amendment: Amendment) -> tuple[Clause, ...]:
    """The clauses of ``version`` with the amended clause's text replaced."""
    existing_clause(version, amendment.clause_key)
    return tuple(replace(c, text=amendment.text) if c.key == amendment.clause_key else c for c in version.clauses)


def decided(
    amendment: Amendment, status: AmendmentStatus, by: str, note: str, result_version: int | None = None
) -> Amendment:
    by = v.text("your name", by, max_length=120)
    note = v.text("note", note, max_length=2000, required=status is AmendmentStatus.DECLINED)
    return replace(amendment, status=status, decided_by=by, note=note, decided=v.now(), result_version=result_version)
