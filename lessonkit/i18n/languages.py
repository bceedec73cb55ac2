"""Each language's name in itself and its writing direction, precomputed from Babel's CLDR data.

Loading CLDR data for one locale costs a participant kernel 1–5 MB and 15–80 ms; the picker needs only names and
a direction. ``languages.json`` holds them for every language (and language-with-script) CLDR knows, so forms load
12 kB instead; tags not in it (``pt_BR``) are asked of Babel. Regenerate after upgrading Babel::

    python -m lessonkit.i18n.languages
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "languages.json"


def _is_language(identifier: str) -> bool:
    """'fr', 'sr_Latn' (a language, or a language in a script), not 'fr_CA' (a territory's variant)."""
    parts = identifier.split("_")
    return len(parts) == 1 or (len(parts) == 2 and len(parts[1]) == 4 and parts[1][:1].isupper())


def build() -> dict[str, list[str]]:
    """{tag: [name in itself, "ltr"|"rtl"]} for every CLDR language, from Babel."""
    from babel import Locale, localedata

    table: dict[str, list[str]] = {}
    for identifier in sorted(filter(_is_language, localedata.locale_identifiers())):
        locale = Locale.parse(identifier)
        name = locale.get_display_name(locale) or identifier
        table[identifier] = [name[:1].upper() + name[1:], locale.text_direction]
    return table


@lru_cache(maxsize=1)
def table() -> dict[str, list[str]]:
    try:
        return dict(json.loads(TABLE.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def lookup(tag: str) -> tuple[str | None, str | None]:
    """(name, direction) of a normalised tag ('pa_Arab_PK'): the name only for a listed tag, the direction from
    the tag, its language-and-script or its language (a territory never changes the direction)."""
    parts = tag.split("_")
    candidates = [tag, *(["_".join(parts[:2])] if len(parts) > 2 else []), parts[0]]
    known = table()
    own = known.get(tag)
    direction = next((known[c][1] for c in candidates if c in known), None)
    return (own[0] if own else None), direction


def main() -> None:
    data = build()
    TABLE.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n", "utf-8")
    print(f"Wrote {TABLE} ({len(data)} languages)")


if __name__ == "__main__":
    main()
