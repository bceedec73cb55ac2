"""Find modules: full text with filters, related modules both ways, and lineage up and down."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from lessonkit.domain.levels import parse_enum
from lessonkit.domain.library import Module
from lessonkit.domain.modules import LineageLink, ModuleType, ReviewStatus, RiskLevel, TransferMode
from lessonkit.services.library import _load, get_module
from lessonkit.store.base import Store

Filter = str | Enum | Iterable[str | Enum] | None


def _choices(enum: type[Enum], field: str, value: Filter) -> set[Enum] | None:
    if value is None or value == "" or value == ():
        return None
    values = [value] if isinstance(value, (str, Enum)) else list(value)
    return {parse_enum(enum, field, x) for x in values if x not in (None, "")} or None


def _words(value: Filter) -> set[str] | None:
    if value is None or value == "":
        return None
    values = [value] if isinstance(value, str) else list(value)  # type: ignore[arg-type]
    return {str(x).strip().casefold() for x in values if str(x).strip()} or None


def search_modules(
    store: Store,
    text: str = "",
    *,
    type: Filter = None,  # noqa: A002 - the field is called type
    tag: Filter = None,
    region: Filter = None,
    status: Filter = None,
    risk: Filter = None,
    limit: int | None = None,
) -> list[Module]:
    """Modules whose title, summary, sections, context notes or tags hold every word of ``text``.

    Each filter takes one value or several (any of them matches). Results: best title matches first.
    """
    snap = _load(store)
    types = _choices(ModuleType, "type", type)
    statuses = _choices(ReviewStatus, "status", status)
    risks = _choices(RiskLevel, "risk", risk)
    tags = _words(tag)
    regions = _words(region)
    terms = [t for t in text.casefold().split() if t]
    hits: list[tuple[int, str, Module]] = []
    for module in snap.modules:
        if types and module.type not in types:
            continue
        if statuses and module.status not in statuses:
            continue
        if risks and module.risk_level not in risks:
            continue
        if tags and not tags.intersection(module.tags):
            continue
        if regions and not regions.intersection(module.regions):
            continue
        body = snap.texts[module.slug]
        if terms and not all(t in body for t in terms):
            continue
        title = module.title.casefold()
        rank = sum(3 for t in terms if t in title) + sum(1 for t in terms if t in module.summary.casefold())
        hits.append((-rank, title, module))
    hits.sort(key=lambda h: (h[0], h[1]))
    found = [h[2] for h in hits]
    return found[:limit] if limit else found


def facets(store: Store) -> dict[str, list[tuple[str, int]]]:
    """Values present in the library, with counts: for filter menus."""
    counts: dict[str, dict[str, int]] = {"type": {}, "tag": {}, "region": {}, "status": {}, "risk": {}}
    for m in _load(store).modules:
        for key, values in (
            ("type", [m.type.value]),
            ("tag", m.tags),
            ("region", m.regions),
            ("status", [m.status.value]),
            ("risk", [m.risk_level.value]),
        ):
            for val in values:
                counts[key][val] = counts[key].get(val, 0) + 1
    return {k: sorted(c.items(), key=lambda kv: (-kv[1], kv[0])) for k, c in counts.items()}


@dataclass(frozen=True)
class Related:
    links_to: list[Module]  # modules this one names as related
    linked_from: list[Module]  # modules that name this one
    missing: list[str]  # related slugs not (or no longer) in the library


def related_modules(store: Store, slug: str) -> Related:
    module = get_module(store, slug)
    snap = _load(store)
    links_to = [snap.by_slug[s] for s in module.related if s in snap.by_slug]
    missing = [s for s in module.related if s not in snap.by_slug]
    linked_from = [m for m in snap.modules if slug in m.related and m.slug != slug]
    return Related(links_to, linked_from, missing)


@dataclass(frozen=True)
class LineageStep:
    depth: int  # 1 for a direct parent or child
    slug: str
    module: Module | None  # None when the module is not in the library
    mode: TransferMode
    adapted: str
    via: str  # the module on the other end of this link


@dataclass(frozen=True)
class Lineage:
    ancestors: list[LineageStep]
    descendants: list[LineageStep]


def lineage(store: Store, slug: str) -> Lineage:
    """Where a module came from (parents, their parents …) and what was derived from it, breadth first."""
    get_module(store, slug)
    snap = _load(store)
    children: dict[str, list[tuple[Module, LineageLink]]] = {}
    for m in snap.modules:
        for link in m.lineage:
            children.setdefault(link.parent, []).append((m, link))
    ancestors: list[LineageStep] = []
    seen = {slug}
    frontier = [slug]
    depth = 0
    while frontier:
        depth += 1
        nxt = []
        for current in frontier:
            node = snap.by_slug.get(current)
            for link in node.lineage if node else ():
                if link.parent in seen:
                    continue
                seen.add(link.parent)
                ancestors.append(
                    LineageStep(depth, link.parent, snap.by_slug.get(link.parent), link.mode, link.adapted, current)
                )
                nxt.append(link.parent)
        frontier = nxt
    descendants: list[LineageStep] = []
    seen, frontier, depth = {slug}, [slug], 0
    while frontier:
        depth += 1
        nxt = []
        for current in frontier:
            for child, link in children.get(current, []):
                if child.slug in seen:
                    continue
                seen.add(child.slug)
                descendants.append(LineageStep(depth, child.slug, child, link.mode, link.adapted, current))
                nxt.append(child.slug)
        frontier = nxt
    return Lineage(ancestors, descendants)
