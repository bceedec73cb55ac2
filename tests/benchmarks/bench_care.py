"""Care benchmark: the mutual-aid ledger and the risk register as they grow; prints a table of medians.

Run on demand:  python tests/benchmarks/bench_care.py [--sizes 1000,10000] [--runs 5]
For each size: the pure book (balance + stock + open needs over N lines, a third of them corrections or status
changes), reading the ledger from a memory store and from a TinyDB file (every line validated), and the register
ranked with each group's ratings through the disclosure layer at level public (N/10 risks, 3 groups rating each).
A temporary folder is used and removed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lessonkit.domain.ledger import Entry  # noqa: E402
from lessonkit.domain.ledger_book import Book, balance, open_needs, stock  # noqa: E402
from lessonkit.domain.risks import Risk, RiskRating  # noqa: E402
from lessonkit.resources import data_path  # noqa: E402
from lessonkit.services import load_demo  # noqa: E402
from lessonkit.services.disclosure import Disclosure  # noqa: E402
from lessonkit.services.ledger import list_lines  # noqa: E402
from lessonkit.services.risks import register  # noqa: E402
from lessonkit.store import MemoryWorkspace, Workspace  # noqa: E402
from lessonkit.store.base import Store  # noqa: E402
from lessonkit.store.workspace import BaseWorkspace  # noqa: E402

GROUPS = ["Harbour Tenants Circle (invented)", "Green Valley Youth Forum (invented)", "Falcon"]


def lines(n: int) -> list[Entry]:
    out = []
    for i in range(1, n + 1):
        base = {"id": i, "from": GROUPS[i % 3], "to": GROUPS[(i + 1) % 3], "kind": "goods", "quantity": i % 13 + 1,
                "unit": "kg", "what": "rice", "status": "delivered", "due": "2026-01-01", "sensitivity": "public"}
        if i % 3 == 0:
            base.update(op="status", refers_to=i - 1, status="used")
        elif i % 5 == 0:
            base.update(op="correction", refers_to=i - 1, reason="typo")
        out.append(Entry.from_dict(base))
    return out


def fill(ws: BaseWorkspace, n: int) -> Store:
    load_demo(ws, data_path("demo", "convening.json"))
    store = ws.store("demo")
    with store.transaction() as tx:
        for e in lines(n):
            tx.insert("ledger", e.to_dict())
        for r in range(1, n // 10 + 1):
            risk = Risk.from_dict({"title": f"risk {r}", "category": "legal", "likelihood": r % 5 + 1,
                                   "impact": (r * 3) % 5 + 1, "sensitivity": "public"})
            tx.insert("risks", risk.to_dict())
            for g, group in enumerate(GROUPS):
                tx.insert("risk_ratings", RiskRating(r, group, (r + g) % 5 + 1, (r + 2 * g) % 5 + 1).to_dict())
    return store


def median(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(n: int, runs: int) -> tuple[float, float, float, float]:
    """(book, read from memory, read from file, register at public) medians for a ledger of ``n`` lines."""
    book_lines = lines(n)

    def book() -> None:
        b = Book.of(book_lines)
        balance(b), stock(b), open_needs(b, date(2026, 2, 1))

    memory = fill(MemoryWorkspace(), n)
    root = Path(tempfile.mkdtemp(prefix="lk-bench-care-"))
    try:
        disk = fill(Workspace(root), n)
        return (
            median(book, runs),
            median(lambda: list_lines(memory), runs),
            median(lambda: list_lines(disk), runs),
            median(lambda: Disclosure.open(memory, "public").risks(register(memory)), runs),
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="1000,10000", help="ledger lines, comma-separated")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    print(f"{'lines':>7}{'book (s)':>10}{'read mem (s)':>14}{'read file (s)':>15}{'risks':>7}{'register (s)':>14}")
    for n in (int(x) for x in a.sizes.split(",")):
        t_book, t_mem, t_file, t_reg = measure(n, a.runs)
        print(f"{n:>7}{t_book:>10.3f}{t_mem:>14.3f}{t_file:>15.3f}{n // 10:>7}{t_reg:>14.3f}")


if __name__ == "__main__":
    main()
