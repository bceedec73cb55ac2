"""Stand-ins for three questions the interface's i18n core answers: which language is the reader's, what a
language is called in itself, and which way its script runs.

Content in several languages (session prompts, notes, the glossary, the rubric) follows the interface language
unless a form or report names one. ``lessonkit.i18n`` is growing a per-context language (``using_language``) and
``language_name`` and ``direction``; until then these read what ``set_language`` chose (and use each function of
the core that exists already). When the core lands, point these at it: nothing else calls the core for this.
"""

from __future__ import annotations

import gettext
import os

from lessonkit import i18n
from lessonkit.domain.language import language_tag
from lessonkit.errors import ValidationError

__all__ = ["interface_language", "native_name", "text_direction"]

# Scripts written right to left, by language (the tag decides, never the text).
_RTL = {"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"}


def interface_language() -> str:
    """The language the interface currently speaks (e.g. "es"); "en" when nothing was chosen."""
    for name in ("current_language", "get_language"):
        getter = getattr(i18n, name, None)
        if callable(getter):
            return _tag(getter())
    translation = getattr(i18n, "_translation", None)
    if isinstance(translation, gettext.GNUTranslations):
        return _tag(translation.info().get("language"))
    return _tag(os.environ.get("LESSONKIT_LANG"))


def _tag(value: object) -> str:
    try:
        return language_tag("language", value) if value else "en"
    except ValidationError:
        return "en"


def text_direction(tag: str | None) -> str:
    """The direction of text in language ``tag``: "rtl" or "ltr" ("auto" when the language is not known)."""
    if not tag:
        return "auto"
    direction = getattr(i18n, "direction", None)
    if callable(direction):
        return str(direction(tag))
    if "-Arab" in tag or "-Hebr" in tag:
        return "rtl"
    return "rtl" if tag.split("-")[0] in _RTL else "ltr"


def native_name(tag: str) -> str:
    """A language's name in that language ("Español", "العربية"); the tag itself when Babel does not know it."""
    namer = getattr(i18n, "language_name", None)
    if callable(namer):
        return str(namer(tag))
    try:
        from babel import Locale, UnknownLocaleError

        name = Locale.parse(tag.replace("-", "_")).get_display_name(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return tag
    return (name[:1].upper() + name[1:]) if name else tag
