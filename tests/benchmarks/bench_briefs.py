"""Tactic briefs for the whole Beautiful Trouble corpus: how many fit one page, how many prints it took, how long.

Run on demand:  python tests/benchmarks/bench_briefs.py [--corpus PATH] [--paper a4|letter] [--limit N]
Prints one table. Goal: every module on one page, nearly all on the first print; a brief in well under a second
once the browser runs. Machines are noisy (the first print includes starting the browser).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from lessonkit.export import print_briefs
from lessonkit.services.importers.beautiful_trouble import import_beautiful_trouble
from lessonkit.services.library_brief import brief_sources
from lessonkit.store import MemoryWorkspace

CORPUS = next(
    (
        p / "shared/corpora/beautiful-trouble/toolbox.json"
        for p in Path(__file__).resolve().parents
        if (p / "shared/corpora/beautiful-trouble/toolbox.json").exists()
    ),
    Path("toolbox.json"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--paper", choices=["a4", "letter"], default="a4")
    parser.add_argument("--limit", type=int, default=0, help="only the first N modules")
    args = parser.parse_args()
    library = MemoryWorkspace().library()
    import_beautiful_trouble(library, args.corpus)
    sources = brief_sources(library, None, "public").sources
    sources = sources[: args.limit] if args.limit else sources
    stamps: list[float] = []
    with tempfile.TemporaryDirectory(prefix="lessonkit-briefs-") as tmp:
        start = time.perf_counter()
        results = print_briefs(
            [(s, Path(tmp) / f"{s.module.slug}.pdf") for s in sources],
            paper=args.paper,
            progress=lambda _n: stamps.append(time.perf_counter()),
        )
    gaps = [b - a for a, b in zip([start, *stamps], stamps, strict=False)]
    pages = Counter(r.pages for r in results)
    tries = Counter(r.tries for r in results)
    longer = [r.slug for r in results if (r.pages or 0) > 1]
    print(f"{'paper':<28}{args.paper}")
    print(f"{'modules':<28}{len(results)}")
    print(f"{'pages (count of briefs)':<28}{dict(sorted(pages.items()))}")
    print(f"{'prints to fit (count)':<28}{dict(sorted(tries.items()))}")
    print(f"{'first brief (with launch)':<28}{gaps[0]:.2f} s")
    print(f"{'median brief after it':<28}{statistics.median(gaps[1:]):.2f} s" if len(gaps) > 1 else "")
    print(f"{'total':<28}{stamps[-1] - start:.1f} s")
    if longer:
        print(f"{'longer than one page':<28}{', '.join(longer)}")


if __name__ == "__main__":
    main()
