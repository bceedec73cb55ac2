"""Serving benchmark for a workshop of 30, beside stock Voila serving a one-widget notebook (the floor).

Run on demand (takes a few minutes; nothing else should be running):
    python tests/benchmarks/bench_serve.py [--expect 30] [--bursts 1,10,30]

Prints one table: arrival bursts (light HTTP clients fetching the whole page at once: p50/p95 s, hung), first-visit
page weight in real Chromium (bytes on the wire, responses, requests to other hosts), memory per kernel (PSS, MB),
and submit latency with 30 writers at once (ms from the call to a durable, fsynced record). Medians and ratios: the
machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from support import free_port  # noqa: E402

from lessonkit.resources import data_path  # noqa: E402
from lessonkit.serve import ServeConfig, start, stop, wait_for_port  # noqa: E402
from lessonkit.services import add_participant, load_demo  # noqa: E402
from lessonkit.store import Workspace  # noqa: E402

FLOOR_NB = {
    "cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
               "source": "import ipywidgets as w\nw.Textarea(description='Note')"}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))] if v else float("nan")


def burst(url: str, n: int, timeout_s: float = 60.0) -> tuple[list[float], int]:
    """n clients fetch the whole page at the same moment; returns (seconds per client, hung count)."""
    times: list[float] = []
    hung = 0
    gate = threading.Barrier(n)
    lock = threading.Lock()

    def client() -> None:
        nonlocal hung
        gate.wait()
        t0 = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=timeout_s) as r:
                r.read()
            with lock:
                times.append(time.perf_counter() - t0)
        except Exception:
            with lock:
                hung += 1

    threads = [threading.Thread(target=client) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, hung


def page_weight(url: str, host: str) -> tuple[int, int, int]:
    """(bytes on the wire, responses, requests to other hosts) of a first visit in a fresh Chromium."""
    from playwright.sync_api import sync_playwright

    total, responses, outside = 0, 0, 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("LESSONKIT_CHROMIUM", "/usr/bin/chromium"),
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        done: list = []
        page.on("requestfinished", lambda r: done.append(r))
        page.on("requestfailed", lambda r: done.append(r))
        page.goto(url)
        page.wait_for_selector(".widget-textarea, textarea", timeout=120_000)
        page.wait_for_load_state("networkidle")
        for r in done:
            if host not in r.url and r.url.startswith("http"):
                outside += 1
                continue
            try:
                s = r.sizes()
            except Exception:
                continue
            total += s["responseBodySize"] + s["responseHeadersSize"]
            responses += 1
        browser.close()
    return total, responses, outside


def kernel_pss_mb(server_pid: int) -> list[float]:
    """PSS of each kernel process under the server (from /proc/PID/smaps_rollup)."""
    out = subprocess.run(["pgrep", "-P", str(server_pid)], capture_output=True, text=True).stdout.split()
    sizes = []
    for pid in out:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"ipykernel" not in cmd:
                continue
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    sizes.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return sizes


SUBMITTER = textwrap.dedent("""
    import json, sys, time
    from lessonkit import services
    from lessonkit.store import Workspace
    home, code, start, rounds, tag = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    store = Workspace(home).store("demo")
    services.participant_by_code(store, code)  # as the form does when the join code is typed: a warm kernel
    lat = []
    for r in range(rounds):
        time.sleep(max(0.0, start + r * 2.0 - time.time()))  # sleep, do not spin: 30 spinners starve the writer
        t0 = time.perf_counter()
        services.submit_note(store, 1, "need", f"bench {code} {r}", tag, "network", join_code=code)
        lat.append((time.perf_counter() - t0) * 1000)
    print(json.dumps(lat))
