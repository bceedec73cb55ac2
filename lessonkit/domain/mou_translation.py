"""Parallel texts of the memorandum: each clause in the authoritative language, and translations beside it.

The parties choose one authoritative language (the record's ``language``); the clauses of every version are in it.
A translation renders one clause's title and text in another language and says which version's authoritative text
it translates (``based_on``). Translations are records of their own, never rewritten: a better one is added. For a
given version, a clause's translation is the latest one based on that version or an earlier one, and it is
**stale** when the authoritative title or text of the clause changed between the version it was based on and the
version being read. Sign-off is of the authoritative text; each signature records the translations there were
(:class:`TranslationRef`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.language import language_tag
from lessonkit.domain.mou import MAX_CLAUSE_LENGTH, Clause, MouVersion
from lessonkit.domain.mou_diff import ClauseDiff, diff_versions
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.errors import ValidationError
from lessonkit.i18n import _


class TranslationState(str, Enum):
    CURRENT = "current"
    STALE = "stale"  # the authoritative clause changed after the version it translates
    MISSING = "missing"


def state_label(state: TranslationState) -> str:
    return {
        TranslationState.CURRENT: _("translation"),
        TranslationState.STALE: _("translation, out of date"),
        TranslationState.MISSING: _("not translated"),
    }[state]


@dataclass(frozen=True)
class ClauseTranslation:
    """One clause's title and text in one language, translating the authoritative text of version ``based_on``."""

    clause_key: str
    language: str
    title: str
    text: str
    based_on: int
    by: str
    created: datetime = field(default_factory=v.now)
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClauseTranslation:
        data = upgrade("mou_translation", data)
        based_on = data.get("based_on")
        if isinstance(based_on, bool) or not isinstance(based_on, int) or based_on < 1:
            raise ValidationError("based_on", _("name the version whose text this translates (1 or more)."))
        return cls(
            id=data.get("id"),
            clause_key=v.text("clause", data.get("clause_key"), max_length=63),
            language=language_tag("language", data.get("language")),
            title=v.text("title", data.get("title"), max_length=200),
            text=v.text("text", data.get("text"), max_length=MAX_CLAUSE_LENGTH),
            based_on=based_on,
            by=v.text("by", data.get("by"), max_length=120),
            created=v.iso_datetime("created", data["created"]) if data.get("created") else v.now(),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["mou_translation"],
            "clause_key": self.clause_key,
            "language": self.language,
            "title": self.title,
            "text": self.text,
            "based_on": self.based_on,
            "by": self.by,
            "created": self.created.isoformat(),
        }


@dataclass(frozen=True)
class ParallelText:
    """A clause of one version as a reader of ``language`` finds it."""

    clause: Clause  # the authoritative clause
    language: str
    translation: ClauseTranslation | None
    state: TranslationState
    changed_in: int | None = None  # for a stale one: the first later version whose authoritative text differs

    @property
    def title(self) -> str:
        return self.translation.title if self.translation else self.clause.title

    @property
    def text(self) -> str:
        return self.translation.text if self.translation else self.clause.text


@dataclass(frozen=True)
class TranslationRef:
    """What a signature records of one translation: which one it was, which version it translated, stale or not."""

    language: str
    clause_key: str
    translation_id: int | None
    based_on: int
    stale: bool

    @classmethod
    def from_dict(cls, data: Any) -> TranslationRef:
        if not isinstance(data, dict):
            raise ValidationError("translations", _("each recorded translation needs a language and a clause."))
        return cls(
            language=language_tag("translations.language", data.get("language")),
            clause_key=v.text("translations.clause_key", data.get("clause_key"), max_length=63),
            translation_id=data.get("translation_id"),
            based_on=int(data.get("based_on") or 0),
            stale=v.boolean("translations.stale", data.get("stale", False)),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "clause_key": self.clause_key,
            "translation_id": self.translation_id,
            "based_on": self.based_on,
            "stale": self.stale,
        }


def _source(clause: Clause | None) -> tuple[str, str] | None:
    return (clause.title, clause.text) if clause is not None else None


def _by_number(versions: Sequence[MouVersion]) -> dict[int, MouVersion]:
    return {ver.number: ver for ver in versions}


def translation_at(
    translations: Iterable[ClauseTranslation], key: str, language: str, number: int
) -> ClauseTranslation | None:
    """The translation a reader of version ``number`` gets: the latest based on that version or an earlier one."""
    found = [t for t in translations if t.clause_key == key and t.language == language and t.based_on <= number]
    return max(found, key=lambda t: (t.based_on, t.id or 0, t.created), default=None)


