"""A one-page tactic brief: what of a module fits on one printed page, shortened where it must be.

The brief keeps the module's summary, how to use it (or, without that section, the start of its overview), why it
worked or failed, its risks and cautions, its context notes, its signals, its lineage in one line, its sources and
its licence and attribution. Markdown becomes plain text (links keep their words; the toolbox's "(see: …)" cross-
references go). Longer texts are cut at a sentence or a word and marked with "…"; ``budget`` is the number of
characters the texts may take together, so a printer can ask again with less when a page overflows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lessonkit.domain.library import Module
from lessonkit.domain.modules import CONTEXT_FIELDS

#: the sections a brief shows, in order; ``overview`` only stands in when there is no ``how_to_use``
SECTIONS = ("how_to_use", "why_it_worked", "why_it_failed", "risks")
DEFAULT_BUDGET = 5000
SUMMARY_LIMIT = 520
NOTE_LIMIT = 260
MAX_SIGNALS = 5
MAX_LINKS = 3
MIN_SHARE = 160  # no section is cut shorter than this while the budget allows

_SEE = re.compile(r"\s*\((?:see|cf\.?)\s*:?\s*(?:[^()]|\([^()]*\))*\)", re.IGNORECASE)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_BOLD = re.compile(r"(\*\*|__)(.+?)\1")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_TAG = re.compile(r"<[^>]+>")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_LINK_LINE = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


@dataclass(frozen=True)
class LineageStep:
    """One step of a module's lineage: ``up`` to a module it was derived from, ``down`` to one derived from it."""

    direction: str  # "up" | "down"
    title: str
    mode: str  # a TransferMode value


@dataclass(frozen=True)
class BriefSection:
    key: str  # a section key of the module (its heading is translated where the brief is rendered)
    lines: tuple[str, ...]  # paragraphs; a line starting with "• " is a list item
    shortened: bool


@dataclass(frozen=True)
class Brief:
    slug: str
    title: str
    type: str
    risk: str
    status: str
    sensitivity: str
    summary: str
    sections: tuple[BriefSection, ...]
    context: tuple[tuple[str, str], ...]  # (context key, note)
    signals: tuple[str, ...]
    lineage: tuple[LineageStep, ...]  # shown on one line
    source_url: str
    links: tuple[tuple[str, str], ...]  # (title, url) from the module's "learn more"
    authors: str
    attribution: str
    licence: str
    funding: str
    shortened: bool  # anything was cut: the licence asks to say so


def plain_lines(markdown: str) -> list[str]:
    """Markdown as plain paragraphs and "• " list items (no markup, no links, no cross-references)."""
    text = _IMAGE.sub("", markdown)
    text = _SEE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(" ".join(paragraph))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("```") or line.startswith("~~~"):
            continue
        line = re.sub(r"^#{1,6}\s*", "", line).lstrip("> ").strip()
        if not line:
            flush()
            continue
        if _BULLET.match(raw):
            flush()
            out.append("• " + _BULLET.sub("", raw).strip())
            continue
        if out and out[-1].startswith("• ") and not paragraph and raw[:1].isspace():
            out[-1] += " " + line  # a list item's continuation
            continue
        paragraph.append(line)
    flush()
    cleaned = [_ITALIC.sub(r"\1", _BOLD.sub(r"\2", " ".join(p.split()))) for p in out]
    return [p for p in cleaned if p.strip("• ")]


def clip(text: str, limit: int) -> tuple[str, bool]:
    """``text`` cut to at most ``limit`` characters at a sentence end (or a word) with " …"; and whether it was cut."""
    if len(text) <= limit:
        return text, False
    room = text[: max(limit - 2, 1)]
    ends = [m.end() for m in re.finditer(r"[.!?…][\"'”’)]?\s", room)]
    if ends and ends[-1] >= 0.6 * limit:
        cut = room[: ends[-1]].rstrip()
    else:
        cut = room.rsplit(" ", 1)[0].rstrip(",;:–— ") if " " in room else room
    return cut + " …", True


