"""The tables of a convening, each with the domain code that validates its records: one place to extend.

A bundle carries every table listed here and nothing else, and every record that comes in from outside (a bundle)
passes its table's ``parse`` (the same ``from_dict`` that validates what people type) before anything is written.
A new table (a glossary, say) is one ``register_table`` call next to its service.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.agenda import AgendaBlock
from lessonkit.domain.consent import ConsentChange
from lessonkit.domain.export_record import ExportRecord
from lessonkit.domain.glossary import GlossaryTerm
from lessonkit.domain.ledger import Entry as LedgerEntry
from lessonkit.domain.mou import MouVersion
from lessonkit.domain.mou_amendment import Amendment
from lessonkit.domain.mou_decisions import Position
from lessonkit.domain.mou_status import MouRecord, Signature
from lessonkit.domain.mou_translation import ClauseTranslation
from lessonkit.domain.opinions import OpinionAnswer, Statement
from lessonkit.domain.records import Convening, Note, Participant, Session
from lessonkit.domain.reflections import Reflection
from lessonkit.domain.risks import Risk, RiskRating
from lessonkit.domain.rubric import ContextProfile, check_rating
from lessonkit.domain.schema import upgrade
from lessonkit.domain.scoring_rounds import ScoringRating, ScoringRound
from lessonkit.domain.stored_records import AuditEntry, RedactionTerms
from lessonkit.domain.themes import Theme
from lessonkit.domain.votes import Ballot, Vote
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _

Parse = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class TableType:
    """``kind`` names the schema (``domain.schema.CURRENT_VERSIONS``); ``parse`` returns a record with ``to_dict``
    or raises ValidationError naming the field. The fields ``to_dict`` writes (and ``id``, ``schema_version``) are
    the only ones a stored record may have."""

    kind: str
    parse: Parse
    #: fields that hold the id of a record of another table (or None)
    references: tuple[tuple[str, str], ...] = ()


CONVENING_TABLES: dict[str, TableType] = {}


def register_table(name: str, kind: str, parse: Parse, references: dict[str, str] | None = None) -> None:
    CONVENING_TABLES[name] = TableType(kind, parse, tuple((references or {}).items()))


def check_references(tables: dict[str, list[dict[str, Any]]]) -> None:
    """Every reference between the records of ``tables`` points at a record that is there."""
    ids = {name: {d.get("id") for d in docs} for name, docs in tables.items()}
    for name, docs in tables.items():
        for field, target in CONVENING_TABLES[name].references:
            for doc in docs:
                value = doc.get(field)
                if value is not None and value not in ids.get(target, set()):
                    raise ValidationError(
                        f"{name}.{field}",
                        _("record {id} points at record {value} of '{target}', which is not there.").format(
                            id=doc.get("id"), value=value, target=target
                        ),
                    )


def check_record(table: str, doc: Any) -> dict[str, Any]:
    """``doc`` brought up to the current schema, after its table's domain validation; a field no record of the
    table has is refused, naming it. Raises ValidationError (field ``TABLE.FIELD``) or SchemaVersionError."""
    spec = CONVENING_TABLES[table]
    if not isinstance(doc, dict):
        raise ValidationError(table, _("a record must be an object."))
    data = upgrade(spec.kind, dict(doc))
    try:
        record = spec.parse(dict(data))
    except ValidationError as exc:
        raise ValidationError(f"{table}.{exc.field}", exc.message) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # a shape the domain code did not expect
        raise ValidationError(table, _("the record cannot be read ({e}).").format(e=exc)) from None
    unknown = sorted(set(data) - set(record.to_dict()) - {"id", "schema_version"})
    if unknown:
        raise ValidationError(
            f"{table}.{unknown[0]}", _("is not a field of this table's records: remove it.")
        )
    return data


def _profile(data: dict[str, Any]) -> ContextProfile:
    """A context profile, checked against its rubric when this lessonkit has it (by name, never a path); a profile
    rated on a rubric made elsewhere gets the same checks except which criteria it rates."""
    from lessonkit.services.scoring import load_rubric

    name = str(data.get("rubric") or "default")
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", name):
        try:
            return ContextProfile.from_dict(data, load_rubric(name))
        except ValidationError:
            raise
        except LessonkitError:
            pass  # not a rubric this lessonkit has
    notes = data.get("notes") or {}
    ratings = data.get("ratings")
    if not isinstance(notes, dict):
        raise ValidationError("notes", _("must map criteria to notes."))
    if not isinstance(ratings, dict):
        raise ValidationError("ratings", _("must map criteria to ratings from 0 to 4."))
    return ContextProfile(
        name=v.text("name", data.get("name"), max_length=200),
        ratings={str(k): check_rating(f"ratings.{k}", r) for k, r in ratings.items()},
        rubric=v.text("rubric", name, max_length=200, multiline=False),
        description=v.text("description", data.get("description"), max_length=4000, required=False),
        notes={str(k): v.text(f"notes.{k}", t, max_length=2000, required=False) for k, t in notes.items()},
    )


register_table("convening", "convening", Convening.from_dict)
register_table("participants", "participant", Participant.from_dict)
register_table("sessions", "session", Session.from_dict)
register_table(
    "notes", "note", Note.from_dict, {"session_id": "sessions", "author_id": "participants", "merged_into": "notes"}
)
register_table("mou", "mou", MouRecord.from_dict)
register_table("mou_versions", "mou_version", MouVersion.from_dict)
register_table("mou_positions", "mou_position", Position.from_dict)
register_table("mou_amendments", "mou_amendment", Amendment.from_dict, {"participant_id": "participants"})
register_table("mou_signatures", "mou_signature", Signature.from_dict)
register_table("scoring_rounds", "scoring_round", ScoringRound.from_dict)
register_table(
    "scoring_ratings",
    "scoring_rating",
    ScoringRating.from_dict,
    {"round_id": "scoring_rounds", "participant_id": "participants"},
)
register_table("context_profiles", "context_profile", _profile)
register_table("redaction_terms", "redaction_terms", RedactionTerms.from_dict)
register_table("audit", "audit", AuditEntry.from_dict, {"participant_id": "participants"})
register_table("consent_changes", "consent_change", ConsentChange.from_dict, {"participant_id": "participants"})
register_table("exports", "export_record", ExportRecord.from_dict)
register_table("mou_translations", "mou_translation", ClauseTranslation.from_dict)
register_table("glossary", "glossary_term", GlossaryTerm.from_dict)
# Care and accountability (issue 16): the joint risk register and the mutual-aid ledger.
register_table("risks", "risk", Risk.from_dict, {"author_id": "participants", "note_id": "notes"})
register_table("risk_ratings", "risk_rating", RiskRating.from_dict, {"risk_id": "risks"})
register_table("ledger", "ledger_entry", LedgerEntry.from_dict, {"author_id": "participants", "refers_to": "ledger"})
# After-action reflections (issue 16).
register_table("reflections", "reflection", Reflection.from_dict, {"author_id": "participants"})
# Run the room (issue 15): themes, dot votes, opinion groups.
register_table("themes", "theme", Theme.from_dict, {"session_id": "sessions"})
register_table("votes", "vote", Vote.from_dict, {"session_id": "sessions"})
register_table("ballots", "ballot", Ballot.from_dict, {"vote_id": "votes", "participant_id": "participants"})
register_table("statements", "statement", Statement.from_dict, {"session_id": "sessions", "note_id": "notes"})
register_table(
    "opinion_answers",
    "opinion_answer",
    OpinionAnswer.from_dict,
    {"statement_id": "statements", "participant_id": "participants"},
)
# Agenda (issue 15).
register_table("agenda", "agenda_block", AgendaBlock.from_dict)
