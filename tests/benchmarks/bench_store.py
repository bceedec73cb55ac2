"""Store benchmark: note write latency at 1k and 10k notes; 30 processes writing at once, beside sqlite3 WAL.

Run on demand:  python tests/benchmarks/bench_store.py [--writes 200] [--procs 30] [--per-proc 20]
Prints a table of medians/p95 (ms), throughput (writes/s) and records lost. Machines are noisy: compare ratios.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from lessonkit import services
from lessonkit.store import Workspace
from lessonkit.store.journal import forget


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def seed(home: Path, slug: str, notes: int) -> None:
    ws = Workspace(home)
    services.create_convening(ws, slug, "Benchmark")
    store = ws.store(slug)
    services.add_session(store, "Listening", ["?"], allow_anonymous=True)
    services.add_participant(store, "Bench", consent={"share_up_to": "public"})
    with store.transaction() as tx:
        for i in range(notes):
            tx.insert(
                "notes",
                {
                    "schema_version": 1,
                    "session_id": 1,
                    "category": "need",
                    "text": f"Seeded note number {i} about water, land and safe meeting places.",
                    "sensitivity": "convening",
                    "author_id": None,
                    "tags": ["seed", f"t{i % 7}"],
                    "created": "2026-01-01T00:00:00+00:00",
                    "updated": None,
                    "moderation": "visible",
                    "merged_into": None,
                    "source": "form",
                },
            )


def single_writer(notes: int, writes: int) -> list[float]:
    home = Path(tempfile.mkdtemp(prefix="lk-bench-"))
    try:
        seed(home, "c", notes)
        store = Workspace(home).store("c")
        code = services.list_participants(store)[0].join_code
        out = []
        for i in range(writes):
            t0 = time.perf_counter()
            services.submit_note(store, 1, "risk", f"Benchmark note {i}", "bench", "convening", join_code=code)
            out.append((time.perf_counter() - t0) * 1000)
        return out
    finally:
        shutil.rmtree(home, ignore_errors=True)


LK_WRITER = textwrap.dedent("""
    import json, sys, time
    from lessonkit import services
    from lessonkit.store import Workspace
    home, start, n, code = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    store = Workspace(home).store("c")
    lat = []
    time.sleep(max(0.0, start - time.time()))
    for i in range(n):
        t0 = time.perf_counter()
        services.submit_note(store, 1, "risk", f"note {i}", "bench", "convening", join_code=code)
        lat.append((time.perf_counter() - t0) * 1000)
    print(json.dumps([lat, time.time()]))
""")

SQLITE_WRITER = textwrap.dedent("""
    import json, sqlite3, sys, time
    path, start, n = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    con = sqlite3.connect(path, timeout=60, isolation_level=None)
    lat = []
    time.sleep(max(0.0, start - time.time()))
    for i in range(n):
        t0 = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO notes(doc) VALUES (?)", (json.dumps({"text": f"note {i}", "tags": ["bench"]}),))
        con.execute("COMMIT")
        lat.append((time.perf_counter() - t0) * 1000)
    print(json.dumps([lat, time.time()]))
""")


def concurrent(kind: str, procs: int, per_proc: int, prefill: int) -> dict[str, float]:
    home = Path(tempfile.mkdtemp(prefix="lk-bench-"))
    try:
        return _concurrent(home, kind, procs, per_proc, prefill)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _concurrent(home: Path, kind: str, procs: int, per_proc: int, prefill: int) -> dict[str, float]:
    if kind == "lessonkit":
        seed(home, "c", prefill)
        forget(home / "convenings" / "c.json")
        code = services.list_participants(Workspace(home).store("c"))[0].join_code
        args = lambda start: [sys.executable, "-c", LK_WRITER, str(home), str(start), str(per_proc), code]  # noqa: E731
    else:
        db = home / "floor.sqlite"
        con = sqlite3.connect(db)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, doc TEXT)")
        con.executemany(
            "INSERT INTO notes(doc) VALUES (?)", [(json.dumps({"text": f"seed {i}"}),) for i in range(prefill)]
        )
        con.commit()
        con.close()
        args = lambda start: [sys.executable, "-c", SQLITE_WRITER, str(db), str(start), str(per_proc)]  # noqa: E731
    start = time.time() + 4.0  # every process imported and waiting before the first write
    running = [subprocess.Popen(args(start), stdout=subprocess.PIPE, text=True) for _ in range(procs)]
    results = [json.loads(p.communicate(timeout=600)[0]) for p in running]
    lat = [x for r in results for x in r[0]]
    wall = max(r[1] for r in results) - start
    if kind == "lessonkit":
        stored = sum(1 for d in Workspace(home).store("c").all("notes") if d["tags"] == ["bench"])
    else:
        stored = sqlite3.connect(db).execute("SELECT count(*) FROM notes").fetchone()[0] - prefill
    return {
        "writes": len(lat),
        "p50": statistics.median(lat),
        "p95": pct(lat, 0.95),
        "throughput": len(lat) / wall,
        "lost": procs * per_proc - stored,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--writes", type=int, default=200, help="single-writer submissions per size")
    ap.add_argument("--procs", type=int, default=30)
    ap.add_argument("--per-proc", type=int, default=20)
    ap.add_argument("--prefill", type=int, default=5000, help="records already in the file for the concurrent run")
    ap.add_argument("--only-concurrent", action="store_true", help="only the lessonkit run with --procs writers")
    a = ap.parse_args()
    print(f"{'case':<44}{'p50 ms':>10}{'p95 ms':>10}{'writes/s':>11}{'lost':>6}")
    for n in () if a.only_concurrent else (1_000, 10_000):
        lat = single_writer(n, a.writes)
        print(
            f"{'submit_note, one writer, ' + str(n) + ' notes':<44}{statistics.median(lat):>10.2f}"
            f"{pct(lat, 0.95):>10.2f}{1000 / statistics.mean(lat):>11.0f}{'-':>6}"
        )
    for kind in ("lessonkit",) if a.only_concurrent else ("lessonkit", "sqlite3-wal"):
        r = concurrent(kind, a.procs, a.per_proc, a.prefill)
        label = f"{kind}: {a.procs} procs x {a.per_proc}, {a.prefill} pre"
        print(f"{label:<44}{r['p50']:>10.2f}{r['p95']:>10.2f}{r['throughput']:>11.0f}{r['lost']:>6.0f}")


if __name__ == "__main__":
    main()
