"""Dates that keep a memorandum alive: rotating leadership, reviews, consent re-evaluation, metric reports."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from lessonkit.domain.mou import ClauseKind, MouVersion
from lessonkit.domain.mou_parts import RotationSlot, check_rotation, role_label
from lessonkit.domain.mou_status import MouStatus
from lessonkit.errors import ValidationError
from lessonkit.i18n import _, pgettext

SOON_DAYS = 30


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def round_robin(
    parties: Sequence[str], start: date, months: int, periods: int, role: str = "coordination"
) -> tuple[RotationSlot, ...]:
    """A schedule in which the parties take turns, each for ``months`` months, for ``periods`` periods."""
    if not parties:
        raise ValidationError("rotation", _("name at least one party to take turns."))
    if months < 1 or periods < 1:
        raise ValidationError("rotation", _("each period lasts at least one month, and there is at least one."))
    slots = []
    begin = start
    for i in range(periods):
        end = add_months(start, months * (i + 1)) - timedelta(days=1)
        slots.append(RotationSlot(party=parties[i % len(parties)], start=begin, end=end, role=role))
        begin = end + timedelta(days=1)
    result = tuple(slots)
    check_rotation(result)
    return result


def coordinator_on(slots: Sequence[RotationSlot], day: date, role: str = "coordination") -> RotationSlot | None:
    return next((s for s in slots if s.role == role and s.covers(day)), None)


def next_handover(slots: Sequence[RotationSlot], day: date, role: str = "coordination") -> RotationSlot | None:
    """The next period that starts after ``day``."""
    upcoming = sorted((s for s in slots if s.role == role and s.start > day), key=lambda s: s.start)
    return upcoming[0] if upcoming else None


def gaps(slots: Sequence[RotationSlot], role: str = "coordination") -> list[tuple[date, date]]:
    """Periods between the first start and the last end when nobody coordinates."""
    ordered = sorted((s for s in slots if s.role == role), key=lambda s: s.start)
    out = []
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.start > before.end + timedelta(days=1):
            out.append((before.end + timedelta(days=1), after.start - timedelta(days=1)))
    return out


class DueState(str, Enum):
    OVERDUE = "overdue"
    DUE = "due soon"


def due_label(state: DueState) -> str:
    return {
        DueState.OVERDUE: pgettext("a date of the memorandum", "overdue"),
        DueState.DUE: pgettext("a date of the memorandum", "due soon"),
    }[state]


@dataclass(frozen=True)
class DueItem:
    kind: str  # review | consent | handover | report | rotation | risk | pledge | consent-review
    what: str
    on: date
    state: DueState
    party: str = ""


def _state(on: date, today: date, soon_days: int) -> DueState | None:
    if on < today:
        return DueState.OVERDUE
    if on <= today + timedelta(days=soon_days):
        return DueState.DUE
    return None


#: Whether a date is overdue or due within ``soon_days`` (None: neither); shared by every "what is due" list.
due_state = _state


def due_items(version: MouVersion, status: MouStatus, today: date, soon_days: int = SOON_DAYS) -> list[DueItem]:
    """What is overdue or due within ``soon_days``: review, consent re-evaluation, handovers, reports."""
    if status is MouStatus.ENDED:
        return []
    items: list[DueItem] = []

    def add(kind: str, what: str, on: date, party: str = "") -> None:
        state = _state(on, today, soon_days)
        if state is not None:
            items.append(DueItem(kind, what, on, state, party))

    for clause in version.clauses:
        if clause.kind is ClauseKind.REVIEW and clause.review_date and status is not MouStatus.UNDER_REVIEW:
            add("review", _("Review of the memorandum"), clause.review_date)
        for c in clause.consent_reviews:
            add("consent", _("Re-evaluate the consent of {party}").format(party=c.party), c.on, c.party)
        for m in clause.metrics:
            add(
                "report",
                _("{who} reports on '{metric}'").format(who=m.who_reports, metric=m.metric),
                m.when,
                m.who_reports,
            )
        if clause.rotation:
            items.extend(_rotation_items(clause.rotation, today, soon_days))
    return sorted(items, key=lambda i: (i.state is not DueState.OVERDUE, i.on, i.kind))


def _rotation_items(slots: Sequence[RotationSlot], today: date, soon_days: int) -> list[DueItem]:
    items = []
    roles = sorted({s.role for s in slots})
    for role in roles:
        role_slots = [s for s in slots if s.role == role]
        nxt = next_handover(role_slots, today, role)
        if nxt is not None and _state(nxt.start, today, soon_days) is DueState.DUE:
            items.append(
                DueItem(
                    "handover",
                    _("{party} takes over {role}").format(party=nxt.party, role=role_label(role)),
                    nxt.start,
                    DueState.DUE,
                    nxt.party,
                )
            )
        last_end = max(s.end for s in role_slots)
        if coordinator_on(role_slots, today, role) is None:
            if today > last_end:
                items.append(
                    DueItem(
                        "rotation",
                        _("The {role} schedule ended: plan the next periods").format(role=role_label(role)),
                        last_end,
                        DueState.OVERDUE,
                    )
                )
            elif today >= min(s.start for s in role_slots):
                items.append(
                    DueItem(
                        "rotation",
                        _("Nobody holds {role} today: fill the gap").format(role=role_label(role)),
                        today,
                        DueState.OVERDUE,
                    )
                )
    return items
