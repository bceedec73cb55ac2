"""The mutual-aid ledger: resources between groups, written once and never edited or deleted.

Each line is an :class:`Entry` with an ``op``:

- ``entry``: a resource pledged or moved from one group to another (kind, quantity and unit, what for, status);
- ``reversal``: cancels an earlier line (its accounting copied, counted with the opposite sign), with a reason;
- ``correction``: the line that replaces a reversed one, linked to it, with the same reason;
- ``status``: the status of a live line changed (pledged → delivered → used, or returned), on a date.

A correction is always written as a reversal plus a correction, both pointing at the line corrected (``refers_to``).
Status changes point at the line they change and copy its accounting, so every line reads on its own. The evidence
notes of a line may be a person's words (``author_id``): withdrawing their consent replaces those words and nothing
else. What the lines add up to is in :mod:`lessonkit.domain.ledger_book`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.levels import Sensitivity, parse_enum
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.errors import ValidationError
from lessonkit.i18n import _

MAX_PARTY = 200
MAX_UNIT = 40
MAX_WHAT = 500
MAX_EVIDENCE = 2000
MAX_QUANTITY = 10**12


class ResourceKind(str, Enum):
    MONEY = "money"
    GOODS = "goods"
    SKILLS = "skills"
    TIME = "time"
    SPACE = "space"


class Status(str, Enum):
    PLEDGED = "pledged"
    DELIVERED = "delivered"
    USED = "used"
    RETURNED = "returned"


class Op(str, Enum):
    ENTRY = "entry"
    REVERSAL = "reversal"
    CORRECTION = "correction"
    STATUS = "status"


#: The status changes a line may take (a wrong status is fixed by a correction instead).
TRANSITIONS: dict[Status, tuple[Status, ...]] = {
    Status.PLEDGED: (Status.DELIVERED, Status.RETURNED),
    Status.DELIVERED: (Status.USED, Status.RETURNED),
    Status.USED: (),
    Status.RETURNED: (),
}
#: Statuses whose quantity moved from one group to the other (counted in the balance).
MOVED = (Status.DELIVERED, Status.USED)


def kind_label(kind: ResourceKind) -> str:
    return {
        ResourceKind.MONEY: _("money"),
        ResourceKind.GOODS: _("goods"),
        ResourceKind.SKILLS: _("skills"),
        ResourceKind.TIME: _("time"),
        ResourceKind.SPACE: _("space"),
    }[kind]


def status_label(status: Status) -> str:
    return {
        Status.PLEDGED: _("pledged"),
        Status.DELIVERED: _("delivered"),
        Status.USED: _("used"),
        Status.RETURNED: _("returned"),
    }[status]


def op_label(op: Op) -> str:
    return {
        Op.ENTRY: _("entry"),
        Op.REVERSAL: _("reversal"),
        Op.CORRECTION: _("correction"),
        Op.STATUS: _("status change"),
    }[op]


def quantity(field: str, value: object) -> float:
    """A quantity: a number greater than zero (a whole number is kept whole), at most six decimals."""
    if isinstance(value, bool):
        raise ValidationError(field, _("must be a number greater than zero."))
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            raise ValidationError(field, _("'{value}' is not a number.").format(value=value)) from None
    if not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ValidationError(field, _("'{value}' is not a number greater than zero.").format(value=value))
    if value > MAX_QUANTITY:
        raise ValidationError(field, _("is too large: at most {n}.").format(n=MAX_QUANTITY))
    return number(value)


def number(value: float) -> float:
    """``value`` rounded to six decimals, as an int when it is whole (so JSON shows 50, not 50.0)."""
    rounded = round(float(value), 6)
    return int(rounded) if rounded.is_integer() else rounded


def _ref(field: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(field, _("must be a ledger line's number."))
    return value


@dataclass(frozen=True)
class Entry:
    """One line of the ledger (see the module's docstring)."""

    giver: str
    receiver: str
    kind: ResourceKind
    quantity: float
    unit: str
    what: str
    status: Status = Status.PLEDGED
    on: date = field(default_factory=lambda: v.now().date())
    due: date | None = None
    evidence: str = ""
    author_id: int | None = None  # whose words the evidence notes are (None: nobody's in particular)
    sensitivity: Sensitivity = Sensitivity.CONVENING
    op: Op = Op.ENTRY
    refers_to: int | None = None
    reason: str = ""
    recorded: datetime = field(default_factory=v.now)
    id: int | None = None

    @property
    def counts(self) -> bool:
        """An entry or a correction (a line that may be live); reversals and status changes only act on one."""
        return self.op in (Op.ENTRY, Op.CORRECTION)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        data = upgrade("ledger_entry", data)
        op: Op = parse_enum(Op, "op", data.get("op") or "entry")  # type: ignore[assignment]
        refers_to = _ref("refers_to", data.get("refers_to"))
        if (op is Op.ENTRY) != (refers_to is None):
            raise ValidationError(
                "refers_to", _("a reversal, correction or status change points at a line; an entry does not.")
            )
        giver = v.text("from", data.get("from"), max_length=MAX_PARTY, multiline=False)
        receiver = v.text("to", data.get("to"), max_length=MAX_PARTY, multiline=False)
        if giver.casefold() == receiver.casefold():
            raise ValidationError("to", _("a resource goes from one group to another: name two different groups."))
        reason = v.text("reason", data.get("reason"), max_length=MAX_WHAT, required=False)
        if op in (Op.REVERSAL, Op.CORRECTION) and not reason:
            raise ValidationError("reason", _("say why the line is corrected."))
        author = data.get("author_id")
        if author is not None and (isinstance(author, bool) or not isinstance(author, int)):
            raise ValidationError("author_id", _("must be a participant's number."))
        on = v.iso_date("on", data.get("on")) or v.now().date()
        due = v.iso_date("due", data.get("due"))
        return cls(
            id=data.get("id"),
            op=op,
            refers_to=refers_to,
            giver=giver,
            receiver=receiver,
            kind=parse_enum(ResourceKind, "kind", data.get("kind")),  # type: ignore[arg-type]
            quantity=quantity("quantity", data.get("quantity")),
            unit=v.text("unit", data.get("unit"), max_length=MAX_UNIT, multiline=False),
            what=v.text("what", data.get("what"), max_length=MAX_WHAT, multiline=False),
            status=parse_enum(Status, "status", data.get("status") or "pledged"),  # type: ignore[arg-type]
            on=on,
            due=due,
            evidence=v.text("evidence", data.get("evidence"), max_length=MAX_EVIDENCE, required=False),
            author_id=author,
            sensitivity=parse_enum(Sensitivity, "sensitivity", data.get("sensitivity") or "convening"),  # type: ignore[arg-type]
            reason=reason,
            recorded=v.iso_datetime("recorded", data["recorded"]) if data.get("recorded") else v.now(),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["ledger_entry"],
            "op": self.op.value,
            "refers_to": self.refers_to,
            "from": self.giver,
            "to": self.receiver,
            "kind": self.kind.value,
            "quantity": self.quantity,
            "unit": self.unit,
            "what": self.what,
            "status": self.status.value,
            "on": self.on.isoformat(),
            "due": self.due.isoformat() if self.due else None,
            "evidence": self.evidence,
            "author_id": self.author_id,
            "sensitivity": self.sensitivity.value,
            "reason": self.reason,
            "recorded": self.recorded.isoformat(),
        }
