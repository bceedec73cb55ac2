"""Crash benchmark: writers of one convening file SIGKILLed at random, many rounds; prints what survived.

Run on demand:  python tests/benchmarks/bench_crash.py [--rounds 50] [--kills 20] [--writers 4] [--compact 1500]
The suite runs a short version (tests/test_store_crash.py: 10 rounds of 12 kills). Every acknowledged note must be
stored once under the id it was given; the table counts kills, acknowledged notes, compactions, lost, moved (stored
under another id than acknowledged), duplicates and temp files left behind. Temp folders are removed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crash_harness import crash_test  # noqa: E402

from lessonkit.store import journal  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--kills", type=int, default=20, help="kills per round")
    ap.add_argument("--writers", type=int, default=4, help="writers alive at once")
    ap.add_argument("--compact", type=int, default=1500, help="COMPACT_MIN_BYTES for the run")
    ap.add_argument("--pause", type=float, default=0.05, help="longest pause before a kill (s)")
    ap.add_argument("--seed", type=int, default=9)
    a = ap.parse_args()
    journal.COMPACT_MIN_BYTES = a.compact
    root = Path(tempfile.mkdtemp(prefix="lk-bench-crash-"))
    try:
        t0 = time.perf_counter()
        out = crash_test(root, a.rounds, a.kills, a.writers, a.seed, a.pause)
        took = time.perf_counter() - t0
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"{'kills':>7}{'acked':>8}{'stored':>8}{'compactions':>13}{'lost':>6}{'moved':>7}{'dups':>6}{'temps':>7}"
          f"{'errors':>8}{'s':>7}")
    print(f"{out.kills:>7}{out.acknowledged:>8}{out.stored:>8}{out.compactions:>13}{len(out.lost):>6}"
          f"{len(out.moved):>7}{out.duplicates:>6}{len(out.stale_temps):>7}{len(out.errors):>8}{took:>7.1f}")
    for error in out.errors[:5]:
        print("error:", error)


if __name__ == "__main__":
    main()
