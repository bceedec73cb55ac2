"""Where the room agrees: statements put to the room, and each participant's answer (agree, disagree or pass).

A statement is either typed by the facilitator (its ``text``, in ``language``) or taken from a note (``note_id``):
then it holds no words of its own and shows the note as the disclosure layer lets the audience see it, so a note
withheld at a level never becomes a statement there. Answers are only ever added; a participant's latest answer to
a statement is the one that counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.language import language_tag
from lessonkit.domain.levels import parse_enum
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.errors import ValidationError
from lessonkit.i18n import _

MAX_STATEMENT = 300


class Answer(str, Enum):
    AGREE = "agree"
    DISAGREE = "disagree"
    PASS = "pass"

    @property
    def value_in_matrix(self) -> int:
        """+1 agree, -1 disagree, 0 pass (seen, no opinion)."""
        return {Answer.AGREE: 1, Answer.DISAGREE: -1, Answer.PASS: 0}[self]


def answer_label(answer: Answer) -> str:
    return {Answer.AGREE: _("Agree"), Answer.DISAGREE: _("Disagree"), Answer.PASS: _("Pass / unsure")}[answer]


def _record_id(field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(field, _("'{value}' is not a record number.").format(value=value))
    return value


@dataclass(frozen=True)
class Statement:
    session_id: int
    text: str = ""  # typed by the facilitator; "" when taken from a note
    language: str = ""
    note_id: int | None = None
    created: datetime = field(default_factory=v.now)
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Statement:
        data = upgrade("statement", data)
        note_id = data.get("note_id")
        text = v.text("text", data.get("text"), max_length=MAX_STATEMENT, required=note_id is None)
        if note_id is not None and text:
            raise ValidationError("text", _("a statement taken from a note shows the note's words: leave it empty."))
        return cls(
            id=data.get("id"),
            session_id=_record_id("session_id", data.get("session_id")),
            text=text,
            language=language_tag("language", data["language"]) if data.get("language") else "",
            note_id=None if note_id is None else _record_id("note_id", note_id),
            created=v.iso_datetime("created", data["created"]) if data.get("created") else v.now(),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["statement"],
            "session_id": self.session_id,
            "text": self.text,
            "language": self.language,
            "note_id": self.note_id,
            "created": self.created.isoformat(),
        }


@dataclass(frozen=True)
class OpinionAnswer:
    statement_id: int
    participant_id: int
    answer: Answer
    created: datetime = field(default_factory=v.now)
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OpinionAnswer:
        data = upgrade("opinion_answer", data)
        return cls(
            id=data.get("id"),
            statement_id=_record_id("statement_id", data.get("statement_id")),
            participant_id=_record_id("participant_id", data.get("participant_id")),
            answer=parse_enum(Answer, "answer", data.get("answer")),  # type: ignore[arg-type]
            created=v.iso_datetime("created", data["created"]) if data.get("created") else v.now(),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["opinion_answer"],
            "statement_id": self.statement_id,
            "participant_id": self.participant_id,
            "answer": self.answer.value,
            "created": self.created.isoformat(),
        }


def answer_matrix(answers: Iterable[OpinionAnswer]) -> dict[int, dict[int, int]]:
    """participant -> statement -> +1/-1/0 from each participant's latest answer to each statement."""
    latest: dict[tuple[int, int], OpinionAnswer] = {}
    for a in sorted(answers, key=lambda a: a.id or 0):
        latest[(a.participant_id, a.statement_id)] = a
    matrix: dict[int, dict[int, int]] = {}
    for (person, statement), a in latest.items():
        matrix.setdefault(person, {})[statement] = a.answer.value_in_matrix
    return matrix
