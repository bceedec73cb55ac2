"""A full-size workshop in real Chromium: `lessonkit serve --expect N`, N participants in separate browser contexts
opening the link together and submitting notes round by round (the suite runs the same with 3 participants).

Run on demand (20 x 3 takes about two minutes on 2 cores; nothing else should be running):
    python tests/benchmarks/bench_workshop.py [--participants 20] [--notes 3] [--runs 1]

Prints one table: participants, notes each, pool fill (s), all forms visible (s), a round of submits (median s),
notes stored of expected, duplicates. Medians over runs: the machines are noisy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from workshop import preheated_server, run_workshop  # noqa: E402


def chromium() -> str:
    for path in (os.environ.get("LESSONKIT_CHROMIUM", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if path and Path(path).exists():
            return path
    raise SystemExit("no Chromium: apt-get install chromium, or set LESSONKIT_CHROMIUM")


def one_run(participants: int, notes: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    t0 = time.perf_counter()
    with preheated_server(participants) as (server, codes), sync_playwright() as p:
        fill_s = time.perf_counter() - t0
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
        try:
            figures = run_workshop(browser, server, codes, notes)
        finally:
            browser.close()
    return {
        "fill_s": fill_s,
        "open_s": figures.open_s,
        "round_s": figures.median_round_s,
        "stored": float(len(figures.stored)),
        "duplicates": float(sum(n - 1 for n in figures.stored.values())),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--participants", type=int, default=20)
    ap.add_argument("--notes", type=int, default=3, help="notes per participant")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    runs = [one_run(args.participants, args.notes) for _ in range(args.runs)]

    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    expected = args.participants * args.notes
    print(f"{'participants':>12} {'notes each':>10} {'pool fill s':>11} {'forms open s':>12} {'round s':>8} "
          f"{'stored':>9} {'duplicates':>10}")
    print(f"{args.participants:>12} {args.notes:>10} {med('fill_s'):>11.1f} {med('open_s'):>12.1f} "
          f"{med('round_s'):>8.1f} {int(med('stored')):>4}/{expected:<4} {int(med('duplicates')):>10}")
    print(f"(median of {len(runs)} run{'s' if len(runs) > 1 else ''})")


if __name__ == "__main__":
    main()
