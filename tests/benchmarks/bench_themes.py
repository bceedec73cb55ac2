"""Themes benchmark: 500 notes into themes, and the quality of the grouping on the labelled set.

Run on demand:  python tests/benchmarks/bench_themes.py [--notes 500] [--runs 5]
Prints one table. Goal: 500 notes into themes in at most 1 s on 2 cores (scikit-learn already loaded: the first
suggestion in a kernel also pays for the import, shown on its own line). Quality: purity (and collocation) of the
groups on tests/data/themes_labelled.json (75 notes, 5 themes, English, Spanish, Arabic). Machines are noisy: the
table shows medians and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from lessonkit import services
from lessonkit.domain.clustering import DEFAULT_THRESHOLD, cluster_texts, collocation, purity
from lessonkit.resources import data_path
from lessonkit.store import Workspace

LABELLED = Path(__file__).resolve().parents[1] / "data" / "themes_labelled.json"


def labelled() -> list[dict[str, str]]:
    return json.loads(LABELLED.read_text(encoding="utf-8"))["notes"]


def synthetic_notes(n: int, seed: int = 1) -> list[tuple[str, str]]:
    """``n`` distinct notes (text, theme): each mixes words of one theme in one language with a few words from
    elsewhere, the length of a real note."""
    rng = random.Random(seed)
    pools: dict[tuple[str, str], list[str]] = {}
    for note in labelled():
        pools.setdefault((note["theme"], note["language"]), []).extend(note["text"].split())
    keys = sorted(pools)
    everything = [w for words in pools.values() for w in words]
    notes = []
    for i in range(n):
        key = keys[i % len(keys)]
        words = rng.sample(pools[key], k=min(len(pools[key]), rng.randint(8, 14))) + rng.sample(everything, k=2)
        rng.shuffle(words)
        notes.append((" ".join(words), key[0]))
    return notes


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import_s = timed(__import__, "sklearn.cluster")[1] + timed(__import__, "sklearn.feature_extraction.text")[1]
    notes = synthetic_notes(args.notes)
    texts = [t for t, _theme in notes]
    runs = [timed(cluster_texts, texts) for _ in range(args.runs)]
    groups = runs[-1][0]
    cluster_s = statistics.median(s for _g, s in runs)

    with tempfile.TemporaryDirectory(prefix="lessonkit-bench-themes-") as home:
        ws = Workspace(home)
        services.load_demo(ws, data_path("demo", "convening.json"))
        store = ws.store("demo")
        with store.transaction() as tx:  # notes as the form writes them, in one go
            from lessonkit.domain.records import Note

            for text, _theme in notes:
                tx.insert("notes", Note.from_dict({"session_id": 1, "category": "need", "text": text,
                                                   "sensitivity": "convening"}).to_dict())
        service_s = statistics.median(
            timed(services_suggest, store)[1] for _ in range(args.runs)
        )

    truth = [n["theme"] for n in labelled()]
    cells = [f"{n['theme']}/{n['language']}" for n in labelled()]
    lab_groups = cluster_texts([n["text"] for n in labelled()])
    rows = [
        ("load average (1 min)", f"{os.getloadavg()[0]:.2f}", "2 cores shared"),
        ("import scikit-learn (first suggestion only)", f"{import_s:.2f} s", ""),
        (f"cluster {args.notes} notes (median of {args.runs})", f"{cluster_s:.3f} s", "goal <= 1 s"),
        (f"suggest_themes on {args.notes} stored notes (median)", f"{service_s:.3f} s", "disclosure + labels"),
        (f"themes found for {args.notes} notes", str(len(groups)), f"threshold {DEFAULT_THRESHOLD}"),
        (f"purity on the {args.notes} synthetic notes", f"{purity(groups, [t for _x, t in notes]):.2f}", ""),
        ("labelled set: notes / themes / groups", f"{len(truth)} / {len(set(truth))} / {len(lab_groups)}", ""),
        ("labelled set: purity", f"{purity(lab_groups, truth):.2f}", "1.0: every group one theme"),
        ("labelled set: collocation (theme and language)", f"{collocation(lab_groups, cells):.2f}",
         "1.0: no theme split within a language"),
        (
            "labelled set: collocation (theme)",
            f"{collocation(lab_groups, truth):.2f}",
            "char n-grams cannot cross languages",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name.ljust(width)}  {value:>14}  {note}")


def services_suggest(store):  # type: ignore[no-untyped-def]
    from lessonkit.services.themes import suggest_themes

    return suggest_themes(store, 1)


if __name__ == "__main__":
    main()
