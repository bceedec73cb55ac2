"""Every string a person reads, in their language: translation, language choice, direction, formatting.

The API (all in this module; nothing else is needed by forms, reports or the command line)::

    from lessonkit.i18n import _, ngettext
    _("Your join code")                                    # translate into the current language
    ngettext("{n} note", "{n} notes", n).format(n=n)       # each language's plural rule (Arabic 6 forms, Russian 3)
    pgettext("session state", "open")                      # one English word, two meanings: a context tells them apart
    npgettext("mou blocks", "{n} block is open", "{n} blocks are open", n)

    current_language()          # "es": this context's language, else the process default
    set_language("es")          # the process default (the CLI's --lang, LESSONKIT_LANG, the system locale)
    with using_language("ar"):  # this thread / asyncio task / kernel callback only, restored on exit
        ...

    available_languages()       # ["en", "ar", "es", ...]: English plus every compiled catalogue
    resolve("pt-BR")            # "pt": the available language that serves a tag, or None
    negotiate("ar;q=0.9, fr", ["en", "fr"])   # "fr": best of an Accept-Language header among allowed languages
    language_name("es")         # "Español": each language named in itself (Babel/CLDR)
    direction("ar")             # "rtl": from the language tag, never from the text

    format_date(d), format_datetime(dt), format_number(1234.5), format_list(["a", "b"])
                                # per the current language (or lang=...), with Babel
    N_("Overview")              # mark a constant for extraction; translate it where shown: _(SECTION_HEADINGS[k])

Participant forms (lessonkit/ui/language.py) each carry their own language: ``form.language`` (current),
``form.languages`` (offered: the convening's languages that have a catalogue), ``form.set_language("ar")``
(re-labels in place, keeps what was typed); a form's ``relabel()`` sets every text it shows and its handlers run
inside ``using_language(form.language)``. Reports take ``language=`` (``lessonkit report … --lang es``).

Two rules: a participant's language and the facilitator's are independent (a form keeps its own language and
wraps its work in ``using_language``; the process default is the facilitator's), and direction always comes from
the language tag. Catalogues live in ``lessonkit/locale/<lang>/LC_MESSAGES/lessonkit.po`` with their compiled
``.mo`` beside them; folders listed in ``LESSONKIT_LOCALE_PATH`` (os.pathsep-separated, same layout) are searched
first, so a network can add a language without touching the package. Tooling: :mod:`lessonkit.i18n.catalogs`.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

DOMAIN = "lessonkit"
SOURCE_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
ENV_LANG = "LESSONKIT_LANG"
ENV_LOCALE_PATH = "LESSONKIT_LOCALE_PATH"
SYSTEM_LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")

_context_language: ContextVar[str | None] = ContextVar("lessonkit_language", default=None)
_default_language = SOURCE_LANGUAGE


# --- where catalogues are -----------------------------------------------------------------------------------


def locale_dirs() -> tuple[Path, ...]:
    """Folders searched for ``<lang>/LC_MESSAGES/lessonkit.mo``: LESSONKIT_LOCALE_PATH first, then the package's."""
    extra = [Path(p) for p in os.environ.get(ENV_LOCALE_PATH, "").split(os.pathsep) if p.strip()]
    return (*extra, LOCALE_DIR)


def available_languages() -> list[str]:
    """English, then every language with a compiled catalogue, sorted by tag."""
    return _available(locale_dirs())


@lru_cache(maxsize=8)
def _available(dirs: tuple[Path, ...]) -> list[str]:
    found = {
        mo.parent.parent.name
        for folder in dirs
        if folder.is_dir()
        for mo in folder.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")
    }
    found.discard(SOURCE_LANGUAGE)
    return [SOURCE_LANGUAGE, *sorted(found)]


def refresh() -> None:
    """Forget cached catalogues (after compiling new ones in this process)."""
    _available.cache_clear()
    _translations.cache_clear()


def _normal(tag: str) -> str:
    """'pt-BR', 'pt_BR.UTF-8', 'pt_BR@euro' -> 'pt_BR'."""
    return tag.strip().split(".")[0].split("@")[0].replace("-", "_")


def resolve(tag: str | None) -> str | None:
    """The available language serving ``tag`` ('pt-BR' -> 'pt' when only 'pt' exists), or None."""
    if not tag:
        return None
    wanted = _normal(tag)
    if wanted.upper() in ("C", "POSIX"):
        return SOURCE_LANGUAGE
    by_lower = {lang.lower(): lang for lang in available_languages()}
    return by_lower.get(wanted.lower()) or by_lower.get(wanted.split("_")[0].lower())


def negotiate(accept: str | Iterable[str] | None, allowed: Iterable[str] | None = None) -> str | None:
    """The best language for an ``Accept-Language`` header (or a list of tags, best first) among ``allowed``
    (default: every available language); None when nothing matches."""
    allowed_set = {lang for lang in (allowed if allowed is not None else available_languages())}
    if accept is None:
        return None
    tags = _accept_tags(accept) if isinstance(accept, str) else list(accept)
    for tag in tags:
        lang = resolve(tag)
        if lang is not None and lang in allowed_set:
            return lang
    return None


