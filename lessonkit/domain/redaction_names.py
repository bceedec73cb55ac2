"""Patterns for people's and organisations' names, for :mod:`lessonkit.domain.redaction`.

Names are matched on a text without accents (see ``skeleton``), case-insensitively, as whole words:

- the full name, any run of whitespace (a line break too) between its words;
- each part of three letters or more of a name of several words;
- a part of four letters or more also with an inflected ending: up to four more letters after it, or after it
  without its final vowel ("Kowalczyka", "Kowalczykowi" for Kowalczyk; "Олени" for Олена; "Zofii" for Zofia), in
  Latin, Cyrillic, Greek and Arabic script (Greek also without a final -ος, -ας, -ης: "Γιώργου" for Γιώργος;
  Arabic also with a one-letter proclitic before it: "وفاطمة");
- a part that is also a common word ("Hope", "Grace", "Sol") only in the full name, or where it is capitalised
  and not at the start of a sentence, and never inflected: "Hope is what we need" stays as it is.

Organisations are matched in their full form (without a bracketed remark such as "(invented)") and by their
initials when those make three letters or more ("MSJC"), case-sensitively.
"""

from __future__ import annotations

import re
import unicodedata

MIN_NAME_PART = 3
MIN_INFLECTED = 4
MAX_ENDING = 4

_LETTER = r"[^\W\d_]"
_VOWELS = set("aeiouyąęóаеёиоуыэюяіїєьαεηιουωاىيةه")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_GREEK = re.compile(r"[\u0370-\u03FF]")
_GREEK_ENDINGS = {"ος", "ας", "ης", "ες", "οσ", "ασ", "ησ", "εσ"}
_PROCLITIC = "[وفبلك]"

# Given names that are also everyday words, in the kit's languages (folded: no accents, lower case).
COMMON_WORD_NAMES = frozenset(
    """
    hope faith grace joy rose lily daisy ivy iris hazel heather holly violet jasmine pearl ruby amber crystal
    dawn summer autumn april may june august winter sunny star sky rain river storm sage
    will mark bill rob pat sue sol luz paz rosa flor mar cruz leal
    esperanza dolores consuelo amparo soledad rocio pilar mercedes socorro angel angeles remedios
    rose ange aime fleur claire blanche constance prudence patience felicite
    gloria graca vitoria
    надежда любовь вера мир слава
    امل نور سلام هدى فرح سعاد منى رجاء صبر
    """.split()
)


def skeleton(text: str) -> str:
    """``text`` without accents, one character for one character (so positions in it still fit ``text``)."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        out.append(parts[0] if len(parts) > 1 and all(unicodedata.combining(c) for c in parts[1:]) else ch)
    return "".join(out)


def fold(text: str) -> str:
    return " ".join(skeleton(unicodedata.normalize("NFC", text)).casefold().split())


def words_pattern(term: str) -> str:
    """``term`` as a whole-word pattern; any run of spaces in it matches any run of whitespace."""
    body = r"\s+".join(re.escape(w) for w in skeleton(unicodedata.normalize("NFC", term)).split())
    return rf"(?<!\w){body}(?!\w)"


def inflected_pattern(part: str) -> str:
    """A name part with an inflected ending (see the module's docstring); a short part only as itself."""
    bare = skeleton(unicodedata.normalize("NFC", part))
    arabic = bool(_ARABIC.search(bare))
    before = rf"(?<!\w){_PROCLITIC}?" if arabic else r"(?<!\w)"
    if len(bare) < MIN_INFLECTED:
        return rf"{before}{re.escape(bare)}(?!\w)"
    stems = [re.escape(bare)]
    if bare[-1].casefold() in _VOWELS and len(bare) - 1 >= MIN_INFLECTED:
        stems.append(re.escape(bare[:-1]))
    if _GREEK.search(bare) and bare[-2:].casefold() in _GREEK_ENDINGS:  # Γιώργος → Γιώργου, Νίκος → Νίκο
        stems.append(re.escape(bare[:-2]))
    return rf"{before}(?:{'|'.join(stems)}){_LETTER}{{0,{MAX_ENDING}}}(?!\w)"


def name_parts(name: str) -> list[str]:
    """The parts of a name of several words that are long enough to be matched alone."""
    parts = re.findall(r"\w+", name)
    if len(parts) < 2:
        return []
    return [p for p in parts if len(p) >= MIN_NAME_PART and not p.isdigit()]


def organisation_forms(organisation: str) -> tuple[str, str | None]:
    """(the full form without bracketed remarks, its initials or None)."""
    full = " ".join(re.sub(r"\([^)]*\)", " ", organisation).split())
    words = [w for w in re.findall(r"\w+", full) if w[:1].isalpha()]
    initials = "".join(w[0] for w in words if len(w) > 2 or w[:1].isupper()).upper()
    return full, (initials if len(words) >= 3 and len(initials) >= 3 else None)


def at_sentence_start(text: str, start: int) -> bool:
    """True when nothing but whitespace, quotes or brackets stands between ``start`` and the previous sentence end
    (or the start of the text)."""
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in "\"'“”‘’«»([-–—*•"):
        if text[i] == "\n":
            return True
        i -= 1
    return i < 0 or text[i] in ".!?…"
