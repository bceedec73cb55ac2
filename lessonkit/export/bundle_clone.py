"""Clone a convening: a new one that reuses what can travel, and never anyone's words.

Copied: the sessions (titles, prompts and their translations, anonymous or not; all closed), the memorandum
(version 1 of the new one is the clauses of the last agreed or signed version, with the old parties' rotation,
consent reviews, metrics and review date cleared, and the translations that were up to date for it; a memorandum
never agreed is started again from the template), the context profiles (each names the rubric it was rated on), the
extra redaction terms and the glossary. Not copied: participants, notes, positions, signatures, proposals, ratings,
the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from lessonkit.domain.glossary import GlossaryTerm
from lessonkit.domain.mou import Clause, MouVersion
from lessonkit.domain.mou_state import MouState
from lessonkit.domain.mou_status import MouRecord
from lessonkit.domain.mou_translation import ClauseTranslation, TranslationState
from lessonkit.domain.records import Convening
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.export.bundle import discard
from lessonkit.i18n import _
from lessonkit.services.convenings import TABLE as CONVENING
from lessonkit.services.convenings import get_convening
from lessonkit.services.glossary import TABLE as GLOSSARY
from lessonkit.services.mou import MOU, TRANSLATIONS, VERSIONS, get_mou, has_mou, load_template
from lessonkit.services.redact_terms import TABLE as TERMS
from lessonkit.services.scoring import PROFILES
from lessonkit.services.sessions import TABLE as SESSIONS
from lessonkit.services.sessions import list_sessions
from lessonkit.store.base import Tx
from lessonkit.store.workspace import BaseWorkspace


@dataclass(frozen=True)
class Cloned:
    slug: str
    sessions: int
    mou: str  # "agreed version N", "template" or "" (none)
    profiles: int
    terms: int


def _clean(clause: Clause) -> Clause:
    """A clause without the parts that name the old parties or dates."""
    return replace(clause, rotation=(), consent_reviews=(), metrics=(), review_date=None)


@dataclass(frozen=True)
class MouStart:
    """What the new memorandum starts from."""

    title: str
    clauses: tuple[Clause, ...]
    language: str
    source: str  # "agreed version N" or "template"
    translations: tuple[ClauseTranslation, ...] = ()  # up to date for the kept version; re-based on version 1


def _mou_start(state: MouState | None, by: str) -> MouStart | None:
    if state is None:
        return None
    kept = state.record.signed_version or state.record.agreed_version
    if kept:
        clauses = tuple(_clean(c) for c in state.version(kept).clauses)
        carried = tuple(
            ClauseTranslation(p.clause.key, lang, p.title, p.text, 1, p.translation.by if p.translation else by)
            for lang in state.translation_languages()
            for p in state.parallel(lang, kept)
            if p.state is TranslationState.CURRENT
        )
        source = _("agreed version {n}").format(n=kept)
        return MouStart(state.record.title, clauses, state.record.language, source, carried)
    template = load_template(state.record.language)
    return MouStart(state.record.title, template.clauses, template.language, _("template"))


def _write_mou(tx: Tx, start: MouStart, old: str, by: str) -> None:
    record = MouRecord(title=start.title, language=start.language)
    tx.insert(MOU, record.to_dict())
    summary = _("Copied from convening '{old}' ({source})").format(old=old, source=start.source)
    tx.insert(VERSIONS, MouVersion(1, start.clauses, by, summary[:200]).to_dict())
    for t in start.translations:
        tx.insert(TRANSLATIONS, t.to_dict())


def _copy(tx: Tx, table: str, docs: list[dict[str, Any]]) -> int:
    for doc in docs:
        tx.insert(table, {k: val for k, val in doc.items() if k != "id"})
    return len(docs)


def clone_convening(ws: BaseWorkspace, old: str, new: str, title: str | None = None, by: str = "lessonkit") -> Cloned:
    """Create convening ``new`` from ``old`` (see the module's docstring for what travels)."""
    source = ws.store(old)
    convening = get_convening(source)
    made = Convening.from_dict(
        {**convening.to_dict(), "slug": new, "title": title or convening.title, "start": None, "end": None, "place": ""}
    )
    sessions = [replace(s, is_open=False, id=None) for s in list_sessions(source)]
    with source.read() as tx:
        profiles = [upgrade("context_profile", d) for d in tx.all(PROFILES)]
        terms = [upgrade("redaction_terms", d) for d in tx.all(TERMS)]
        glossary = [GlossaryTerm.from_dict(d) for d in tx.all(GLOSSARY)]
    start = _mou_start(get_mou(source) if has_mou(source) else None, by)
    store = ws.create_store(made.slug)
    try:
        with store.transaction() as tx:
            tx.insert(CONVENING, made.to_dict())
            for s in sessions:
                tx.insert(SESSIONS, s.to_dict())
            if start is not None:
                _write_mou(tx, start, old, by)
            _copy(tx, PROFILES, [{**p, "schema_version": CURRENT_VERSIONS["context_profile"]} for p in profiles])
            _copy(tx, TERMS, terms[:1])
            _copy(tx, GLOSSARY, [t.to_dict() for t in glossary])
    except BaseException:
        discard(ws, made.slug)
        raise
    n_terms = len(terms[0].get("terms") or []) if terms else 0
    return Cloned(made.slug, len(sessions), start.source if start else "", len(profiles), n_terms)
