"""The "Themes" section of the live board: each accepted theme with its label, how many notes it holds and their
words, as the board's audience may see them (the disclosure layer decided which notes and which words). Escaped."""

from __future__ import annotations

from collections.abc import Sequence

from lessonkit.i18n import _, ngettext
from lessonkit.services.disclosure import ShownTheme
from lessonkit.ui.content_html import lang_attrs
from lessonkit.ui.html import esc, excerpt


def theme_card(shown: ShownTheme) -> str:
    count = esc(ngettext("{n} note", "{n} notes", len(shown.notes)).format(n=len(shown.notes)))
    items = "".join(
        f'<li{lang_attrs(s.note.language)} style="margin:.15em 0">{esc(excerpt(s.note.text, 120))}</li>'
        for s in shown.notes
    )
    return (
        '<section class="lk-theme" style="margin:.4em 0;padding:.4em .6em;border-left:4px solid #6a1b9a;'
        'background:#f3e5f5">'
        f'<h4 dir="auto" style="margin:.1em 0;font-size:1.2em">{esc(shown.label)} '
        f'<span class="lk-count" style="font-weight:normal;font-size:.8em">({count})</span></h4>'
        f'<ul style="margin:.2em 0 0 1.2em;padding:0">{items}</ul></section>'
    )


def themes_html(themes: Sequence[ShownTheme]) -> str:
    """The accepted themes ('' when there are none yet, so the board shows nothing)."""
    if not themes:
        return ""
    title = esc(_("Themes"))
    return f'<div class="lk-themes"><h3 style="margin:.6em 0 .2em">{title}</h3>{"".join(map(theme_card, themes))}</div>'
