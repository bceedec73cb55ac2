"""One translation function for every user-facing string (gettext style).

Write ``_("Your join code")`` wherever a person will read the text. Catalogues live in
``lessonkit/locale/<lang>/LC_MESSAGES/lessonkit.mo``; with none installed the English source is shown.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "lessonkit"
LOCALE_DIR = Path(__file__).parent / "locale"

_translation: gettext.NullTranslations = gettext.NullTranslations()


def set_language(language: str | None) -> None:
    """Switch every later message to ``language`` (e.g. "es"); unknown languages fall back to English."""
    global _translation
    languages = [language] if language else None
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=languages, fallback=True)


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on a count."""
    return _translation.ngettext(singular, plural, n)


set_language(os.environ.get("LESSONKIT_LANG"))
