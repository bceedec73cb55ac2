"""Transferability scoring: compare a source context with a target, criterion by criterion.

Pure functions. Several assessors may rate the target: each criterion is scored at the median rating, and the
lowest and highest scores any assessor's rating gives are kept beside it, so disagreement stays visible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from lessonkit.domain.modules import CONTEXT_FIELDS
from lessonkit.domain.rubric import MAX_RATING, Comparison, Criterion, Rubric
from lessonkit.errors import ValidationError
from lessonkit.i18n import _, ngettext

STRONG_MATCH = 0.75
TOP = 3
CAUTION_CHARS = 400

Ratings = Mapping[str, float]


class CriterionScore(NamedTuple):
    """One criterion's result (a named tuple: cheap to build when ranking thousands of pairs)."""

    criterion: Criterion
    source: float
    target: float  # the median of the assessors' ratings
    ratings: tuple[float, ...]
    score: float  # 0..1 at the median
    score_low: float  # the lowest score any single assessor's rating gives
    score_high: float
    gap: float  # levels in the unfavourable direction, at the median
    fails: bool  # a critical criterion whose gap reaches the rubric's critical gap
    contested: bool  # a critical criterion some assessors' ratings fail and others' do not

    @property
    def id(self) -> str:
        return self.criterion.id

    @property
    def name(self) -> str:
        return self.criterion.name

    @property
    def spread(self) -> float:
        return max(self.ratings) - min(self.ratings) if self.ratings else 0.0


class Gap(NamedTuple):
    """A gap between source and target; the words are made when read (ranking builds thousands of these)."""

    criterion: Criterion
    source: float
    target: float
    gap: float
    fails: bool
    excerpt: str  # the first paragraph of the module's own cautions
    context_note: str  # what the module says about the source context on this criterion

    @property
    def criterion_id(self) -> str:
        return self.criterion.id

    @property
    def name(self) -> str:
        return self.criterion.name

    @property
    def what(self) -> str:
        """The gap in words."""
        return describe_gap(self.criterion, self.source, self.target)

    @property
    def cautions(self) -> tuple[str, ...]:
        """The module's own cautions that bear on the gap."""
        notes = []
        if self.context_note:
            label = _(CONTEXT_FIELDS.get(self.criterion.context_note, self.criterion.context_note))
            notes.append(_("Where it came from ({what}): {note}").format(what=label, note=self.context_note))
        if self.excerpt:
            notes.append(_("The module's own cautions: {text}").format(text=self.excerpt))
        return tuple(notes)

    @property
    def prompt(self) -> str:
        """A question to open the adaptation conversation."""
        c = self.criterion
        return c.adaptation_prompt or _("What would have to change for this tactic to fit here on '{name}'?").format(
            name=c.name
        )


@dataclass(frozen=True)
class ScoreResult:
    criteria: tuple[CriterionScore, ...]
    overall: float  # 0..100 at the median ratings
    overall_low: float  # the lowest overall score of any single assessor
    overall_high: float
    assessors: int
    strongest: tuple[CriterionScore, ...] = ()
    gaps: tuple[Gap, ...] = ()
    missing: tuple[str, ...] = ()  # criteria not rated on one side, left out of the score
    missing_criteria: tuple[Criterion, ...] = ()  # the same criteria, for their names

    @property
    def failing(self) -> tuple[CriterionScore, ...]:
        return tuple(c for c in self.criteria if c.fails)

    @property
    def contested(self) -> tuple[CriterionScore, ...]:
        return tuple(c for c in self.criteria if c.contested)

    @property
    def do_not_transfer(self) -> bool:
        """A critical criterion fails: the tactic should not be transferred as it is."""
        return any(c.fails for c in self.criteria)

    @property
    def verdict(self) -> str:
        if self.do_not_transfer:
            return _("do not transfer as is")
        if self.contested:
            return _("assessors disagree on a critical criterion: discuss before transferring")
        return _("transferable with adaptation") if self.gaps else _("transferable")


@dataclass(frozen=True)
class Candidate:
    """A module as ranking sees it."""

    slug: str
    title: str
    source: Ratings
    cautions: str = ""
    context: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RankRow:
    slug: str
    title: str
    result: ScoreResult


def gap_of(comparison: Comparison, source: float, target: float) -> float:
    """Levels between source and target that count against transfer."""
    if comparison is Comparison.TARGET_AT_LEAST:
        return max(0.0, source - target)
    if comparison is Comparison.TARGET_AT_MOST:
        return max(0.0, target - source)
    return abs(target - source)


def match(comparison: Comparison, source: float, target: float) -> float:
    """1.0 for no gap down to 0.0 for a gap of four levels."""
    return 1.0 - gap_of(comparison, source, target) / MAX_RATING


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def score(
    rubric: Rubric,
    source: Ratings,
    assessments: Sequence[Ratings],
    *,
    cautions: str = "",
    context: Mapping[str, str] | None = None,
) -> ScoreResult:
    """Score one source context against the target as rated by one or more assessors."""
    if not assessments:
        raise ValidationError("ratings", _("nobody has rated the target context yet."))
    rows: list[CriterionScore] = []
    missing: list[Criterion] = []
    only = assessments[0] if len(assessments) == 1 else None
    for c in rubric.criteria:
        if only is not None:
            ratings: tuple[float, ...] = (float(only[c.id]),) if c.id in only else ()
        else:
            ratings = tuple(float(a[c.id]) for a in assessments if c.id in a)
        if c.id not in source or not ratings:
            missing.append(c)
            continue
        rows.append(_criterion_score(rubric, c, float(source[c.id]), ratings))
    if not rows:
        raise ValidationError("ratings", _("the source and the target share no rated criterion."))
    total = sum(r.criterion.weight for r in rows)
    overall = 100 * sum(r.criterion.weight * r.score for r in rows) / total
    per_assessor = [overall] if only is not None else [_assessor_overall(rows, a, total) for a in assessments]
    return ScoreResult(
        criteria=tuple(rows),
        overall=round(overall, 1),
        overall_low=round(min(per_assessor), 1),
        overall_high=round(max(per_assessor), 1),
        assessors=len(assessments),
        strongest=_strongest(rows),
        gaps=_gaps(rows, cautions, context or {}),
        missing=tuple(c.id for c in missing),
        missing_criteria=tuple(missing),
    )


