"""After-action reflections: submitted on a phone or typed in from paper, listed, and the tactics they name.

Reflections are only ever added (many participants at once: ``Store.append``), obey consent like notes when written,
and are read for boards, reports, exports, bundles and clones through the disclosure layer
(:meth:`lessonkit.services.disclosure.Disclosure.reflections`). A withdrawal deletes them
(:mod:`lessonkit.services.withdraw`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lessonkit.domain import privacy, rules
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.modules import ReviewStatus
from lessonkit.domain.records import Participant
from lessonkit.domain.reflections import Reflection
from lessonkit.errors import NotFoundError
from lessonkit.i18n import _
from lessonkit.services.library import list_modules, unknown_module_message
from lessonkit.services.participants import find_by_code
from lessonkit.store.base import Store, Tx

TABLE = "reflections"
DEFAULT_LEVEL = Sensitivity.CONVENING

TacticInput = Mapping[str, Any] | str


@dataclass(frozen=True)
class TacticChoice:
    """A library module a participant may say they tried."""

    slug: str
    title: str


def tactic_choices(library: Store | None) -> list[TacticChoice]:
    """The modules a reflection may name (every module not retired), by title."""
    if library is None:
        return []
    modules = [m for m in list_modules(library) if m.status is not ReviewStatus.RETIRED]
    return [TacticChoice(m.slug, m.title) for m in sorted(modules, key=lambda m: (m.title.casefold(), m.slug))]


def default_level(author: Participant | None) -> Sensitivity:
    """'convening', or the author's consent limit when that is stricter."""
    return privacy.effective_sensitivity(DEFAULT_LEVEL, author)


def _check_tactics(reflection: Reflection, known: set[str] | None) -> None:
    """Each tactic names a module of the library (``known``: its short names; None: not checked)."""
    if known is None:
        return
    for tactic in reflection.tactics:
        if tactic.module not in known:
            raise NotFoundError(unknown_module_message(tactic.module, sorted(known)))


def build_reflection(
    tx: Tx,
    answers: Mapping[str, Any],
    join_code: str | None,
    sensitivity: str | Sensitivity | None,
    source: str,
    language: str | None,
) -> Reflection:
    """The validated reflection (without id), after checking the author and their consent."""
    author = find_by_code(tx, join_code) if join_code else None
    rules.check_can_reflect(author)
    level = sensitivity or default_level(author)
    reflection = Reflection.from_dict(
        {
            **answers,
            "sensitivity": level.value if isinstance(level, Sensitivity) else level,
            "author_id": author.id if author else None,
            "source": source,
            "language": language or "",
        }
    )
    rules.check_sensitivity(author, reflection.sensitivity)
    return reflection


def submit_reflection(
    store: Store,
    changed: str = "",
    stubborn: str = "",
    questions: str = "",
    tactics: Iterable[TacticInput] = (),
    sensitivity: str | Sensitivity | None = None,
    join_code: str | None = None,
    source: str = "form",
    language: str | None = None,
    library: Store | None = None,
) -> Reflection:
    """Add one reflection. ``join_code=None`` is anonymous. ``tactics`` are module short names or mappings with
    ``module``, ``went`` (success, mixed, failure), ``how``, and optionally a measured ``outcome``, ``value``,
    ``unit`` and ``baseline``; with ``library`` each module must be in it. ``sensitivity`` None: convening, or
    stricter when the author's consent asks. ``source``: "form" (a participant) or "paper" (a facilitator)."""
    answers = {
        "changed": changed,
        "stubborn": stubborn,
        "questions": questions,
        "tactics": [t if isinstance(t, str) else dict(t) for t in tactics],
    }
    built: list[Reflection] = []
    known = {m.slug for m in list_modules(library)} if library is not None and answers["tactics"] else None

    def build(tx: Tx) -> dict[str, Any]:
        reflection = build_reflection(tx, answers, join_code, sensitivity, source, language)
        _check_tactics(reflection, known)
        built.append(reflection)
        return reflection.to_dict()

    doc_id = store.append(TABLE, build)
    return Reflection.from_dict({**built[-1].to_dict(), "id": doc_id})


def list_reflections(store: Store, respect_consent: bool = True) -> list[Reflection]:
    """The reflections as stored, in id order (those of authors who withdrew consent left out). Whatever shows or
    exports them reads them through :meth:`lessonkit.services.disclosure.Disclosure.reflections` instead."""
    with store.read() as tx:
        docs = tx.all(TABLE)
        people = {d["id"]: Participant.from_dict(d) for d in tx.all("participants")} if respect_consent else {}
    found = sorted((Reflection.from_dict(d) for d in docs), key=lambda r: r.id or 0)
    if not respect_consent:
        return found
    return [r for r in found if privacy.still_consented(people.get(r.author_id) if r.author_id else None)]


def get_reflection(store: Store, reflection_id: int) -> Reflection:
    doc = store.get(TABLE, int(reflection_id))
    if doc is None:
        raise NotFoundError(
            _("There is no reflection {id}: see `lessonkit reflect list`.").format(id=reflection_id)
        )
    return Reflection.from_dict(doc)
