"""The render step of a report: plain blocks (headings, paragraphs, lists, tables) as HTML and Markdown.

A report notebook shows one :class:`Part` per cell. A part carries its blocks as ``text/html`` (every value escaped)
and ``text/markdown`` (Markdown specials escaped), so nbconvert's HTML and Markdown exporters both find what they
need; a :class:`Chart` carries a PNG; a :class:`CoverPart` also carries its data under ``COVER_MIME`` for the
lessonkit template. Block types are shared with the memorandum's own export (:mod:`lessonkit.export.mou_text`).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence
from typing import Any

from lessonkit.export.mou_text import Block, Bullets, Heading, Para, Table, md_escape
from lessonkit.export.report_data import COVER_MIME, Cover
from lessonkit.i18n import _

__all__ = ["Block", "Bullets", "Chart", "CoverPart", "Heading", "Para", "Part", "Table"]


def _html_block(block: Block) -> str:
    """HTML of a block; each paragraph, item and cell takes its direction from its own text (dir="auto"), so that a
    participant's words in another script keep their order inside a report in any language."""
    e = html.escape
    if isinstance(block, Heading):
        level = min(max(block.level, 0) + 1, 6)  # level 0 (h1) is the cover's title
        return f"<h{level}>{e(block.text)}</h{level}>"
    if isinstance(block, Para):
        text = e(block.text).replace("\n", "<br>")
        return f'<p class="lk-note" dir="auto">{text}</p>' if block.emphasis else f'<p dir="auto">{text}</p>'
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f'<li dir="auto">{e(i)}</li>'.replace("\n", "<br>") for i in block.items) + "</ul>"
    head = "".join(f"<th>{e(h)}</th>" for h in block.headers)
    rows = "".join(
        "<tr>" + "".join(f'<td dir="auto">{e(c)}</td>'.replace("\n", "<br>") for c in row) + "</tr>"
        for row in block.rows
    )
    return f'<table class="lk-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _md_block(block: Block) -> str:
    if isinstance(block, Heading):
        return "#" * min(block.level + 1, 6) + " " + md_escape(block.text)
    if isinstance(block, Para):
        text = md_escape(block.text).replace("\n", "  \n")
        return f"*{text}*" if block.emphasis else text
    if isinstance(block, Bullets):
        return "\n".join("- " + md_escape(i).replace("\n", " ") for i in block.items)
    head = "| " + " | ".join(md_escape(h) for h in block.headers) + " |"
    rule = "|" + "---|" * len(block.headers)
    rows = ["| " + " | ".join(md_escape(c).replace("\n", " ") for c in row) + " |" for row in block.rows]
    return "\n".join([head, rule, *rows])


def _plain_block(block: Block) -> str:
    if isinstance(block, Heading):
        return block.text.upper() if block.level <= 1 else block.text
    if isinstance(block, Para):
        return block.text
    if isinstance(block, Bullets):
        return "\n".join(f"- {i}" for i in block.items)
    return "\n".join([" | ".join(block.headers), *(" | ".join(r) for r in block.rows)])


class Part:
    """A piece of a report, shown by a notebook cell."""

    def __init__(self, blocks: Iterable[Block]) -> None:
        self.blocks: tuple[Block, ...] = tuple(blocks)

    def html(self) -> str:
        return '<div class="lk-part">' + "\n".join(_html_block(b) for b in self.blocks) + "</div>"

    def markdown(self) -> str:
        return "\n\n".join(_md_block(b) for b in self.blocks)

    def plain(self) -> str:
        return "\n\n".join(_plain_block(b) for b in self.blocks)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"text/html": self.html(), "text/markdown": self.markdown(), "text/plain": self.plain()}

    def __repr__(self) -> str:
        return self.plain()


class CoverPart(Part):
    """The cover: title, convening, session, date, privacy level, what was withheld and redacted."""

    def __init__(self, cover: Cover) -> None:
        self.cover = cover
        rows = tuple((label, value) for label, value in cover.rows())
        blocks: list[Block] = [Heading(0, cover.title), Table((_("About this report"), ""), rows)]
        blocks += [Para(n, emphasis=True) for n in cover.notes]
        super().__init__(blocks)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {COVER_MIME: self.cover.to_dict(), **super()._repr_mimebundle_(include, exclude)}


class Chart:
    """A chart as a PNG image (embedded in the HTML and PDF; a file beside a Markdown report)."""

    def __init__(self, png: bytes, alt: str) -> None:
        self.png = png
        self.alt = alt

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.alt}

    def __repr__(self) -> str:
        return self.alt


def message(text: str) -> Part:
    """A part that only says something (e.g. "nothing to show at this level")."""
    return Part([Para(text, emphasis=True)])


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> Table:
    """A Table block from any values (None becomes '')."""
    return Table(tuple(headers), tuple(tuple("" if c is None else str(c) for c in row) for row in rows))