def _accept_tags(header: str) -> list[str]:
    """Tags of an Accept-Language header, highest quality first ('*' and q=0 dropped)."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, i, tag))
    return [tag for _q, _i, tag in sorted(ranked)]


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """LESSONKIT_LANG, else the system locale (LC_ALL, LC_MESSAGES, LANG): the first one set decides; a language
    without a catalogue means English."""
    env = os.environ if environ is None else environ
    for var in (ENV_LANG, *SYSTEM_LOCALE_VARS):
        value = env.get(var, "").strip()
        if value:
            return resolve(value) or SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


# --- the current language -----------------------------------------------------------------------------------


def current_language() -> str:
    """This context's language (see :func:`using_language`), else the process default."""
    return _context_language.get() or _default_language


def set_language(language: str | None) -> str:
    """Set the process default (None: from the environment); returns the language used. A tag without a
    catalogue falls back to English. Code that serves one person should use :func:`using_language` instead."""
    global _default_language
    _default_language = (resolve(language) or SOURCE_LANGUAGE) if language else language_from_environment()
    return _default_language


@contextmanager
def using_language(language: str | None) -> Iterator[str]:
    """Within the block, this thread/task speaks ``language`` (None or unknown: the process default)."""
    token = _context_language.set(resolve(language) if language else None)
    try:
        yield current_language()
    finally:
        _context_language.reset(token)


def switch_language(language: str) -> None:
    """Inside a :func:`using_language` block: speak ``language`` for the rest of the block (the block's end restores
    what was spoken before it). For a handler that changes its form's language half-way through."""
    _context_language.set(resolve(language) or SOURCE_LANGUAGE)


# --- translating --------------------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _translations(language: str, dirs: tuple[Path, ...]) -> gettext.NullTranslations:
    found: gettext.NullTranslations | None = None
    for folder in dirs:
        mo = folder / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if not mo.is_file():
            continue
        with mo.open("rb") as fp:
            catalogue = gettext.GNUTranslations(fp)
        if found is None:
            found = catalogue
        else:
            found.add_fallback(catalogue)
    return found or gettext.NullTranslations()


def translations(language: str | None = None) -> gettext.NullTranslations:
    """The gettext catalogue of ``language`` (default: the current one); English has none."""
    return _translations(language or current_language(), locale_dirs())


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return translations().gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now (translate it later with ``_(text)``)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on a count, with the language's plural rule."""
    return translations().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate ``message`` in ``context``: where one English word has two meanings ("Open" the button, "Open"
    the yes/no column), each meaning is its own entry in the catalogue (``msgctxt``)."""
    return translations().pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """:func:`ngettext` with a context (see :func:`pgettext`)."""
    return translations().npgettext(context, singular, plural, n)


# --- naming, direction, formatting (Babel) ------------------------------------------------------------------


@lru_cache(maxsize=64)
def _locale(tag: str) -> Locale | None:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(_normal(tag))
    except (UnknownLocaleError, ValueError):
        return None


def _formatting_locale(lang: str | None) -> Locale:
    from babel import Locale

    return _locale(lang or current_language()) or Locale("en")


def language_name(lang: str) -> str:
    """The language's name in itself, capitalised: 'Español', 'العربية', 'Русский' (the tag when unknown)."""
    from lessonkit.i18n.languages import lookup

    name, _direction = lookup(_normal(lang))
    if name is None:
        loc = _locale(lang)
        name = loc.get_display_name(loc) if loc is not None else None
    return name[:1].upper() + name[1:] if name else lang


def direction(lang: str | None = None) -> str:
    """'rtl' or 'ltr' for a language tag (default: the current language), from CLDR; unknown tags are 'ltr'."""
    from lessonkit.i18n.languages import lookup

    tag = _normal(lang or current_language())
    _name, found = lookup(tag)
    if found is None:
        loc = _locale(tag)
        found = loc.text_direction if loc is not None else None
    return "rtl" if found == "rtl" else "ltr"


def format_date(value: date | datetime | str, format: str = "medium", lang: str | None = None) -> str:
    """A date as people of the language write it ('3 déc. 2026'); an unreadable string is returned as it is."""
    from babel.dates import format_date as babel_format_date

    parsed = _as_date(value)
    return str(value) if parsed is None else babel_format_date(parsed, format=format, locale=_formatting_locale(lang))


def format_datetime(value: datetime | str, format: str = "medium", lang: str | None = None) -> str:
    """A moment as people of the language write it; an unreadable string is returned as it is."""
    from babel.dates import format_datetime as babel_format_datetime

    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    return babel_format_datetime(moment, format=format, locale=_formatting_locale(lang))


def format_number(value: float | int, lang: str | None = None) -> str:
    """1234.5 -> '1,234.5' / '1.234,5' / '1 234,5' per the language."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_formatting_locale(lang))


def format_list(items: Iterable[str], lang: str | None = None) -> str:
    """['a', 'b', 'c'] -> 'a, b, and c' / 'a, b y c' / 'a، وb وc' per the language."""
    from babel.lists import format_list as babel_format_list

    return babel_format_list(list(items), locale=_formatting_locale(lang))


def _as_date(value: date | datetime | str) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


set_language(None)

__all__ = [
    "DOMAIN",
    "ENV_LANG",
    "ENV_LOCALE_PATH",
    "LOCALE_DIR",
    "N_",
    "SOURCE_LANGUAGE",
    "_",
    "available_languages",
    "current_language",
    "direction",
    "format_date",
    "format_datetime",
    "format_list",
    "format_number",
    "language_from_environment",
    "language_name",
    "locale_dirs",
    "negotiate",
    "ngettext",
    "npgettext",
    "pgettext",
    "refresh",
    "resolve",
    "set_language",
    "translations",
    "switch_language",
    "using_language",
]
