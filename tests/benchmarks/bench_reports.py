"""Reports benchmark: the PDF of a 200-note listening report alone, and 30 reports in one batch.

Run on demand (needs Chromium):  python tests/benchmarks/bench_reports.py [--notes 200] [--batch 30]
Prints one table. Goals: one PDF in at most 3 s from a cold start (new kernel, new browser), at most 0.5 s per
report in a batch of 30 (one kernel, one browser). "alone" also runs in a fresh Python process, so the table shows
what a person waits for at the command line (imports included). Machines are noisy: run it when the machine is quiet.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import report_seed  # noqa: E402

from lessonkit.export.reports import ReportJob, make_report, make_reports  # noqa: E402
from lessonkit.store import Workspace  # noqa: E402

LEVELS = ("public", "network", "convening", "restricted")


def seed(notes: int) -> Path:
    home = Path(tempfile.mkdtemp(prefix="lessonkit-bench-reports-")) / "ws"
    report_seed.seed(Workspace(home), notes=notes)
    return home


def alone(home: Path, out: Path, runs: int) -> list[float]:
    times = []
    for i in range(runs):
        start = time.perf_counter()
        result = make_report(ReportJob("listening", "demo", out / f"alone-{i}.pdf", home=str(home)))
        times.append(time.perf_counter() - start)
        assert result.ok, result.message
    return times


def cli_alone(home: Path, out: Path) -> float:
    env = dict(os.environ, LESSONKIT_HOME=str(home))
    start = time.perf_counter()
    subprocess.run(
        ["lessonkit", "report", "demo", "--kind", "listening", "--out", str(out / "cli.pdf")],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def batch(home: Path, out: Path, n: int) -> float:
    kinds = ("listening", "summary", "mou", "transfer")
    jobs = [
        ReportJob(kinds[i % len(kinds)], "demo", out / f"batch-{i}.pdf", level=LEVELS[i % len(LEVELS)], home=str(home))
        for i in range(n)
    ]
    start = time.perf_counter()
    results = make_reports(jobs)
    elapsed = time.perf_counter() - start
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=200, help="public notes in the listening report")
    parser.add_argument("--batch", type=int, default=30, help="reports in the batch")
    parser.add_argument("--runs", type=int, default=3, help="runs of the single report")
    args = parser.parse_args()
    home = seed(args.notes)
    out = Path(tempfile.mkdtemp(prefix="lessonkit-bench-out-"))
    singles = alone(home, out, args.runs)
    cli = cli_alone(home, out)
    total = batch(home, out, args.batch)
    size = (out / "alone-0.pdf").stat().st_size
    rows = [
        ("what", "time", "goal"),
        (
            f"PDF of a {args.notes + 3}-note listening report, alone (median of {args.runs})",
            f"{statistics.median(singles):.2f} s",
            "<= 3 s",
        ),
        ("  the same from the command line (new process, imports included)", f"{cli:.2f} s", ""),
        (f"{args.batch} reports in one batch (all four kinds, four levels): total", f"{total:.2f} s", ""),
        ("  per report", f"{total / args.batch:.2f} s", "<= 0.5 s"),
        ("  size of the single PDF", f"{size / 1024:.0f} KiB", ""),
    ]
    width = max(len(r[0]) for r in rows)
    for what, took, goal in rows:
        print(f"{what.ljust(width)}  {took:>9}  {goal}")


if __name__ == "__main__":
    main()
