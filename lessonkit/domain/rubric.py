"""A transferability rubric as data, and context profiles rated on it.

A rubric lists criteria; each has levels 0–4 described in words, a weight, whether it is critical, and how the
source context (where a tactic came from) is compared with the target (where a group wants to use it).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.language import language_tag, text_in, texts
from lessonkit.domain.levels import parse_enum
from lessonkit.errors import ValidationError
from lessonkit.i18n import _

LEVELS = 5  # ratings 0..4
MAX_RATING = LEVELS - 1
_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class Comparison(str, Enum):
    """How the target's rating is compared with the source's."""

    SIMILAR = "similar"  # any difference is a gap
    TARGET_AT_LEAST = "target_at_least"  # only a target below the source is a gap
    TARGET_AT_MOST = "target_at_most"  # only a target above the source is a gap


def check_rating(field: str, value: object, *, whole: bool = False) -> float:
    """A rating from 0 to 4 (a whole number when ``whole``); anything else is refused, naming the field."""
    if isinstance(value, bool) or value is None or value == "":
        raise ValidationError(field, _("give a rating from 0 to 4."))
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError(
            field, _("'{value}' is not a rating: give a number from 0 to 4.").format(value=value)
        ) from None
    if not (math.isfinite(number) and 0 <= number <= MAX_RATING):
        raise ValidationError(
            field, _("{value} is outside 0–4: give a rating from 0 to 4.").format(value=value)
        )
    if whole and number != int(number):
        raise ValidationError(field, _("give a whole rating: 0, 1, 2, 3 or 4."))
    return int(number) if number == int(number) else number


def _criterion_id(field: str, value: object) -> str:
    text = v.text(field, value, max_length=40)
    if not _ID.match(text):
        raise ValidationError(
            field,
            _(
                "'{value}' is not a valid criterion id: use lower-case letters, digits and "
                "underscores, starting with a letter."
            ).format(value=text),
        )
    return text


def _weight(field: str, value: object) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValidationError(
            field,
            _("the weight must be a positive number (e.g. 1 or 2.5), not {value!r}.").format(value=value),
        )
    return float(value)


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    description: str
    levels: tuple[str, ...]
    weight: float = 1.0
    critical: bool = False
    comparison: Comparison = Comparison.SIMILAR
    question: str = ""
    adaptation_prompt: str = ""
    context_note: str = ""
    grounding: tuple[str, ...] = ()
    # The words in other languages: language -> field -> text ("levels" -> the five level labels).
    translations: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dict(cls, data: Any, field: str, language: str = "en") -> Criterion:
        """A criterion; its name, description, question, adaptation prompt and level labels are each a string (in
        the rubric's ``language``) or a mapping per language, ``{"en": …, "es": …}``."""
        if not isinstance(data, dict):
            raise ValidationError(field, _("each criterion must be an object with an id, a name and levels."))
        levels = data.get("levels")
        if not isinstance(levels, list) or len(levels) != LEVELS:
            raise ValidationError(f"{field}.levels", _("describe exactly five levels, for ratings 0 to 4."))
        words = {
            "name": texts(f"{field}.name", data.get("name"), language, max_length=120),
            "description": texts(f"{field}.description", data.get("description"), language, max_length=2000),
            "question": texts(f"{field}.question", data.get("question"), language, max_length=500, required=False),
            "adaptation_prompt": texts(
                f"{field}.adaptation_prompt", data.get("adaptation_prompt"), language, max_length=1000, required=False
            ),
        }
        level_words = [texts(f"{field}.levels[{i}]", t, language, max_length=500) for i, t in enumerate(levels)]
        others = {lang for w in [*words.values(), *level_words] for lang in w if lang != language}
        translations = {
            lang: {
                **{name: text_in(w, language, lang) for name, w in words.items()},
                "levels": [text_in(w, language, lang) for w in level_words],
            }
            for lang in sorted(others)
        }
        return cls(
            id=_criterion_id(f"{field}.id", data.get("id")),
            name=words["name"][language],
            description=words["description"][language],
            levels=tuple(w[language] for w in level_words),
            weight=_weight(f"{field}.weight", data.get("weight", 1)),
            critical=v.boolean(f"{field}.critical", data.get("critical", False)),
            comparison=parse_enum(Comparison, f"{field}.comparison", data.get("comparison", "similar")),  # type: ignore[arg-type]
            question=words["question"][language],
            adaptation_prompt=words["adaptation_prompt"][language],
            context_note=v.text(
                f"{field}.context_note", data.get("context_note"), max_length=40, required=False
            ),
            grounding=tuple(str(g) for g in data.get("grounding") or ()),
            translations=translations,
        )

    def localized(self, language: str | None) -> Criterion:
        """This criterion with its words in ``language`` (or its base language) where the rubric has them."""
        if not language:
            return self
        words = self.translations.get(language) or self.translations.get(language.split("-")[0])
        if not words:
            return self
        return replace(
            self,
            name=words["name"] or self.name,
            description=words["description"] or self.description,
            question=words["question"] or self.question,
            adaptation_prompt=words["adaptation_prompt"] or self.adaptation_prompt,
            levels=tuple(t or base for t, base in zip(words["levels"], self.levels, strict=True)),
        )


@dataclass(frozen=True)
class Rubric:
    id: str
    title: str
    criteria: tuple[Criterion, ...]
    version: str = "1"
    description: str = ""
    critical_gap: int = 2
    sources: tuple[str, ...] = ()
    language: str = "en"  # the language of its plain-string texts
    translations: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dict(cls, data: Any) -> Rubric:
        if not isinstance(data, dict):
            raise ValidationError("rubric", _("a rubric must be a JSON object with 'criteria'."))
        raw = data.get("criteria")
        if not isinstance(raw, list) or not raw:
            raise ValidationError("criteria", _("a rubric needs a list of criteria."))
        language = language_tag("language", data.get("language") or "en")
        criteria = tuple(Criterion.from_dict(c, f"criteria[{i}]", language) for i, c in enumerate(raw))
        ids = [c.id for c in criteria]
        dup = next((i for i in ids if ids.count(i) > 1), None)
        if dup:
            raise ValidationError("criteria", _("the criterion id '{id}' appears twice.").format(id=dup))
        gap = data.get("critical_gap", 2)
        if isinstance(gap, bool) or not isinstance(gap, int) or not 1 <= gap <= MAX_RATING:
            raise ValidationError("critical_gap", _("must be a whole number of levels from 1 to 4."))
        title = texts("title", data.get("title"), language, max_length=200)
        description = texts("description", data.get("description"), language, max_length=4000, required=False)
        others = sorted({lang for w in (title, description) for lang in w if lang != language})
        return cls(
            id=v.text("id", data.get("id"), max_length=80),
            title=title[language],
            criteria=criteria,
            version=str(data.get("version", "1")),
            description=description[language],
            critical_gap=gap,
            sources=tuple(_source_text(s) for s in data.get("sources") or ()),
            language=language,
            translations={
                lang: {"title": text_in(title, language, lang), "description": text_in(description, language, lang)}
                for lang in others
            },
        )

    def languages(self) -> list[str]:
        """The rubric's own language, then every language some of its words are translated into."""
        others = {lang for c in self.criteria for lang in c.translations} | set(self.translations)
        return [self.language, *sorted(others - {self.language})]

    def localized(self, language: str | None) -> Rubric:
        """The rubric with its words in ``language`` wherever it has them (ids, weights and levels unchanged)."""
        if not language or language == self.language:
            return self
        words = self.translations.get(language) or self.translations.get(language.split("-")[0]) or {}
        return replace(
            self,
            title=words.get("title") or self.title,
            description=words.get("description") or self.description,
            criteria=tuple(c.localized(language) for c in self.criteria),
        )

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise ValidationError(
            "criterion",
            _("'{id}' is not a criterion of the rubric '{rubric}' ({known}).").format(
                id=criterion_id, rubric=self.id, known=", ".join(c.id for c in self.criteria)
            ),
        )

    @property
    def critical_ids(self) -> list[str]:
        return [c.id for c in self.criteria if c.critical]


def _source_text(source: Any) -> str:
    return source.get("citation", "") if isinstance(source, dict) else str(source)


def check_ratings(
    rubric: Rubric, ratings: Any, field: str = "ratings", *, whole: bool = False, require: str = "critical"
) -> dict[str, float]:
    """Ratings keyed by criterion id, each 0–4; ``require`` is "critical" (every critical one) or "all"."""
    if not isinstance(ratings, dict):
        raise ValidationError(field, _("must map criteria to ratings from 0 to 4."))
    known = {c.id for c in rubric.criteria}
    out: dict[str, float] = {}
    for key, value in ratings.items():
        if key not in known:
            raise ValidationError(
                f"{field}.{key}",
                _("is not a criterion of the rubric '{rubric}' (known: {known}).").format(
                    rubric=rubric.id, known=", ".join(c.id for c in rubric.criteria)
                ),
            )
        out[key] = check_rating(f"{field}.{key}", value, whole=whole)
    wanted = [c for c in rubric.criteria if require == "all" or c.critical]
    for c in wanted:
        if c.id not in out:
            missing = (
                _("{name} is critical: rate it from 0 to 4.") if c.critical else _("{name}: rate it from 0 to 4.")
            )
            raise ValidationError(f"{field}.{c.id}", missing.format(name=c.name))
    return out


@dataclass(frozen=True)
class ContextProfile:
    """A context (where a tactic came from, or where a group wants to use it) rated on a rubric."""

    name: str
    ratings: dict[str, float]
    rubric: str = "default"
    description: str = ""
    notes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any, rubric: Rubric) -> ContextProfile:
        if not isinstance(data, dict):
            raise ValidationError(
                "profile", _("a context profile must be a JSON object with a name and ratings.")
            )
        wanted = data.get("rubric") or rubric.id
        if wanted != rubric.id:
            raise ValidationError(
                "rubric",
                _("this profile was rated on the rubric '{p}', not '{r}'.").format(p=wanted, r=rubric.id),
            )
        notes = data.get("notes") or {}
        if not isinstance(notes, dict):
            raise ValidationError("notes", _("must map criteria to notes."))
        return cls(
            name=v.text("name", data.get("name"), max_length=200),
            ratings=check_ratings(rubric, data.get("ratings")),
            rubric=rubric.id,
            description=v.text("description", data.get("description"), max_length=4000, required=False),
            notes={
                str(k): v.text(f"notes.{k}", t, max_length=2000, required=False) for k, t in notes.items()
            },
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "rubric": self.rubric,
            "description": self.description,
            "ratings": dict(self.ratings),
            "notes": dict(self.notes),
        }
