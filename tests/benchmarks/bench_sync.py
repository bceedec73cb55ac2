"""Library sync benchmark: the Beautiful Trouble corpus through a CouchDB-protocol server, first and incremental.

Run on demand:  python tests/benchmarks/bench_sync.py [--corpus PATH] [--runs 5] [--couchdb-url URL]
Starts PouchDB Server from npm (in memory; see .ci/run) unless --couchdb-url (or LESSONKIT_COUCHDB_URL) names an
Apache CouchDB. Each run: a fresh database and two fresh disk workspaces (copies of one import of the corpus into
laptop A, laptop B empty); first sync A → server (push every module), first sync B ← server (pull every module),
then 10 modules edited on A: incremental sync A (push 10), incremental sync B (pull 10). Prints medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: couch_support, support

from couch_support import external_couchdb, start_pouchdb_server  # noqa: E402

from lessonkit.services.importers.beautiful_trouble import import_beautiful_trouble  # noqa: E402
from lessonkit.services.library import edit_module, list_modules  # noqa: E402
from lessonkit.services.library_sync import SyncReport, sync_library  # noqa: E402
from lessonkit.store import Workspace  # noqa: E402
from lessonkit.store.couch import CouchDatabase, parse_remote  # noqa: E402

CORPUS = Path(__file__).resolve().parents[3] / "shared/corpora/beautiful-trouble/toolbox.json"
STEPS = ("first sync A (push all)", "first sync B (pull all)", "10 changes: sync A (push)", "10 changes: sync B (pull)")


def timed_sync(home: Path, url: str) -> tuple[float, SyncReport]:
    store = Workspace(home).library()
    start = time.perf_counter()
    with CouchDatabase(parse_remote(url)) as db:
        report = sync_library(store, db)
    return time.perf_counter() - start, report


def one_run(template: Path, server, n_modules: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    work = Path(tempfile.mkdtemp(prefix="lessonkit-bench-sync-"))
    db = server.new_db()
    url = server.url(db)
    try:
        a, b = work / "a", work / "b"
        shutil.copytree(template, a)
        out: dict[str, float] = {}
        out[STEPS[0]], rep = timed_sync(a, url)
        assert rep.summary()["sent"] == n_modules, rep.summary()
        out[STEPS[1]], rep = timed_sync(b, url)
        assert rep.summary()["received"] == n_modules, rep.summary()
        store = Workspace(a).library()
        for m in list_modules(store)[:10]:
            edit_module(store, m.slug, {"summary": (m.summary + " (edited)").strip()})
        out[STEPS[2]], rep = timed_sync(a, url)
        assert rep.summary()["sent"] == 10, rep.summary()
        out[STEPS[3]], rep = timed_sync(b, url)
        assert rep.summary()["received"] == 10, rep.summary()
        return out
    finally:
        server.drop(db)
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--couchdb-url", default=os.environ.get("LESSONKIT_COUCHDB_URL"))
    args = parser.parse_args()
    server = external_couchdb(args.couchdb_url) if args.couchdb_url else start_pouchdb_server()
    template = Path(tempfile.mkdtemp(prefix="lessonkit-bench-template-")) / "ws"
    try:
        store = Workspace(template).library()
        start = time.perf_counter()
        report = import_beautiful_trouble(store, args.corpus)
        import_s = time.perf_counter() - start
        n = len(list_modules(store))
        print(f"corpus: {n} modules imported in {import_s:.2f} s; server: {server.kind}; runs: {args.runs}")
        runs = [one_run(template, server, n) for _ in range(args.runs)]
        assert not report.skipped
    finally:
        shutil.rmtree(template.parent, ignore_errors=True)
        server.stop()
    print(f"{'step':<30} {'median s':>9} {'min s':>7} {'max s':>7}")
    for step in STEPS:
        values = [r[step] for r in runs]
        print(f"{step:<30} {statistics.median(values):>9.2f} {min(values):>7.2f} {max(values):>7.2f}")


if __name__ == "__main__":
    main()
