"""Dot votes on priorities: a vote with K dots per participant over a fixed list of items (themes or notes), and
the ballots people cast.

Ballots are only ever added: casting again adds a new ballot, and the latest ballot of each voter is the one that
counts (:func:`latest_ballots`). So thirty phones casting at once never overwrite one another, and a recast replaces
the earlier ballot by arrival order, without a read-modify-write.

An anonymous vote still asks for the join code (one ballot per person), but its ballots do not carry the person: they
carry a tag, ``HMAC-SHA256(vote key, participant id)``, the same for every ballot of one person in one vote and
meaningless without the vote's key. The key is random, lives in the vote record only while the vote is open, and is
erased when it closes; after that nothing on the laptop links a ballot to a person.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.levels import Sensitivity, parse_enum
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.domain.themes import note_ids
from lessonkit.errors import ValidationError
from lessonkit.i18n import _, ngettext

MAX_DOTS = 20
KEY_BYTES = 32


class VoteOn(str, Enum):
    """What the dots go on."""

    THEMES = "themes"
    NOTES = "notes"


def _positive_id(field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(field, _("'{value}' is not a record number.").format(value=value))
    return value


def check_dot_count(field: str, value: object) -> int:
    """K, the dots each participant has: a whole number from 1 to MAX_DOTS."""
    try:
        dots = int(str(value).strip()) if not isinstance(value, bool) else -1
    except ValueError:
        dots = -1
    if not 1 <= dots <= MAX_DOTS:
        raise ValidationError(
            field, _("'{value}' is not a number of dots from 1 to {n}.").format(value=value, n=MAX_DOTS)
        )
    return dots


@dataclass(frozen=True)
class Vote:
    session_id: int
    dots: int
    on: VoteOn
    items: tuple[int, ...]  # the themes or notes open to dots, fixed when the vote opened
    anonymous: bool = False
    audience: Sensitivity = Sensitivity.CONVENING  # the widest level that sees the items (participants' phones)
    is_open: bool = True
    key: str = ""  # anonymous votes, while open: the secret the ballots' tags are made with (erased at closing)
    opened: datetime = field(default_factory=v.now)
    closed: datetime | None = None
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Vote:
        data = upgrade("vote", data)
        key = str(data.get("key") or "")
        if key and (len(key) != 2 * KEY_BYTES or any(c not in "0123456789abcdef" for c in key)):
            raise ValidationError("key", _("is not a vote key."))
        return cls(
            id=data.get("id"),
            session_id=_positive_id("session_id", data.get("session_id")),
            dots=check_dot_count("dots", data.get("dots")),
            on=parse_enum(VoteOn, "on", data.get("on")),  # type: ignore[arg-type]
            items=note_ids("items", data.get("items"), required=False),
            anonymous=v.boolean("anonymous", data.get("anonymous", False)),
            audience=parse_enum(Sensitivity, "audience", data.get("audience", "convening")),  # type: ignore[arg-type]
            is_open=v.boolean("is_open", data.get("is_open", True)),
            key=key,
            opened=v.iso_datetime("opened", data["opened"]) if data.get("opened") else v.now(),
            closed=v.iso_datetime("closed", data["closed"]) if data.get("closed") else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["vote"],
            "session_id": self.session_id,
            "dots": self.dots,
            "on": self.on.value,
            "items": list(self.items),
            "anonymous": self.anonymous,
            "audience": self.audience.value,
            "is_open": self.is_open,
            "key": self.key,
            "opened": self.opened.isoformat(),
            "closed": self.closed.isoformat() if self.closed else None,
        }


def new_key() -> str:
    return secrets.token_hex(KEY_BYTES)


def anonymous_tag(key: str, vote_id: int, participant_id: int) -> str:
    """The tag an anonymous vote's ballots carry instead of the person (see the module's docstring)."""
    if not key:
        raise ValueError("an anonymous vote without its key is closed")
    message = f"lessonkit-vote:{vote_id}:{participant_id}".encode()
    return hmac.new(bytes.fromhex(key), message, hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Ballot:
    vote_id: int
    dots: tuple[int, ...]  # item ids, one per dot: an item given twice has two dots
    participant_id: int | None = None  # None in an anonymous vote
    voter: str = ""  # in an anonymous vote, the tag that tells one person's ballots from another's
    source: str = "form"  # "form" (a phone) or "paper" (typed in by the facilitator)
    created: datetime | None = None  # not kept in an anonymous vote
    id: int | None = None

    @property
    def voter_key(self) -> str:
        """Whose ballot this is, for keeping each voter's latest: a participant or an anonymous tag."""
        return f"p{self.participant_id}" if self.participant_id is not None else f"a{self.voter}"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Ballot:
        data = upgrade("ballot", data)
        participant = data.get("participant_id")
        voter = str(data.get("voter") or "")
        if (participant is None) == (not voter):
            raise ValidationError("voter", _("a ballot belongs to one participant, or carries one anonymous tag."))
        dots = data.get("dots")
        if not isinstance(dots, (list, tuple)) or not dots:
            raise ValidationError("dots", _("place at least one dot."))
        source = str(data.get("source") or "form")
        if source not in ("form", "paper"):
            raise ValidationError("source", _("is 'form' or 'paper'."))
        return cls(
            id=data.get("id"),
            vote_id=_positive_id("vote_id", data.get("vote_id")),
            dots=tuple(_positive_id("dots", d) for d in dots),
            participant_id=None if participant is None else _positive_id("participant_id", participant),
            voter=voter,
            source=source,
            created=v.iso_datetime("created", data["created"]) if data.get("created") else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["ballot"],
            "vote_id": self.vote_id,
            "dots": list(self.dots),
            "participant_id": self.participant_id,
            "voter": self.voter,
            "source": self.source,
            "created": self.created.isoformat() if self.created else None,
        }


