"""Import the Beautiful Trouble toolbox JSON (``{"studio": {...}, "items": [...]}``) into the library.

Each item becomes a module: its Markdown body split into sections at ``## `` headings, ``bt-type:`` giving the
module type, ``region:`` tags the regions, related slugs resolved into cross-links (those that name
no item are reported), attribution, licence and source link kept. The content is CC BY-NC-SA 4.0: it is
read from the file the user gives, never shipped with lessonkit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.library import Module, Origin
from lessonkit.domain.markdown_sections import sections_by_key
from lessonkit.domain.modules import ModuleType, ShareLevel
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.library_io import ImportReport, Progress, read_json, store_modules
from lessonkit.store.base import Store

FORMAT = "beautiful-trouble"
# Beautiful Trouble and Beautiful Solutions types, mapped onto the library's five; the original stays a tag.
TYPES: dict[str, ModuleType] = {
    "tactic": ModuleType.TACTIC,
    "principle": ModuleType.PRINCIPLE,
    "theory": ModuleType.THEORY,
    "methodology": ModuleType.METHODOLOGY,
    "story": ModuleType.STORY,
    "bsol-solution": ModuleType.TACTIC,
    "bsol-principle": ModuleType.PRINCIPLE,
    "bsol-value": ModuleType.PRINCIPLE,
    "bsol-question": ModuleType.THEORY,
    "bsol-story": ModuleType.STORY,
}
PREFIXES = ("bt-", "bsol-")


def check_shape(data: Any) -> list[Any]:
    """The list of items, or a clear error when the file is not a Beautiful Trouble toolbox."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ValidationError(
            "file",
            _(
                "this is not a Beautiful Trouble toolbox file: expected a JSON object with a list 'items' "
                "(and a 'studio'). For lessonkit's own format use --from json."
            ),
        )
    return data["items"]


class Resolver:
    """Turns the bare related names of the toolbox ("flash-mob") into module slugs ("bt-flash-mob")."""

    def __init__(self, slugs: Iterable[str]) -> None:
        self.slugs = set(slugs)
        self.by_base: dict[str, list[str]] = {}
        for slug in sorted(self.slugs):
            for prefix in PREFIXES:
                if slug.startswith(prefix):
                    self.by_base.setdefault(slug[len(prefix) :], []).append(slug)

    def resolve(self, name: str, own_slug: str) -> str | None:
        name = name.strip().lower()
        if name in self.slugs:
            return name
        candidates = self.by_base.get(name, [])
        same_family = [c for c in candidates if c.split("-", 1)[0] == own_slug.split("-", 1)[0]]
        chosen = same_family or candidates
        return chosen[0] if chosen else None


def _text(item: dict[str, Any], key: str, required: bool = False) -> str:
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValidationError(key, _("missing or not text."))
    return value


def item_to_module(item: Any, resolver: Resolver, unresolved: list[str]) -> Module:
    """One toolbox item as a module; anything malformed raises ValidationError naming the field."""
    if not isinstance(item, dict):
        raise ValidationError("item", _("is not a JSON object."))
    slug = _text(item, "slug", required=True).strip()
    meta = item.get("metadata") or {}
    tags = item.get("tags") or []
    if not isinstance(meta, dict) or not isinstance(tags, list):
        raise ValidationError("metadata", _("metadata must be an object and tags a list."))
    bt_type = str(meta.get("bt_type") or next((t[8:] for t in tags if str(t).startswith("bt-type:")), ""))
    if bt_type not in TYPES:
        raise ValidationError("bt_type", _("unknown type '{t}'.").format(t=bt_type))
    sections = sections_by_key(_text(item, "body", required=True))
    origins = " — ".join(str(meta[k]) for k in ("when", "where") if meta.get(k))
    if origins:
        sections["origins"] = origins
    links = [
        f"- [{x.get('title') or x.get('link')}]({x.get('link')})"
        for x in meta.get("learn_more") or []
        if isinstance(x, dict) and x.get("link")
    ]
    if links:
        sections["learn_more"] = "\n".join(links)
    related = []
    for name in meta.get("related") or []:
        target = resolver.resolve(str(name), slug)
        if target and target != slug:
            related.append(target)
        elif not target:
            unresolved.append(str(name))
    attribution = item.get("attribution") or {}
    author = str(attribution.get("author") or "").strip() if isinstance(attribution, dict) else ""
    credit = str(attribution.get("name") or "Beautiful Trouble") if isinstance(attribution, dict) else ""
    return Module.from_dict(
        {
            "slug": slug,
            "title": _text(item, "title", required=True),
            "type": TYPES[bt_type].value,
            "summary": _text(item, "summary"),
            "sections": sections,
            "tags": [t for t in tags if not str(t).startswith("region:")],
            "regions": [str(t)[7:] for t in tags if str(t).startswith("region:")],
            "related": related,
            "authors": [{"name": author, "organisation": ""}] if author else [],
            "attribution": f"{credit}: {author}" if author else credit,
            "licence": str(
                item.get("license") or (attribution.get("license") if isinstance(attribution, dict) else "")
            ),
            "source_url": _text(item, "source_url"),
            "sensitivity": Sensitivity.PUBLIC.value,
            # The toolbox is published openly (CC BY-NC-SA): its modules may go to the network's library as they
            # are. Reviews and lineage added here travel with them; see facilitator_guides/network.md.
            "share": ShareLevel.PUBLIC.value,
            "origin": Origin(FORMAT, slug, "").to_dict(),
        }
    )


def parse_toolbox(
    data: Any, known_slugs: Iterable[str] = (), progress: Progress | None = None
) -> tuple[list[Module], ImportReport]:
    """Every well-formed item as a module; malformed ones and unresolved related names in the report."""
    items = check_shape(data)
    slugs = {str(i.get("slug")).strip() for i in items if isinstance(i, dict) and isinstance(i.get("slug"), str)}
    resolver = Resolver(slugs | set(known_slugs))
    report = ImportReport()
    modules: list[Module] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        label = item.get("slug") if isinstance(item, dict) and isinstance(item.get("slug"), str) else f"#{index + 1}"
        unresolved: list[str] = []
        try:
            module = item_to_module(item, resolver, unresolved)
            if module.slug in seen:
                raise ValidationError("slug", _("appears twice in the file; the first one was kept."))
        except LessonkitError as exc:
            report.skipped.append((str(label), str(exc)))
        else:
            seen.add(module.slug)
            modules.append(module)
            if unresolved:
                report.unresolved[module.slug] = unresolved
        if progress:
            progress(1)
    return modules, report


def import_beautiful_trouble(
    store: Store,
    path: str | Path,
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> ImportReport:
    """Read the toolbox file and store its modules in one transaction; returns what happened to each item.

    ``on_total`` hears the number of steps (items parsed + modules stored) before ``progress`` ticks.
    """
    from lessonkit.services.library import list_modules

    data = read_json(path)
    items = check_shape(data)
    if on_total:
        on_total(2 * len(items))
    modules, report = parse_toolbox(data, [m.slug for m in list_modules(store)], progress)
    if progress and len(modules) < len(items):
        progress(len(items) - len(modules))
    return store_modules(store, modules, report, fmt=FORMAT, overwrite=overwrite, progress=progress)
