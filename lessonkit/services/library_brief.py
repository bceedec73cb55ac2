"""Which modules get a printed brief, with their lineage: the library's side of ``lessonkit library brief``.

A brief leaves the laptop on paper, so a module goes out only up to a level, like ``library export``: ``network`` by
default (a module marked convening or restricted stays here unless asked).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from lessonkit.domain.brief import LineageStep
from lessonkit.domain.levels import Sensitivity, parse_enum
from lessonkit.domain.library import Module
from lessonkit.errors import ValidationError
from lessonkit.i18n import _
from lessonkit.services.library import get_module, list_modules
from lessonkit.services.library_search import lineage
from lessonkit.store.base import Store


@dataclass(frozen=True)
class BriefSource:
    module: Module
    lineage: tuple[LineageStep, ...]


@dataclass
class BriefSelection:
    sources: list[BriefSource] = field(default_factory=list)
    held_back: list[str] = field(default_factory=list)  # slugs more sensitive than the level asked


def lineage_steps(store: Store, slug: str) -> tuple[LineageStep, ...]:
    """Direct parents and modules derived directly from this one (a brief has one line for them)."""
    found = lineage(store, slug)
    ups = [
        LineageStep("up", s.module.title if s.module else s.slug, s.mode.value) for s in found.ancestors if s.depth == 1
    ]
    downs = [
        LineageStep("down", s.module.title if s.module else s.slug, s.mode.value)
        for s in found.descendants
        if s.depth == 1
    ]
    return tuple(ups + downs)


def _level(up_to: Sensitivity | str) -> Sensitivity:
    return parse_enum(Sensitivity, "up_to", up_to)  # type: ignore[return-value]


def brief_source(store: Store, slug: str, up_to: Sensitivity | str = Sensitivity.NETWORK) -> BriefSource:
    """One module for a brief; a module more sensitive than ``up_to`` is refused with what to do."""
    module = get_module(store, slug)
    level = _level(up_to)
    if module.sensitivity.rank > level.rank:
        raise ValidationError(
            "level",
            _(
                "'{slug}' is marked {sensitivity}: a printed brief of it may go no further than that. Ask for it "
                "with --up-to {sensitivity} if the paper stays with those who may read it."
            ).format(slug=module.slug, sensitivity=module.sensitivity.value),
        )
    return BriefSource(module, lineage_steps(store, module.slug))


def brief_sources(
    store: Store, slugs: Iterable[str] | None = None, up_to: Sensitivity | str = Sensitivity.NETWORK
) -> BriefSelection:
    """The modules named (every module when None) that may go out at ``up_to``; the others are held back."""
    level = _level(up_to)
    modules = list_modules(store) if slugs is None else [get_module(store, s) for s in slugs]
    chosen = BriefSelection()
    for module in modules:
        if module.sensitivity.rank > level.rank:
            chosen.held_back.append(module.slug)
        else:
            chosen.sources.append(BriefSource(module, lineage_steps(store, module.slug)))
    return chosen
