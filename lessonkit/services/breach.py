"""The breach protocol: after a laptop was seized, lost, searched or copied, what is out there and whom to warn.

:func:`breach_report` reads the convening (unlocked: it names people, for the facilitator's eyes only) and answers:

- what left this laptop: every line of the export log (issue 10) with what it was, when, at which level, the file
  name, and whose words were in it;
- who to warn first: every participant with words stored at ``restricted`` or ``convening`` level (what the
  encryption protected, and what a readable copy would give away), most restricted first, and who of them had words
  in an export. Their words are every record they wrote (:data:`WORDS`: notes, reflections, risks they raised, the
  ledger lines whose evidence is theirs), counted by level;
- a checklist (:func:`checklist`), the same as in ``facilitator_guides/safety.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lessonkit.domain.export_record import ExportRecord
from lessonkit.domain.ledger import Entry
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.records import Note, Participant
from lessonkit.domain.reflections import Reflection
from lessonkit.domain.risks import Risk
from lessonkit.i18n import _
from lessonkit.services.export_log import list_exports
from lessonkit.services.participants import people_in
from lessonkit.store.base import Store


@dataclass(frozen=True)
class Exposed:
    """One participant and what of theirs is stored, and how often their words went out."""

    person: Participant
    stored: dict[str, int]  # sensitivity value -> how many of their records (any of WORDS) are stored at it
    exported: int = 0  # how many exports held their words

    @property
    def urgent(self) -> tuple[int, int, int]:
        return (-self.stored.get("restricted", 0), -self.stored.get("convening", 0), -self.exported)

    def to_dict(self) -> dict[str, Any]:
        return {
            "participant_id": self.person.id,
            "name": self.person.name,
            "pseudonym": self.person.pseudonym,
            "stored": dict(self.stored),
            "exports": self.exported,
        }


@dataclass(frozen=True)
class BreachReport:
    slug: str
    encrypted: bool
    exports: list[ExportRecord]
    people: dict[int, Participant]
    warn_first: list[Exposed]
    checklist: list[str] = field(default_factory=list)

    def whose(self, record: ExportRecord) -> list[Participant]:
        return [self.people[i] for i in record.participant_ids if i in self.people]

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "encrypted": self.encrypted,
            "exports": [
                {
                    **{k: v for k, v in r.to_dict().items() if k != "schema_version"},
                    "participants": [{"id": p.id, "name": p.name, "pseudonym": p.pseudonym} for p in self.whose(r)],
                }
                for r in self.exports
            ],
            "warn_first": [e.to_dict() for e in self.warn_first],
            "checklist": list(self.checklist),
        }


def checklist(slug: str, encrypted: bool) -> list[str]:
    """What to do, in order (kept word for word in ``facilitator_guides/safety.md``)."""
    steps = [
        _("Lock the convening now: lessonkit convening lock {slug} (every workbook forgets the key).").format(
            slug=slug
        ),
        _(
            "Rotate: lessonkit convening passphrase {slug} --new-key (a new passphrase and a new key). Copies already "
            "taken keep the old key: if the old passphrase may be known, treat them as readable."
        ).format(slug=slug),
        _(
            "Tell partners through the channels agreed with them (not from this laptop if it may be watched): which "
            "files left, when, and at which level (the list above)."
        ),
        _(
            "Revoke bundles' recipients: ask every partner who received an encrypted bundle to delete it if their key "
            "may be exposed too, stop sending to that key, and drop an exposed recovery key by making a new key."
        ),
        _(
            "Warn the people listed first above, through the channel each agreed to at registration: they have words "
            "stored at restricted or convening level, or in files that left."
        ),
        _(
            "To a participant whose words leaked, say what (which session, at which level, redacted or not), when, "
            "who may hold it, and what you are doing; offer to withdraw their words and to change their pseudonym; "
            "do not guess beyond what you know."
        ),
        _("Write down what happened and what you did, somewhere other than this laptop."),
    ]
    if not encrypted:
        steps.insert(
            1,
            _(
                "This convening was NOT encrypted: assume everything in it can be read (names, join codes, every "
                "note). Warn everyone, and encrypt what you keep: lessonkit convening encrypt {slug}."
            ).format(slug=slug),
        )
    return steps


#: the tables holding a person's own words, each with its record type (all carry ``author_id`` and ``sensitivity``)
WORDS: dict[str, Any] = {"notes": Note, "reflections": Reflection, "risks": Risk, "ledger": Entry}


def breach_report(store: Store, slug: str, encrypted: bool) -> BreachReport:
    """The report for convening ``slug`` (``encrypted``: whether it was encrypted at rest)."""
    exports = list_exports(store)
    with store.read() as tx:
        people = people_in(tx)
        records = [kind.from_dict(d) for table, kind in WORDS.items() for d in tx.all(table)]
    counts: dict[int, dict[str, int]] = {}
    for record in records:
        if record.author_id is not None:
            by_level = counts.setdefault(record.author_id, {})
            by_level[record.sensitivity.value] = by_level.get(record.sensitivity.value, 0) + 1
    went_out: dict[int, int] = {}
    for record in exports:
        for pid in record.participant_ids:
            went_out[pid] = went_out.get(pid, 0) + 1
    private = {Sensitivity.RESTRICTED.value, Sensitivity.CONVENING.value}
    exposed = [
        Exposed(person, counts.get(pid, {}), went_out.get(pid, 0))
        for pid, person in people.items()
        if private & set(counts.get(pid, {})) or went_out.get(pid)
    ]
    exposed.sort(key=lambda e: (e.urgent, e.person.id or 0))
    return BreachReport(slug, encrypted, exports, people, exposed, checklist(slug, encrypted))
