"""An agenda block: a planned start and duration, who facilitates it, what it opens, and how it actually ran.

Times are the room's wall clock (naive local date and time, as a facilitator writes "09:30"). A block links what
it opens by kind and id (a session, a scoring round, a vote): the services decide what each kind means, so a new
kind of thing to open needs no change here beyond naming it in :data:`LINK_KINDS`. Where the blocks fall once the
day runs late is computed by :mod:`lessonkit.domain.agenda_flow`, never stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.schema import CURRENT_VERSIONS, upgrade
from lessonkit.errors import ValidationError
from lessonkit.i18n import _, pgettext

#: What a block may open. A kind's meaning (how to open, close and name it) is registered in the services
#: (``lessonkit.services.agenda_links``); a kind named here but not registered there is refused with a clear line.
LINK_KINDS = ("session", "scoring_round", "vote")
MAX_MINUTES = 24 * 60
MAX_LINKS = 12
_LINK_RE = re.compile(r"\s*([a-z_]+)\s*[:#]\s*(\d{1,15})\s*")
_TIME_RE = re.compile(r"\s*(\d{1,2})[:.h](\d{2})\s*")


class BlockState(str, Enum):
    PLANNED = "planned"
    RUNNING = "running"
    DONE = "done"
    SKIPPED = "skipped"


def state_label(state: BlockState) -> str:
    """The state as a person reads it (the stored value stays the enum's)."""
    return {
        BlockState.PLANNED: pgettext("agenda block state", "planned"),
        BlockState.RUNNING: pgettext("agenda block state", "running"),
        BlockState.DONE: pgettext("agenda block state", "done"),
        BlockState.SKIPPED: pgettext("agenda block state", "skipped"),
    }[state]


@dataclass(frozen=True)
class AgendaLink:
    """Something a block opens when it starts: ``kind`` (one of :data:`LINK_KINDS`) and the record's id."""

    kind: str
    id: int

    @classmethod
    def parse(cls, text: object, field_name: str = "link") -> AgendaLink:
        """``session:3``, ``scoring_round:1`` or ``vote:2``."""
        found = _LINK_RE.fullmatch(str(text or ""))
        if found is None:
            raise ValidationError(
                field_name,
                _("'{value}' is not a link: write KIND:ID, e.g. session:3 (kinds: {kinds}).").format(
                    value=text, kinds=", ".join(LINK_KINDS)
                ),
            )
        return cls.from_dict({"kind": found.group(1), "id": int(found.group(2))}, field_name)

    @classmethod
    def from_dict(cls, data: Any, field_name: str = "links") -> AgendaLink:
        if not isinstance(data, dict):
            raise ValidationError(field_name, _("a link is a kind and an id."))
        kind, ident = data.get("kind"), data.get("id")
        if kind not in LINK_KINDS:
            raise ValidationError(
                field_name,
                _("'{kind}' is not a kind of link; use one of: {kinds}.").format(
                    kind=kind, kinds=", ".join(LINK_KINDS)
                ),
            )
        if isinstance(ident, bool) or not isinstance(ident, int) or ident < 1:
            raise ValidationError(field_name, _("a link's id must be a whole number from 1."))
        return cls(str(kind), ident)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id}

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


def _minutes(field_name: str, value: object, low: int, high: int = MAX_MINUTES) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            raise ValidationError(field_name, _("'{value}' is not a number of minutes.").format(value=value)) from None
    if not low <= value <= high:
        raise ValidationError(field_name, _("must be from {low} to {high} minutes.").format(low=low, high=high))
    return value


def _moment(field_name: str, value: object) -> datetime:
    moment = v.iso_datetime(field_name, value)
    if moment.tzinfo is not None:  # the room's wall clock: a time written elsewhere is read in local time
        moment = moment.astimezone().replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _optional_moment(field_name: str, value: object) -> datetime | None:
    return None if value in (None, "") else _moment(field_name, value)


@dataclass(frozen=True)
class AgendaBlock:
    """One block of the agenda. ``extra_minutes``: how much longer it ran than planned (added while running late);
    ``delay_minutes``: how much later than planned it may start (announced before it started)."""

    title: str
    planned_start: datetime
    minutes: int
    facilitator: str = ""
    links: tuple[AgendaLink, ...] = ()
    state: BlockState = BlockState.PLANNED
    started_at: datetime | None = None
    ended_at: datetime | None = None
    extra_minutes: int = 0
    delay_minutes: int = 0
    id: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AgendaBlock:
        data = upgrade("agenda_block", data)
        links = data.get("links") or []
        if not isinstance(links, list) or len(links) > MAX_LINKS:
            raise ValidationError("links", _("a block links at most {n} things.").format(n=MAX_LINKS))
        try:
            state = BlockState(data.get("state") or BlockState.PLANNED.value)
        except ValueError:
            raise ValidationError(
                "state",
                _("'{value}' is not one of: {choices}.").format(
                    value=data.get("state"), choices=", ".join(s.value for s in BlockState)
                ),
            ) from None
        block = cls(
            id=data.get("id"),
            title=v.text("title", data.get("title"), max_length=200, multiline=False),
            planned_start=_moment("planned_start", data.get("planned_start")),
            minutes=_minutes("minutes", data.get("minutes"), 1),
            facilitator=v.text("facilitator", data.get("facilitator"), max_length=200, required=False, multiline=False),
            links=tuple(dict.fromkeys(AgendaLink.from_dict(d) for d in links)),
            state=state,
            started_at=_optional_moment("started_at", data.get("started_at")),
            ended_at=_optional_moment("ended_at", data.get("ended_at")),
            extra_minutes=_minutes("extra_minutes", data.get("extra_minutes") or 0, 0),
            delay_minutes=_minutes("delay_minutes", data.get("delay_minutes") or 0, 0),
        )
        if block.state in (BlockState.RUNNING, BlockState.DONE) and block.started_at is None:
            raise ValidationError("started_at", _("a block that ran has a start time."))
        return block

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CURRENT_VERSIONS["agenda_block"],
            "title": self.title,
            "planned_start": self.planned_start.isoformat(),
            "minutes": self.minutes,
            "facilitator": self.facilitator,
            "links": [link.to_dict() for link in self.links],
            "state": self.state.value,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "extra_minutes": self.extra_minutes,
            "delay_minutes": self.delay_minutes,
        }

    @property
    def planned_end(self) -> datetime:
        return self.planned_start + timedelta(minutes=self.minutes)

    @property
    def length(self) -> timedelta:
        """How long it runs: as planned, plus what was added while running late."""
        return timedelta(minutes=self.minutes + self.extra_minutes)

    def started(self, at: datetime) -> AgendaBlock:
        return replace(self, state=BlockState.RUNNING, started_at=at.replace(microsecond=0), ended_at=None)

    def ended(self, at: datetime) -> AgendaBlock:
        return replace(self, state=BlockState.DONE, ended_at=at.replace(microsecond=0))


def parse_start(text: object, default_day: date) -> datetime:
    """A planned start as a facilitator types it: ``09:30`` (on ``default_day``), ``2026-03-10 09:30`` or ISO."""
    raw = str(text or "").strip()
    clock = _TIME_RE.fullmatch(raw)
    try:
        if clock:
            hour, minute = int(clock.group(1)), int(clock.group(2))
            return datetime.combine(default_day, datetime.min.time()).replace(hour=hour, minute=minute)
        return _moment("start", raw.replace("  ", " "))
    except (ValueError, ValidationError):
        raise ValidationError(
            "start", _("'{value}' is not a time: write HH:MM (e.g. 09:30) or YYYY-MM-DD HH:MM.").format(value=raw)
        ) from None
