"""The convening's shared glossary: terms defined and acronyms spelled out, so newcomers can join in.

A glossary term is one idea with an entry per language: the word (or acronym) as people say it in that language,
what an acronym stands for, and a short definition. The first entry is the original; a reader whose language has
no entry sees it, marked. Terms are found in prompts so a form can explain them where they appear.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.language import language_tag
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.errors import ValidationError
from lessonkit.i18n import _

MAX_TERM = 80
MAX_EXPANSION = 200
MAX_DEFINITION = 1000


@dataclass(frozen=True)
class GlossaryEntry:
    """A term in one language: the word or acronym, what an acronym stands for, and its definition."""

    language: str
    term: str
    definition: str
    expansion: str = ""

    @classmethod
    def from_dict(cls, data: Any) -> GlossaryEntry:
        if not isinstance(data, dict):
            raise ValidationError("entries", _("each entry needs a language, a term and a definition."))
        return cls(
            language=language_tag("language", data.get("language")),
            term=v.text("term", data.get("term"), max_length=MAX_TERM),
            definition=v.text("definition", data.get("definition"), max_length=MAX_DEFINITION),
            expansion=v.text("expansion", data.get("expansion"), max_length=MAX_EXPANSION, required=False),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "term": self.term,
            "expansion": self.expansion,
            "definition": self.definition,
        }

    @property
    def is_acronym(self) -> bool:
        """Two or more capitals (MoU, ONG, НКО): matched with its exact capitals, so "mou" in French is no hit."""
        return sum(ch.isupper() for ch in self.term) >= 2

    def pattern(self) -> re.Pattern[str]:
        """The term as a whole word (a plain plural in -s or -es too: "organisers", "NGOs"). A term written with
        alternatives ("organizadora, organizador") is found by any of them."""
        flags = 0 if self.is_acronym else re.IGNORECASE
        words = [w.strip() for w in v.split_list(self.term) if w.strip()] or [self.term]
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        return re.compile(r"(?<!\w)(?:" + alternatives + r")(?:e?s)?(?!\w)", flags)


@dataclass(frozen=True)
class GlossaryTerm:
    entries: tuple[GlossaryEntry, ...]
    by: str = ""
    updated: datetime = field(default_factory=v.now)
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GlossaryTerm:
        data = upgrade("glossary_term", data)
        raw = data.get("entries")
        if not isinstance(raw, list) or not raw:
            raise ValidationError("entries", _("a glossary term needs at least one entry: a term and its definition."))
        entries = tuple(GlossaryEntry.from_dict(e) for e in raw)
        languages = [e.language for e in entries]
        twice = next((lang for lang in languages if languages.count(lang) > 1), None)
        if twice:
            raise ValidationError(
                "entries", _("two entries in '{lang}': keep one entry per language.").format(lang=twice)
            )
        return cls(
            id=data.get("id"),
            entries=entries,
            by=v.text("by", data.get("by"), max_length=120, required=False),
            updated=v.iso_datetime("updated", data["updated"]) if data.get("updated") else v.now(),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["glossary_term"],
            "entries": [e.to_dict() for e in self.entries],
            "by": self.by,
            "updated": self.updated.isoformat(),
        }

    @property
    def original(self) -> GlossaryEntry:
        return self.entries[0]

    def languages(self) -> list[str]:
        return [e.language for e in self.entries]

    def entry(self, language: str | None) -> GlossaryEntry | None:
        """The entry in ``language`` (or its base language, "pt" for "pt-BR"), if there is one."""
        if not language:
            return None
        for tag in (language, language.split("-")[0]):
            found = next((e for e in self.entries if e.language == tag), None)
            if found:
                return found
        return None

    def shown(self, language: str | None) -> tuple[GlossaryEntry, bool]:
        """The entry for a reader of ``language`` and whether it is the original shown instead (a fallback)."""
        found = self.entry(language)
        return (found, False) if found else (self.original, True)

    def names(self) -> set[str]:
        """Every way the term is written, folded for comparison."""
        return {e.term.casefold() for e in self.entries}

    def with_entry(self, entry: GlossaryEntry, by: str = "") -> GlossaryTerm:
        """This term with ``entry`` added, or replacing the entry in the same language."""
        kept = [e for e in self.entries if e.language != entry.language]
        position = next((i for i, e in enumerate(self.entries) if e.language == entry.language), len(kept))
        kept.insert(position, entry)
        return replace(self, entries=tuple(kept), by=by or self.by, updated=v.now())

    def occurs_in(self, text: str) -> bool:
        return any(e.pattern().search(text or "") for e in self.entries)


def find_term(terms: Iterable[GlossaryTerm], name: str) -> GlossaryTerm | None:
    """The term written ``name`` in any language (case-insensitive)."""
    wanted = (name or "").strip().casefold()
    return next((t for t in terms if wanted in t.names()), None)


def terms_in(texts: Iterable[str], terms: Iterable[GlossaryTerm]) -> list[GlossaryTerm]:
    """The glossary terms that appear in any of ``texts``, in glossary order."""
    texts = [t for t in texts if t]
    return [term for term in terms if any(term.occurs_in(text) for text in texts)]


def sorted_for(terms: Iterable[GlossaryTerm], language: str | None) -> list[GlossaryTerm]:
    """Alphabetical by the term as a reader of ``language`` sees it."""
    return sorted(terms, key=lambda t: t.shown(language)[0].term.casefold())
