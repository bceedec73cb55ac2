"""Catalogues built at test time (never shipped): a pseudo-locale that wraps every message in ⟦…⟧, and a finder
of visible English that did not pass through ``_()``."""

from __future__ import annotations

import html.parser
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog

from lessonkit.i18n import catalogs

OPEN, CLOSE = "⟦", "⟧"

# Visible English that stays English on purpose, each with its reason.
KEPT_ENGLISH = {
    "lessonkit": "the program's name",
    "English": "the language picker names each language in itself",
}


@lru_cache(maxsize=1)
def fresh_template() -> Catalog:
    """A fresh extraction of the code's messages (about a second; done once per test session)."""
    return catalogs.extract()


def pseudo(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}"


_KEEP = re.compile(r"(\{[^{}]*\}|%\([A-Za-z_]\w*\)[sdifr]|%[sdifr])")  # placeholders stay as they are


def pseudo_letters(text: str) -> str:
    """⟦message⟧ with every Latin letter of the message turned full-width (Ａ…ｚ), placeholders kept: a Latin word
    in the output is then English that skipped the catalogue, even a value put *into* a translated message (an
    English code such as 'convening' in "up to '{level}'")."""
    parts = _KEEP.split(text)
    return pseudo("".join(p if i % 2 else _full_width(p) for i, p in enumerate(parts)))


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c for c in text)


def build_catalogue(
    folder: Path,
    lang: str,
    translate: Callable[[str], str] = pseudo,
    template: Catalog | None = None,
    keep: Callable[[str], bool] = lambda _msgid: True,
) -> Path:
    """``folder/<lang>/LC_MESSAGES/lessonkit.po`` and its ``.mo``: every message of ``template`` (default: a fresh
    extraction) for which ``keep`` is true translated by ``translate``, with ``lang``'s plural rule."""
    source = template or fresh_template()
    catalog = Catalog(locale=Locale.parse(lang), project="lessonkit", fuzzy=False)
    for msg in source:
        if not msg.id:
            continue
        first = msg.id if isinstance(msg.id, str) else msg.id[0]
        if not keep(first):
            string: Any = ("",) * catalog.num_plurals if isinstance(msg.id, (tuple, list)) else ""
        elif isinstance(msg.id, (tuple, list)):
            string = (translate(msg.id[0]), *[translate(msg.id[1])] * (catalog.num_plurals - 1))
        else:
            string = translate(msg.id)
        catalog.add(msg.id, string, list(msg.locations), flags=msg.flags, context=msg.context)
    path = catalogs.po_path(lang, folder)
    catalogs._write_po(catalog, path)
    catalogs.compile_po(path)
    return path


# --- finding English that was not translated ----------------------------------------------------------------

_INNER = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
_WORD = re.compile(r"[A-Za-z]{2,}")


def untranslated(text: str, allowed: Iterable[str] = (), *, inside: bool = False) -> list[str]:
    """English words of ``text`` outside every ⟦…⟧ (nested ones too), apart from ``allowed`` words and
    KEPT_ENGLISH; with ``inside`` (for a catalogue made by :func:`pseudo_letters`) the words inside ⟦…⟧ too: the
    messages' own letters are full-width there, so a Latin word is a value that skipped the catalogue."""
    if not inside:
        previous = None
        while previous != text:
            previous, text = text, _INNER.sub(" ", text)
    ok = {w.lower() for w in (*KEPT_ENGLISH, *allowed)}
    return [w for w in _WORD.findall(text) if w.lower() not in ok]


class _TextNodes(html.parser.HTMLParser):
    """The text a person sees or hears in an HTML fragment: text nodes and title/alt/aria-label/placeholder."""

    SPOKEN = ("title", "alt", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        self.texts += [v for k, v in attrs if k in self.SPOKEN and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(data)


def html_texts(fragment: str) -> list[str]:
    parser = _TextNodes()
    parser.feed(fragment)
    return parser.texts


def widget_texts(widget: Any) -> list[tuple[str, str]]:
    """(where, text) for every text a widget tree shows: descriptions, placeholders, tooltips, option labels,
    button texts and the text of HTML widgets. What a person typed (text field values) is not included."""
    import ipywidgets as widgets

    found: list[tuple[str, str]] = []

    def walk(w: Any, path: str) -> None:
        name = f"{path}/{type(w).__name__}"
        for attr in ("description", "placeholder", "tooltip"):
            value = getattr(w, attr, None)
            if isinstance(value, str) and value.strip():
                found.append((f"{name}.{attr}", value))
        if isinstance(w, (widgets.HTML, widgets.HTMLMath, widgets.Label)):
            found.extend((f"{name}.value", t) for t in html_texts(w.value))
        for label in getattr(w, "_options_labels", ()) or ():
            found.append((f"{name}.option", str(label)))
        for i, child in enumerate(getattr(w, "children", ()) or ()):
            walk(child, f"{name}[{i}]")

    walk(widget, "")
    return found


def leaks(widget: Any, allowed: Iterable[str] = (), *, inside: bool = False) -> list[str]:
    """Texts of ``widget`` holding English that did not pass through ``_()`` (``inside``: see :func:`untranslated`)."""
    allowed = list(allowed)
    return [
        f"{where}: {text!r}" for where, text in widget_texts(widget) if untranslated(text, allowed, inside=inside)
    ]