""")


def submit_latency(home: Path, codes: list[str], rounds: int = 3) -> tuple[list[float], int]:
    start_at = time.time() + 4.0
    tag = f"bench{int(start_at)}"
    procs = [subprocess.Popen([sys.executable, "-c", SUBMITTER, str(home), c, str(start_at), str(rounds), tag],
                              stdout=subprocess.PIPE, text=True) for c in codes]
    lat = [x for p in procs for x in json.loads(p.communicate()[0])]
    stored = sum(1 for d in Workspace(home).store("demo").all("notes") if d["tags"] == [tag])
    return lat, len(codes) * rounds - stored


def start_floor(port: int) -> subprocess.Popen[bytes]:
    folder = Path(tempfile.mkdtemp(prefix="lk-floor-"))
    (folder / "floor.ipynb").write_text(json.dumps(FLOOR_NB))
    proc = subprocess.Popen([sys.executable, "-m", "voila", str(folder / "floor.ipynb"), "--no-browser",
                             f"--port={port}", "--token=floor"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, proc)  # type: ignore[arg-type]
    return proc


def row(label: str, *cells: object) -> None:
    print(f"{label:<46}" + "".join(f"{c:>14}" for c in cells))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--expect", type=int, default=30, help="size of lessonkit's preheated pool")
    ap.add_argument("--bursts", default="1,10,30")
    ap.add_argument("--submit-only", action="store_true", help="only the submit latency (no servers)")
    a = ap.parse_args()
    bursts = [int(x) for x in a.bursts.split(",")]

    home = Path(tempfile.mkdtemp(prefix="lk-bench-serve-"))
    load_demo(Workspace(home), data_path("demo", "convening.json"))
    store = Workspace(home).store("demo")
    codes = [add_participant(store, f"Bench {i:02d}", consent={"share_up_to": "network"}).join_code for i in range(30)]
    if a.submit_only:
        lat, lost = submit_latency(home, codes)
        row("submit, 30 writers at once: p50 / p95 ms", "-", f"{statistics.median(lat):.1f}/{pct(lat, .95):.1f}")
        row("submit: records lost", "-", lost)
        return

    floor = start_floor(free_port())
    floor_port = int(floor.args[5].split("=")[1])  # type: ignore[index]
    floor_url = f"http://127.0.0.1:{floor_port}/?token=floor"
    t0 = time.monotonic()
    lk = start(ServeConfig(home=home, convening="demo", port=free_port(), expect=a.expect), log=home / "serve.log")
    ready = lk.wait_ready(timeout_s=900)
    fill_s = time.monotonic() - t0
    lk_url = lk.cfg.page_url("listen.ipynb")
    try:
        row("measure", "floor (voila)", "lessonkit")
        row(f"pool of {a.expect} ready after (s)", "-", f"{fill_s:.0f}" + ("" if ready else " (not)"))
        wf = page_weight(floor_url, f"127.0.0.1:{floor_port}")
        wl = page_weight(lk.cfg.page_url("listen.ipynb", code=codes[0]), f"127.0.0.1:{lk.cfg.port}")
        row("first visit in Chromium: MB on the wire", f"{wf[0] / 1e6:.2f}", f"{wl[0] / 1e6:.2f}")
        row("first visit: responses / outside requests", f"{wf[1]} / {wf[2]}", f"{wl[1]} / {wl[2]}")
        for i, n in enumerate(bursts):
            if i:
                lk.wait_ready(timeout_s=600)  # the pool refilled after the previous burst
            ft, fh = burst(floor_url, n)
            lk.log_offset = (home / "serve.log").stat().st_size
            lt, lh = burst(lk_url, n)
            row(f"burst of {n}: p50 / p95 s (hung)", f"{statistics.median(ft):.2f}/{pct(ft, .95):.2f} ({fh})",
                f"{statistics.median(lt):.2f}/{pct(lt, .95):.2f} ({lh})")
            if i == 0:  # kernels of the first visitors are alive now
                row("memory per kernel, PSS median (MB)", f"{statistics.median(kernel_pss_mb(floor.pid) or [0]):.0f}",
                    f"{statistics.median(kernel_pss_mb(lk.proc.pid) or [0]):.0f}")
        lat, lost = submit_latency(home, codes)  # right after the burst: the pool is still refilling
        row("submit, 30 at once, pool refilling: p50/p95 ms", "-", f"{statistics.median(lat):.1f}/{pct(lat, .95):.1f}")
        lk.wait_ready(timeout_s=600)
        lat2, lost2 = submit_latency(home, codes)  # a minute later, as in a room: people type before they submit
        row("submit, 30 at once, pool full: p50/p95 ms", "-", f"{statistics.median(lat2):.1f}/{pct(lat2, .95):.1f}")
        row("submit: records lost", "-", lost + lost2)
    finally:
        lk.stop()
        stop(floor)


if __name__ == "__main__":
    main()
