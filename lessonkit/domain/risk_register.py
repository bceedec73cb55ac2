"""The register as the partner groups see it, in pure functions: the ranking, each group's rating beside the agreed
one with the spread between groups, the bands of the likelihood × impact matrix, reviews and what is due.

The ranking is by the agreed likelihood × impact, highest first; equal scores put the higher impact first (a rare
disaster before a likely nuisance), then the older risk.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum

from lessonkit.domain import validation as v
from lessonkit.domain.mou_schedule import SOON_DAYS, DueItem, due_state
from lessonkit.domain.risks import Risk, RiskRating, RiskReview, rating
from lessonkit.errors import ValidationError
from lessonkit.i18n import _

#: Groups whose ratings differ by this many steps (likelihood or impact) should talk before agreeing.
CONTESTED_SPREAD = 2


class Band(str, Enum):
    """Where a score falls in the matrix."""

    LOW = "low"  # 1-4
    MEDIUM = "medium"  # 5-9
    HIGH = "high"  # 10-14
    SEVERE = "severe"  # 15-25


def band(score: int) -> Band:
    if score <= 4:
        return Band.LOW
    if score <= 9:
        return Band.MEDIUM
    if score <= 14:
        return Band.HIGH
    return Band.SEVERE


def band_label(value: Band) -> str:
    return {
        Band.LOW: _("low"),
        Band.MEDIUM: _("medium"),
        Band.HIGH: _("high"),
        Band.SEVERE: _("severe"),
    }[value]


def rank_key(risk: Risk) -> tuple[int, int, int]:
    return (-risk.score, -risk.impact, risk.id or 0)


def ranked(risks: Iterable[Risk]) -> list[Risk]:
    """Highest agreed score first; ties: the higher impact first, then the older risk."""
    return sorted(risks, key=rank_key)


def _spread(values: Sequence[int]) -> int:
    return max(values) - min(values) if len(values) > 1 else 0


@dataclass(frozen=True)
class JointRisk:
    """A risk with each group's own rating (by group name) beside the agreed one."""

    risk: Risk
    ratings: tuple[RiskRating, ...] = ()

    @property
    def score(self) -> int:
        return self.risk.score

    @property
    def likelihood_spread(self) -> int:
        """How many steps the groups' likelihoods lie apart (0 with fewer than two groups)."""
        return _spread([r.likelihood for r in self.ratings])

    @property
    def impact_spread(self) -> int:
        return _spread([r.impact for r in self.ratings])

    @property
    def score_range(self) -> tuple[int, int] | None:
        """The lowest and highest score any group gave (None when no group rated)."""
        scores = [r.score for r in self.ratings]
        return (min(scores), max(scores)) if scores else None

    @property
    def contested(self) -> bool:
        """The groups' ratings lie at least CONTESTED_SPREAD steps apart on likelihood or impact."""
        return max(self.likelihood_spread, self.impact_spread) >= CONTESTED_SPREAD

    def rating_of(self, group: str) -> RiskRating | None:
        wanted = group.casefold()
        return next((r for r in self.ratings if r.group.casefold() == wanted), None)


def joint(risks: Iterable[Risk], ratings: Iterable[RiskRating]) -> list[JointRisk]:
    """Every risk with its groups' ratings, ranked."""
    by_risk: dict[int, list[RiskRating]] = {}
    for r in ratings:
        by_risk.setdefault(r.risk_id, []).append(r)
    return [
        JointRisk(risk, tuple(sorted(by_risk.get(risk.id or 0, []), key=lambda r: r.group.casefold())))
        for risk in ranked(risks)
    ]


def groups_of(register: Iterable[JointRisk]) -> list[str]:
    """Every group that rated any risk, in alphabetical order (the register's columns)."""
    names: dict[str, str] = {}
    for j in register:
        for r in j.ratings:
            names.setdefault(r.group.casefold(), r.group)
    return [names[k] for k in sorted(names)]


def matrix(risks: Iterable[Risk]) -> dict[tuple[int, int], list[Risk]]:
    """The risks in each cell (likelihood, impact) of the 5 × 5 matrix, highest ranked first."""
    cells: dict[tuple[int, int], list[Risk]] = {}
    for risk in ranked(risks):
        cells.setdefault((risk.likelihood, risk.impact), []).append(risk)
    return cells


def reviewed(
    risk: Risk,
    on: date | None = None,
    by: str = "",
    note: str = "",
    likelihood: object = None,
    impact: object = None,
    next_review: object = None,
) -> Risk:
    """The risk after a review: the agreed rating as the review left it (unchanged when not given), the review kept
    in its history, and the next review date (none when not given)."""
    day = on or v.now().date()
    after = RiskReview.from_dict(
        {
            "on": day.isoformat(),
            "likelihood": risk.likelihood if likelihood in (None, "") else rating("likelihood", likelihood),
            "impact": risk.impact if impact in (None, "") else rating("impact", impact),
            "by": by,
            "note": note,
            "next_review": next_review,
        }
    )
    if after.next_review is not None and after.next_review <= day:
        raise ValidationError("next_review", _("the next review must come after this one: give a later date."))
    return replace(
        risk,
        likelihood=after.likelihood,
        impact=after.impact,
        review_date=after.next_review,
        reviews=risk.reviews + (after,),
    )


def review_items(risks: Iterable[Risk], today: date, soon_days: int = SOON_DAYS) -> list[DueItem]:
    """The risks whose review date has passed or comes within ``soon_days`` (for the shared "what is due")."""
    items = []
    for risk in risks:
        if risk.review_date is None:
            continue
        state = due_state(risk.review_date, today, soon_days)
        if state is not None:
            what = _("Review the risk '{title}'").format(title=risk.title)
            items.append(DueItem("risk", what, risk.review_date, state, risk.owner))
    return items