def changed_after(versions: Sequence[MouVersion], key: str, based_on: int, number: int) -> int | None:
    """The first version after ``based_on`` (up to ``number``) whose authoritative title or text of ``key``
    differs from that of ``based_on``; None when it did not change."""
    by_number = _by_number(versions)
    base = by_number.get(based_on)
    source = _source(base.clause(key)) if base else None
    for n in sorted(k for k in by_number if based_on < k <= number):
        if _source(by_number[n].clause(key)) != source:
            return n
    return None


def parallel(
    versions: Sequence[MouVersion], translations: Iterable[ClauseTranslation], number: int, language: str
) -> list[ParallelText]:
    """Every clause of version ``number`` with its translation into ``language`` and whether that is current."""
    translations = list(translations)
    version = _by_number(versions)[number]
    out = []
    for clause in version.clauses:
        found = translation_at(translations, clause.key, language, number)
        if found is None:
            out.append(ParallelText(clause, language, None, TranslationState.MISSING))
            continue
        changed = changed_after(versions, clause.key, found.based_on, number)
        state = TranslationState.STALE if changed else TranslationState.CURRENT
        out.append(ParallelText(clause, language, found, state, changed))
    return out


def translated_version(
    versions: Sequence[MouVersion], translations: Iterable[ClauseTranslation], number: int, language: str
) -> MouVersion:
    """Version ``number`` as read in ``language``: each clause's title and text from its translation where there
    is one (the authoritative words where there is none). Structured parts (dates, parties) stay as they are."""
    version = _by_number(versions)[number]
    texts = {p.clause.key: p for p in parallel(versions, translations, number, language)}
    clauses = tuple(replace(c, title=texts[c.key].title, text=texts[c.key].text) for c in version.clauses)
    return replace(version, clauses=clauses)


def diff_in_language(
    versions: Sequence[MouVersion], translations: Iterable[ClauseTranslation], a: int, b: int, language: str
) -> list[ClauseDiff]:
    """The word diff from version ``a`` to ``b`` as read in ``language`` (see :func:`translated_version`)."""
    translations = list(translations)
    return diff_versions(
        translated_version(versions, translations, a, language),
        translated_version(versions, translations, b, language),
    )


def languages_of(translations: Iterable[ClauseTranslation]) -> list[str]:
    """The languages that have at least one translation, in the order they first appeared."""
    seen: list[str] = []
    for t in translations:
        if t.language not in seen:
            seen.append(t.language)
    return seen


def refs_for(
    versions: Sequence[MouVersion], translations: Iterable[ClauseTranslation], number: int
) -> tuple[TranslationRef, ...]:
    """What a signature of version ``number`` records: each translated clause in each language, stale or not."""
    translations = list(translations)
    refs = []
    for language in languages_of(translations):
        for p in parallel(versions, translations, number, language):
            if p.translation is not None:
                refs.append(
                    TranslationRef(
                        language,
                        p.clause.key,
                        p.translation.id,
                        p.translation.based_on,
                        p.state is TranslationState.STALE,
                    )
                )
    return tuple(refs)


def check_translation(version: MouVersion, translation: ClauseTranslation, authoritative: str) -> None:
    """A translation names a clause of ``version``, translates the latest text, and is not in the authoritative
    language (that text is edited in the clause itself)."""
    if translation.language == authoritative:
        raise ValidationError(
            "language",
            _("'{lang}' is the authoritative language: edit the clause itself, not a translation.").format(
                lang=authoritative
            ),
        )
    if version.clause(translation.clause_key) is None:
        raise ValidationError(
            "clause",
            _("there is no clause '{key}' in version {n}: choose a current clause.").format(
                key=translation.clause_key, n=version.number
            ),
        )


def swap_authority(
    version: MouVersion, translations: Iterable[ClauseTranslation], versions: Sequence[MouVersion], language: str
) -> tuple[Clause, ...]:
    """The clauses of ``version`` with ``language``'s texts as the authoritative ones; refuses when a clause has no
    current translation into ``language`` (the parties must have read every clause in it)."""
    texts = parallel(versions, translations, version.number, language)
    missing = [p.clause.title for p in texts if p.state is not TranslationState.CURRENT]
    if missing:
        raise ValidationError(
            "language",
            _("these clauses have no up-to-date translation into '{lang}': {titles}. Translate them first.").format(
                lang=language, titles=", ".join(missing)
            ),
        )
    return tuple(replace(p.clause, title=p.title, text=p.text) for p in texts)
