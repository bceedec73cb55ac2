"""What the ledger's lines add up to, in pure functions: which lines are live and in which status, each group's
balance, what each group holds, the pledges past their date, and the lines a correction or a status change adds.

A line is *live* when it is an entry or a correction that no reversal points at. Its status is the one of the last
status change pointing at it, else its own. Only live lines count; a reversal cancels the line it points at.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.ledger import MOVED, TRANSITIONS, Entry, Op, ResourceKind, Status, number, op_label, status_label
from lessonkit.domain.levels import parse_enum
from lessonkit.domain.mou_schedule import SOON_DAYS, DueItem, due_state
from lessonkit.errors import NotFoundError, ValidationError
from lessonkit.i18n import _

#: Fields a correction may change.
CORRECTABLE = ("from", "to", "kind", "quantity", "unit", "what", "status", "on", "due", "evidence", "sensitivity")
#: Kinds of resource a group can hold as stock.
STOCKED = (ResourceKind.MONEY, ResourceKind.GOODS)


@dataclass(frozen=True)
class Book:
    """Every line of a ledger, in the order written (indexed once: each question costs a lookup, not a scan)."""

    lines: tuple[Entry, ...]

    @classmethod
    def of(cls, lines: Iterable[Entry]) -> Book:
        return cls(tuple(sorted(lines, key=lambda e: e.id or 0)))

    @cached_property
    def _by_id(self) -> dict[int, Entry]:
        return {e.id: e for e in self.lines if e.id is not None}

    @cached_property
    def _pointing(self) -> dict[tuple[int, Op], list[Entry]]:
        found: defaultdict[tuple[int, Op], list[Entry]] = defaultdict(list)
        for e in self.lines:
            if e.refers_to is not None:
                found[(e.refers_to, e.op)].append(e)
        return dict(found)

    def get(self, line_id: int) -> Entry | None:
        return self._by_id.get(line_id)

    def pointing_at(self, line_id: int, op: Op) -> list[Entry]:
        """The lines of kind ``op`` that point at ``line_id``, in the order written."""
        return self._pointing.get((line_id, op), [])

    def is_live(self, line: Entry) -> bool:
        return line.counts and not self.pointing_at(line.id or 0, Op.REVERSAL)

    def live(self) -> list[Entry]:
        """The live lines, each with its current status."""
        return list(self._live)

    @cached_property
    def _live(self) -> tuple[Entry, ...]:
        return tuple(self.current(e) for e in self.lines if self.is_live(e))

    def status_of(self, line: Entry) -> Status:
        changes = self.pointing_at(line.id or 0, Op.STATUS)
        return changes[-1].status if changes else line.status

    def current(self, line: Entry) -> Entry:
        """``line`` with its current status."""
        status = self.status_of(line)
        return line if status is line.status else replace(line, status=status)

    def replacement_of(self, line_id: int) -> Entry | None:
        found = self.pointing_at(line_id, Op.CORRECTION)
        return found[-1] if found else None

    def successor(self, line_id: int) -> Entry | None:
        """The live line that stands for ``line_id`` now: itself, the line that corrected it (or corrected that
        one), the line a reversal or status change acts on; None when it was cancelled or is not there."""
        line = self.get(line_id)
        seen: set[int] = set()
        while line is not None and line.id not in seen:
            seen.add(line.id or 0)
            if not line.counts:
                line = self.get(line.refers_to or 0)
            elif self.is_live(line):
                return line
            else:
                line = self.replacement_of(line.id or 0)
        return None

    def live_line(self, line_id: int) -> Entry:
        """The live line ``line_id`` with its current status, or an error that says which line to use instead."""
        line = self.get(line_id)
        if line is None:
            raise NotFoundError(_("There is no line {id} in the ledger.").format(id=line_id))
        if line.counts and self.is_live(line):
            return self.current(line)
        now = self.successor(line_id)
        if now is None:
            raise ValidationError("id", _("line {id} was cancelled: it can no longer change.").format(id=line_id))
        if not line.counts:
            raise ValidationError(
                "id",
                _("line {id} ({op}) refers to line {ref}: act on line {live} instead.").format(
                    id=line_id, op=op_label(line.op), ref=line.refers_to, live=now.id
                ),
            )
        raise ValidationError(
            "id", _("line {id} was corrected: act on line {new} instead.").format(id=line_id, new=now.id)
        )


@dataclass(frozen=True)
class BalanceRow:
    """What a group received and gave in one unit (delivered or used lines only), and the difference."""

    party: str
    unit: str
    received: float
    given: float

    @property
    def net(self) -> float:
        return number(self.received - self.given)

    def to_dict(self) -> dict[str, Any]:
        return {"party": self.party, "unit": self.unit, "received": self.received, "given": self.given, "net": self.net}


def _key(party: str, unit: str) -> tuple[str, str]:
    return (party.casefold(), unit.casefold())


def balance(book: Book) -> list[BalanceRow]:
    """Per group and unit, what was received and given on live lines that were delivered or used (pledges and
    returned resources moved nothing), alphabetical by group, then unit."""
    names: dict[tuple[str, str], tuple[str, str]] = {}
    received: defaultdict[tuple[str, str], list[float]] = defaultdict(list)
    given: defaultdict[tuple[str, str], list[float]] = defaultdict(list)
    for line in book.live():
        if line.status not in MOVED:
            continue
        for party, sums in ((line.receiver, received), (line.giver, given)):
            key = _key(party, line.unit)
            names.setdefault(key, (party, line.unit))
            sums[key].append(line.quantity)
    return [
        BalanceRow(names[k][0], names[k][1], number(math.fsum(received[k])), number(math.fsum(given[k])))
        for k in sorted(names)
    ]


@dataclass(frozen=True)
class StockRow:
    party: str
    unit: str
    kind: ResourceKind
    held: float


def stock(book: Book) -> list[StockRow]:
    """What each group holds now of money and goods: what it received and has not used yet, less what it passed on.
    Groups that hold nothing (or only gave) are not listed."""
    names: dict[tuple[str, str], tuple[str, str, ResourceKind]] = {}
    held: dict[tuple[str, str], list[float]] = {}
    for line in book.live():
        if line.kind not in STOCKED or line.status not in MOVED:
            continue
        if line.status is Status.DELIVERED:
            key = _key(line.receiver, line.unit)
            names.setdefault(key, (line.receiver, line.unit, line.kind))
            held.setdefault(key, []).append(line.quantity)
        key = _key(line.giver, line.unit)
        names.setdefault(key, (line.giver, line.unit, line.kind))
        held.setdefault(key, []).append(-line.quantity)
    rows = [StockRow(*names[k], number(math.fsum(held[k]))) for k in sorted(names)]
    return [r for r in rows if r.held > 0]


def open_pledges(book: Book) -> list[Entry]:
    """Live lines still pledged (not delivered), the earliest due first (those without a date last)."""
    pledged = [e for e in book.live() if e.status is Status.PLEDGED]
    return sorted(pledged, key=lambda e: (e.due is None, e.due or date.max, e.id or 0))


def open_needs(book: Book, today: date) -> list[Entry]:
    """Pledges not delivered and past their date."""
    return [e for e in open_pledges(book) if e.due is not None and e.due < today]


def pledge_items(book: Book, today: date, soon_days: int = SOON_DAYS) -> list[DueItem]:
    """Open pledges whose date has passed or comes within ``soon_days`` (for the shared "what is due")."""
    items = []
    for e in open_pledges(book):
        state = due_state(e.due, today, soon_days) if e.due else None
        if state is not None and e.due is not None:
            what = _("{giver} → {receiver}: {quantity} {unit} ({what}), pledged, not delivered").format(
                giver=e.giver, receiver=e.receiver, quantity=e.quantity, unit=e.unit, what=e.what
            )
            items.append(DueItem("pledge", what, e.due, state, e.giver))
    return items


def status_change(
    book: Book,
    line_id: int,
    new: Status | str,
    on: date | None = None,
    evidence: str = "",
    author_id: int | None = None,
    reason: str = "",
) -> Entry:
    """The line that records a live line's new status (pledged → delivered → used, or returned)."""
    line = book.live_line(line_id)
    target: Status = parse_enum(Status, "status", new)  # type: ignore[assignment]
    allowed = TRANSITIONS[line.status]
    if target not in allowed:
        nexts = ", ".join(status_label(s) for s in allowed) or _("none")
        raise ValidationError(
            "status",
            _("line {id} is '{cur}' and cannot become '{new}' (possible next: {nexts}); a wrong status is fixed "
              "with `ledger correct`.").format(id=line_id, cur=status_label(line.status), new=status_label(target),
                                               nexts=nexts),
        )
    data = {
        **line.to_dict(),
        "op": Op.STATUS.value,
        "refers_to": line.id,
        "status": target.value,
        "on": (on or v.now().date()).isoformat(),
        "evidence": evidence,
        "author_id": author_id if evidence else None,
        "reason": reason,
        "recorded": None,
    }
    return Entry.from_dict(data)


