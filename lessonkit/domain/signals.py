"""Signals: measured outcomes of a library module, kept as evidence.

A signal says what was measured (``what``, ``value`` and ``unit`` against a ``baseline``, with its ``source``), of
which kind (:class:`OutcomeType`), over which ``period``, in which ``campaign``, ``place`` and context profile
(``context``: the name of a profile rated on the transferability rubric), and which ``factors`` likely influenced it.
Whether it counts as a success, a failure or a mixed result is not the reporter's call: the **result class** is set
by peer review (:class:`SignalReview`), by a reviewer from an organisation other than the reporter's; the latest
review's class is the signal's, and reviews that disagree mark it as disputed.

Signals are part of their module (schema version 3 of ``module``): they travel with it through the library sync and
only with it. The fields of version 2 (``what``, ``value``, ``unit``, ``baseline``, ``source``) keep their names.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.domain.levels import parse_enum
from lessonkit.errors import ValidationError
from lessonkit.i18n import _

MAX_SHORT = 200
MAX_NOTE = 4000
MAX_FACTORS = 20


class OutcomeType(str, Enum):
    """What kind of change a signal measures (the values are what people type: lower case with hyphens)."""

    TURNOUT_SHIFT = "turnout-shift"
    MESSAGE_RECALL = "message-recall"
    FUNDRAISING_EFFICIENCY = "fundraising-efficiency"
    POLICY_WIN = "policy-win"
    PARTICIPATION_RETAINED = "participation-retained"
    HARM_AVOIDED = "harm-avoided"
    OTHER = "other"


class ResultClass(str, Enum):
    """How a tactic went: set for a signal by peer review; said by a participant of a tactic they tried."""

    SUCCESS = "success"
    MIXED = "mixed"
    FAILURE = "failure"


def outcome_label(outcome: OutcomeType) -> str:
    return {
        OutcomeType.TURNOUT_SHIFT: _("Turnout shift"),
        OutcomeType.MESSAGE_RECALL: _("Message recall"),
        OutcomeType.FUNDRAISING_EFFICIENCY: _("Fundraising efficiency"),
        OutcomeType.POLICY_WIN: _("Policy win"),
        OutcomeType.PARTICIPATION_RETAINED: _("Participation retained"),
        OutcomeType.HARM_AVOIDED: _("Harm avoided"),
        OutcomeType.OTHER: _("Other outcome"),
    }[outcome]


def result_label(result: ResultClass | None) -> str:
    return {
        ResultClass.SUCCESS: _("success"),
        ResultClass.MIXED: _("mixed"),
        ResultClass.FAILURE: _("failure"),
        None: _("not yet reviewed"),
    }[result]


def optional_number(field: str, value: object) -> float | None:
    """A finite number, or None for an empty value."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(field, _("must be a number."))
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError(field, _("'{value}' is not a number.").format(value=value)) from None
    if not math.isfinite(number):
        raise ValidationError(field, _("must be a finite number."))
    return number


_PART = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def _period_end(text: str, field: str) -> tuple[date, date]:
    """The first and last day a period's part covers: '2024' is the year, '2024-03' the month, a date itself."""
    found = _PART.match(text.strip())
    if not found:
        raise ValidationError(
            field, _("'{value}' is not a period: write 2024, 2024-03, 2024-03-01 or FROM/TO.").format(value=text)
        )
    year_text, month_text, day_text = found.groups()
    year = int(year_text)
    try:
        if month_text is None:
            return date(year, 1, 1), date(year, 12, 31)
        month = int(month_text)
        if day_text is None:
            last = (date(year + (month == 12), month % 12 + 1, 1) - date(year, month, 1)).days
            return date(year, month, 1), date(year, month, last)
        day = date(year, month, int(day_text))
        return day, day
    except ValueError:
        raise ValidationError(field, _("'{value}' is not a real date.").format(value=text)) from None


