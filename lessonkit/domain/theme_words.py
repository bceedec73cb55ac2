"""A theme's suggested label: its most telling words, found without any model.

A word tells a theme apart when many of the theme's notes use it and few of the session's other notes do: each word
scores (share of the theme's notes that use it) x (smoothed inverse document frequency over the session's notes).
Words are runs of letters and digits (``\\w``, so every script counts) of at least :data:`MIN_LENGTH` characters,
compared case-folded; the commonest little words of the kit's languages are skipped. Pure Python: the vote form and
the reports label themes without loading scikit-learn.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

MIN_LENGTH = 3
LABEL_WORDS = 3
_WORD = re.compile(r"\w+")

# The commonest function words of the kit's languages (a label is about content, not grammar). Short words are
# already left out by MIN_LENGTH.
STOP_WORDS = frozenset(
    """
    the and for are but not you your our ours their them they this that these those with from have has had was
    were will would can could should what when where which who whom why how all any each every more most some such
    than then there here into onto over under about after before again also just only very own same other others
    its it's we're don't need needs want wants get got make made does did done being been out off one two down
    necesitamos necesita queremos
    los las del una uno unos unas que por para con sin sus nos les mas más muy pero como cuando donde porque este
    esta estos estas ese esa esos esas hay ser son está están fue han hemos tiene tienen todo todos toda todas
    nuestro nuestra nuestros nuestras otro otra otros otras también ya
    les des une dans sur avec sans pour par pas plus que qui quoi est sont ont nous vous ils elles leur leurs
    notre nos votre mais comme quand tout tous toute toutes aussi cette ces
    uma umas uns com sem não nao mais muito pelo pela pelos pelas são sao tem têm nós nosso nossa isso esse essa
    quando onde porque também tambem todo todos
    في من على إلى الى عن مع هذا هذه ذلك تلك التي الذي الذين كان كانت يكون لا لم لن ما ماذا كل أو او ثم حتى عند بعد
    قبل بين لكن لأن إذا اذا قد هو هي هم نحن أن ان إن عندما نحتاج يحتاج
    что как это для при без или его она они оно мы вы нас вас них все всё так там тут уже ещё еще когда где
    чтобы потому если только очень наш наша наши
    """.split()
)


def words_of(text: str) -> set[str]:
    """The distinct words of ``text`` that may tell a theme (case-folded)."""
    return {
        w
        for w in _WORD.findall(text.casefold())
        if len(w) >= MIN_LENGTH and not w.isdigit() and w not in STOP_WORDS and "_" not in w
    }


def telling_words(members: Sequence[str], corpus: Sequence[str], n: int = LABEL_WORDS) -> list[str]:
    """The ``n`` words that best tell the texts ``members`` apart within ``corpus`` (every text of the session,
    members included), best first."""
    if not members:
        return []
    seen = Counter(w for text in corpus for w in words_of(text))
    total = max(len(corpus), len(members))
    inside = Counter(w for text in members for w in words_of(text))
    scored = [
        (count / len(members) * (math.log((1 + total) / (1 + max(seen[w], count))) + 1.0), len(w), w)
        for w, count in inside.items()
    ]
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    return [w for _score, _len, w in scored[:n]]


def label_of(words: Sequence[str]) -> str:
    """Words shown as a label: ``housing · eviction · rent`` (the words of the notes themselves, never translated)."""
    return " · ".join(words)
