"""Language tags and text held in several languages (one of them the original).

Tags are short BCP-47 codes: a language (``es``), optionally a script (``sr-Latn``) and a region (``pt-BR``,
``es-419``). They are checked and normalised here, at the boundary, so every record stores them the same way.
Text direction is never guessed from the text: it follows the tag (see ``lessonkit.i18n``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lessonkit.errors import ValidationError
from lessonkit.i18n import _

_TAG = re.compile(r"^([a-zA-Z]{2,3})(?:-([a-zA-Z]{4}))?(?:-([a-zA-Z]{2}|[0-9]{3}))?$")
_PREFIX = re.compile(r"^([a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,4}){0,2}):(.*)$", re.DOTALL)


def language_tag(field: str, value: object, *, names: bool = False) -> str:
    """``value`` as a normalised short language tag ("ES" → "es", "pt_br" → "pt-BR"), or a clear error.

    With ``names``, a language's name in English or in itself ("Spanish", "Español") is read as its code too (a
    convening created before languages were codes may list them by name)."""
    text = str(value if value is not None else "").strip().replace("_", "-")
    match = _TAG.match(text)
    if not match and names:
        found = tag_for_name(text)
        match = _TAG.match(found) if found else None
    if not match:
        raise ValidationError(
            field,
            _("'{value}' is not a language code: use a short code such as en, es, fr, pt, ar, ru or pt-BR.").format(
                value=text
            ),
        )
    lang, script, region = match.groups()
    parts = [lang.lower()] + ([script.title()] if script else []) + ([region.upper()] if region else [])
    return "-".join(parts)


# Names people write for the six languages of the kit, in themselves (English names come from CLDR via Babel).
_OWN_NAMES = {
    "english": "en",
    "español": "es",
    "castellano": "es",
    "français": "fr",
    "português": "pt",
    "العربية": "ar",
    "عربي": "ar",
    "русский": "ru",
}


def tag_for_name(name: str) -> str | None:
    """The code of a language named in English ("Spanish") or in itself ("Español"), when known."""
    wanted = name.strip().casefold()
    if wanted in _OWN_NAMES:
        return _OWN_NAMES[wanted]
    try:
        from babel import Locale

        english = Locale("en").languages
    except Exception:  # noqa: BLE001 - Babel missing or without data: names are not understood
        return None
    return next((code for code, label in english.items() if label.casefold() == wanted and "_" not in code), None)


def language_tags(field: str, values: object, *, required: bool = True, names: bool = False) -> tuple[str, ...]:
    """Tags from a list or a comma-separated string, normalised, without repeats, in the order given."""
    if values is None or values == "":
        items: list[object] = []
    elif isinstance(values, str):
        items = [x for x in values.split(",") if x.strip()]
    elif isinstance(values, (list, tuple)):
        items = list(values)
    else:
        raise ValidationError(field, _("give the languages as a list of codes, e.g. en,es,ar."))
    out: list[str] = []
    for item in items:
        tag = language_tag(field, item, names=names)
        if tag not in out:
            out.append(tag)
    if required and not out:
        raise ValidationError(field, _("name at least one language, e.g. en."))
    return tuple(out)


def split_prefixed(value: str, languages: Iterable[str]) -> tuple[str | None, str]:
    """``"es:¿Qué…?"`` → ("es", "¿Qué…?") when ``es`` is one of ``languages``; anything else is plain text.

    A two-letter prefix that is not one of ``languages`` is refused (most likely a language the convening does not
    list yet), so a typo never becomes part of a prompt silently.
    """
    match = _PREFIX.match(value or "")
    if not match:
        return None, value
    prefix, text = match.groups()
    try:
        tag = language_tag("language", prefix)
    except ValidationError:
        return None, value
    known = list(languages)
    if tag in known:
        return tag, text.strip()
    if len(prefix) == 2 and prefix.islower():
        raise ValidationError(
            "language",
            _(
                "'{tag}' is not one of this convening's languages ({known}). Add it to the convening first, or "
                "leave out the '{tag}:' prefix."
            ).format(tag=tag, known=", ".join(known)),
        )
    return None, value


@dataclass(frozen=True)
class Shown:
    """A text chosen for a reader: the words, their language, and whether they are the original (a fallback)."""

    text: str
    language: str
    is_original: bool
    fallback: bool = False  # the reader's language was wanted but is missing: the original is shown instead


def pick(original: str, original_language: str, translations: Mapping[str, str], wanted: str | None) -> Shown:
    """The text in ``wanted`` when there is one, else the original (marked as a fallback)."""
    if not wanted or wanted == original_language:
        return Shown(original, original_language, True)
    for tag in (wanted, wanted.split("-")[0]):
        text = (translations.get(tag) or "").strip()
        if text:
            return Shown(text, tag, False)
        if tag == original_language:
            return Shown(original, original_language, True)
    return Shown(original, original_language, True, fallback=True)


def texts(field: str, value: object, base: str, *, max_length: int, required: bool = True) -> dict[str, str]:
    """A text given once (a string, in the ``base`` language) or per language (``{"en": …, "es": …}``), as a
    mapping language → text that always holds ``base`` (empty only when not ``required``)."""
    from lessonkit.domain import validation as v

    if isinstance(value, dict):
        out = {}
        for lang, text in value.items():
            tag = language_tag(field, lang)
            out[tag] = v.text(f"{field}.{tag}", text, max_length=max_length, required=False)
        if required and not out.get(base):
            raise ValidationError(
                field, _("give the text in '{lang}', the rubric's own language, too.").format(lang=base)
            )
        out.setdefault(base, "")
        return {k: t for k, t in out.items() if t or k == base}
    return {base: v.text(field, value, max_length=max_length, required=required)}


def text_in(by_language: dict[str, str], base: str, wanted: str | None) -> str:
    """The text for a reader of ``wanted`` (or its base language), else the ``base`` language's."""
    for tag in (wanted or "", (wanted or "").split("-")[0]):
        if tag and by_language.get(tag):
            return by_language[tag]
    return by_language.get(base, "")
