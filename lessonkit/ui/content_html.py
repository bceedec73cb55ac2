"""HTML for content held in several languages: prompts with an "original" mark, language badges, a note's
translations beside it, and the glossary terms a text uses.

Every piece of text carries the ``lang`` of the language it is written in and the ``dir`` that language takes (from
its tag, never guessed from the text), so a screen reader pronounces it right and Arabic runs right to left inside
an English page. All values are escaped.
"""

from __future__ import annotations

from collections.abc import Iterable

from lessonkit.domain.glossary import GlossaryTerm
from lessonkit.domain.language import Shown
from lessonkit.domain.records import Note, Session
from lessonkit.i18n import _, direction, language_name
from lessonkit.ui.html import esc


def lang_attrs(tag: str | None) -> str:
    """` lang="…" dir="…"` for text in language ``tag`` (just `dir="auto"` when the language is unknown)."""
    if not tag:
        return ' dir="auto"'
    return f' lang="{esc(tag)}" dir="{esc(direction(tag))}"'


def original_mark(shown: Shown) -> str:
    """A small mark on text shown in its original language because the reader's is missing."""
    if not shown.fallback:
        return ""
    label = _("original, {language}").format(language=language_name(shown.language))
    return (
        f' <small class="lk-original" style="color:#546e7a;font-size:.75em;border:1px solid #b0bec5;'
        f'border-radius:.3em;padding:0 .3em">{esc(label)}</small>'
    )


def shown_html(shown: Shown) -> str:
    """The text in a ``<span>`` with its language, and the "original" mark when it is a fallback."""
    return f"<span{lang_attrs(shown.language)}>{esc(shown.text)}</span>{original_mark(shown)}"


def prompt_items(session: Session, language: str | None, style: str = "") -> str:
    """The session's prompts as ``<li>`` items, each in the reader's language or the original (marked)."""
    attr = f' style="{esc(style)}"' if style else ""
    return "".join(f"<li{attr}>{shown_html(p)}</li>" for p in session.prompts_in(language))


def language_badge(tag: str) -> str:
    """A small badge naming the language a note is written in ("ES"; a screen reader hears the full name)."""
    if not tag:
        return ""
    name = language_name(tag)
    spoken = _("written in {language}").format(language=name)
    return (
        f'<span class="lk-lang" title="{esc(name)}" style="display:inline-block;padding:0 .35em;border-radius:.3em;'
        'border:1px solid #78909c;color:#37474f;font-size:.75em;font-family:monospace">'
        f'<span aria-hidden="true">{esc(tag.upper())}</span>'
        '<span style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap">'
        f"{esc(spoken)}</span></span>"
    )


def translations_html(note: Note, texts: Iterable[str] | None = None) -> str:
    """A note's human translations, each beside the original with its language and translator.

    ``texts`` replaces the translations' words (e.g. redacted for a report), in the same order."""
    items = list(note.translations)
    if not items:
        return ""
    words = list(texts) if texts is not None else [t.text for t in items]
    rows = []
    for t, text in zip(items, words, strict=True):
        who = _("translated by {who}").format(who=t.by)
        rows.append(
            f'<div class="lk-translation" style="margin:.2em 0 0 .8em;color:#37474f">{language_badge(t.language)} '
            f'<span{lang_attrs(t.language)} style="white-space:pre-wrap">{esc(text)}</span> '
            f'<small style="color:#607d8b">({esc(who)})</small></div>'
        )
    return "".join(rows)


def terms_html(terms: Iterable[GlossaryTerm], language: str | None) -> str:
    """The glossary terms used above, as a short visible list (not a hover-only tooltip): term, what an acronym
    stands for, and the definition in the reader's language or the original (marked)."""
    items = []
    for term in terms:
        entry, fallback = term.shown(language)
        expansion = f" ({esc(entry.expansion)})" if entry.expansion else ""
        mark = original_mark(Shown(entry.definition, entry.language, True, fallback=fallback))
        items.append(
            f"<dt{lang_attrs(entry.language)} style='font-weight:bold;margin-top:.3em'>{esc(entry.term)}{expansion}"
            f"</dt><dd{lang_attrs(entry.language)} style='margin:0 0 0 1em'>{esc(entry.definition)}{mark}</dd>"
        )
    if not items:
        return ""
    heading = esc(_("Terms used here"))
    return (
        f'<div class="lk-terms" role="note" style="max-width:40em;font-size:.9em;background:#f5f7f8;'
        f'padding:.3em .7em;border-radius:.3em"><b>{heading}</b><dl style="margin:.2em 0">{"".join(items)}</dl></div>'
    )
