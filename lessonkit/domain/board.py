"""What the live board shows: visible notes grouped by category, with counts and tags."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lessonkit.domain.levels import Category, Moderation
from lessonkit.domain.records import Note


@dataclass
class CategoryGroup:
    category: Category
    notes: list[Note] = field(default_factory=list)
    merged_counts: dict[int, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.notes)


@dataclass
class BoardSummary:
    groups: list[CategoryGroup]
    tags: list[tuple[str, int]]
    total: int
    hidden: int


def summarize(notes: list[Note]) -> BoardSummary:
    """Group visible notes by category (newest first); count tags and notes merged into each note."""
    visible = [n for n in notes if n.moderation is Moderation.VISIBLE]
    merged = Counter(n.merged_into for n in notes if n.moderation is Moderation.MERGED and n.merged_into)
    groups = []
    for category in Category:
        members = sorted((n for n in visible if n.category is category), key=lambda n: n.created, reverse=True)
        counts = {n.id: merged[n.id] for n in members if n.id is not None and n.id in merged}
        groups.append(CategoryGroup(category, members, counts))
    tag_counts = Counter(t for n in visible for t in n.tags)
    return BoardSummary(
        groups=groups,
        tags=sorted(tag_counts.items(), key=lambda kv: (-kv[1], kv[0])),
        total=len(visible),
        hidden=sum(1 for n in notes if n.moderation is Moderation.HIDDEN),
    )
