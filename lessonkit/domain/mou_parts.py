"""The structured parts of a memorandum: rotation slots, evaluation metrics, consent re-evaluation dates.

Each part validates itself, names the field at fault, and round-trips through a dict and through one line of
text (``a | b | c``), the form the facilitator's editor uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from lessonkit.domain import validation as v
from lessonkit.errors import ValidationError
from lessonkit.i18n import _, ngettext, pgettext

SEP = "|"


def _cells(line: str, n: int, field: str, example: str) -> list[str]:
    cells = [c.strip() for c in line.split(SEP)]
    if len(cells) != n:
        raise ValidationError(
            field,
            ngettext("'{line}' has {got} part.", "'{line}' has {got} parts.", len(cells)).format(
                line=line.strip(), got=len(cells)
            )
            + " "
            + ngettext(
                "Write {n} part separated by '|', e.g. '{example}'.",
                "Write {n} parts separated by '|', e.g. '{example}'.",
                n,
            ).format(n=n, example=example),
        )
    return cells


def _required_date(field: str, value: object) -> date:
    d = v.iso_date(field, value, required=True)
    assert d is not None
    return d


DEFAULT_ROLE = "coordination"  # stored as this code; shown with role_label


def role_label(role: str) -> str:
    """A rotation role as shown: the default role (stored as the code 'coordination') in the reader's language; a
    role a person wrote, as written."""
    return pgettext("rotation role", "coordination") if role == DEFAULT_ROLE else role


@dataclass(frozen=True)
class RotationSlot:
    """Who coordinates the coalition from ``start`` to ``end`` (both days included)."""

    party: str
    start: date
    end: date
    role: str = "coordination"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RotationSlot:
        start = _required_date("rotation.start", data.get("start"))
        end = _required_date("rotation.end", data.get("end"))
        if end < start:
            raise ValidationError(
                "rotation.end",
                _("a period ends ({end}) before it starts ({start}).").format(end=end, start=start),
            )
        return cls(
            party=v.text("rotation.party", data.get("party"), max_length=200),
            start=start,
            end=end,
            role=v.text("rotation.role", data.get("role") or "coordination", max_length=80),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "role": self.role,
        }

    @classmethod
    def from_line(cls, line: str) -> RotationSlot:
        """``from | to | party``, optionally followed by ``| role``."""
        example = "2026-04-01 | 2026-09-30 | Harbour Tenants Circle"
        cells = _cells(line, 4 if line.count(SEP) == 3 else 3, "rotation", example)
        role = cells[3] if len(cells) == 4 else ""
        return cls.from_dict({"start": cells[0], "end": cells[1], "party": cells[2], "role": role})

    def to_line(self) -> str:
        tail = f" {SEP} {self.role}" if self.role != "coordination" else ""
        return f"{self.start.isoformat()} {SEP} {self.end.isoformat()} {SEP} {self.party}{tail}"

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Metric:
    """One evaluation metric: what is measured, from where to where, how, by whom, and when next reported."""

    metric: str
    baseline: str
    target: str
    how_measured: str
    who_reports: str
    when: date

    FIELDS = ("metric", "baseline", "target", "how_measured", "who_reports", "when")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Metric:
        return cls(
            metric=v.text("metrics.metric", data.get("metric"), max_length=200),
            baseline=v.text("metrics.baseline", data.get("baseline"), max_length=200),
            target=v.text("metrics.target", data.get("target"), max_length=200),
            how_measured=v.text("metrics.how_measured", data.get("how_measured"), max_length=300),
            who_reports=v.text("metrics.who_reports", data.get("who_reports"), max_length=200),
            when=_required_date("metrics.when", data.get("when")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "baseline": self.baseline,
            "target": self.target,
            "how_measured": self.how_measured,
            "who_reports": self.who_reports,
            "when": self.when.isoformat(),
        }

    @classmethod
    def from_line(cls, line: str) -> Metric:
        example = "Groups meeting monthly | 2 | 5 | attendance sheets | Harbour Tenants Circle | 2026-12-01"
        return cls.from_dict(dict(zip(cls.FIELDS, _cells(line, 6, "metrics", example), strict=True)))

    def to_line(self) -> str:
        return f" {SEP} ".join(str(self.to_dict()[f]) for f in self.FIELDS)


@dataclass(frozen=True)
class ConsentReview:
    """When one party's consent to the arrangement is looked at again (it may be withdrawn any time)."""

    party: str
    on: date

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConsentReview:
        return cls(
            party=v.text("consent_reviews.party", data.get("party"), max_length=200),
            on=_required_date("consent_reviews.on", data.get("on")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"party": self.party, "on": self.on.isoformat()}

    @classmethod
    def from_line(cls, line: str) -> ConsentReview:
        party, on = _cells(line, 2, "consent_reviews", "Harbour Tenants Circle | 2027-03-01")
        return cls.from_dict({"party": party, "on": on})

    def to_line(self) -> str:
        return f"{self.party} {SEP} {self.on.isoformat()}"


def check_rotation(slots: tuple[RotationSlot, ...]) -> None:
    """Periods of the same role may not overlap: one coordinator at a time."""
    by_role: dict[str, list[RotationSlot]] = {}
    for slot in slots:
        by_role.setdefault(slot.role, []).append(slot)
    for role_slots in by_role.values():
        ordered = sorted(role_slots, key=lambda s: s.start)
        for before, after in zip(ordered, ordered[1:], strict=False):
            if after.start <= before.end:
                raise ValidationError(
                    "rotation",
                    _(
                        "the periods of {a} ({a1} – {a2}) and {b} ({b1} – {b2}) overlap: "
                        "one party coordinates at a time."
                    ).format(
                        a=before.party,
                        a1=before.start,
                        a2=before.end,
                        b=after.party,
                        b1=after.start,
                        b2=after.end,
                    ),
                )


def parse_lines(kind: type[Any], field: str, text: str) -> tuple[Any, ...]:
    """Parse one item per non-empty line; an error names the line number."""
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(kind.from_line(line))
        except ValidationError as exc:
            raise ValidationError(field, _("line {n}: {e}").format(n=number, e=exc.message)) from exc
    return tuple(items)


def format_lines(items: tuple[Any, ...]) -> str:
    return "\n".join(item.to_line() for item in items)
