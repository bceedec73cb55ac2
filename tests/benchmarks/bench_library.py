"""Library benchmark: import the Beautiful Trouble corpus, rank 400 modules × 20 targets, search latency.

Run on demand:  python tests/benchmarks/bench_library.py [--corpus PATH] [--searches 300]
Prints one table. Goal: ranking 400 modules for 20 target contexts in at most 1 s. Machines are noisy.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from lessonkit.domain.rubric import ContextProfile
from lessonkit.domain.scoring import Candidate, rank
from lessonkit.services.importers.beautiful_trouble import import_beautiful_trouble
from lessonkit.services.library import list_modules, set_source_profile
from lessonkit.services.library_search import search_modules
from lessonkit.services.scoring import load_rubric, rank_library
from lessonkit.store import Workspace

CORPUS = Path(__file__).resolve().parents[3] / "shared/corpora/beautiful-trouble/toolbox.json"
QUERIES = [
    "dance",
    "police",
    "humour banner",
    "media",
    "solidarity economy",
    "strike",
    "",
    "occupy",
    "art",
    "election",
    "boycott",
    "land",
    "water",
    "women",
    "students",
]
FILTERS = [
    {},
    {"type": "tactic"},
    {"status": "draft"},
    {"region": "africa"},
    {"tag": "humour"},
    {"type": "story", "region": "north-america"},
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def random_ratings(rng: random.Random, rubric) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {c.id: rng.randint(0, 4) for c in rubric.criteria}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--searches", type=int, default=300)
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    rng = random.Random(4)
    rubric = load_rubric()
    home = Path(tempfile.mkdtemp(prefix="lessonkit-bench-library-"))
    library = Workspace(home).library()

    report, first = timed(import_beautiful_trouble, library, args.corpus)
    rows.append(("import corpus (331 items, empty library, TinyDB)", f"{first * 1000:.0f} ms"))
    _, again = timed(import_beautiful_trouble, Workspace(home).library(), args.corpus)
    rows.append(("re-import corpus (all unchanged)", f"{again * 1000:.0f} ms"))
    rows.append(
        (
            "  imported / skipped / unresolved names",
            f"{len(report.imported)} / {len(report.skipped)} / {len(report.unresolved_names)}",
        )
    )

    candidates = [
        Candidate(f"m{i}", f"Module {i}", random_ratings(rng, rubric), "cautions " * 30, {"legal": "notes"})
        for i in range(400)
    ]
    targets = [random_ratings(rng, rubric) for _ in range(20)]
    rank(rubric, candidates[:10], targets[0])  # warm up
    durations = []
    for _ in range(5):
        _, took = timed(lambda: [rank(rubric, candidates, t) for t in targets])
        durations.append(took)
    rows.append(("rank 400 modules x 20 targets (domain, best of 5)", f"{min(durations) * 1000:.0f} ms"))
    rows.append(("  median of 5", f"{statistics.median(durations) * 1000:.0f} ms"))

    for m in list_modules(library)[:300]:  # give most of the corpus a source profile, then 100 more modules
        set_source_profile(library, m.slug, random_ratings(rng, rubric), rubric)
    profiles = [ContextProfile(f"t{i}", t) for i, t in enumerate(targets)]
    service = []
    for _ in range(3):
        _, took = timed(lambda: [rank_library(library, p, rubric) for p in profiles])
        service.append(took)
    rows.append(("rank_library (300 stored modules) x 20 targets", f"{min(service) * 1000:.0f} ms"))

    latencies = []
    fresh = Workspace(home).library()
    first = list_modules(fresh)[0]
    set_source_profile(fresh, first.slug, random_ratings(rng, rubric), rubric)  # a write: the next search reloads
    _, cold = timed(search_modules, fresh, "police")
    for i in range(args.searches):
        query, filters = QUERIES[i % len(QUERIES)], FILTERS[i % len(FILTERS)]
        _, took = timed(search_modules, Workspace(home).library(), query, **filters)
        latencies.append(took * 1000)
    rows.append(("search, first after a change (loads the library)", f"{cold * 1000:.1f} ms"))
    rows.append((f"search latency p50 ({args.searches} searches)", f"{pct(latencies, 0.5):.2f} ms"))
    rows.append(("search latency p95", f"{pct(latencies, 0.95):.2f} ms"))

    width = max(len(name) for name, _ in rows)
    print(f"{'measure'.ljust(width)}  value")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
