"""Schema versions of stored records and the chain of small functions that upgrades old ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lessonkit.errors import SchemaVersionError
from lessonkit.i18n import _

Upgrade = Callable[[dict[str, Any]], dict[str, Any]]

CURRENT_VERSIONS: dict[str, int] = {"convening": 1, "participant": 1, "session": 1, "note": 1}
# The memorandum of understanding (issue 3).
CURRENT_VERSIONS.update(mou=1, mou_version=1, mou_position=1, mou_amendment=1, mou_signature=1)
# The tactic library and transferability scoring (issue 4).
CURRENT_VERSIONS.update(module=1, scoring_round=1, scoring_rating=1, context_profile=1)
# Reports, exports and bundles (issue 5): the facilitator's extra redaction terms, the audit log.
CURRENT_VERSIONS.update(redaction_terms=1, audit=1)
# One disclosure rule, pseudonyms, consent that can change, the export log (issue 10).
CURRENT_VERSIONS.update(participant=2, consent_change=1, export_record=1)

# Content in several languages (issue 11): sessions and notes know their language and hold translations; the
# memorandum's clauses have parallel texts and signatures record them; the shared glossary.
CURRENT_VERSIONS.update(session=2, note=2, mou_signature=2, mou_translation=1, glossary_term=1)
# Care and accountability (issue 16): the joint risk register, each group's ratings, the mutual-aid ledger.
CURRENT_VERSIONS.update(risk=1, risk_rating=1, ledger_entry=1)

# Run the room (issue 15): accepted themes of notes, dot votes and their ballots, statements and the answers that
# find opinion groups.
CURRENT_VERSIONS.update(theme=1, vote=1, ballot=1, statement=1, opinion_answer=1)

# UPGRADES[kind][n] turns a version-n record into a version-(n+1) record.
UPGRADES: dict[str, dict[int, Upgrade]] = {
    kind: {0: lambda d: {**d, "schema_version": 1}} for kind in CURRENT_VERSIONS
}
# A session of version 1 is its original text; its language is the convening's first (the services pass it in,
# a record alone cannot know it), so "language" stays unset here.
UPGRADES["session"][1] = lambda d: {**d, "translations": d.get("translations") or {}, "schema_version": 2}
# A note of version 1 did not record its language: "" (not recorded), and no translations yet.
UPGRADES["note"][1] = lambda d: {
    **d, "language": d.get("language") or "", "translations": d.get("translations") or [], "schema_version": 2
}
# A signature of version 1 recorded no translations.
UPGRADES["mou_signature"][1] = lambda d: {**d, "translations": d.get("translations") or [], "schema_version": 2}


def _participant_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 gives each person a pseudonym ('' here: ``services.convenings.open_convening`` generates and stores
    one, unique in the convening and in its language, the first time the convening is opened) and the interface
    language they chose on a form, remembered for their join code (None until they choose one); it drops
    ``consent.media_use``: lessonkit holds no photos, audio or video, so a media consent it stored was obeyed by
    nothing."""
    consent = {k: val for k, val in (data.get("consent") or {}).items() if k != "media_use"}
    return {
        **data,
        "consent": consent,
        "pseudonym": data.get("pseudonym") or "",
        "language": data.get("language"),
        "schema_version": 2,
    }


UPGRADES["participant"][1] = _participant_v2
# The library on CouchDB (issue 17): modules get a share level; those written before stay on the laptop.
CURRENT_VERSIONS["module"] = 2
UPGRADES["module"][1] = lambda d: {**d, "share": d.get("share") or "local", "schema_version": 2}

# The agenda and its timer (issue 15): one record per block of the day.
CURRENT_VERSIONS["agenda_block"] = 1
UPGRADES["agenda_block"] = {0: lambda d: {**d, "schema_version": 1}}


def _module_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 makes signals evidence (issue 16): each signal gets an outcome type ('other' until someone says),
    a period, campaign, place, context profile, factors, who reported it, and peer reviews (none yet)."""
    from lessonkit.domain.signals import upgrade_signal

    signals = data.get("signals")
    if isinstance(signals, list):
        signals = [upgrade_signal(s) for s in signals]
    return {**data, "signals": signals, "schema_version": 3}


# After-action reflections and signals as evidence (issue 16).
CURRENT_VERSIONS.update(module=3, reflection=1)
UPGRADES["reflection"] = {0: lambda d: {**d, "schema_version": 1}}
UPGRADES["module"][2] = _module_v3


def upgrade(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Bring ``data`` up to the current version of ``kind``; refuse data newer than this code."""
    current = CURRENT_VERSIONS[kind]
    version = data.get("schema_version", 0)
    if not isinstance(version, int) or version < 0:
        raise SchemaVersionError(
            _("A {kind} record has an unreadable schema_version {v!r}.").format(kind=kind, v=version)
        )
    if version > current:
        raise SchemaVersionError(
            _("A {kind} record has schema version {v}, newer than this lessonkit understands ({c}). "
              "Upgrade lessonkit to read it.").format(kind=kind, v=version, c=current)
        )
    chain = UPGRADES.get(kind, {})
    while version < current:
        data = chain[version](data)
        version = data["schema_version"]
    return data
