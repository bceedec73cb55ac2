"""CSV import of paper cards (`lessonkit notes import`): seconds per size, this checkout beside main.

Run on demand:  python tests/benchmarks/bench_import.py [--sizes 2000 8000 16000 100000] [--runs 3]
                                                      [--main-sizes 2000 8000] [--main-ref main]
Each measurement runs in a fresh process on a fresh workspace (a convening with two sessions and 40 participants;
a third of the cards carry a join code). Sizes up to 16,000 cards: the median of --runs runs; larger: one run.
main is measured in the same run from `git archive` of --main-ref into a temp folder (only at --main-sizes: at 16k
cards and more it takes minutes). Prints a table; every temp folder is removed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

RUN = textwrap.dedent(
    """
    import csv, json, sys, tempfile, time, shutil
    from pathlib import Path
    import lessonkit
    assert lessonkit.__file__.startswith(sys.argv[2]), lessonkit.__file__
    from lessonkit import services
    from lessonkit.store import Workspace
    n = int(sys.argv[1])
    home = Path(tempfile.mkdtemp(prefix="lk-bench-import-"))
    try:
        ws = Workspace(home)
        services.create_convening(ws, "c", "Benchmark")
        store = ws.store("c")
        services.add_session(store, "Listening", ["?"], allow_anonymous=True)
        services.add_session(store, "Second round", ["?"], allow_anonymous=True)
        codes = [services.add_participant(store, f"Person {i}", consent={"share_up_to": "public"}).join_code
                 for i in range(40)]
        cards = home / "cards.csv"
        with open(cards, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["session", "category", "text", "tags", "sensitivity", "join_code"])
            for i in range(n):
                w.writerow(["1" if i % 2 else "Second round", ("need", "risk", "what worked")[i % 3],
                            f"Card {i}: the tenants' union met in the school hall, line {i % 97}.",
                            f"housing,t{i % 11}", "convening", codes[i % 40] if i % 3 == 0 else ""])
        t0 = time.perf_counter()
        added = services.import_notes_csv(store, cards)
        took = time.perf_counter() - t0
        assert len(added) == n
        print(json.dumps(took))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    """
)


def measure(src: Path, n: int, runs: int, timeout: float) -> float | None:
    """Median seconds over ``runs`` fresh processes importing ``n`` cards with the lessonkit in ``src``."""
    times = []
    for _ in range(runs):
        try:
            out = subprocess.run(  # run from src: `python -c` puts the current folder first on the path
                [sys.executable, "-c", RUN, str(n), str(src)], env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
                cwd=src, capture_output=True, text=True, timeout=timeout, check=True,
            ).stdout
        except subprocess.TimeoutExpired:
            return None
        times.append(json.loads(out))
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 8000, 16000, 100000])
    ap.add_argument("--runs", type=int, default=3, help="runs per size up to 16,000 cards (median)")
    ap.add_argument("--main-sizes", type=int, nargs="*", default=[2000, 8000])
    ap.add_argument("--main-ref", default="main")
    ap.add_argument("--timeout", type=float, default=300, help="seconds before a run counts as unfinished")
    a = ap.parse_args()
    old = Path(tempfile.mkdtemp(prefix="lk-bench-main-"))
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", a.main_ref, "lessonkit"], capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        print(f"{'cards':>8}{'this checkout s':>17}{'cards/s':>10}{a.main_ref + ' s':>12}")
        for n in a.sizes:
            runs = a.runs if n <= 16000 else 1
            new = measure(ROOT, n, runs, a.timeout)
            before = measure(old, n, runs, a.timeout) if n in a.main_sizes else None
            unfinished = f"> {a.timeout:.0f}"
            shown_new = f"{new:.2f}" if new is not None else unfinished
            rate = f"{n / new:,.0f}" if new else "-"
            shown_old = f"{before:.2f}" if before is not None else ("-" if n not in a.main_sizes else unfinished)
            print(f"{n:>8}{shown_new:>17}{rate:>10}{shown_old:>12}")
    finally:
        shutil.rmtree(old, ignore_errors=True)


if __name__ == "__main__":
    main()
