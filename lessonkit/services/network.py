"""The network's view across convenings and the library: where each tactic was tried and how it went, signals over
time, needs, themes and risks that recur from one convening to the next, and how a tactic travelled (its lineage).

Every convening is read through the disclosure layer at one level (``network`` by default: what partner groups may
read), so a record whose sensitivity or whose author's consent stops short of that level counts nowhere here, and
convening titles are redacted. Pure data for :mod:`lessonkit.export.dashboard_plots` and the dashboard workbook.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lessonkit.domain.levels import Category, Sensitivity
from lessonkit.domain.library import Module
from lessonkit.domain.signals import ResultClass, Signal
from lessonkit.errors import LessonkitError
from lessonkit.services.convenings import list_convenings, open_convening
from lessonkit.services.disclosure import Disclosure, Purpose, parse_level
from lessonkit.services.library import get_module, list_modules
from lessonkit.services.library_search import lineage
from lessonkit.store.base import Store
from lessonkit.store.workspace import BaseWorkspace

DEFAULT_LEVEL = Sensitivity.NETWORK
FROM_REFLECTION = "reflection"
FROM_SIGNAL = "signal"

@dataclass(frozen=True)
class ConveningInfo:
    slug: str
    title: str  # redacted for the level
    start: date | None


@dataclass(frozen=True)
class Trial:
    """A tactic tried somewhere: said by a participant in a reflection, or measured in a peer-reviewed signal."""

    module: str
    where: str  # the convening's title (reflections) or the signal's place
    when: date | None  # the convening's start, or the middle of the signal's period
    result: ResultClass | None
    source: str  # FROM_REFLECTION or FROM_SIGNAL


@dataclass(frozen=True)
class Recurring:
    """A tag ('#housing') or a risk category ('legal') and the convenings it came up in."""

    key: str
    convenings: tuple[str, ...]  # titles, in the order of the convenings
    count: int  # records

    @property
    def recurs(self) -> bool:
        return len(self.convenings) > 1


@dataclass(frozen=True)
class RiskSeen:
    """A risk of a convening's register as the dashboard may count it: its category code (never its words)."""

    category: str


@dataclass
class NetworkView:
    level: Sensitivity
    convenings: list[ConveningInfo] = field(default_factory=list)
    trials: list[Trial] = field(default_factory=list)
    needs: list[Recurring] = field(default_factory=list)  # tags of notes of category need
    themes: list[Recurring] = field(default_factory=list)  # tags of every note
    risks: list[Recurring] = field(default_factory=list)  # register categories, and tags of risk notes ("#tag")
    unreadable: list[str] = field(default_factory=list)  # convenings that could not be opened
    withheld: int = 0  # records the level kept out
    scopes: list[Disclosure] = field(default_factory=list)  # for the export log when the dashboard is printed

    def trials_of(self, module: str) -> list[Trial]:
        return [t for t in self.trials if t.module == module]


def register_risks(scope: Disclosure) -> list[RiskSeen]:
    """The risks of a convening's risk register that may be counted at ``scope``'s level (their categories only):
    whatever the register's own disclosure method lets out (the risk's sensitivity and the consent of who raised
    it)."""
    from lessonkit.services.risks import register

    return [RiskSeen(shown.joint.risk.category.value) for shown in scope.risks(register(scope.store))]


def _group(found: dict[str, dict[str, int]], titles: list[str]) -> list[Recurring]:
    """{key: {convening title: records}} as Recurring, most convenings first, then most records, then by key."""
    out = [
        Recurring(key, tuple(t for t in titles if t in per), sum(per.values())) for key, per in found.items()
    ]
    return sorted(out, key=lambda r: (-len(r.convenings), -r.count, r.key))


def _add(found: dict[str, dict[str, int]], key: str, title: str) -> None:
    per = found.setdefault(key, {})
    per[title] = per.get(title, 0) + 1


