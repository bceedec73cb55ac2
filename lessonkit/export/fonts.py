"""Whether this computer has a font for a report's language (Chromium prints empty boxes without one).

Asks fontconfig (``fc-list :lang=xx``), which Chromium uses on Linux. Debian's ``fonts-noto-core`` covers Arabic
(Noto Naskh Arabic, Noto Sans Arabic) and Cyrillic (Noto Sans); `.ci/run` installs it. Where fontconfig is absent
(Windows, macOS) the system fonts cover these scripts and nothing is said.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

from lessonkit.i18n import SOURCE_LANGUAGE, _, language_name


@lru_cache(maxsize=16)
def has_font_for(lang: str) -> bool | None:
    """True/False when fontconfig can tell, None when it cannot (no fc-list)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    base = lang.replace("-", "_").split("_")[0]
    try:
        found = subprocess.run([fc_list, f":lang={base}", "family"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return bool(found.stdout.strip())


def missing_font_message(lang: str | None) -> str | None:
    """One line saying what to install when no font for ``lang`` is found; None when fonts are there."""
    if not lang or lang == SOURCE_LANGUAGE or has_font_for(lang) is not False:
        return None
    return _(
        "No font for {language} was found on this computer, so the PDF would show empty boxes instead of letters. "
        "Install the fonts-noto-core package (Debian or Ubuntu: sudo apt install fonts-noto-core), then make the "
        "report again."
    ).format(language=language_name(lang))
