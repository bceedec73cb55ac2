"""Encryption at rest, measured beside plain in the same run: medians of several runs, one table.

Run on demand:  python tests/benchmarks/bench_crypto.py [--runs 3] [--procs 30] [--per-proc 20] [--prefill 5000]
                [--no-report]

- submit latency with ``--procs`` writer processes at once (bench_store.py's harness): plain writers as today,
  encrypted ones as the participant server runs them (``LESSONKIT_ROLE=participant``: the public key only, each
  having recognised its join code first, as the form does when the code is typed). Goal: p95 <= 100 ms.
- unlock (age's scrypt, work factor 18) and the first read of a ``--prefill``-note convening after it;
- a board refresh (200 notes, 10 new ones to read since the last refresh);
- a 200-note listening report (bench_reports.py's seed; PDF with Chromium, else HTML), a cold kernel each time.

Machines are noisy (this one is shared): compare the two columns of one run, not runs on different days.
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import pct, seed  # noqa: E402

from lessonkit import services  # noqa: E402
from lessonkit.store import Workspace, at_rest, journal, keyring  # noqa: E402
from lessonkit.store import keys as keyfile  # noqa: E402

PASSPHRASE = "benchmark passphrase of several words"

WRITER = textwrap.dedent("""
    import json, sys, time
    from lessonkit import services
    from lessonkit.store import Workspace
    home, start, n, code = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    store = Workspace(home).store("c")
    services.participant_by_code(store, code)  # the form recognises the code as it is typed
    lat = []
    time.sleep(max(0.0, start - time.time()))
    for i in range(n):
        t0 = time.perf_counter()
        services.submit_note(store, 1, "risk", f"note {i}", "bench", "convening", join_code=code)
        lat.append((time.perf_counter() - t0) * 1000)
    print(json.dumps([lat, time.time()]))
