"""Positions on clauses, decided by consent (as in Loomio): agree, concern, or block.

Each party takes a position on each clause. Positions are never overwritten: a new position is added and the
latest one per party and clause counts. A block stops agreement and signing until the blocking party
changes its position; concerns do not stop anything but stay listed until they are withdrawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.levels import parse_enum
from lessonkit.domain.mou import MouVersion, Party, clause_body
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.errors import ValidationError
from lessonkit.i18n import _, ngettext

MAX_REASON_LENGTH = 2000


class Stance(str, Enum):
    AGREE = "agree"
    CONCERN = "concern"
    BLOCK = "block"


def stance_label(stance: Stance) -> str:
    return {Stance.AGREE: _("Agree"), Stance.CONCERN: _("Concern"), Stance.BLOCK: _("Block")}[stance]


@dataclass(frozen=True)
class Position:
    party: str
    clause_key: str
    stance: Stance
    reason: str
    version: int
    recorded_by: str = ""
    created: datetime = field(default_factory=v.now)
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Position:
        data = upgrade("mou_position", data)
        stance: Stance = parse_enum(Stance, "stance", data.get("stance"))  # type: ignore[assignment]
        reason = v.text("reason", data.get("reason"), max_length=MAX_REASON_LENGTH, required=False)
        if stance is Stance.BLOCK and not reason:
            raise ValidationError(
                "reason", _("a block needs a reason: say what would have to change for the party to consent.")
            )
        return cls(
            id=data.get("id"),
            party=v.text("party", data.get("party"), max_length=200),
            clause_key=v.text("clause", data.get("clause_key"), max_length=63),
            stance=stance,
            reason=reason,
            version=int(data["version"]),
            recorded_by=v.text("recorded_by", data.get("recorded_by"), max_length=120, required=False),
            created=v.iso_datetime("created", data["created"]) if data.get("created") else v.now(),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["mou_position"],
            "party": self.party,
            "clause_key": self.clause_key,
            "stance": self.stance.value,
            "reason": self.reason,
            "version": self.version,
            "recorded_by": self.recorded_by,
            "created": self.created.isoformat(),
        }


def current_positions(positions: Iterable[Position]) -> dict[tuple[str, str], Position]:
    """The latest position of each (party, clause), keyed by (party name folded, clause key)."""
    latest: dict[tuple[str, str], Position] = {}
    ordered = sorted(positions, key=lambda p: (p.id is None, p.id or 0, p.created))
    for p in ordered:
        latest[(p.party.casefold(), p.clause_key)] = p
    return latest


def _counted(positions: Iterable[Position], version: MouVersion, parties: Iterable[Party]) -> list[Position]:
    """Current positions of present parties on clauses that still exist, in clause order."""
    names = {p.name.casefold() for p in parties}
    keys = version.keys()
    current = [p for p in current_positions(positions).values() if p.party.casefold() in names and p.clause_key in keys]
    return sorted(current, key=lambda p: (keys.index(p.clause_key), p.party.casefold()))


def open_blocks(positions: Iterable[Position], version: MouVersion, parties: Iterable[Party]) -> list[Position]:
    """Blocks that stop agreement and signing."""
    return [p for p in _counted(positions, version, parties) if p.stance is Stance.BLOCK]


def open_concerns(positions: Iterable[Position], version: MouVersion, parties: Iterable[Party]) -> list[Position]:
    """Concerns that stay listed (they do not stop anything)."""
    return [p for p in _counted(positions, version, parties) if p.stance is Stance.CONCERN]


def missing_positions(
    positions: Iterable[Position], version: MouVersion, parties: Iterable[Party]
) -> list[tuple[str, str]]:
    """(party, clause key) pairs with no position yet: silence does not block, but it is shown."""
    current = current_positions(positions)
    return [(p.name, c.key) for c in version.clauses for p in parties if (p.name.casefold(), c.key) not in current]


def is_stale(position: Position, taken_on: MouVersion | None, latest: MouVersion) -> bool:
    """True when the clause's text changed after the position was taken (the party may want to look again)."""
    now = latest.clause(position.clause_key)
    then = taken_on.clause(position.clause_key) if taken_on else None
    return now is not None and (then is None or clause_body(then) != clause_body(now))


def check_blocks_resolved(blocks: list[Position], action: str) -> None:
    """Refuse ``action`` ("agreed", "renewed": the status asked for; "sign") while any block is open; the message
    names each block."""
    if not blocks:
        return
    listed = "; ".join(
        _("{party} on '{clause}': {reason}").format(party=b.party, clause=b.clause_key, reason=b.reason) for b in blocks
    )
    n = len(blocks)
    refused = {
        "agreed": ngettext(
            "the memorandum cannot be marked agreed while {n} block is open ({listed}).",
            "the memorandum cannot be marked agreed while {n} blocks are open ({listed}).",
            n,
        ),
        "renewed": ngettext(
            "the memorandum cannot be marked renewed while {n} block is open ({listed}).",
            "the memorandum cannot be marked renewed while {n} blocks are open ({listed}).",
            n,
        ),
        "sign": ngettext(
            "the memorandum cannot be signed while {n} block is open ({listed}).",
            "the memorandum cannot be signed while {n} blocks are open ({listed}).",
            n,
        ),
    }[action]
    lifted = _("A block is lifted when the blocking party records a new position (agree or concern).")
    raise ValidationError("blocks", refused.format(n=n, listed=listed) + " " + lifted)
