"""Checks applied at the boundary; each failure names the field and says what to do."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

from lessonkit.errors import ValidationError
from lessonkit.i18n import _, ngettext

SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
MAX_TAGS = 12
MAX_TAG_LENGTH = 40

# Refused in every text: C0 controls (line breaks and tabs aside, in multi-line text), DEL and C1 controls (a NUL or
# an escape code is never what someone meant to write), lone surrogates (bytes that were not UTF-8, as Python hands
# them over from a Latin-1 terminal), noncharacters, and the direction *overrides and embeddings* U+202A-U+202E,
# which can make a name or a note display in a misleading order. Kept, because right-to-left and complex scripts
# need them: the direction marks U+200E/U+200F/U+061C, the isolates U+2066-U+2069, zero-width (non-)joiners and
# spaces, soft hyphens.
_BAD_ANYWHERE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
# In multi-line text, the other ways of breaking a line (pasted from word processors) become a plain line break.
_LINE_BREAKS = str.maketrans({c: "\n" for c in "\r\v\f\x85\u2028\u2029"})
_BAD_MULTILINE = re.compile(f"[{_BAD_ANYWHERE}]")
_BAD_ONE_LINE = re.compile(f"[\\t\\n{_BAD_ANYWHERE}]")


def _check_characters(field: str, value: str, multiline: bool) -> None:
    bad = (_BAD_MULTILINE if multiline else _BAD_ONE_LINE).search(value)
    if bad is None:
        return
    char = bad.group()
    code = f"U+{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        raise ValidationError(
            field, _("holds bytes that are not valid UTF-8 text: type it again (on a terminal set to UTF-8).")
        )
    if char in "\n\t":
        raise ValidationError(field, _("must be one line: remove the line break or tab."))
    if "\u202a" <= char <= "\u202e":
        raise ValidationError(
            field,
            _("contains an invisible direction override ({code}) that can make text read in a misleading order: "
              "remove it.").format(code=code),
        )
    raise ValidationError(
        field, _("contains an invisible control character ({code}): remove it.").format(code=code)
    )


def text(
    field: str, value: object, *, max_length: int, required: bool = True, multiline: bool = True
) -> str:
    """A stripped string of at most ``max_length`` characters; empty only when not required.

    Control characters are refused (see ``_BAD_ANYWHERE``); ``multiline=False`` refuses line breaks and tabs too
    (names, titles, tags), while in multi-line text every kind of line break becomes a plain one."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field, _("must be text."))
    if multiline:
        value = value.replace("\r\n", "\n").translate(_LINE_BREAKS)
    value = value.strip()
    _check_characters(field, value, multiline)
    if required and not value:
        raise ValidationError(field, _("must not be empty: please write something."))
    if len(value) > max_length:
        raise ValidationError(
            field,
            ngettext(
                "is {n} character long; the limit is {limit}. Please shorten it.",
                "is {n} characters long; the limit is {limit}. Please shorten it.",
                len(value),
            ).format(n=len(value), limit=max_length),
        )
    return value


def slug(field: str, value: object) -> str:
    """A short name exactly as given: nothing is trimmed (a trailing line break is refused, not dropped)."""
    if value is None or value == "":
        raise ValidationError(field, _("must not be empty: please write something."))
    if not isinstance(value, str):
        raise ValidationError(field, _("must be text."))
    if not SLUG_RE.fullmatch(value):
        raise ValidationError(
            field,
            _("'{value}' is not a valid short name: use lower-case letters, digits and dashes, "
              "starting with a letter or digit (e.g. 'nairobi-2026').").format(value=repr(value)[1:-1][:80]),
        )
    return value


def iso_date(field: str, value: object, *, required: bool = False) -> date | None:
    if value in (None, ""):
        if required:
            raise ValidationError(field, _("is required: give a date as YYYY-MM-DD."))
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            field, _("'{value}' is not a date: write it as YYYY-MM-DD.").format(value=value)
        ) from None


# The comma a person types on their keyboard separates items of a list (tags, regions): the Latin comma, and the
# Arabic (also Persian, Urdu), ideographic, full-width, small, half-width ideographic and Ethiopic commas. Not the
# semicolon: tags stored before may hold one, and they would read otherwise. "," stays the one documented separator.
LIST_SEPARATORS = ",\u060c\u3001\uff0c\ufe50\uff64\u1363"
_LIST_SPLIT = re.compile(f"[{LIST_SEPARATORS}]")


def split_list(text: str) -> list[str]:
    """``text`` cut at every comma of LIST_SEPARATORS ("سكن، شباب" -> ["سكن", " شباب"]); items are not trimmed."""
    return _LIST_SPLIT.split(text)


def tags(field: str, value: object) -> list[str]:
    """Tags from a list or a string separated by commas (any of LIST_SEPARATORS): trimmed, lower-case, without
    repeats."""
    if value is None or value == "":
        return []
    items = split_list(value) if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    out: list[str] = []
    for item in items:
        tag = text(field, str(item), max_length=MAX_TAG_LENGTH * 4, required=False, multiline=False)
        tag = tag.lower().lstrip("#")
        if not tag or tag in out:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ValidationError(
                field,
                ngettext(
                    "the tag '{tag}' is longer than {n} character.",
                    "the tag '{tag}' is longer than {n} characters.",
                    MAX_TAG_LENGTH,
                ).format(tag=tag[:20] + "…", n=MAX_TAG_LENGTH),
            )
        out.append(tag)
    if len(out) > MAX_TAGS:
        raise ValidationError(
            field, ngettext("at most {n} tag, please.", "at most {n} tags, please.", MAX_TAGS).format(n=MAX_TAGS)
        )
    return out


BOOLEAN_WORDS = "true, false, yes, no, 1, 0"  # what a file may hold: the same words in every language


def boolean(field: str, value: object) -> bool:
    """A yes-or-no value of a record or a file (true/false, yes/no, y/n, 1/0; empty is no). These are codes, the
    same whatever the reader's language, so a file reads the same everywhere."""
    if isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in {"1", "true", "yes", "y"}:
        return True
    if s in {"0", "false", "no", "n", ""}:
        return False
    raise ValidationError(
        field, _("'{value}' is not a yes-or-no value: write one of {words}.").format(value=value, words=BOOLEAN_WORDS)
    )


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso_datetime(field: str, value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(field, _("'{value}' is not a date and time.").format(value=value)) from None