def clip_lines(lines: list[str], limit: int) -> tuple[tuple[str, ...], bool]:
    """Whole paragraphs while they fit, then the next one clipped; whether anything was left out."""
    kept: list[str] = []
    left = limit
    for line in lines:
        if len(line) <= left:
            kept.append(line)
            left -= len(line) + 1
            continue
        if left >= 60 or not kept:
            kept.append(clip(line, max(left, 40))[0])
        return tuple(kept), True
    return tuple(kept), False


def allocate(lengths: list[int], budget: int) -> list[int]:
    """Share ``budget`` among texts of ``lengths``: short ones whole, the rest equally (water filling)."""
    shares = [0] * len(lengths)
    open_ = [i for i, n in enumerate(lengths) if n > 0]
    left = budget
    while open_:
        fair = max(left // len(open_), MIN_SHARE)
        small = [i for i in open_ if lengths[i] <= fair]
        if not small:
            for i in open_:
                shares[i] = fair
            break
        for i in small:
            shares[i] = lengths[i]
            left -= lengths[i]
        open_ = [i for i in open_ if i not in small]
    return shares


def chosen_sections(module: Module) -> list[str]:
    keys = [k for k in SECTIONS if module.section(k).strip()]
    if "how_to_use" not in keys and module.section("overview").strip():
        keys.insert(0, "overview")
    return keys


def learn_more_links(module: Module) -> tuple[tuple[str, str], ...]:
    found = [(t.strip() or url, url.strip()) for t, url in _LINK_LINE.findall(module.section("learn_more"))]
    return tuple(found[:MAX_LINKS])


def signal_line(what: str, value: float | None, unit: str, baseline: float | None, source: str) -> str:
    shown = "" if value is None else f"{value:g} {unit}".strip()
    base = "" if baseline is None else f" ({baseline:g})"
    parts = [f"{what}: {shown}{base}".rstrip(": "), source]
    return clip(" — ".join(p for p in parts if p), 200)[0]


def make_brief(module: Module, lineage: tuple[LineageStep, ...] = (), budget: int = DEFAULT_BUDGET) -> Brief:
    """The brief of ``module``; its texts take at most about ``budget`` characters together."""
    summary, cut_summary = clip(" ".join(module.summary.split()), SUMMARY_LIMIT)
    context = tuple(
        (k, clip(" ".join(t.split()), NOTE_LIMIT)[0]) for k, t in module.context.items() if k in CONTEXT_FIELDS
    )
    signals = tuple(signal_line(s.what, s.value, s.unit, s.baseline, s.source) for s in module.signals[:MAX_SIGNALS])
    used = len(summary) + sum(len(t) + 30 for _k, t in context) + sum(len(s) + 10 for s in signals)
    keys = chosen_sections(module)
    texts = [plain_lines(module.section(k)) for k in keys]
    shares = allocate([sum(len(line) + 1 for line in t) for t in texts], max(budget - used, MIN_SHARE * len(keys)))
    sections = []
    for key, lines, share in zip(keys, texts, shares, strict=True):
        kept, cut = clip_lines(lines, share)
        if kept:
            sections.append(BriefSection(key, kept, cut))
    authors = ", ".join(f"{a.name} ({a.organisation})" if a.organisation else a.name for a in module.authors)
    return Brief(
        slug=module.slug,
        title=module.title,
        type=module.type.value,
        risk=module.risk_level.value,
        status=module.status.value,
        sensitivity=module.sensitivity.value,
        summary=summary,
        sections=tuple(sections),
        context=context,
        signals=signals,
        lineage=lineage,
        source_url=module.source_url,
        links=learn_more_links(module),
        authors=authors,
        attribution=module.attribution,
        licence=module.licence,
        funding=clip(module.funding, 200)[0],
        shortened=cut_summary
        or any(s.shortened for s in sections)
        or len(sections) < len(keys)
        or any(k not in keys for k in module.sections if k not in ("learn_more", "origins")),
    )