def network_view(ws: BaseWorkspace, level: object = DEFAULT_LEVEL, library: Store | None = None) -> NetworkView:
    """The view across every convening of ``ws`` and its library (or ``library``) at ``level``."""
    scopes: list[Disclosure] = []
    view = NetworkView(parse_level(level))
    for slug, convening in list_convenings(ws):
        if isinstance(convening, LessonkitError):
            view.unreadable.append(slug)
            continue
        try:
            scopes.append(Disclosure.open(open_convening(slug, ws), level, Purpose.REPORT))
        except LessonkitError:
            view.unreadable.append(slug)
    scopes.sort(key=lambda s: (s.convening.start or date.max, s.convening.slug))
    needs: dict[str, dict[str, int]] = {}
    themes: dict[str, dict[str, int]] = {}
    risks: dict[str, dict[str, int]] = {}
    titles = []
    for scope in scopes:
        c = scope.convening
        title = scope.text(c.title, count=False)
        titles.append(title)
        view.convenings.append(ConveningInfo(c.slug, title, c.start))
        found = scope.notes()
        for note in found.notes():
            for tag in note.tags:
                _add(themes, f"#{tag}", title)
                if note.category is Category.NEED:
                    _add(needs, f"#{tag}", title)
                if note.category is Category.RISK:
                    _add(risks, f"#{tag}", title)
        for risk in register_risks(scope):
            _add(risks, risk.category, title)
        reflections = scope.reflections()
        for shown in reflections.shown:
            for tactic in shown.reflection.tactics:
                view.trials.append(Trial(tactic.module, title, c.start, tactic.went, FROM_REFLECTION))
        view.withheld += scope.tally.withheld
    view.needs, view.themes, view.risks = _group(needs, titles), _group(themes, titles), _group(risks, titles)
    view.scopes = scopes
    if library is None:
        library = ws.library()
    view.trials += signal_trials(list_modules(library))
    return view


def signal_trials(modules: Iterable[Module]) -> list[Trial]:
    """Each signal of each module as a trial: where (its place), when (its period) and its peer-reviewed result."""
    return [
        Trial(m.slug, s.place, s.period.middle if s.period else None, s.result, FROM_SIGNAL)
        for m in modules
        for s in m.signals
    ]


@dataclass(frozen=True)
class TimedSignal:
    module: str
    title: str
    when: date
    signal: Signal


def signals_over_time(library: Store) -> tuple[list[TimedSignal], int]:
    """Signals that have a period, oldest first; and how many have none (they cannot be placed in time)."""
    timed, untimed = [], 0
    for m in list_modules(library):
        for s in m.signals:
            if s.period is None:
                untimed += 1
            else:
                timed.append(TimedSignal(m.slug, m.title, s.period.middle, s))
    return sorted(timed, key=lambda t: (t.when, t.module)), untimed


# --- how a tactic travelled -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlowNode:
    slug: str
    title: str
    column: int  # 0 for the module asked about; ancestors to the left (negative), adaptations to the right
    places: tuple[str, ...]  # its regions, the places of its signals, the convenings where it was tried
    results: dict[str, int]  # result value (or "" for not said) -> how many trials
    in_library: bool = True


@dataclass(frozen=True)
class FlowEdge:
    parent: str
    child: str
    mode: str
    adapted: str


@dataclass
class Flow:
    slug: str
    nodes: list[FlowNode]
    edges: list[FlowEdge]


def _results(trials: list[Trial]) -> dict[str, int]:
    out = {r.value: 0 for r in ResultClass}
    out[""] = 0
    for t in trials:
        out[t.result.value if t.result else ""] += 1
    return out


def tactic_flow(library: Store, slug: str, trials: list[Trial] | None = None) -> Flow:
    """The lineage of ``slug`` (where it came from, what was adapted from it) with, for each module, the places it
    was used and the results it had (``trials``: from :func:`network_view`; default: its signals only)."""
    root = get_module(library, slug)
    found = lineage(library, slug)
    steps: list[tuple[str, Module | None, int]] = [(root.slug, root, 0)]
    steps += [(s.slug, s.module, -s.depth) for s in found.ancestors]
    steps += [(s.slug, s.module, s.depth) for s in found.descendants]
    every = trials if trials is not None else signal_trials(list_modules(library))
    nodes = []
    for node_slug, module, column in steps:
        mine = [t for t in every if t.module == node_slug]
        places: list[str] = list(module.regions) if module else []
        for t in mine:
            if t.where and t.where not in places:
                places.append(t.where)
        title = module.title if module else node_slug
        nodes.append(FlowNode(node_slug, title, column, tuple(places), _results(mine), module is not None))
    present = {n.slug for n in nodes}
    edges = [
        FlowEdge(link.parent, module.slug, link.mode.value, link.adapted)
        for _slug, module, _col in steps
        if module is not None
        for link in module.lineage
        if link.parent in present
    ]
    return Flow(slug, nodes, edges)


def flow_choices(library: Store) -> list[tuple[str, str]]:
    """(title, slug) of modules that have lineage (derived from another, or something derived from them)."""
    modules = list_modules(library)
    parents = {link.parent for m in modules for link in m.lineage}
    return sorted(((m.title, m.slug) for m in modules if m.lineage or m.slug in parents), key=lambda x: x[0].casefold())


def describe(view: NetworkView) -> dict[str, Any]:
    """Counts for a heading: convenings, trials, recurring needs, themes and risks."""
    return {
        "convenings": len(view.convenings),
        "trials": len(view.trials),
        "needs": sum(1 for r in view.needs if r.recurs),
        "themes": sum(1 for r in view.themes if r.recurs),
        "risks": sum(1 for r in view.risks if r.recurs),
        "withheld": view.withheld,
    }
