"""Signals on library modules: add one (by hand, or drawn from an after-action reflection), peer-review its result
class, list them.

A signal is part of its module, so adding or reviewing one is an edit of the module: it is validated whole, written
in one transaction with the module's time of change, and (for a shared module) travels at the next library sync.
A signal drawn from a reflection takes the reflection's words only through the disclosure layer, at the level the
module may travel to; the convening's export log records it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from lessonkit.domain import signals as rules
from lessonkit.domain import validation as v
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.library import Module
from lessonkit.domain.modules import MAX_SHORT
from lessonkit.domain.reflections import Reflection, TacticTried
from lessonkit.domain.signals import Signal, SignalReview
from lessonkit.errors import ConsentError, NotFoundError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.disclosure import Disclosure, Purpose
from lessonkit.services.library import TABLE, find_doc, list_modules, unknown_module_message
from lessonkit.services.reflections import get_reflection
from lessonkit.store.base import Store, Tx

ORIGIN_REFLECTION = "reflection"


@dataclass(frozen=True)
class SignalRow:
    """One signal of one module, with its number on the module (counted from 1)."""

    slug: str
    title: str
    number: int
    signal: Signal


def _module_in(tx: Tx, slug: str) -> Module:
    doc = find_doc(tx, slug)
    if doc is None:
        raise NotFoundError(unknown_module_message(slug, [d["slug"] for d in tx.all(TABLE)]))
    return Module.from_dict(doc)


def _save(tx: Tx, module: Module, signals: tuple[Signal, ...]) -> Module:
    changed = replace(module.with_changes(signals=[s.to_dict() for s in signals]), updated=v.now())
    tx.update(TABLE, module.id, changed.to_dict())  # type: ignore[arg-type]
    return changed


def add_signal(library: Store, slug: str, data: Mapping[str, Any] | Signal) -> tuple[Module, int]:
    """Add a signal to module ``slug``; returns the module and the signal's number on it. The result class is never
    taken from ``data``: only a peer review sets it (any ``reviews`` given are refused)."""
    signal = data if isinstance(data, Signal) else Signal.from_dict(dict(data), "signal")
    if signal.reviews:
        raise ValidationError(
            "reviews", _("a new signal has no reviews yet: add it, then review it (`lessonkit library signal review`).")
        )
    with library.transaction() as tx:
        module = _module_in(tx, slug)
        saved = _save(tx, module, rules.add_signal(module.signals, signal))
    return saved, len(saved.signals)


def review_signal(
    library: Store,
    slug: str,
    number: int,
    reviewer: str,
    organisation: str,
    result: str,
    comments: str = "",
    on: date | str | None = None,
) -> Module:
    """Record one peer reviewer's result class (success, failure, mixed) for signal ``number`` of ``slug``."""
    review = SignalReview.from_dict(
        {
            "reviewer": reviewer,
            "organisation": organisation,
            "result": result,
            "comments": comments,
            "date": on or date.today().isoformat(),
        },
        "review",
    )
    with library.transaction() as tx:
        module = _module_in(tx, slug)
        return _save(tx, module, rules.review_signal(module.signals, int(number), review))


def list_signals(library: Store, slug: str | None = None) -> list[SignalRow]:
    """Every signal of every module (or of one module), module by module."""
    modules = list_modules(library)
    if slug is not None:
        modules = [m for m in modules if m.slug == slug]
        if not modules:
            raise NotFoundError(unknown_module_message(slug, [m.slug for m in list_modules(library)]))
    return [SignalRow(m.slug, m.title, i, s) for m in modules for i, s in enumerate(m.signals, start=1)]


def module_level(library: Store, slug: str) -> Sensitivity:
    """The widest audience a module's words reach: its sensitivity."""
    with library.read() as tx:
        return _module_in(tx, slug).sensitivity


def shown_reflection(scope: Disclosure, reflection_id: int) -> tuple[Reflection, str]:
    """Reflection ``reflection_id`` as it may go out through ``scope`` (its words redacted) and its author's label;
    a reflection the rule withholds is refused with what to do instead."""
    shown = {s.reflection.id: s for s in scope.reflections([int(reflection_id)]).shown}
    if int(reflection_id) in shown:
        item = shown[int(reflection_id)]
        return item.reflection, item.author
    get_reflection(scope.store, reflection_id)  # an unknown id says so
    raise ConsentError(
        _(
            "Reflection {id} may not go into the library: its sensitivity or its author's consent stops short of "
            "'{level}', the audience of the module. Write the signal in your own words instead."
        ).format(id=reflection_id, level=scope.level.value)
    )


def _first_line(text: str) -> str:
    line = next((x.strip() for x in text.splitlines() if x.strip()), "")
    return line if len(line) <= MAX_SHORT else line[: MAX_SHORT - 1].rstrip() + "…"


def signal_from_reflection(
    store: Store,
    library: Store,
    reflection_id: int,
    slug: str,
    fields: Mapping[str, Any] | None = None,
    by: str = "",
) -> tuple[Module, int]:
    """Add to module ``slug`` a signal drawn from reflection ``reflection_id`` of the convening ``store``.

    The reflection is read through the disclosure layer at the module's own level (network for most modules;
    redacted as for an export); a reflection that may not reach that audience is refused. What the participant
    reported for this tactic (how it went, a measured outcome, value, unit, baseline) fills the signal unless
    ``fields`` says otherwise; ``reported_by`` defaults to the author as their consent names them at that level.
    The convening's export log gets a line for it.
    """
    level = module_level(library, slug)
    scope = Disclosure.open(store, level, Purpose.EXPORT)
    reflection, author = shown_reflection(scope, reflection_id)
    tried = next((t for t in reflection.tactics if t.module == slug), TacticTried(slug))
    given = {k: val for k, val in (fields or {}).items() if val not in (None, "", (), [])}
    data: dict[str, Any] = {
        "what": _first_line(tried.how) or _first_line(reflection.changed) or slug,
        "outcome": tried.outcome.value if tried.outcome else "other",
        "value": tried.value,
        "unit": tried.unit,
        "baseline": tried.baseline,
        "reported_by": author,
        **given,
        "origin": ORIGIN_REFLECTION,
    }
    made = add_signal(library, slug, data)
    scope.log("signal", f"library:{slug}", by=by)
    return made
