"""Checks applied at the boundary; each failure names the field and says what to do."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

from lessonkit.errors import ValidationError
from lessonkit.i18n import _

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
MAX_TAGS = 12
MAX_TAG_LENGTH = 40


def text(field: str, value: object, *, max_length: int, required: bool = True) -> str:
    """A stripped string of at most ``max_length`` characters; empty only when not required."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field, _("must be text."))
    value = value.strip()
    if required and not value:
        raise ValidationError(field, _("must not be empty: please write something."))
    if len(value) > max_length:
        raise ValidationError(
            field,
            _("is {n} characters long; the limit is {limit}. Please shorten it.").format(
                n=len(value), limit=max_length
            ),
        )
    return value


def slug(field: str, value: object) -> str:
    s = text(field, value, max_length=63)
    if not SLUG_RE.match(s):
        raise ValidationError(
            field,
            _("'{value}' is not a valid short name: use lower-case letters, digits and dashes, "
              "starting with a letter or digit (e.g. 'nairobi-2026').").format(value=s),
        )
    return s


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


def tags(field: str, value: object) -> list[str]:
    """Tags from a list or a comma-separated string: trimmed, lower-case, without repeats."""
    if value is None or value == "":
        return []
    items = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    out: list[str] = []
    for item in items:
        tag = str(item).strip().lower().lstrip("#")
        if not tag or tag in out:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ValidationError(
                field, _("the tag '{tag}' is longer than {n} characters.").format(tag=tag[:20] + "…", n=MAX_TAG_LENGTH)
            )
        out.append(tag)
    if len(out) > MAX_TAGS:
        raise ValidationError(field, _("at most {n} tags, please.").format(n=MAX_TAGS))
    return out


def boolean(field: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in {"1", "true", "yes", "y"}:
        return True
    if s in {"0", "false", "no", "n", ""}:
        return False
    raise ValidationError(field, _("'{value}' is not yes or no.").format(value=value))


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso_datetime(field: str, value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(field, _("'{value}' is not a date and time.").format(value=value)) from None
