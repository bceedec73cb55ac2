"""Serving benchmark for a room of 30 (and 60), beside stock Voila serving a one-widget notebook from its own
preheated pool of 30 (the anchor), measured in the same run.

Run on demand (takes several minutes; nothing else should be running):
    python tests/benchmarks/bench_serve.py [--phases anchor,lk30,filling,lk60] [--runs 3] [--json out.json]
                                           [--before before.json]

Phases:
- ``anchor``: stock Voila, ``--preheat_kernel=True --pool_size=30`` (kernels over Unix sockets, as lessonkit's: over
  TCP its refills hit jupyter_client's port race), one Textarea: pool fill time, idle cost, bursts of 30.
- ``lk30``: ``lessonkit serve --expect 30`` (listening form): pool fill time, idle cost with the pool waiting, page
  weight in real Chromium (first visit and a reload), bursts of 30 with the time per stage (request -> kernel handed
  over -> notebook rendered -> last byte; tests/benchmarks/stage_server.py), memory per kernel, and the submit
  latency of 30 writers at once while the pool refills after a burst and with the pool full.
- ``filling``: a fresh ``--expect 30`` server and a burst of 30 the moment it listens (the pool still filling).
- ``lk60``: ``--expect 60``: pool fill time, bursts of 60, memory per kernel.

A burst: n light HTTP clients fetch the whole page at the same moment (seconds per client; p50/p95; hung = no page
within 60 s). Burst figures are the median over ``--runs`` bursts (the pool refilled in between). Prints one table:
each figure beside its anchor and its goal; ``--before`` adds the figures of an earlier run (e.g. of main's code:
``PYTHONPATH=/path/to/main python tests/benchmarks/bench_serve.py --json before.json``).
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from support import free_port  # noqa: E402

import lessonkit.serve as lk_serve  # noqa: E402
from lessonkit.resources import data_path  # noqa: E402
from lessonkit.serve import RunningServer, ServeConfig, start, stop, wait_for_port  # noqa: E402
from lessonkit.services import add_participant, load_demo  # noqa: E402
from lessonkit.store import Workspace  # noqa: E402

FLOOR_NB = {
    "cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
               "source": "import ipywidgets as w\nw.Textarea(description='Note')"}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}
RESULTS: dict[str, Any] = {}


def pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))] if v else float("nan")


def say(*parts: object) -> None:
    print("#", *parts, file=sys.stderr, flush=True)


# --- load ------------------------------------------------------------------------------------------------------

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


def summarise_bursts(runs: list[tuple[list[float], int]]) -> dict[str, float]:
    """Median over runs of each run's p50, p95 and hung count."""
    return {
        "p50": statistics.median(statistics.median(t) if t else float("nan") for t, _h in runs),
        "p95": statistics.median(pct(t, 0.95) for t, _h in runs),
        "hung": statistics.median(h for _t, h in runs),
        "runs": len(runs),
    }


# --- processes: CPU and memory ----------------------------------------------------------------------------------

