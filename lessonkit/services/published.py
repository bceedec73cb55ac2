"""What the participant server of an encrypted convening may read: the projection written to its index.

The listening form and the reflection form (which only add records) need, and get, exactly this (everything else
stays encrypted to the facilitator's key):

- the convening's short name, title and languages (not its place, dates or countries);
- the *open* sessions: titles, prompts and their translations, whether they take anonymous notes;
- the glossary terms those sessions use (each without the name of whoever wrote it);
- for each participant, a sealed entry found and opened only with their own join code (see
  :mod:`lessonkit.store.code_seal`): their participant id, consent, interface language and pseudonym (the consent
  box says "your notes carry your pseudonym, …", as on a plain convening: that is the form's greeting, made without
  any key on the server). Never their name or organisation.

A language a person picks on the form is not remembered for their next visit there (that is a change to their
record, which the server cannot make); the facilitator can set it.

The memorandum amendment form and the scoring form need much more (every clause, the rubric, earlier proposals),
so they are not offered on an encrypted convening: they say so (:func:`lessonkit.ui.sealed.not_on_sealed`).
"""

from __future__ import annotations

from typing import Any

from lessonkit.domain.glossary import GlossaryTerm, terms_in
from lessonkit.domain.records import Convening, Participant, Session
from lessonkit.domain.schema import CURRENT_VERSIONS
from lessonkit.store import sealed_index
from lessonkit.store.sealed_index import Published
from lessonkit.store.snapshot import Tables

#: the tables the index is made from: a change to any of them rewrites it
SOURCES = ("convening", "sessions", "glossary", "participants")
CONVENING_FIELDS = ("schema_version", "slug", "title", "languages")
#: what a participant's sealed entry carries in place of a name (never shown: the forms show no names)
NO_NAME = "-"


def _convening(tables: Tables) -> tuple[dict[str, dict[str, Any]], str]:
    rows = tables.get("convening") or {}
    if not rows:
        return {}, "en"
    key = min(rows, key=int)
    doc = rows[key]
    first = Convening.from_dict(doc).first_language
    return {key: {k: doc.get(k) for k in CONVENING_FIELDS if k in doc}}, first


def _sessions(tables: Tables, first: str) -> dict[str, dict[str, Any]]:
    out = {}
    for key, doc in (tables.get("sessions") or {}).items():
        session = Session.from_dict({**doc, "id": int(key)}, default_language=first)
        if session.is_open:
            out[key] = session.to_dict()
    return out


def _glossary(tables: Tables, sessions: dict[str, dict[str, Any]], first: str) -> dict[str, dict[str, Any]]:
    texts = [t for k, d in sessions.items() for t in Session.from_dict({**d, "id": int(k)}, default_language=first)
             .all_texts()]
    terms = [GlossaryTerm.from_dict({**d, "id": int(k)}) for k, d in (tables.get("glossary") or {}).items()]
    return {str(t.id): {**t.to_dict(), "by": ""} for t in terms_in(texts, terms)}


def _participants(tables: Tables) -> dict[str, dict[str, Any]]:
    out = {}
    for key, doc in (tables.get("participants") or {}).items():
        person = Participant.from_dict(doc)
        out[person.join_code] = {
            "id": int(key),
            "schema_version": CURRENT_VERSIONS["participant"],
            "name": NO_NAME,
            "pseudonym": person.pseudonym,
            "organization": "",
            "language": person.language,
            "consent": person.consent.to_dict(),
        }
    return out


def project(tables: Tables) -> Published:
    """The index's content for a convening's current ``tables``."""
    convening, first = _convening(tables)
    sessions = _sessions(tables, first)
    return Published(
        tables={"convening": convening, "sessions": sessions, "glossary": _glossary(tables, sessions, first)},
        sealed={"participants": ("join_code", _participants(tables))},
    )


sealed_index.set_projection(project, SOURCES)