def _criterion_score(rubric: Rubric, c: Criterion, source: float, ratings: tuple[float, ...]) -> CriterionScore:
    if len(ratings) == 1:  # one assessor (a profile, or ranking): no spread to compute
        gap = gap_of(c.comparison, source, ratings[0])
        value = 1.0 - gap / MAX_RATING
        fails = c.critical and gap >= rubric.critical_gap
        return CriterionScore(c, source, ratings[0], ratings, value, value, value, gap, fails, False)
    target = median(ratings)
    gap = gap_of(c.comparison, source, target)
    each = [gap_of(c.comparison, source, r) for r in ratings]
    fails = c.critical and gap >= rubric.critical_gap
    some_fail = c.critical and any(g >= rubric.critical_gap for g in each)
    some_pass = any(g < rubric.critical_gap for g in each)
    return CriterionScore(
        criterion=c,
        source=source,
        target=target,
        ratings=ratings,
        score=1.0 - gap / MAX_RATING,
        score_low=1.0 - max(each) / MAX_RATING,
        score_high=1.0 - min(each) / MAX_RATING,
        gap=gap,
        fails=fails,
        contested=some_fail and some_pass,
    )


def _assessor_overall(rows: list[CriterionScore], assessment: Ratings, total: float) -> float:
    acc = 0.0
    for r in rows:
        c = r.criterion
        target = float(assessment[c.id]) if c.id in assessment else r.target
        acc += c.weight * match(c.comparison, r.source, target)
    return 100 * acc / total


def _strongest(rows: list[CriterionScore]) -> tuple[CriterionScore, ...]:
    good = [r for r in rows if r.score >= STRONG_MATCH]
    good.sort(key=lambda r: (-r.score, -r.criterion.weight))
    return tuple(good[:TOP])


def _gaps(rows: list[CriterionScore], cautions: str, context: Mapping[str, str]) -> tuple[Gap, ...]:
    open_gaps = [r for r in rows if r.gap > 0]
    open_gaps.sort(key=lambda r: (not r.fails, -r.criterion.weight * (1 - r.score), r.criterion.name))
    chosen = [r for r in open_gaps if r.fails] + [r for r in open_gaps if not r.fails]
    chosen = chosen[: max(TOP, sum(1 for r in open_gaps if r.fails))]
    excerpt = _excerpt(cautions)
    return tuple(_gap(r, excerpt, context) for r in chosen)


def _gap(r: CriterionScore, excerpt: str, context: Mapping[str, str]) -> Gap:
    note = context.get(r.criterion.context_note, "") if r.criterion.context_note else ""
    return Gap(r.criterion, r.source, r.target, r.gap, r.fails, excerpt, note)


def describe_gap(c: Criterion, source: float, target: float) -> str:
    """The gap in words, e.g. "Legal risk: the target is 2 levels above where the tactic came from …"."""
    distance = abs(target - source)
    levels = f"{distance:g}"
    count = int(distance) if distance == int(distance) else 2  # a fraction takes the form of a count above one
    if c.comparison is Comparison.TARGET_AT_LEAST:
        text = ngettext(
            "the target is {n} level below where the tactic came from",
            "the target is {n} levels below where the tactic came from",
            count,
        )
    elif c.comparison is Comparison.TARGET_AT_MOST:
        text = ngettext(
            "the target is {n} level above where the tactic came from",
            "the target is {n} levels above where the tactic came from",
            count,
        )
    else:
        text = ngettext(
            "the target differs by {n} level from where the tactic came from",
            "the target differs by {n} levels from where the tactic came from",
            count,
        )
    where = _("target {target}, source {source}").format(target=f"{target:g}", source=f"{source:g}")
    return f"{c.name}: {text.format(n=levels)} ({where})"


@lru_cache(maxsize=2048)
def _excerpt(text: str) -> str:
    """The first paragraph of the module's cautions, cut at a word near CAUTION_CHARS."""
    para = text.strip().split("\n\n", 1)[0].strip()
    if len(para) <= CAUTION_CHARS:
        return para
    return para[:CAUTION_CHARS].rsplit(" ", 1)[0] + " …"


def rank(rubric: Rubric, candidates: Sequence[Candidate], target: Ratings) -> list[RankRow]:
    """Every candidate scored for one target: transferable ones first, then by overall score."""
    rows = [
        RankRow(c.slug, c.title, score(rubric, c.source, (target,), cautions=c.cautions, context=c.context))
        for c in candidates
    ]
    rows.sort(key=lambda r: (r.result.do_not_transfer, -r.result.overall, r.title.casefold()))
    return rows
