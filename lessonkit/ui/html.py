"""Small HTML helpers for widgets.HTML. Participant text is data, never markup: it always goes via ``esc``.

Only fixed markup written here (tags, class names, inline styles) is trusted; every value that came from a
person or from the store is escaped, including attribute values.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from lessonkit.domain.levels import Sensitivity, level_name
from lessonkit.i18n import _

# Badge colours per sensitivity: the more private, the warmer.
_BADGE_COLOURS = {
    Sensitivity.PUBLIC: "#2e7d32",
    Sensitivity.NETWORK: "#1565c0",
    Sensitivity.CONVENING: "#6a1b9a",
    Sensitivity.RESTRICTED: "#b71c1c",
}


def esc(text: object) -> str:
    """``text`` made safe to place inside HTML text or a quoted attribute (None becomes '')."""
    return html.escape("" if text is None else str(text), quote=True)


def excerpt(text: str, limit: int = 60) -> str:
    """One line of at most ``limit`` characters, for dropdowns and confirmations (not escaped)."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def tag_chips(tags: Iterable[str], counts: dict[str, int] | None = None) -> str:
    """Tags as small rounded chips, optionally with a count after each."""
    chips = []
    for tag in tags:
        count = f" <b>{int(counts[tag])}</b>" if counts and tag in counts else ""
        chips.append(
            '<span class="lk-tag" style="display:inline-block;margin:0 .3em .2em 0;padding:0 .5em;'
            f'border-radius:.8em;background:#eceff1;font-size:.85em">#{esc(tag)}{count}</span>'
        )
    return "".join(chips)


def sensitivity_badge(level: Sensitivity) -> str:
    colour = _BADGE_COLOURS.get(level, "#455a64")
    title = esc(_("sensitivity"))
    return (
        f'<span class="lk-badge lk-{esc(level.value)}" title="{title}" '
        f'style="display:inline-block;padding:0 .4em;border-radius:.3em;color:#fff;font-size:.75em;'
        f'background:{colour}">{esc(level_name(level))}</span>'
    )


def message(text: str, kind: str = "info") -> str:
    """A status line: kind is 'ok', 'error' or 'info'. ``text`` is escaped."""
    colours = {"ok": ("#1b5e20", "#e8f5e9"), "error": ("#b71c1c", "#ffebee"), "info": ("#263238", "#eceff1")}
    fg, bg = colours.get(kind, colours["info"])
    role = "alert" if kind == "error" else "status"
    return (
        f'<div class="lk-msg lk-{esc(kind)}" role="{role}" style="max-width:40em;padding:.5em .8em;'
        f'margin:.4em 0;border-radius:.3em;color:{fg};background:{bg}">{esc(text)}</div>'
    )


def table(headers: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """A plain HTML table; every header and cell is escaped."""
    head = "".join(f'<th style="text-align:left;padding:.2em .6em">{esc(h)}</th>' for h in headers)
    cell = '<td style="padding:.2em .6em;vertical-align:top">{}</td>'
    body = "".join("<tr>" + "".join(cell.format(esc(c)) for c in row) + "</tr>" for row in rows)
    return (
        f'<table class="lk-table" style="border-collapse:collapse"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def heading(text: str, level: int = 3) -> str:
    level = min(max(int(level), 1), 6)
    return f"<h{level}>{esc(text)}</h{level}>"