@dataclass(frozen=True)
class Period:
    """The time a signal was measured over (both days included)."""

    start: date
    end: date

    @classmethod
    def parse(cls, value: object, field: str = "period") -> Period | None:
        """From text ('2024', '2024-03', '2024-03-01', 'FROM/TO' or 'FROM..TO') or a stored {"start", "end"}."""
        if value in (None, "", {}):
            return None
        if isinstance(value, dict):
            start = v.iso_date(f"{field}.start", value.get("start"), required=True)
            end = v.iso_date(f"{field}.end", value.get("end")) or start
            assert start is not None and end is not None
            return cls._checked(start, end, field)
        if not isinstance(value, str):
            raise ValidationError(field, _("write the period as text, e.g. 2024-03/2024-06."))
        parts = re.split(r"/|\.\.", value.strip(), maxsplit=1)
        start = _period_end(parts[0], field)[0]
        end = _period_end(parts[-1], field)[1]
        return cls._checked(start, end, field)

    @classmethod
    def _checked(cls, start: date, end: date, field: str) -> Period:
        if end < start:
            raise ValidationError(field, _("ends before it starts: check the dates."))
        return cls(start, end)

    @property
    def middle(self) -> date:
        """The day in the middle (where a chart puts the signal)."""
        return self.start + (self.end - self.start) / 2

    def label(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def to_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class SignalReview:
    """A peer reviewer's judgement of one signal: success, failure or mixed."""

    reviewer: str
    organisation: str
    date: date
    result: ResultClass
    comments: str = ""

    @classmethod
    def from_dict(cls, data: Any, field: str = "reviews") -> SignalReview:
        if not isinstance(data, dict):
            raise ValidationError(field, _("a review needs a reviewer, an organisation, a date and a result."))
        return cls(
            reviewer=v.text(f"{field}.reviewer", data.get("reviewer"), max_length=MAX_SHORT, multiline=False),
            organisation=v.text(
                f"{field}.organisation", data.get("organisation"), max_length=MAX_SHORT, multiline=False
            ),
            date=v.iso_date(f"{field}.date", data.get("date"), required=True),  # type: ignore[arg-type]
            result=parse_enum(ResultClass, f"{field}.result", data.get("result")),  # type: ignore[arg-type]
            comments=v.text(f"{field}.comments", data.get("comments"), max_length=MAX_NOTE, required=False),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "reviewer": self.reviewer,
            "organisation": self.organisation,
            "date": self.date.isoformat(),
            "result": self.result.value,
            "comments": self.comments,
        }


def factor_list(field: str, value: object) -> tuple[str, ...]:
    """Factors from a list, or from text with one factor per line (or separated by ';')."""
    if value in (None, ""):
        return ()
    items = re.split(r"[\n;]", value) if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        raise ValidationError(field, _("give a list of factors, or one factor per line."))
    out: list[str] = []
    for i, item in enumerate(items):
        text = v.text(f"{field}[{i}]", item, max_length=MAX_SHORT * 2, required=False, multiline=False)
        if text and text.casefold() not in (x.casefold() for x in out):
            out.append(text)
    if len(out) > MAX_FACTORS:
        raise ValidationError(field, _("at most {n} factors, please.").format(n=MAX_FACTORS))
    return tuple(out)


@dataclass(frozen=True)
class Signal:
    """A measurable outcome: what, value and unit, against a baseline, with its source; as evidence, also its kind,
    period, campaign, place and context profile, the factors that likely influenced it, and its peer reviews."""

    what: str
    value: float | None = None
    unit: str = ""
    baseline: float | None = None
    source: str = ""
    outcome: OutcomeType = OutcomeType.OTHER
    period: Period | None = None
    campaign: str = ""
    place: str = ""
    context: str = ""  # the name of the context profile the campaign ran in
    factors: tuple[str, ...] = ()
    reported_by: str = ""
    organisation: str = ""  # the reporter's organisation: its own members do not review the signal
    origin: str = ""  # "reflection" when drawn from an after-action reflection
    reviews: tuple[SignalReview, ...] = ()

    @property
    def result(self) -> ResultClass | None:
        """The result class peer review set: the latest review's (None until someone reviewed it)."""
        return self.reviews[-1].result if self.reviews else None

    @property
    def disputed(self) -> bool:
        """True when reviewers disagree about the result class."""
        return len({r.result for r in self.reviews}) > 1

    @property
    def change(self) -> float | None:
        """Value minus baseline (None unless both are known)."""
        if self.value is None or self.baseline is None:
            return None
        return self.value - self.baseline

    @property
    def relative_change(self) -> float | None:
        """The change as a share of the baseline (0.25 for +25 %); None without a non-zero baseline."""
        if self.change is None or not self.baseline:
            return None
        return self.change / abs(self.baseline)

    @classmethod
    def from_dict(cls, data: Any, field: str = "signals") -> Signal:
        if not isinstance(data, dict):
            raise ValidationError(field, _("each signal needs at least 'what' was measured."))
        reviews = data.get("reviews") or []
        if not isinstance(reviews, list):
            raise ValidationError(f"{field}.reviews", _("must be a list."))
        return cls(
            what=v.text(f"{field}.what", data.get("what"), max_length=MAX_SHORT),
            value=optional_number(f"{field}.value", data.get("value")),
            unit=v.text(f"{field}.unit", data.get("unit"), max_length=60, required=False),
            baseline=optional_number(f"{field}.baseline", data.get("baseline")),
            source=v.text(f"{field}.source", data.get("source"), max_length=MAX_NOTE, required=False),
            outcome=parse_enum(OutcomeType, f"{field}.outcome", data.get("outcome") or "other"),  # type: ignore[arg-type]
            period=Period.parse(data.get("period"), f"{field}.period"),
            campaign=_line(f"{field}.campaign", data.get("campaign")),
            place=_line(f"{field}.place", data.get("place")),
            context=_line(f"{field}.context", data.get("context")),
            factors=factor_list(f"{field}.factors", data.get("factors")),
            reported_by=_line(f"{field}.reported_by", data.get("reported_by")),
            organisation=_line(f"{field}.organisation", data.get("organisation")),
            origin=_line(f"{field}.origin", data.get("origin")),
            reviews=tuple(SignalReview.from_dict(r, f"{field}.reviews[{i}]") for i, r in enumerate(reviews)),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "value": self.value,
            "unit": self.unit,
            "baseline": self.baseline,
            "source": self.source,
            "outcome": self.outcome.value,
            "period": self.period.to_dict() if self.period else None,
            "campaign": self.campaign,
            "place": self.place,
            "context": self.context,
            "factors": list(self.factors),
            "reported_by": self.reported_by,
            "organisation": self.organisation,
            "origin": self.origin,
            "reviews": [r.to_dict() for r in self.reviews],
        }

    def same_evidence(self, other: Signal) -> bool:
        """True when ``other`` records the same measurement (what, value, unit, period, campaign and place)."""
        key = lambda s: (  # noqa: E731
            s.what.casefold(), s.value, s.unit.casefold(), s.period, s.campaign.casefold(), s.place.casefold()
        )
        return bool(key(self) == key(other))


def describe_signal(signal: Signal, full: bool = False) -> str:
    """One line for readers: what and value against the baseline, the source, the kind of outcome, the period, the
    place and the result class; ``full`` adds the factors and each peer review (for comparing two versions)."""
    value = "" if signal.value is None else f"{signal.value:g} {signal.unit}".strip()
    head = _("{what}: {value}").format(what=signal.what, value=value) if value else signal.what
    if signal.baseline is not None:
        head = _("{measure} (baseline {baseline})").format(measure=head, baseline=f"{signal.baseline:g}")
    parts = [head, signal.source, outcome_label(signal.outcome), signal.period.label() if signal.period else "",
             signal.place, _("result: {result}").format(result=result_label(signal.result))]
    if full:
        parts += [_("factors: {factors}").format(factors="; ".join(signal.factors)) if signal.factors else ""]
        parts += [
            _("{reviewer} ({organisation}): {result}").format(
                reviewer=r.reviewer, organisation=r.organisation, result=result_label(r.result)
            )
            for r in signal.reviews
        ]
    return " · ".join(p for p in parts if p)


def _line(field: str, value: object) -> str:
    return v.text(field, value, max_length=MAX_SHORT, required=False, multiline=False)


def upgrade_signal(data: dict[str, Any]) -> dict[str, Any]:
    """A signal as stored by module schema version 2, with the fields of version 3 (nothing reviewed yet)."""
    defaults: dict[str, Any] = {
        "outcome": "other",
        "period": None,
        "campaign": "",
        "place": "",
        "context": "",
        "factors": [],
        "reported_by": "",
        "organisation": "",
        "origin": "",
        "reviews": [],
    }
    return {**defaults, **data} if isinstance(data, dict) else data


# --- rules ---------------------------------------------------------------------------------------------------


def add_signal(signals: tuple[Signal, ...], signal: Signal) -> tuple[Signal, ...]:
    """``signals`` with ``signal`` added at the end; the same measurement twice is refused."""
    if any(s.same_evidence(signal) for s in signals):
        raise ValidationError(
            "signal", _("this measurement is already recorded on the module (same what, value, period and place).")
        )
    return (*signals, signal)


def signal_number(signals: tuple[Signal, ...], number: int) -> int:
    """The index of signal ``number`` (counted from 1, as listed), or a clear error."""
    if not 1 <= number <= len(signals):
        raise ValidationError(
            "signal",
            _("there is no signal {n} on this module (it has {count}): see `lessonkit library signal list`.").format(
                n=number, count=len(signals)
            ),
        )
    return number - 1


def review_signal(signals: tuple[Signal, ...], number: int, review: SignalReview) -> tuple[Signal, ...]:
    """``signals`` with ``review`` added to signal ``number``. A reviewer from the reporter's own organisation is
    refused (peer review is by others); the same reviewer reviewing again replaces their earlier review."""
    index = signal_number(signals, number)
    signal = signals[index]
    if signal.organisation and signal.organisation.casefold() == review.organisation.casefold():
        raise ValidationError(
            "organisation",
            _("the signal was reported by '{org}': a reviewer from another organisation sets its result.").format(
                org=signal.organisation
            ),
        )
    same = (review.reviewer.casefold(), review.organisation.casefold())
    kept = tuple(r for r in signal.reviews if (r.reviewer.casefold(), r.organisation.casefold()) != same)
    changed = replace(signal, reviews=(*kept, review))
    return (*signals[:index], changed, *signals[index + 1 :])
