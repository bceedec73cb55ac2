"""Split a Markdown body into sections at its ``## `` headings (and put it back together)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^## (?!#)(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")

# Headings that mean the same thing, mapped to the module's own section keys.
SECTION_ALIASES: dict[str, str] = {
    "overview": "overview",
    "summary": "overview",
    "problem": "problem",
    "problem statement": "problem",
    "the problem": "problem",
    "activities": "activities",
    "what we did": "activities",
    "outcomes": "outcomes",
    "results": "outcomes",
    "why it worked": "why_it_worked",
    "why it failed": "why_it_failed",
    "why it did not work": "why_it_failed",
    "potential risks": "risks",
    "risks": "risks",
    "cautions": "risks",
    "cautions and potential risks": "risks",
    "how to use": "how_to_use",
    "origins": "origins",
    "origin": "origins",
    "learn more": "learn_more",
}


@dataclass(frozen=True)
class Section:
    heading: str  # as written ("" for the text before the first heading)
    key: str  # the module's section key ("overview" for the text before the first heading)
    text: str


def section_key(heading: str) -> str:
    """The section key for a heading: a known alias, else the heading in lower case with underscores."""
    plain = re.sub(r"[^\w\s]", "", heading, flags=re.UNICODE).strip().lower()
    plain = re.sub(r"\s+", " ", plain)
    if plain in SECTION_ALIASES:
        return SECTION_ALIASES[plain]
    return re.sub(r"\W+", "_", plain).strip("_") or "section"


def split_sections(body: str) -> list[Section]:
    """The body's sections in order; the text before the first ``## `` heading is the "overview".

    Only level-two headings split (``###`` and deeper stay inside their section); headings inside fenced code
    blocks are text. Empty sections are dropped.
    """
    sections: list[Section] = []
    heading, key, lines = "", "overview", []  # type: ignore[var-annotated]
    in_fence = False
    for line in body.replace("\r\n", "\n").split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match:
            sections.append(Section(heading, key, "\n".join(lines).strip()))
            heading = match.group(1).strip()
            key, lines = section_key(heading), []
        else:
            lines.append(line)
    sections.append(Section(heading, key, "\n".join(lines).strip()))
    return [s for s in sections if s.text]


def sections_by_key(body: str) -> dict[str, str]:
    """Sections keyed by section key, in order; two sections with one key are joined by a blank line."""
    out: dict[str, str] = {}
    for section in split_sections(body):
        out[section.key] = f"{out[section.key]}\n\n{section.text}" if section.key in out else section.text
    return out


def join_sections(sections: dict[str, str], headings: dict[str, str]) -> str:
    """Markdown again: the overview first, then ``## Heading`` and text for every other section."""
    parts = [sections["overview"]] if sections.get("overview") else []
    for key, text in sections.items():
        if key == "overview" or not text:
            continue
        parts.append(f"## {headings.get(key, key.replace('_', ' ').capitalize())}\n\n{text}")
    return "\n\n".join(parts)
