"""Opinion groups the way Pol.is finds them, written for lessonkit (numpy and scikit-learn, no network).

1. Only participants with at least :data:`MIN_ANSWERS` answers are placed (a pass counts as an answer).
2. A participant x statement matrix holds +1 agree, -1 disagree, 0 pass; a statement someone has not answered gets
   that statement's mean answer.
3. PCA to two dimensions; each person's point is pushed out by sqrt(statements / their answers), as Pol.is does, so
   that people who answered little are not all drawn in the middle.
4. k-means for k = 2 .. 5 (at most one fewer than the people placed); the k with the best silhouette wins, and a
   grouping with a group of one person is never used (one person's answers would be as good as named). When no
   grouping qualifies, the room is one group.
5. A group's distinctive statements are those it agrees (or disagrees) with clearly more than everyone else, by
   Pol.is's representativeness: the smoothed share (A+1)/(S+2) in the group over the same share outside it, and a
   two-proportion z-test (both significant at 90%); when none passes, the strongest one is shown.
6. Consensus: statements that more than half of those who answered agreed with, in every group, ordered by the
   product of the groups' smoothed agree shares (Pol.is's group-aware consensus).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MIN_ANSWERS = 7
MAX_GROUPS = 5
DISTINCTIVE = 3
Z90 = 1.2816


@dataclass(frozen=True)
class Counts:
    agree: int
    disagree: int
    seen: int  # answered at all, passes included


@dataclass(frozen=True)
class Distinctive:
    statement: int
    side: str  # "agree" or "disagree"
    share: float  # of the group's answers to it, the share on that side
    repness: float  # how much more than outside the group (smoothed ratio)
    z: float


@dataclass(frozen=True)
class OpinionGroups:
    statements: tuple[int, ...]
    participants: tuple[int, ...]  # the people placed (enough answers), in the order of points and labels
    points: tuple[tuple[float, float], ...]
    labels: tuple[int, ...]  # each placed person's group, 0 .. k-1
    k: int  # number of groups; 1: the room did not divide; 0: too few people placed yet
    silhouette: float | None
    distinctive: tuple[tuple[Distinctive, ...], ...]  # per group
    consensus: tuple[int, ...]
    counts: tuple[tuple[Counts, ...], ...]  # per group, per statement (in ``statements`` order)
    waiting: int  # people who answered, but fewer than MIN_ANSWERS

    def sizes(self) -> list[int]:
        return [self.labels.count(g) for g in range(self.k)]


def _prop_test(success: int, n: int) -> float:
    s, total = success + 1, n + 1
    return 2 * math.sqrt(total) * (s / total - 0.5)


def _two_prop_test(succ_in: int, succ_out: int, n_in: int, n_out: int) -> float:
    s1, s2, p1, p2 = succ_in + 1, succ_out + 1, n_in + 1, n_out + 1
    pi1, pi2 = s1 / p1, s2 / p2
    pi_hat = (s1 + s2) / (p1 + p2)
    if pi_hat >= 1:
        return 0.0
    return (pi1 - pi2) / math.sqrt(pi_hat * (1 - pi_hat) * (1 / p1 + 1 / p2))


def _counts(rows: Sequence[Mapping[int, int]], statement: int) -> Counts:
    answers = [r[statement] for r in rows if statement in r]
    return Counts(sum(a > 0 for a in answers), sum(a < 0 for a in answers), len(answers))


def _distinctive(inside: Counts, outside: Counts, statement: int) -> tuple[Distinctive, bool]:
    """The statement's best side for a group and whether it passes Pol.is's test."""
    sides = []
    for side, a, a_out in (("agree", inside.agree, outside.agree), ("disagree", inside.disagree, outside.disagree)):
        p = (a + 1) / (inside.seen + 2)
        rep = p / ((a_out + 1) / (outside.seen + 2))
        sides.append((side, a, p, rep, _two_prop_test(a, a_out, inside.seen, outside.seen), _prop_test(a, inside.seen)))
    side, a, p, rep, rep_z, p_z = max(sides, key=lambda s: s[4])
    share = a / inside.seen if inside.seen else 0.0
    found = Distinctive(statement, side, share, rep, rep_z)
    return found, rep_z > Z90 and p_z > Z90 and a > 0


def _project(rows: Sequence[Mapping[int, int]], statements: Sequence[int]) -> list[tuple[float, float]]:
    import numpy as np

    m = len(statements)
    data = np.full((len(rows), m), np.nan)
    for i, row in enumerate(rows):
        for j, s in enumerate(statements):
            if s in row:
                data[i, j] = row[s]
    answered = ~np.isnan(data)
    sums = np.where(answered, data, 0.0).sum(axis=0)
    seen = answered.sum(axis=0)
    means = np.divide(sums, seen, out=np.zeros(m), where=seen > 0)
    centred = np.where(answered, data, means) - means  # a missing answer is the statement's mean: 0 once centred
    _u, _s, vt = np.linalg.svd(centred, full_matrices=False)
    comps = np.zeros((2, m))
    comps[: min(2, vt.shape[0])] = vt[:2]
    for c in comps:  # a fixed orientation: the same answers draw the same picture
        if c.any() and c[np.argmax(np.abs(c))] < 0:
            c *= -1
    scale = np.sqrt(m / np.maximum(answered.sum(axis=1), 1))
    points = (centred @ comps.T) * scale[:, None]
    return [(float(x), float(y)) for x, y in points]


def _best_grouping(points: list[tuple[float, float]], max_groups: int, seed: int) -> tuple[list[int], float | None]:
    """Labels of the best k-means grouping by silhouette without single-person groups; one group when none."""
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    from threadpoolctl import threadpool_limits

    data = np.array(points)
    distinct = len({(round(x, 9), round(y, 9)) for x, y in points})
    best: tuple[float, list[int]] | None = None
    with threadpool_limits(1):  # a few dozen points: threads only contend (seconds, not milliseconds, on 2 cores)
        for k in range(2, min(max_groups, len(points) - 1, distinct) + 1):
            labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(data)
            if np.bincount(labels, minlength=k).min() < 2:
                continue
            score = float(silhouette_score(data, labels))
            if best is None or score > best[0]:
                best = (score, [int(x) for x in labels])
    if best is None:
        return [0] * len(points), None
    # groups numbered by size, largest first, then by where they sit: stable names for "group A", "group B"
    found = best[1]
    order = sorted(set(found), key=lambda g: (-found.count(g), found.index(g)))
    rename = {old: new for new, old in enumerate(order)}
    return [rename[g] for g in found], best[0]


def find_groups(
    matrix: Mapping[int, Mapping[int, int]],
    statements: Sequence[int] | None = None,
    *,
    min_answers: int = MIN_ANSWERS,
    max_groups: int = MAX_GROUPS,
    seed: int = 0,
) -> OpinionGroups:
    """Opinion groups from ``matrix`` (participant -> statement -> +1/-1/0); see the module's docstring."""
    order = list(statements) if statements is not None else sorted({s for row in matrix.values() for s in row})
    wanted = set(order)
    answered = {p: {s: a for s, a in row.items() if s in wanted} for p, row in matrix.items()}
    placed = sorted(p for p, row in answered.items() if len(row) >= min_answers)
    waiting = sum(1 for p, row in answered.items() if row and p not in placed)
    rows = [answered[p] for p in placed]
    if len(placed) < 2:
        return OpinionGroups(tuple(order), tuple(placed), (), (), 0, None, (), (), (), waiting)
    points = _project(rows, order)
    labels, silhouette = _best_grouping(points, max_groups, seed) if len(placed) >= 4 else ([0] * len(placed), None)
    k = max(labels) + 1
    groups = [[rows[i] for i, g in enumerate(labels) if g == group] for group in range(k)]
    counts = tuple(tuple(_counts(members, s) for s in order) for members in groups)
    distinctive: list[tuple[Distinctive, ...]] = []
    for g in range(k if k > 1 else 0):
        outside = [rows[i] for i, x in enumerate(labels) if x != g]
        found = [_distinctive(counts[g][j], _counts(outside, s), s) for j, s in enumerate(order)]
        passing = [d for d, ok in found if ok]
        if not passing and found:
            passing = [max((d for d, _ok in found), key=lambda d: d.z)]
        passing.sort(key=lambda d: -(d.repness * d.z * d.share))
        distinctive.append(tuple(passing[:DISTINCTIVE]))
    consensus = []
    for j, s in enumerate(order):
        per_group = [c[j] for c in counts]
        if all(c.seen and c.agree / c.seen > 0.5 for c in per_group):
            consensus.append((math.prod((c.agree + 1) / (c.seen + 2) for c in per_group), -j, s))
    consensus.sort(reverse=True)
    return OpinionGroups(
        statements=tuple(order),
        participants=tuple(placed),
        points=tuple(points),
        labels=tuple(labels),
        k=k,
        silhouette=silhouette,
        distinctive=tuple(distinctive),
        consensus=tuple(s for _p, _j, s in consensus),
        counts=counts,
        waiting=waiting,
    )


def group_name(index: int) -> str:
    """Groups are called A, B, C … (never by anyone's name)."""
    return chr(ord("A") + index)