""")


def encrypt(home: Path, slug: str) -> None:
    """Encrypt convening ``slug`` of ``home`` (keys held unlocked in this process)."""
    keys, identities = keyfile.make(PASSPHRASE)
    at_rest.encrypt(Workspace(home).path_for(slug), keys, keys.cipher(identities))


def make_home(encrypted: bool, prefill: int) -> Path:
    home = Path(tempfile.mkdtemp(prefix="lk-bench-crypto-"))
    seed(home, "c", prefill)
    if encrypted:
        encrypt(home, "c")
    journal.forget(home / "convenings" / "c.json")
    return home


def concurrent(encrypted: bool, procs: int, per_proc: int, prefill: int) -> dict[str, float]:
    import os

    home = make_home(encrypted, prefill)
    try:
        store = Workspace(home).store("c")
        code = services.list_participants(store)[0].join_code
        env = dict(os.environ, **({"LESSONKIT_ROLE": "participant"} if encrypted else {}))
        env.pop("LESSONKIT_PASSPHRASE", None)
        start = time.time() + 5.0  # every process imported, its code recognised, waiting before the first write
        running = [
            subprocess.Popen([sys.executable, "-c", WRITER, str(home), str(start), str(per_proc), code],
                             stdout=subprocess.PIPE, text=True, env=env)
            for _ in range(procs)
        ]
        results = [json.loads(p.communicate(timeout=900)[0]) for p in running]
        lat = [x for r in results for x in r[0]]
        wall = max(r[1] for r in results) - start
        journal.forget(home / "convenings" / "c.json")
        stored = sum(1 for d in Workspace(home).store("c").all("notes") if d["tags"] == ["bench"])
        return {"p50": statistics.median(lat), "p95": pct(lat, 0.95), "rate": len(lat) / wall,
                "lost": procs * per_proc - stored}
    finally:
        shutil.rmtree(home, ignore_errors=True)


def unlock_and_read(prefill: int) -> tuple[float, float, float]:
    """(unlock s, first read ms encrypted, first read ms plain) of a ``prefill``-note convening."""
    plain, sealed = make_home(False, prefill), make_home(True, prefill)
    try:
        path = Workspace(sealed).path_for("c")
        keyring.forget(path)
        t0 = time.perf_counter()
        keyring.unlock(path, PASSPHRASE)
        unlocked = time.perf_counter() - t0
        reads = []
        for home in (sealed, plain):
            journal.forget(Workspace(home).path_for("c"))
            t0 = time.perf_counter()
            Workspace(home).store("c").all("notes")
            reads.append((time.perf_counter() - t0) * 1000)
        return unlocked, reads[0], reads[1]
    finally:
        shutil.rmtree(plain, ignore_errors=True)
        shutil.rmtree(sealed, ignore_errors=True)


def board_refresh(encrypted: bool) -> float:
    """ms for one board refresh of a 200-note convening, after 10 more notes came in."""
    from lessonkit.ui.board import LiveBoard

    home = make_home(encrypted, 200)
    try:
        store = Workspace(home).store("c")
        code = services.list_participants(store)[0].join_code
        board = LiveBoard(store, 1, refresh_s=0)
        for i in range(10):
            services.submit_note(store, 1, "need", f"new note {i}", join_code=code)
        t0 = time.perf_counter()
        board.refresh(force=True)
        return (time.perf_counter() - t0) * 1000
    finally:
        shutil.rmtree(home, ignore_errors=True)


def report(encrypted: bool, notes: int) -> tuple[float, str]:
    """Seconds for a 200-note listening report (cold kernel; PDF when a browser is found, else HTML)."""
    import report_seed

    from lessonkit.export.browser import find_browser
    from lessonkit.export.reports import ReportJob, make_report

    fmt = "pdf" if find_browser() else "html"
    home = Path(tempfile.mkdtemp(prefix="lk-bench-crypto-report-")) / "ws"
    try:
        report_seed.seed(Workspace(home), notes=notes)
        if encrypted:
            encrypt(home, "demo")
        out = home.parent / f"listening.{fmt}"
        t0 = time.perf_counter()
        done = make_report(ReportJob("listening", "demo", out, fmt=fmt, home=str(home)))
        assert done.path is not None and done.path.exists(), done.message
        return time.perf_counter() - t0, fmt
    finally:
        shutil.rmtree(home.parent, ignore_errors=True)


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--procs", type=int, default=30)
    ap.add_argument("--per-proc", type=int, default=20)
    ap.add_argument("--prefill", type=int, default=5000)
    ap.add_argument("--report-notes", type=int, default=200)
    ap.add_argument("--no-report", action="store_true", help="skip the report (needs a kernel, ideally Chromium)")
    a = ap.parse_args()
    rows: list[tuple[str, str, str]] = []
    concurrent_runs = {enc: [concurrent(enc, a.procs, a.per_proc, a.prefill) for _ in range(a.runs)]
                       for enc in (False, True)}
    for key, label in (("p50", "submit p50 ms"), ("p95", "submit p95 ms (goal <= 100)"), ("rate", "writes/s"),
                       ("lost", "notes lost")):
        plain, sealed = (statistics.median(r[key] for r in concurrent_runs[enc]) for enc in (False, True))
        rows.append((f"{label}, {a.procs} writers x {a.per_proc}, {a.prefill} pre", f"{plain:.1f}", f"{sealed:.1f}"))
    unlocks = [unlock_and_read(a.prefill) for _ in range(a.runs)]
    rows.append(("unlock (scrypt, work factor 18) s", "-", f"{statistics.median(u[0] for u in unlocks):.2f}"))
    rows.append((f"first read after unlock, {a.prefill} notes, ms", f"{statistics.median(u[2] for u in unlocks):.0f}",
                 f"{statistics.median(u[1] for u in unlocks):.0f}"))
    boards = [median_of(a.runs, functools.partial(board_refresh, enc)) for enc in (False, True)]
    rows.append(("board refresh, 200 notes + 10 new, ms", f"{boards[0]:.1f}", f"{boards[1]:.1f}"))
    if not a.no_report:
        made = [[report(enc, a.report_notes) for _ in range(a.runs)] for enc in (False, True)]
        fmt = made[0][0][1]
        plain, sealed = (statistics.median(t for t, _f in runs) for runs in made)
        rows.append((f"{a.report_notes}-note listening report ({fmt}, cold) s", f"{plain:.2f}", f"{sealed:.2f}"))
    width = max(len(r[0]) for r in rows) + 2
    print(f"{'median of ' + str(a.runs) + ' runs':<{width}}{'plain':>10}{'encrypted':>12}")
    for label, plain_v, sealed_v in rows:
        print(f"{label:<{width}}{plain_v:>10}{sealed_v:>12}")


if __name__ == "__main__":
    main()
