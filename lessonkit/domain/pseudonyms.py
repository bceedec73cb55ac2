"""Pseudonyms: readable word pairs ("Patient Heron", "Garza Serena"), unique in a convening.

A :class:`WordList` is one language's adjectives and nouns and the order they go in; the lists themselves are data
(``data/pseudonyms/<lang>.json``, read by :mod:`lessonkit.services.pseudonyms`). Each list is written so that every
pair is grammatical without agreement rules: invariable adjectives, or nouns of one gender only. Pure: no files.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from lessonkit.errors import ValidationError
from lessonkit.i18n import _

ORDERS = ("adjective noun", "noun adjective")


@dataclass(frozen=True)
class WordList:
    language: str
    adjectives: tuple[str, ...]
    nouns: tuple[str, ...]
    order: str = "adjective noun"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WordList:
        order = str(data.get("order") or "adjective noun")
        adjectives = tuple(str(w).strip() for w in data.get("adjectives") or [] if str(w).strip())
        nouns = tuple(str(w).strip() for w in data.get("nouns") or [] if str(w).strip())
        if order not in ORDERS or not adjectives or not nouns:
            raise ValidationError("pseudonyms", _("a word list needs adjectives, nouns and an order."))
        return cls(str(data.get("language") or ""), adjectives, nouns, order)

    @property
    def size(self) -> int:
        return len(self.adjectives) * len(self.nouns)

    def pair(self, adjective: str, noun: str) -> str:
        first, second = (adjective, noun) if self.order == "adjective noun" else (noun, adjective)
        return f"{_capital(first)} {_capital(second)}"

    def all_pairs(self) -> Iterable[str]:
        for a in self.adjectives:
            for n in self.nouns:
                yield self.pair(a, n)


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


def fold(text: str) -> str:
    """How pseudonyms and names are compared: case and spacing do not count."""
    return " ".join(str(text).split()).casefold()


def new_pseudonym(words: WordList, taken: Collection[str] = (), rng: random.Random | None = None) -> str:
    """A word pair not in ``taken`` (compared folded). When every pair is taken, a number is added."""
    pick = rng or secrets.SystemRandom()
    used = {fold(t) for t in taken}
    for _attempt in range(64):
        candidate = words.pair(pick.choice(words.adjectives), pick.choice(words.nouns))
        if fold(candidate) not in used:
            return candidate
    free = [p for p in words.all_pairs() if fold(p) not in used]
    if free:
        return pick.choice(free)
    n = 2
    base = words.pair(pick.choice(words.adjectives), pick.choice(words.nouns))
    while fold(f"{base} {n}") in used:
        n += 1
    return f"{base} {n}"