def check_dots(vote: Vote, chosen: Iterable[object]) -> tuple[int, ...]:
    """The dots of a ballot: from 1 to K of them, each on an item of the vote (repeats stack)."""
    dots: list[int] = []
    for item in chosen:
        try:
            number = int(str(item).strip().lstrip("#"))
        except ValueError:
            raise ValidationError("item", _("'{value}' is not an item number.").format(value=item)) from None
        if number not in vote.items:
            raise ValidationError(
                "item",
                _("{item} is not one of this vote's items ({items}).").format(
                    item=number, items=", ".join(str(i) for i in vote.items)
                ),
            )
        dots.append(number)
    if not dots:
        raise ValidationError("item", _("place at least one dot."))
    if len(dots) > vote.dots:
        raise ValidationError(
            "item",
            ngettext(
                "that is {n} dots; each person has {k} dot.",
                "that is {n} dots; each person has {k} dots.",
                vote.dots,
            ).format(n=len(dots), k=vote.dots),
        )
    return tuple(dots)


def latest_ballots(ballots: Iterable[Ballot]) -> list[Ballot]:
    """Each voter's latest ballot (the highest id: ids follow arrival), in id order."""
    latest: dict[str, Ballot] = {}
    for b in sorted(ballots, key=lambda b: b.id or 0):
        latest[b.voter_key] = b
    return sorted(latest.values(), key=lambda b: b.id or 0)


@dataclass(frozen=True)
class Tally:
    item: int
    dots: int


def tally(ballots: Iterable[Ballot], items: Sequence[int]) -> list[Tally]:
    """Dots per item from each voter's latest ballot: every item listed, most dots first (ties: the vote's order)."""
    counts = Counter(d for b in latest_ballots(ballots) for d in b.dots if d in items)
    order = {item: i for i, item in enumerate(items)}
    return sorted((Tally(item, counts.get(item, 0)) for item in items), key=lambda t: (-t.dots, order[t.item]))
