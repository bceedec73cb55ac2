"""Redaction of free text before it leaves the laptop (or reaches a board seen beyond the convening).

A :class:`Redactor` replaces, case-insensitively, accent-insensitively and only as whole words (Unicode-aware):

- registered participants' names in every form :mod:`lessonkit.domain.redaction_names` describes (full name, parts,
  possessives, inflected endings, names split across lines; names that are also common words more carefully),
- their registered organisations (full form and initials),
- join codes (the registered ones, and anything shaped like one: ``KX7R-M3PD``),
- e-mail addresses, social-media handles (``@someone``) and links that carry a query string (``?code=…``),
- phone numbers: international and national formats by pattern (``+44 20 7946 0958``, ``(555) 123-4567``,
  ``0612345678``; dates and short numbers are left alone), and, with the convening's countries as regions, every
  number libphonenumber (``phonenumberslite``) finds valid there,
- the convening's extra terms (places, organisations) that the facilitator keeps.

It returns the new text, what was replaced, and what it left as it is but a person should look at (a common-word
name at the start of a sentence), so a facilitator can preview a redaction before exporting. Pure: no store, no files.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from lessonkit.domain import redaction_names as nm
from lessonkit.domain.joincode import ALPHABET
from lessonkit.i18n import _

MIN_NAME_PART = nm.MIN_NAME_PART


class Kind(str, Enum):
    """What a redacted piece of text was."""

    NAME = "name"
    ORGANISATION = "organisation"
    JOIN_CODE = "join code"
    EMAIL = "e-mail"
    PHONE = "phone"
    HANDLE = "handle"
    LINK = "link"
    TERM = "term"
    POSSIBLE = "possible name"  # left as it is: shown in the preview for a person to check


def placeholder(kind: Kind) -> str:
    """What replaces a redacted piece of text."""
    return {
        Kind.NAME: _("[name]"),
        Kind.ORGANISATION: _("[organisation]"),
        Kind.JOIN_CODE: _("[join code]"),
        Kind.EMAIL: _("[e-mail]"),
        Kind.PHONE: _("[phone]"),
        Kind.HANDLE: _("[handle]"),
        Kind.LINK: _("[link]"),
        Kind.TERM: _("[redacted]"),
        Kind.POSSIBLE: "",
    }[kind]


def kind_label(kind: Kind) -> str:
    """The kind as the redaction preview names it."""
    return {
        Kind.NAME: _("name"),
        Kind.ORGANISATION: _("organisation"),
        Kind.JOIN_CODE: _("join code"),
        Kind.EMAIL: _("e-mail"),
        Kind.PHONE: _("phone"),
        Kind.HANDLE: _("handle"),
        Kind.LINK: _("link with a query"),
        Kind.TERM: _("extra term"),
        Kind.POSSIBLE: _("possible name, left as it is: check it"),
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
    hits: tuple[Hit, ...] = ()  # what was replaced
    review: tuple[Hit, ...] = ()  # what was left as it is but may be a name

    @property
    def changed(self) -> bool:
        return bool(self.hits)


_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_LINK = r"(?:https?://|www\.)[^\s<>\"'?#]+\?[^\s<>\"']*[^\s<>\"'.,;:!?)\]]"
_HANDLE = r"(?<![\w@.+-])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?"
_CODE_CHARS = "[" + re.escape(ALPHABET) + "]"
_CODE_SHAPE = rf"(?-i:(?<![\w-]){_CODE_CHARS}{{4}}-{_CODE_CHARS}{{4}}(?![\w-]))"
_PHONE = r"(?<![\w+])(?:\+|\(\+?)?\d[\d ().\-/]{5,}\d(?!\w)"
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[./]\d{1,2}[./]\d{2,4}$")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _fold(text: str) -> str:
    return nm.fold(text)


def _code_pattern(code: str) -> str:
    raw = "".join(ch for ch in code if ch.isalnum())
    if len(raw) == 8:
        return rf"(?<![\w-]){re.escape(raw[:4])}[\s-]?{re.escape(raw[4:])}(?![\w-])"
    return nm.words_pattern(code)


def name_terms(names: Iterable[str]) -> list[str]:
    """Full names, plus each part of at least MIN_NAME_PART letters of a name made of several words."""
    out: dict[str, str] = {}
    for name in names:
        name = " ".join(str(name).split())
        if not name:
            continue
        out.setdefault(_fold(name), name)
        for part in nm.name_parts(name):
            out.setdefault(_fold(part), part)
    return list(out.values())


def is_phone(candidate: str) -> bool:
    """A phone number, not a date or an ordinary number: 7 to 15 digits and either an international prefix,
    an area code in brackets, a leading 0, or at least 9 digits."""
    digits = sum(ch.isdigit() for ch in candidate)
    if not 7 <= digits <= 15 or _DATE.match(candidate):
        return False
    return candidate.startswith(("+", "(", "0")) or digits >= 9


def _alternatives(terms: Iterable[str], make: object = nm.words_pattern) -> str:
    unique = {_fold(t): t for t in terms if str(t).strip()}
    ordered = sorted(unique.values(), key=len, reverse=True)
    return "|".join(make(t) for t in ordered)  # type: ignore[operator]


class Redactor:
    """Built once per export from the convening's participants, countries and extra terms; then cheap per text."""

    def __init__(
        self,
        names: Iterable[str] = (),
        join_codes: Iterable[str] = (),
        terms: Iterable[str] = (),
        organisations: Iterable[str] = (),
        regions: Iterable[str] = (),
        common_words: Iterable[str] = nm.COMMON_WORD_NAMES,
    ) -> None:
        common = {_fold(w) for w in common_words}
        full_names = [" ".join(str(n).split()) for n in names if str(n).strip()]
        parts = [p for n in full_names for p in ([n] if len(n.split()) == 1 else nm.name_parts(n))]
        plain = [p for p in parts if _fold(p) not in common]
        careful = [p for p in parts if _fold(p) in common]
        orgs = [nm.organisation_forms(o) for o in organisations if str(o).strip()]
        codes = sorted({c for c in join_codes if str(c).strip()}, key=len, reverse=True)
        self.regions = tuple(sorted({r.upper() for r in regions if r}))
        groups = [f"(?P<email>{_EMAIL})", f"(?P<link>{_LINK})"]
        if codes:
            groups.append("(?P<code>" + "|".join(_code_pattern(c) for c in codes) + ")")
        groups += [f"(?P<shape>{_CODE_SHAPE})", f"(?P<handle>{_HANDLE})", f"(?P<phone>{_PHONE})"]
        named = [
            ("org", _alternatives([full for full, _i in orgs])),
            ("initials", "|".join(rf"(?-i:(?<!\w){re.escape(i)}(?!\w))" for _f, i in orgs if i)),
            ("term", _alternatives(terms)),
            ("full", _alternatives([n for n in full_names if len(n.split()) > 1])),
            ("part", _alternatives(plain, nm.inflected_pattern)),
            ("common", _alternatives(careful)),
        ]
        groups += [f"(?P<{g}>{body})" for g, body in named if body]
        self._pattern = re.compile("|".join(groups), re.IGNORECASE)

    def _kind(self, match: re.Match[str], text: str) -> Kind | None:
        group = match.lastgroup
        if group == "common":
            found = text[match.start() : match.end()]
            capitalised = found[:1].isupper()
            if capitalised and not nm.at_sentence_start(text, match.start()):
                return Kind.NAME
            return Kind.POSSIBLE if capitalised else None
        if group == "phone":
            return Kind.PHONE if is_phone(match.group()) else None
        return {
            "email": Kind.EMAIL,
            "link": Kind.LINK,
            "code": Kind.JOIN_CODE,
            "shape": Kind.JOIN_CODE,
            "handle": Kind.HANDLE,
            "org": Kind.ORGANISATION,
            "initials": Kind.ORGANISATION,
            "term": Kind.TERM,
        }.get(group or "", Kind.NAME)

    def _phone_spans(self, text: str) -> list[tuple[int, int]]:
        """Numbers libphonenumber finds valid in the convening's countries (only when the text has enough digits)."""
        if not self.regions or sum(ch.isdigit() for ch in text) < 6:
            return []
        import phonenumbers

        spans = []
        for region in self.regions:
            try:
                found = list(phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID))
            except Exception:  # noqa: BLE001 - an unknown region must not stop an export; the patterns still run
                continue
            spans += [(m.start, m.end) for m in found if not _DATE.match(m.raw_string)]
        return spans

    def redact(self, text: str) -> Redacted:
        """``text`` with every match replaced by its placeholder, what was replaced, and what to review."""
        text = _nfc(text or "")
        hits: list[Hit] = []
        review: list[Hit] = []
        for match in self._pattern.finditer(nm.skeleton(text)):
            kind = self._kind(match, text)
            if kind is None:
                continue
            hit = Hit(kind, text[match.start() : match.end()], match.start(), match.end())
            (review if kind is Kind.POSSIBLE else hits).append(hit)
        for start, end in sorted(self._phone_spans(text), key=lambda s: s[0] - s[1]):
            if not any(h.start < end and start < h.end for h in hits):
                hits.append(Hit(Kind.PHONE, text[start:end], start, end))
        if not hits:
            return Redacted(text, review=tuple(review))
        hits.sort(key=lambda h: h.start)
        out: list[str] = []
        last = 0
        for hit in hits:
            out += [text[last : hit.start], placeholder(hit.kind)]
            last = hit.end
        out.append(text[last:])
        return Redacted("".join(out), tuple(hits), tuple(review))

    def __call__(self, text: str) -> str:
        return self.redact(text).text


def preview(redactions: Iterable[Redacted]) -> list[tuple[Kind, str, int]]:
    """What a set of redactions replaced, then what they left for a person to check: (kind, text as found,
    how many times), most frequent first."""
    counts: Counter[tuple[Kind, str]] = Counter()
    shown: dict[tuple[Kind, str], str] = {}
    for redacted in redactions:
        for hit in (*redacted.hits, *redacted.review):
            key = (hit.kind, _fold(hit.found))
            counts[key] += 1
            shown.setdefault(key, hit.found)
    ordered = sorted(counts.items(), key=lambda kv: (kv[0][0] is Kind.POSSIBLE, -kv[1], kv[0][0].value, kv[0][1]))
    return [(kind, shown[(kind, folded)], n) for (kind, folded), n in ordered]
