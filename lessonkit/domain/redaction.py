"""Redaction of free text before it leaves the laptop.

A :class:`Redactor` replaces, case-insensitively, accent-insensitively and only as whole words (Unicode-aware):

- registered participants' names (the full name, and each part of three letters or more of a name of several
  words) and their join codes (also anything shaped like a join code: ``KX7R-M3PD``),
- e-mail addresses,
- phone numbers in international and national formats (``+44 20 7946 0958``, ``(555) 123-4567``,
  ``0612345678``; dates and short numbers are left alone),
- a per-convening list of extra terms (places, organisations) that the facilitator keeps.

It returns the new text and what was replaced, so a facilitator can preview a redaction before exporting.
Pure: no store, no files.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from lessonkit.domain.joincode import ALPHABET
from lessonkit.i18n import _

MIN_NAME_PART = 3


class Kind(str, Enum):
    """What a redacted piece of text was."""

    NAME = "name"
    JOIN_CODE = "join code"
    EMAIL = "e-mail"
    PHONE = "phone"
    TERM = "term"


def placeholder(kind: Kind) -> str:
    """What replaces a redacted piece of text."""
    return {
        Kind.NAME: _("[name]"),
        Kind.JOIN_CODE: _("[join code]"),
        Kind.EMAIL: _("[e-mail]"),
        Kind.PHONE: _("[phone]"),
        Kind.TERM: _("[redacted]"),
    }[kind]


@dataclass(frozen=True)
class Hit:
    kind: Kind
    found: str  # the text as it stood (for the facilitator's preview only; never exported)
    start: int
    end: int


@dataclass(frozen=True)
class Redacted:
    text: str
    hits: tuple[Hit, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.hits)


_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_CODE_CHARS = "[" + re.escape(ALPHABET) + "]"
_CODE_SHAPE = rf"(?-i:(?<![\w-]){_CODE_CHARS}{{4}}-{_CODE_CHARS}{{4}}(?![\w-]))"
_PHONE = r"(?<![\w+])(?:\+|\(\+?)?\d[\d ().\-/]{5,}\d(?!\w)"
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[./]\d{1,2}[./]\d{2,4}$")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _skeleton(text: str) -> str:
    """``text`` without accents, one character for one character (so match positions still fit ``text``)."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        out.append(parts[0] if len(parts) > 1 and all(unicodedata.combining(c) for c in parts[1:]) else ch)
    return "".join(out)


def _fold(text: str) -> str:
    return " ".join(_skeleton(_nfc(text)).casefold().split())


def _word_pattern(term: str) -> str:
    """``term`` as a whole-word pattern; any run of spaces in it matches any run of whitespace."""
    body = r"\s+".join(re.escape(w) for w in _skeleton(_nfc(term)).split())
    return rf"(?<!\w){body}(?!\w)"


def _code_pattern(code: str) -> str:
    raw = "".join(ch for ch in code if ch.isalnum())
    if len(raw) == 8:
        return rf"(?<![\w-]){re.escape(raw[:4])}[\s-]?{re.escape(raw[4:])}(?![\w-])"
    return _word_pattern(code)


def name_terms(names: Iterable[str]) -> list[str]:
    """Full names, plus each part of at least MIN_NAME_PART letters of a name made of several words."""
    out: dict[str, str] = {}
    for name in names:
        name = " ".join(str(name).split())
        if not name:
            continue
        out.setdefault(_fold(name), name)
        parts = re.findall(r"\w+", name)
        if len(parts) > 1:
            for part in parts:
                if len(part) >= MIN_NAME_PART and not part.isdigit():
                    out.setdefault(_fold(part), part)
    return list(out.values())


def is_phone(candidate: str) -> bool:
    """A phone number, not a date or an ordinary number: 7 to 15 digits and either an international prefix,
    an area code in brackets, a leading 0, or at least 9 digits."""
    digits = sum(ch.isdigit() for ch in candidate)
    if not 7 <= digits <= 15 or _DATE.match(candidate):
        return False
    return candidate.startswith(("+", "(", "0")) or digits >= 9


class Redactor:
    """Built once per export from the convening's participants and extra terms; then cheap per text."""

    def __init__(self, names: Iterable[str] = (), join_codes: Iterable[str] = (), terms: Iterable[str] = ()) -> None:
        names = name_terms(names)
        self._names = {_fold(n) for n in names}
        words = sorted({_fold(t): t for t in [*names, *terms] if str(t).strip()}.values(), key=len, reverse=True)
        codes = sorted({c for c in join_codes if str(c).strip()}, key=len, reverse=True)
        groups = [f"(?P<email>{_EMAIL})"]
        if codes:
            groups.append("(?P<code>" + "|".join(_code_pattern(c) for c in codes) + ")")
        groups.append(f"(?P<shape>{_CODE_SHAPE})")
        groups.append(f"(?P<phone>{_PHONE})")
        if words:
            groups.append("(?P<word>" + "|".join(_word_pattern(w) for w in words) + ")")
        self._pattern = re.compile("|".join(groups), re.IGNORECASE)

    def _kind(self, match: re.Match[str]) -> Kind | None:
        group = match.lastgroup
        if group == "email":
            return Kind.EMAIL
        if group in ("code", "shape"):
            return Kind.JOIN_CODE
        if group == "phone":
            return Kind.PHONE if is_phone(match.group()) else None
        return Kind.NAME if _fold(match.group()) in self._names else Kind.TERM

    def redact(self, text: str) -> Redacted:
        """``text`` with every match replaced by its placeholder, and the list of what was replaced."""
        text = _nfc(text or "")
        hits: list[Hit] = []
        out: list[str] = []
        last = 0
        for match in self._pattern.finditer(_skeleton(text)):
            kind = self._kind(match)
            if kind is None:
                continue
            hits.append(Hit(kind, text[match.start() : match.end()], match.start(), match.end()))
            out += [text[last : match.start()], placeholder(kind)]
            last = match.end()
        if not hits:
            return Redacted(text)
        out.append(text[last:])
        return Redacted("".join(out), tuple(hits))

    def __call__(self, text: str) -> str:
        return self.redact(text).text


def preview(redactions: Iterable[Redacted]) -> list[tuple[Kind, str, int]]:
    """What a set of redactions replaced: (kind, text as found, how many times), most frequent first."""
    counts: Counter[tuple[Kind, str]] = Counter()
    shown: dict[tuple[Kind, str], str] = {}
    for redacted in redactions:
        for hit in redacted.hits:
            key = (hit.kind, _fold(hit.found))
            counts[key] += 1
            shown.setdefault(key, hit.found)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0].value, kv[0][1]))
    return [(kind, shown[(kind, folded)], n) for (kind, folded), n in ordered]
