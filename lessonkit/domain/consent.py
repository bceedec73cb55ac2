"""Consent that can change: which way a change goes, the record each change leaves, consent in plain words.

A change *narrows* when every part is as protective as before or more (not recording, crediting less, sharing
less widely) and *widens* when any part is less protective; one that does both is *mixed* and is treated as
widening. Narrowing takes effect at once; widening by the facilitator needs the person's confirmation written in
the note of the change. Pure: no store, no files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.levels import Attribution, parse_enum
from lessonkit.domain.records import Consent, Participant
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.i18n import _, pgettext

#: Reviews due within this many days are listed as coming up.
DUE_SOON_DAYS = 7
MAX_CHANGE_NOTE = 500

# From the widest credit to the most protective.
_CREDIT_ORDER = [Attribution.NAMED, Attribution.PSEUDONYM, Attribution.ANONYMOUS]


class Direction(str, Enum):
    SAME = "same"
    NARROWER = "narrower"
    WIDER = "wider"
    MIXED = "mixed"  # narrower in one part, wider in another: treated as widening

    @property
    def widens(self) -> bool:
        return self in (Direction.WIDER, Direction.MIXED)


def direction_label(direction: Direction) -> str:
    """Which way a change went, for a person to read."""
    return {
        Direction.SAME: pgettext("change of a consent", "unchanged"),
        Direction.NARROWER: pgettext("change of a consent", "narrower"),
        Direction.WIDER: pgettext("change of a consent", "wider"),
        Direction.MIXED: pgettext("change of a consent", "wider in part"),
    }[direction]


def compare(old: Consent, new: Consent) -> Direction:
    """Which way ``new`` goes from ``old``. Stopping recording always narrows; starting it always widens."""
    if old.record != new.record:
        return Direction.NARROWER if not new.record else Direction.WIDER
    steps = [
        _CREDIT_ORDER.index(new.attribution) - _CREDIT_ORDER.index(old.attribution),
        new.share_up_to.rank - old.share_up_to.rank,  # a higher rank is more private
    ]
    narrower = any(s > 0 for s in steps)
    wider = any(s < 0 for s in steps)
    if narrower and wider:
        return Direction.MIXED
    if wider:
        return Direction.WIDER
    return Direction.NARROWER if narrower else Direction.SAME


def with_changes(consent: Consent, changes: dict[str, Any]) -> Consent:
    """``consent`` with the given parts changed (keys as in ``Consent.to_dict``; None values are ignored)."""
    data = consent.to_dict()
    data.update({k: val for k, val in changes.items() if val is not None})
    if changes.get("review_date") == "":
        data["review_date"] = None
    return Consent.from_dict(data)


# Who changed a consent, when no name was given: stored as these codes, said in the reader's language when shown.
BY_PARTICIPANT = "participant"
BY_FACILITATOR = "facilitator"
# The note of the change a withdrawal makes (a code; a note a person typed is kept as typed).
WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class ConsentChange:
    """One change of one person's consent: when, by whom, from what to what, and why."""

    participant_id: int
    before: Consent
    after: Consent
    by: str  # who made it: a name, or BY_PARTICIPANT / BY_FACILITATOR (by_participant says the person did it)
    by_participant: bool = False
    note: str = ""  # for a widening by the facilitator: the person's confirmation
    at: datetime = field(default_factory=v.now)
    id: int | None = None

    @property
    def direction(self) -> Direction:
        return compare(self.before, self.after)

    @property
    def shown_by(self) -> str:
        """Who made the change, for a person to read (a name as written; the person themselves or "a facilitator"
        in the reader's language). Changes stored before the codes, in whatever language, read the same way."""
        if self.by_participant:
            return pgettext("who changed a consent", "the participant themselves")
        if self.by in ("", BY_FACILITATOR):
            return pgettext("who changed a consent", "a facilitator")
        return self.by

    @property
    def shown_note(self) -> str:
        return pgettext("change of a consent", "withdrawn") if self.note == WITHDRAWN else self.note

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConsentChange:
        data = upgrade("consent_change", data)
        return cls(
            id=data.get("id"),
            participant_id=int(data["participant_id"]),
            before=Consent.from_dict(data.get("before")),
            after=Consent.from_dict(data.get("after")),
            by=v.text("by", data.get("by"), max_length=120, required=False),
            by_participant=v.boolean("by_participant", data.get("by_participant", False)),
            note=v.text("note", data.get("note"), max_length=MAX_CHANGE_NOTE, required=False),
            at=v.iso_datetime("at", data["at"]) if data.get("at") else v.now(),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["consent_change"],
            "participant_id": self.participant_id,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "direction": self.direction.value,
            "by": self.by,
            "by_participant": self.by_participant,
            "note": self.note,
            "at": self.at.isoformat(),
        }


def review_state(consent: Consent, today: date) -> str | None:
    """'overdue', 'due soon' (within DUE_SOON_DAYS) or None."""
    due = consent.review_date
    if due is None or not consent.record:
        return None
    if due < today:
        return "overdue"
    if due <= today + timedelta(days=DUE_SOON_DAYS):
        return "due soon"
    return None


def attribution_choice(attribution: Attribution) -> str:
    return {
        Attribution.NAMED: _("my name inside this convening, my pseudonym outside it"),
        Attribution.PSEUDONYM: _("my pseudonym"),
        Attribution.ANONYMOUS: _("no name: “a participant”"),
    }[attribution]


def plain_words(person: Participant) -> list[str]:
    """The person's consent as short sentences they can read on a phone."""
    c = person.consent
    if not c.record:
        return [_("Your words are not recorded: nothing you write here is saved.")]
    credit = {  # the person's name is never shown here: whoever holds the code sees this
        Attribution.NAMED: _(
            "Inside this convening your notes carry your name; outside it, your pseudonym {pseudonym}."
        ),
        Attribution.PSEUDONYM: _("Your notes carry your pseudonym, {pseudonym}."),
        Attribution.ANONYMOUS: _("Your notes carry no name: they say “a participant”."),
    }[c.attribution].format(pseudonym=person.pseudonym or _("(none yet)"))
    reach = {
        "public": _("They may be shared with anyone, in public reports too."),
        "network": _("They may reach partner groups of the network, never the public."),
        "convening": _("They stay with the people of this convening."),
        "restricted": _("Only the facilitators see them."),
    }[c.share_up_to.value]
    lines = [_("Your notes are saved."), credit, reach]
    if c.review_date:
        lines.append(_("We will check this with you again on {date}.").format(date=c.review_date.isoformat()))
    return lines


def parse_attribution(value: object) -> Attribution:
    return parse_enum(Attribution, "attribution", value)  # type: ignore[return-value]
