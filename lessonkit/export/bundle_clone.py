"""Clone a convening: a new one that reuses what can travel, and never anyone's words.

Copied, through the disclosure layer (purpose ``clone``: every text redacted as for a report, so no name,
organisation, phone, e-mail or join code of the old convening travels): the sessions (titles, prompts and their
translations, anonymous or not; all closed), the memorandum (version 1 of the new one is the clauses of the last
agreed or signed version, with the old parties' rotation, consent reviews, metrics and review date cleared, and the
translations that were up to date for it; a memorandum never agreed is started again from the template), the context
profiles (each names the rubric it was rated on), the extra redaction terms and the glossary (definitions redacted).
The open questions of the after-action reflections become prompts of the new convening's first session (a session
"Open questions from last time" when there is none), but only the questions whose authors' consent and whose
sensitivity allow the clone's audience (network): the others stay behind, counted.
Not copied: participants, notes, reflections, positions, signatures, proposals, ratings, the risk register and the
mutual-aid ledger (they belong to the convening that kept them), the audit log, the export log. The old
convening's export log gets a line for the clone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from lessonkit.domain.glossary import GlossaryTerm
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.mou import Clause, MouVersion
from lessonkit.domain.mou_state import MouState
from lessonkit.domain.mou_status import MouRecord
from lessonkit.domain.mou_translation import ClauseTranslation, TranslationState
from lessonkit.domain.records import Convening, Session
from lessonkit.domain.reflections import carried_prompts, open_questions
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.export.bundle import discard
from lessonkit.i18n import _, using_language
from lessonkit.services.convenings import TABLE as CONVENING
from lessonkit.services.convenings import get_convening, open_convening
from lessonkit.services.disclosure import Disclosure, Purpose
from lessonkit.services.glossary import TABLE as GLOSSARY
from lessonkit.services.mou import MOU, TRANSLATIONS, VERSIONS, get_mou, has_mou, load_template
from lessonkit.services.redact_terms import TABLE as TERMS
from lessonkit.services.reflections import TABLE as REFLECTIONS
from lessonkit.services.scoring import PROFILES
from lessonkit.services.sessions import TABLE as SESSIONS
from lessonkit.store.age_cipher import Cipher
from lessonkit.store.base import Tx
from lessonkit.store.workspace import BaseWorkspace


@dataclass(frozen=True)
class Cloned:
    slug: str
    sessions: int
    mou: str  # "agreed version N", "template" or "" (none)
    profiles: int
    terms: int
    questions: int = 0  # open questions carried into the first session's prompts
    questions_withheld: int = 0  # reflections whose questions stayed behind (consent or sensitivity)


#: The audience a clone is made for: the next convening, of the same network.
CLONE_LEVEL = Sensitivity.NETWORK


def _clean(clause: Clause, scope: Disclosure) -> Clause:
    """A clause without the parts that name the old parties or dates, its words redacted."""
    title, text, guidance = scope.texts(clause.title, clause.text, clause.guidance)
    return replace(
        clause, title=title, text=text, guidance=guidance, rotation=(), consent_reviews=(), metrics=(), review_date=None
    )


@dataclass(frozen=True)
class MouStart:
    """What the new memorandum starts from."""

    title: str
    clauses: tuple[Clause, ...]
    language: str
    source: str  # "agreed version N" or "template"
    translations: tuple[ClauseTranslation, ...] = ()  # up to date for the kept version; re-based on version 1


def _mou_start(state: MouState | None, scope: Disclosure, by: str) -> MouStart | None:
    """What the new memorandum starts from (its words redacted), or None."""
    if state is None:
        return None
    title = scope.text(state.record.title)
    kept = state.record.signed_version or state.record.agreed_version
    if kept:
        clauses = tuple(_clean(c, scope) for c in state.version(kept).clauses)
        carried = tuple(
            _carried(p.clause.key, lang, p.title, p.text, scope, by)
            for lang in state.translation_languages()
            for p in state.parallel(lang, kept)
            if p.state is TranslationState.CURRENT
        )
        source = _("agreed version {n}").format(n=kept)
        return MouStart(title, clauses, state.record.language, source, carried)
    template = load_template(state.record.language)
    return MouStart(title, template.clauses, template.language, _("template"))


def _carried(key: str, lang: str, title: str, text: str, scope: Disclosure, by: str) -> ClauseTranslation:
    """A translation that was up to date for the kept version, redacted and re-based on version 1."""
    title, text = scope.texts(title, text)
    return ClauseTranslation(key, lang, title, text, 1, by)


def _profile(doc: dict[str, Any], scope: Disclosure) -> dict[str, Any]:
    """A context profile with its name, description and notes redacted."""
    name, description = scope.texts(str(doc.get("name") or ""), str(doc.get("description") or ""))
    notes = {k: scope.text(str(val)) for k, val in (doc.get("notes") or {}).items()}
    out = {**doc, "name": name or _("context"), "description": description, "notes": notes}
    return {**out, "schema_version": CURRENT_VERSIONS["context_profile"]}


def _term(term: GlossaryTerm, scope: Disclosure) -> GlossaryTerm:
    """A glossary term with its definitions redacted (the terms themselves are the network's words)."""
    entries = tuple(replace(e, definition=scope.text(e.definition)) for e in term.entries)
    return replace(term, entries=entries, id=None)


def _write_mou(tx: Tx, start: MouStart, old: str, by: str) -> None:
    record = MouRecord(title=start.title, language=start.language)
    tx.insert(MOU, record.to_dict())
    summary = _("Copied from convening '{old}' ({source})").format(old=old, source=start.source)
    tx.insert(VERSIONS, MouVersion(1, start.clauses, by, summary[:200]).to_dict())
    for t in start.translations:
        tx.insert(TRANSLATIONS, t.to_dict())


def _with_questions(sessions: list[Session], scope: Disclosure, language: str) -> tuple[list[Session], int, int]:
    """The sessions with the open questions that may travel added to the first one's prompts (a session of their
    own when there is none); how many were carried, and how many reflections' questions stayed behind."""
    asked = [d["id"] for d in scope.store.all(REFLECTIONS) if d.get("questions")]  # only these go out (and count)
    found = scope.reflections(asked)
    questions = [q for shown in found.shown for q in open_questions(shown.reflection.questions)]
    if not questions:
        return sessions, 0, found.questions_withheld
    if sessions:
        first, *rest = sessions
        prompts = carried_prompts(first.prompts, questions)
        return [replace(first, prompts=prompts), *rest], len(prompts) - len(first.prompts), found.questions_withheld
    with using_language(language):
        title = _("Open questions from last time")
    prompts = carried_prompts((), questions)
    session = Session(title=title, prompts=prompts, is_open=False, language=language)
    return [session], len(prompts), found.questions_withheld


def _copy(tx: Tx, table: str, docs: list[dict[str, Any]]) -> int:
    for doc in docs:
        tx.insert(table, {k: val for k, val in doc.items() if k != "id"})
    return len(docs)


def _same_keys(ws: BaseWorkspace, source: object, new: str) -> Cipher | None:
    """The keys of an encrypted ``source``, put beside convening ``new`` too (same passphrase): what is cloned from
    an encrypted convening stays encrypted. None for a plain one."""
    cipher = getattr(source, "cipher", None)
    path_for = getattr(ws, "path_for", None)
    if cipher is None or path_for is None or ws.exists(new):  # (an existing one is refused by create_store)
        return None
    from lessonkit.store import keyring
    from lessonkit.store import keys as keyfile

    keys = keyfile.read(source.path)  # type: ignore[attr-defined]
    target = path_for(new)
    keyfile.write(target, keys)
    return keyring.remember(target, keys, list(cipher.identities))


def clone_convening(ws: BaseWorkspace, old: str, new: str, title: str | None = None, by: str = "lessonkit") -> Cloned:
    """Create convening ``new`` from ``old`` (see the module's docstring for what travels)."""
    source = open_convening(old, ws)
    scope = Disclosure.open(source, CLONE_LEVEL, Purpose.CLONE)
    convening = get_convening(source)
    made = Convening.from_dict(
        {
            **convening.to_dict(),
            "slug": new,
            "title": title or scope.text(convening.title),
            "start": None,
            "end": None,
            "place": "",
        }
    )
    sessions = [
        replace(scope.session(s, count=True), is_open=False)
        for s in (Session.from_dict(d) for d in source.all(SESSIONS))
    ]
    sessions, carried, stayed = _with_questions(sessions, scope, made.first_language)
    with source.read() as tx:
        profiles = [_profile(upgrade("context_profile", d), scope) for d in tx.all(PROFILES)]
        terms = [upgrade("redaction_terms", d) for d in tx.all(TERMS)]
        glossary = [_term(GlossaryTerm.from_dict(d), scope) for d in tx.all(GLOSSARY)]
    start = _mou_start(get_mou(source) if has_mou(source) else None, scope, by)
    store = ws.create_store(made.slug, None, _same_keys(ws, source, made.slug))
    try:
        with store.transaction() as tx:
            tx.insert(CONVENING, made.to_dict())
            for s in sessions:
                tx.insert(SESSIONS, s.to_dict())
            if start is not None:
                _write_mou(tx, start, old, by)
            _copy(tx, PROFILES, profiles)
            _copy(tx, TERMS, terms[:1])
            _copy(tx, GLOSSARY, [t.to_dict() for t in glossary])
    except BaseException:
        discard(ws, made.slug)
        raise
    scope.log("clone", made.slug, by=by)
    n_terms = len(terms[0].get("terms") or []) if terms else 0
    return Cloned(made.slug, len(sessions), start.source if start else "", len(profiles), n_terms, carried, stayed)