def _proc_table() -> dict[int, int]:
    """pid -> parent pid, for every process."""
    table: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        table[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    return table


def descendants(pid: int) -> list[int]:
    table = _proc_table()
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        kids = [p for p, pp in table.items() if pp == parent]
        found += kids
        todo += kids
    return found


def cpu_ticks(pids: list[int]) -> dict[int, int]:
    ticks = {}
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks[p] = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks


def idle_cpu_percent(server_pid: int, window_s: float = 20.0) -> float:
    """CPU used by the server and every process under it during ``window_s`` with nobody visiting (% of one core)."""
    pids = [server_pid, *descendants(server_pid)]
    before = cpu_ticks(pids)
    time.sleep(window_s)
    after = cpu_ticks(pids)
    used = sum(after[p] - before[p] for p in after if p in before)
    return 100.0 * used / os.sysconf("SC_CLK_TCK") / window_s


def pss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def kernel_memory(server_pid: int) -> dict[str, float]:
    """PSS of the kernels under the server (processes without children of their own), and the total PSS of every
    process under the server (helpers included) divided by the number of kernels."""
    under = descendants(server_pid)
    table = _proc_table()
    parents = set(table.values())
    kernels = [p for p in under if p not in parents]
    sizes = [s for s in (pss_mb(p) for p in kernels) if s is not None]
    total = sum(s for s in (pss_mb(p) for p in under) if s is not None)
    return {"median": statistics.median(sizes) if sizes else float("nan"),
            "per_kernel_all": total / len(sizes) if sizes else float("nan"), "kernels": len(sizes)}


# --- page weight in Chromium ------------------------------------------------------------------------------------

def page_weight(url: str, host: str) -> dict[str, float]:
    """Bytes on the wire (Chromium's encodedDataLength: headers and compressed bodies; 0 for what the cache serves) of
    a first visit in a fresh profile and of a reload, responses, requests to other hosts, websocket bytes received,
    and seconds until the form's text area shows."""
    from playwright.sync_api import sync_playwright

    out: dict[str, float] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("LESSONKIT_CHROMIUM", "/usr/bin/chromium"),
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        context = browser.new_context()
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        urls: dict[str, str] = {}
        done: dict[str, int] = {}
        ws = [0]
        cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: done.__setitem__(e["requestId"], e["encodedDataLength"]))
        cdp.on("Network.webSocketFrameReceived",
               lambda e: ws.__setitem__(0, ws[0] + len(e["response"]["payloadData"])))
        for visit in ("first", "reload"):
            urls.clear()
            done.clear()
            ws[0] = 0
            t0 = time.perf_counter()
            if visit == "first":
                page.goto(url)
            else:
                page.reload()
            page.wait_for_selector("textarea", state="visible", timeout=120_000)
            out[f"{visit}_visible_s"] = time.perf_counter() - t0
            page.wait_for_load_state("networkidle")
            time.sleep(0.5)
            out[f"{visit}_bytes"] = sum(n for rid, n in done.items() if host in urls.get(rid, ""))
            out[f"{visit}_responses"] = len(done)
            out[f"{visit}_outside"] = sum(1 for u in urls.values() if u.startswith("http") and host not in u)
            out[f"{visit}_ws_bytes"] = ws[0]
        browser.close()
    return out


# --- submit latency ---------------------------------------------------------------------------------------------

SUBMITTER = textwrap.dedent("""
    import json, sys, time
    from lessonkit import services
    from lessonkit.store import Workspace
    home, code, rounds, gap, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
    store = Workspace(home).store("demo")
    services.participant_by_code(store, code)  # as the form does when the join code is typed: a warm kernel
    print("ready", flush=True)
    start = float(sys.stdin.readline())  # the moment to submit, from the benchmark (no spinning while waiting)
    lat = []
    for r in range(rounds):
        time.sleep(max(0.0, start + r * gap - time.time()))
        t0 = time.perf_counter()
        services.submit_note(store, 1, "need", f"bench {code} {r}", tag, "network", join_code=code)
        lat.append((time.perf_counter() - t0) * 1000)
    print(json.dumps(lat), flush=True)
""")


