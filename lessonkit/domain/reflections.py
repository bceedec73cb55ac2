"""After-action reflections: what changed in a person's practice, what remained stubborn, what new questions emerged,
and which tactics (library modules) they tried and how those went.

A reflection holds a person's words: like a note it has a sensitivity and an author (None: anonymous), obeys their
consent when written (:func:`lessonkit.domain.rules.check_can_reflect`) and when shown (the disclosure layer), and
goes when they withdraw. Its open questions may travel to the next convening (see :func:`open_questions`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.language import language_tag
from lessonkit.domain.levels import Sensitivity, parse_enum
from lessonkit.domain.modules import module_slug
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.domain.signals import OutcomeType, ResultClass, optional_number
from lessonkit.errors import ValidationError
from lessonkit.i18n import _

MAX_ANSWER = 4000
MAX_TACTICS = 12
MAX_PROMPT = 500  # a session prompt's limit
SOURCES = ("form", "paper", "bundle")


@dataclass(frozen=True)
class TacticTried:
    """A library module a person tried, how it went (their own judgement) and, if they measured something, what."""

    module: str
    went: ResultClass | None = None
    how: str = ""
    outcome: OutcomeType | None = None
    value: float | None = None
    unit: str = ""
    baseline: float | None = None

    @property
    def measured(self) -> bool:
        """True when the person reported a measured outcome (something a curator can turn into a signal)."""
        return self.outcome is not None

    @classmethod
    def from_dict(cls, data: Any, field: str = "tactics") -> TacticTried:
        if isinstance(data, str):
            data = {"module": data}
        if not isinstance(data, dict):
            raise ValidationError(field, _("each tactic needs the short name of a library module."))
        went, outcome = data.get("went"), data.get("outcome")
        return cls(
            module=module_slug(f"{field}.module", data.get("module")),
            went=parse_enum(ResultClass, f"{field}.went", went) if went else None,  # type: ignore[arg-type]
            how=v.text(f"{field}.how", data.get("how"), max_length=MAX_ANSWER, required=False),
            outcome=parse_enum(OutcomeType, f"{field}.outcome", outcome) if outcome else None,  # type: ignore[arg-type]
            value=optional_number(f"{field}.value", data.get("value")),
            unit=v.text(f"{field}.unit", data.get("unit"), max_length=60, required=False, multiline=False),
            baseline=optional_number(f"{field}.baseline", data.get("baseline")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "module": self.module,
            "went": self.went.value if self.went else None,
            "how": self.how,
            "outcome": self.outcome.value if self.outcome else None,
            "value": self.value,
            "unit": self.unit,
            "baseline": self.baseline,
        }


@dataclass(frozen=True)
class Reflection:
    changed: str
    stubborn: str
    questions: str
    sensitivity: Sensitivity
    author_id: int | None = None
    tactics: tuple[TacticTried, ...] = ()
    language: str = ""  # the language it was written in ('' when not recorded)
    source: str = "form"  # "form" (a participant's phone), "paper" (typed in by a facilitator), "bundle"
    created: datetime = field(default_factory=v.now)
    id: int | None = None

    @property
    def anonymous(self) -> bool:
        return self.author_id is None

    def texts(self) -> list[str]:
        """Every piece of the person's words (for redaction and for searching)."""
        return [self.changed, self.stubborn, self.questions, *(t.how for t in self.tactics)]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reflection:
        data = upgrade("reflection", data)
        tactics = data.get("tactics") or []
        if not isinstance(tactics, list):
            raise ValidationError("tactics", _("must be a list of tactics."))
        if len(tactics) > MAX_TACTICS:
            raise ValidationError("tactics", _("at most {n} tactics, please.").format(n=MAX_TACTICS))
        tried = tuple(TacticTried.from_dict(t, f"tactics[{i}]") for i, t in enumerate(tactics))
        modules = [t.module for t in tried]
        if len(set(modules)) < len(modules):
            raise ValidationError("tactics", _("each tactic once, please: say everything about it in one place."))
        author = data.get("author_id")
        if author is not None and (isinstance(author, bool) or not isinstance(author, int)):
            raise ValidationError("author_id", _("must be a participant's number."))
        source = str(data.get("source") or "form")
        if source not in SOURCES:
            raise ValidationError("source", _("'{value}' is not one of: {choices}.").format(
                value=source, choices=", ".join(SOURCES)))
        reflection = cls(
            id=data.get("id"),
            changed=v.text("changed", data.get("changed"), max_length=MAX_ANSWER, required=False),
            stubborn=v.text("stubborn", data.get("stubborn"), max_length=MAX_ANSWER, required=False),
            questions=v.text("questions", data.get("questions"), max_length=MAX_ANSWER, required=False),
            sensitivity=parse_enum(Sensitivity, "sensitivity", data.get("sensitivity")),  # type: ignore[arg-type]
            author_id=author,
            tactics=tried,
            language=language_tag("language", data["language"]) if data.get("language") else "",
            source=source,
            created=v.iso_datetime("created", data["created"]) if data.get("created") else v.now(),
        )
        if not (reflection.changed or reflection.stubborn or reflection.questions or reflection.tactics):
            raise ValidationError(
                "changed", _("write at least one answer (what changed, what remained stubborn, or new questions).")
            )
        return reflection

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["reflection"],
            "changed": self.changed,
            "stubborn": self.stubborn,
            "questions": self.questions,
            "sensitivity": self.sensitivity.value,
            "author_id": self.author_id,
            "tactics": [t.to_dict() for t in self.tactics],
            "language": self.language,
            "source": self.source,
            "created": self.created.isoformat(),
        }


_BULLET = re.compile(r"^\s*(?:[-*•·–—]+|\d{1,3}[.)])\s*")


def open_questions(text: str) -> list[str]:
    """The questions in an answer: one per line (bullets and numbering taken off), each once."""
    out: list[str] = []
    for line in (text or "").splitlines():
        question = " ".join(_BULLET.sub("", line).split())
        if question and question.casefold() not in (q.casefold() for q in out):
            out.append(question)
    return out


def as_prompt(question: str) -> str:
    """A question as a session prompt: one line, at most the length a prompt may have."""
    flat = " ".join(question.split())
    return flat if len(flat) <= MAX_PROMPT else flat[: MAX_PROMPT - 1].rstrip() + "…"


def carried_prompts(existing: tuple[str, ...], questions: list[str], limit: int = 20) -> tuple[str, ...]:
    """``existing`` prompts followed by up to ``limit`` questions not already among them (compared case-blind)."""
    seen = {p.casefold() for p in existing}
    added: list[str] = []
    for q in questions:
        prompt = as_prompt(q)
        if prompt and prompt.casefold() not in seen and len(added) < limit:
            seen.add(prompt.casefold())
            added.append(prompt)
    return (*existing, *added)
