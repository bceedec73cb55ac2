"""The memorandum template as data: sections with a key, title, kind, guidance and starting text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lessonkit.domain.mou import Clause, ClauseKind, check_clauses
from lessonkit.errors import ValidationError
from lessonkit.i18n import _

REQUIRED_KINDS = (ClauseKind.ROTATION, ClauseKind.CONSENT_REVIEW)


@dataclass(frozen=True)
class Template:
    title: str
    language: str
    clauses: tuple[Clause, ...]
    template_version: int = 1


def template_from_dict(data: dict[str, Any]) -> Template:
    """Validate a template: well-formed clauses, unique keys, rotation and consent review present."""
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        raise ValidationError("sections", _("the template has no sections."))
    clauses = []
    for number, section in enumerate(sections, start=1):
        try:
            clauses.append(Clause.from_dict(section))
        except ValidationError as exc:
            raise ValidationError(_("template section {n}").format(n=number), str(exc)) from exc
    result = tuple(clauses)
    check_clauses(result)
    for kind in REQUIRED_KINDS:
        if not any(c.kind is kind for c in result):
            raise ValidationError(
                "sections", _("the template lacks a section of kind '{kind}'.").format(kind=kind.value)
            )
    return Template(
        title=str(data.get("title") or _("Memorandum of understanding")),
        language=str(data.get("language") or "en"),
        clauses=result,
        template_version=int(data.get("template_version") or 1),
    )