class Writers:
    """30 participant processes, started and warmed up ahead of time, that submit together when told."""

    def __init__(self, home: Path, codes: list[str], rounds: int = 3, gap_s: float = 1.0) -> None:
        self.home, self.codes, self.rounds = home, codes, rounds
        self.tag = f"bench{time.time_ns()}"
        self.procs = [subprocess.Popen([sys.executable, "-c", SUBMITTER, str(home), c, str(rounds), str(gap_s),
                                        self.tag], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                      for c in codes]
        for p in self.procs:
            assert p.stdout is not None and p.stdout.readline().strip() == "ready"

    def go(self, at: float) -> tuple[list[float], int]:
        for p in self.procs:
            assert p.stdin is not None
            p.stdin.write(f"{at}\n")
            p.stdin.flush()
        lat = [x for p in self.procs for x in json.loads(p.communicate()[0])]
        stored = sum(1 for d in Workspace(self.home).store("demo").all("notes") if d["tags"] == [self.tag])
        return lat, len(self.codes) * self.rounds - stored


# --- servers ----------------------------------------------------------------------------------------------------

def stage_command() -> list[str]:
    return [sys.executable, str(HERE / "stage_server.py"), "-"]


def start_lessonkit(home: Path, expect: int, stage_log: Path) -> RunningServer:
    os.environ["LK_STAGE_LOG"] = str(stage_log)
    lk_serve.voila_command = stage_command  # the same server, with a stopwatch on each page request
    return start(ServeConfig(home=home, convening="demo", port=free_port(), expect=expect), log=home / "serve.log")


def pool_filled(log: Path, offset: int, form: str) -> bool:
    """Whether the server logged (after ``offset``) that every kernel of the pool of ``form`` is ready (the line
    stage_server.py adds: Voila's own "is filled" line counts a refill as done after its first kernel)."""
    with open(log, "rb") as f:
        f.seek(offset)
        return bool(re.search(rf"lk-bench: pool of {re.escape(form)} ready".encode(), f.read()))


def wait_filled(log: Path, offset: int, form: str, proc: subprocess.Popen[bytes], timeout_s: float = 900) -> float:
    """Seconds until the log says the pool of ``form`` is full (after ``offset``); raises when it never does."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        if pool_filled(log, offset, form):
            return time.monotonic() - t0
        if proc.poll() is not None:
            raise RuntimeError(f"the server stopped (see {log})")
        time.sleep(0.1)
    raise RuntimeError(f"the pool of {form} never filled (see {log})")


def stages(stage_log: Path, offset: int) -> dict[str, float]:
    """p50 and p95 of each stage of the page requests logged after ``offset``."""
    with open(stage_log, "rb") as f:
        f.seek(offset)
        recs = [json.loads(line) for line in f.read().splitlines() if line.strip()]
    out: dict[str, float] = {}
    for k in ("kernel", "first", "render", "end"):
        vals = [r[k] for r in recs if k in r]
        if vals:
            out[f"{k}_p50"], out[f"{k}_p95"] = statistics.median(vals), pct(vals, 0.95)
    return out


def temp_folder(prefix: str) -> Path:
    """A folder in the temp folder, removed when the benchmark ends (nothing left behind, even on an error)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def fresh_home(participants: int = 30) -> tuple[Path, list[str]]:
    home = temp_folder("lk-bench-serve-")
    load_demo(Workspace(home), data_path("demo", "convening.json"))
    store = Workspace(home).store("demo")
    codes = [add_participant(store, f"Bench {i:02d}", consent={"share_up_to": "network"}).join_code
             for i in range(participants)]
    return home, codes


def run_bursts(url: str, n: int, runs: int, refill: Callable[[], float]) -> list[tuple[list[float], int]]:
    out = []
    for i in range(runs):
        if i:
            refill()
        times, hung = burst(url, n)
        say(f"burst of {n}: p50 {statistics.median(times) if times else float('nan'):.2f} "
            f"p95 {pct(times, 0.95):.2f} hung {hung}")
        out.append((times, hung))
    return out


# --- phases -----------------------------------------------------------------------------------------------------

def phase_anchor(runs: int) -> None:
    folder = temp_folder("lk-floor-")
    (folder / "floor.ipynb").write_text(json.dumps(FLOOR_NB))
    log = folder / "voila.log"
    port = free_port()
    t0 = time.monotonic()
    with open(log, "wb") as out:  # stock Voila, through stage_server.py for the line saying its pool is ready
        proc = subprocess.Popen([sys.executable, str(HERE / "stage_server.py"), "--voila", str(folder / "floor.ipynb"),
                                 "--no-browser",
                                 f"--port={port}", "--token=floor", "--preheat_kernel=True", "--pool_size=30",
                                 # Unix sockets: stock Voila's TCP kernels hit jupyter_client's port race when 30
                                 # refill at once (DESIGN.md) and whole bursts hung; serving is unchanged
                                 "--KernelManager.transport=ipc"],
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, proc)  # type: ignore[arg-type]
        wait_filled(log, 0, "floor.ipynb", proc)
        RESULTS["anchor_fill_s"] = time.monotonic() - t0
        say(f"anchor pool of 30 ready after {RESULTS['anchor_fill_s']:.0f} s")
        RESULTS["anchor_idle_cpu"] = idle_cpu_percent(proc.pid, 10)
        url = f"http://127.0.0.1:{port}/?token=floor"
        results, offset = [], 0
        for i in range(runs):
            wait_filled(log, offset, "floor.ipynb", proc)
            offset = log.stat().st_size
            results += run_bursts(url, 30, 1, lambda: 0.0)
            if i == 0:
                RESULTS["anchor_memory"] = kernel_memory(proc.pid)
        RESULTS["anchor_burst30"] = summarise_bursts(results)
    finally:
        stop(proc)  # type: ignore[arg-type]


def phase_lk30(runs: int) -> None:
    home, codes = fresh_home()
    stage_log = home / "stages.jsonl"
    t0 = time.monotonic()
    lk = start_lessonkit(home, 30, stage_log)
    log = home / "serve.log"
    try:
        wait_filled(log, 0, "listen.ipynb", lk.proc)
        RESULTS["lk30_fill_s"] = time.monotonic() - t0
        say(f"lessonkit pool of 30 ready after {RESULTS['lk30_fill_s']:.1f} s")
        time.sleep(3)
        RESULTS["lk30_idle_cpu"] = idle_cpu_percent(lk.proc.pid, 20)
        say(f"idle: {RESULTS['lk30_idle_cpu']:.1f}% of one core")
        offset = log.stat().st_size
        RESULTS["lk30_weight"] = page_weight(lk.cfg.page_url("listen.ipynb", code=codes[0]), f"127.0.0.1:{lk.cfg.port}")
        say("page weight", RESULTS["lk30_weight"])
        url = lk.cfg.page_url("listen.ipynb")
        results, stage_runs = [], []
        for i in range(runs):
            wait_filled(log, offset, "listen.ipynb", lk.proc)  # refilled after the visits before
            offset = log.stat().st_size
            stage_offset = stage_log.stat().st_size if stage_log.exists() else 0
            results += run_bursts(url, 30, 1, lambda: 0.0)
            stage_runs.append(stages(stage_log, stage_offset))
            if i == 0:
                RESULTS["lk30_memory"] = kernel_memory(lk.proc.pid)
        RESULTS["lk30_burst30"] = summarise_bursts(results)
        RESULTS["lk30_stages"] = {k: statistics.median(s[k] for s in stage_runs if k in s) for k in stage_runs[0]}
        say("stages", RESULTS["lk30_stages"])
        # submit latency: writers warmed up first; then a burst empties the pool and they submit while it refills
        wait_filled(log, offset, "listen.ipynb", lk.proc)
        writers = Writers(home, codes, rounds=3, gap_s=0.7)
        offset = log.stat().st_size
        burst(url, 30)
        t_burst = time.monotonic()
        lat, lost = writers.go(time.time() + lk.cfg.fill_delay_s + 0.3)
        wait_filled(log, offset, "listen.ipynb", lk.proc)
        RESULTS["lk30_refill_s"] = time.monotonic() - t_burst
        RESULTS["lk30_submit_refill"] = {"p50": statistics.median(lat), "p95": pct(lat, 0.95), "lost": lost}
        say(f"submit during refill p95 {pct(lat, 0.95):.1f} ms (refill done {RESULTS['lk30_refill_s']:.1f} s "
            "after the burst)")
        time.sleep(2)
        writers = Writers(home, codes, rounds=3, gap_s=1.0)
        lat, lost2 = writers.go(time.time() + 0.5)
        RESULTS["lk30_submit_full"] = {"p50": statistics.median(lat), "p95": pct(lat, 0.95), "lost": lost + lost2}
        say(f"submit, pool full p95 {pct(lat, 0.95):.1f} ms")
    finally:
        lk.stop()


def phase_filling(runs: int) -> None:
    results, fills = [], []
    for _ in range(runs):
        home, _codes = fresh_home(0)
        lk = start_lessonkit(home, 30, home / "stages.jsonl")  # returns once it listens
        try:
            results.append(burst(lk.cfg.page_url("listen.ipynb"), 30, timeout_s=120))
            say(f"burst of 30 while filling: p95 {pct(results[-1][0], 0.95):.2f} hung {results[-1][1]}")
            fills.append(wait_filled(home / "serve.log", 0, "listen.ipynb", lk.proc))
        finally:
            lk.stop()
    RESULTS["filling_burst30"] = summarise_bursts(results)


def phase_lk60(runs: int) -> None:
    home, codes = fresh_home()
    t0 = time.monotonic()
    lk = start_lessonkit(home, 60, home / "stages.jsonl")
    log = home / "serve.log"
    try:
        wait_filled(log, 0, "listen.ipynb", lk.proc)
        RESULTS["lk60_fill_s"] = time.monotonic() - t0
        say(f"lessonkit pool of 60 ready after {RESULTS['lk60_fill_s']:.1f} s")
        url = lk.cfg.page_url("listen.ipynb")
        results = []
        offset = 0
        for i in range(runs):
            if i:
                wait_filled(log, offset, "listen.ipynb", lk.proc)
            offset = log.stat().st_size
            results += run_bursts(url, 60, 1, lambda: 0.0)
            if i == 0:
                RESULTS["lk60_memory"] = kernel_memory(lk.proc.pid)
        RESULTS["lk60_burst60"] = summarise_bursts(results)
    finally:
        lk.stop()


# --- the table --------------------------------------------------------------------------------------------------

def get(d: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        if not isinstance(d, dict) or part not in d:
            return None
        d = d[part]
    return d


ROWS: list[tuple[str, str, str | None, str, Callable[[float], bool] | None]] = [
    # label, lessonkit key, anchor key, goal text, goal test
    ("pool of 30 ready after (s)", "lk30_fill_s", "anchor_fill_s", "<= 15", lambda v: v <= 15),
    ("burst 30, ready pool: p50 (s)", "lk30_burst30.p50", "anchor_burst30.p50", "", None),
    ("burst 30, ready pool: p95 (s)", "lk30_burst30.p95", "anchor_burst30.p95", "<= 3x anchor", None),
    ("burst 30, ready pool: hung", "lk30_burst30.hung", "anchor_burst30.hung", "0", lambda v: v == 0),
    ("  stage p95: kernel handed over (s)", "lk30_stages.kernel_p95", None, "", None),
    ("  stage p95: first bytes (s)", "lk30_stages.first_p95", None, "", None),
    ("  stage p95: notebook rendered (s)", "lk30_stages.render_p95", None, "", None),
    ("  stage p95: last byte (s)", "lk30_stages.end_p95", None, "", None),
    ("burst 30 while the pool fills: p95 (s)", "filling_burst30.p95", None, "<= 5", lambda v: v <= 5),
    ("burst 30 while the pool fills: hung", "filling_burst30.hung", None, "0", lambda v: v == 0),
    ("pool of 60 ready after (s)", "lk60_fill_s", None, "", None),
    ("burst 60 (--expect 60): p95 (s)", "lk60_burst60.p95", None, "<= 0.5", lambda v: v <= 0.5),
    ("burst 60 (--expect 60): hung", "lk60_burst60.hung", None, "0", lambda v: v == 0),
    ("kernel PSS, median (MB), pool of 60", "lk60_memory.median", "anchor_memory.median", "<= 60", lambda v: v <= 60),
    ("  all processes under the server / kernels (MB)", "lk60_memory.per_kernel_all", "anchor_memory.per_kernel_all",
     "", None),
    ("kernel PSS, median (MB), pool of 30", "lk30_memory.median", "anchor_memory.median", "", None),
    ("idle, 30 kernels waiting (% of one core)", "lk30_idle_cpu", "anchor_idle_cpu", "< 5", lambda v: v < 5),
    ("first visit: MB on the wire", "lk30_weight.first_bytes", None, "<= 1.0", lambda v: v <= 1.0e6),
    ("first visit: responses / outside hosts", "lk30_weight.first_responses", None, "", None),
    ("first visit: websocket KB received", "lk30_weight.first_ws_bytes", None, "", None),
    ("first visit: form visible after (s)", "lk30_weight.first_visible_s", None, "", None),
    ("reload: MB on the wire", "lk30_weight.reload_bytes", None, "<= 0.1", lambda v: v <= 0.1e6),
    ("reload: websocket KB received", "lk30_weight.reload_ws_bytes", None, "", None),
    ("submit, 30 at once, pool refilling: p95 (ms)", "lk30_submit_refill.p95", None, "<= 50", lambda v: v <= 50),
    ("  pool refill after the burst took (s)", "lk30_refill_s", None, "", None),
    ("submit, 30 at once, pool full: p95 (ms)", "lk30_submit_full.p95", None, "<= 50", lambda v: v <= 50),
    ("submit: records lost", "lk30_submit_full.lost", None, "0", lambda v: v == 0),
]


def fmt(key: str, v: Any) -> str:
    if v is None:
        return "-"
    if "bytes" in key:
        return f"{v / 1e6:.2f}" if "ws" not in key else f"{v / 1e3:.0f}"
    if isinstance(v, float):
        return f"{v:.2f}" if abs(v) < 10 else f"{v:.1f}"
    return str(v)


def table(before: dict[str, Any] | None) -> None:
    cols = ["anchor", "before", "lessonkit", "goal", "met"] if before else ["anchor", "lessonkit", "goal", "met"]
    print(f"{'measure':<50}" + "".join(f"{c:>12}" for c in cols))
    for label, key, anchor_key, goal, test in ROWS:
        v = get(RESULTS, key)
        anchor = get(RESULTS, anchor_key) if anchor_key else None
        if anchor is None and anchor_key and before:
            anchor = get(before, anchor_key)
        met = ""
        if v is not None and test is not None:
            met = "yes" if test(v) else "NO"
        if key == "lk30_burst30.p95" and v is not None and anchor:
            met = "yes" if v <= 3 * anchor else "NO"
        cells = [fmt(key, anchor)]
        if before:
            cells.append(fmt(key, get(before, key)))
        cells += [fmt(key, v), goal, met]
        print(f"{label:<50}" + "".join(f"{c:>12}" for c in cells))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--phases", default="anchor,lk30,filling,lk60")
    ap.add_argument("--runs", type=int, default=3, help="bursts per figure (the median is shown)")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    ap.add_argument("--before", type=Path, help="figures of an earlier run (--json) to show beside")
    a = ap.parse_args()
    phases = {"anchor": phase_anchor, "lk30": phase_lk30, "filling": phase_filling, "lk60": phase_lk60}
    for name in a.phases.split(","):
        say(f"phase {name}")
        phases[name](a.runs)
        if a.json:
            a.json.write_text(json.dumps(RESULTS, indent=1))
    before = json.loads(a.before.read_text()) if a.before else None
    table(before)


if __name__ == "__main__":
    main()