def correction(
    book: Book,
    line_id: int,
    reason: str,
    changes: Mapping[str, object],
    author_id: int | None = None,
    cancel: bool = False,
) -> tuple[Entry, Entry | None]:
    """The reversal of a live line and the corrected line that replaces it (None with ``cancel``: the line should
    never have been written). ``changes`` maps fields of CORRECTABLE to their new values; a new ``evidence`` is
    ``author_id``'s words."""
    line = book.live_line(line_id)
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise ValidationError(unknown[0], _("cannot be corrected: it is not part of a line's accounting."))
    base = {**line.to_dict(), "refers_to": line.id, "reason": reason, "recorded": None}
    today = v.now().date().isoformat()
    reversal = Entry.from_dict({**base, "op": Op.REVERSAL.value, "on": today, "evidence": "", "author_id": None})
    if cancel:
        if changes:
            raise ValidationError("cancel", _("a cancelled line gets no new values: leave them out, or do not cancel."))
        return reversal, None
    wanted = {k: val for k, val in changes.items() if val is not None}
    if "evidence" in wanted:
        wanted["author_id"] = author_id if wanted["evidence"] else None
    replacement = Entry.from_dict({**base, **wanted, "op": Op.CORRECTION.value})
    if _accounting(replacement) == _accounting(line):
        raise ValidationError(
            "correction", _("nothing would change: give the new values (for example --quantity or --to).")
        )
    return reversal, replacement


def _accounting(e: Entry) -> dict[str, Any]:
    data = e.to_dict()
    return {k: data[k] for k in CORRECTABLE}
