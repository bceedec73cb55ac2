"""What following the room costs: N real kernels each holding a listening form, idle and while notes arrive.

Run on demand (a few minutes; nothing else should be running):
    python tests/benchmarks/bench_follow.py [--kernels 30] [--window 60] [--runs 1]

Each kernel (ipykernel, as Voila starts them) builds the listening form over a TinyDB convening on disk. The CPU time
of all kernel processes together (user + system, from /proc) is measured over a window of ``--window`` seconds:

1. idle, not following (the floor: what an idle kernel costs anyway);
2. idle, following (``form.start_following()``: a look at ``store.version()`` every 2 s on the kernel's loop);
3. following while a writer adds a note every 2 s (each note changes the version: every form re-reads its sessions);
4. following while the facilitator opens or closes a session every 10 s (every form redraws).

Prints one table: % of one core for all kernels together, and per kernel, beside the goal of issue 13 (the server and
30 idle kernels together under 5% of one core). The figure for following is the difference from the floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

import psutil
from jupyter_client.manager import KernelManager

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

from lessonkit.resources import data_path  # noqa: E402
from lessonkit.services import load_demo, set_session_open, submit_note  # noqa: E402
from lessonkit.store import Workspace  # noqa: E402

SETUP = """
import os
os.environ["LESSONKIT_LANG"] = "en"
from lessonkit.ui.context import open_store
from lessonkit.ui.participant import ListeningForm
form = ListeningForm(open_store("demo", {home!r}))
"""


def cpu_seconds(procs: list[psutil.Process]) -> float:
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def window(procs: list[psutil.Process], seconds: float, during: threading.Event | None = None) -> float:
    """% of one core used by ``procs`` over ``seconds`` of wall time."""
    start_cpu, start = cpu_seconds(procs), time.monotonic()
    time.sleep(seconds)
    used, wall = cpu_seconds(procs) - start_cpu, time.monotonic() - start
    return 100.0 * used / wall


def run(n: int, seconds: float) -> dict[str, float]:
    home = Path(tempfile.mkdtemp(prefix="lessonkit-bench-follow-"))
    ws = Workspace(home)
    load_demo(ws, data_path("demo", "convening.json"))
    store = ws.store("demo")
    env = dict(os.environ, PYTHONPATH=str(ROOT), LESSONKIT_HOME=str(home))
    managers: list[KernelManager] = []
    try:
        for _ in range(n):
            km = KernelManager(kernel_name="python3")
            km.start_kernel(env=env)
            managers.append(km)
        clients = []
        for km in managers:
            kc = km.client()
            kc.start_channels()
            kc.wait_for_ready(timeout=120)
            clients.append(kc)
        for kc in clients:
            reply = kc.execute_interactive(SETUP.format(home=str(home)), timeout=120)
            assert reply["content"]["status"] == "ok", reply["content"]
        procs = [psutil.Process(km.provisioner.process.pid) for km in managers]  # type: ignore[union-attr]
        time.sleep(5)  # let start-up settle
        out = {"idle, not following": window(procs, seconds)}
        for kc in clients:
            kc.execute_interactive("_ = form.start_following()", timeout=60)
        time.sleep(3)
        out["idle, following"] = window(procs, seconds)

        stop = threading.Event()

        def writer() -> None:
            code = "DEMO-BBBB"
            while not stop.wait(2.0):
                submit_note(store, 1, "need", f"bench note {time.time()}", join_code=code)

        t = threading.Thread(target=writer, daemon=True)
        t.start()
        out["following, a note every 2 s"] = window(procs, seconds)
        stop.set()
        t.join()

        stop = threading.Event()

        def facilitator() -> None:
            flip = False
            while not stop.wait(10.0):
                flip = not flip
                set_session_open(store, 2, flip)

        t = threading.Thread(target=facilitator, daemon=True)
        t.start()
        out["following, a session opens or closes every 10 s"] = window(procs, seconds)
        stop.set()
        t.join()
        shown = []
        for kc in clients:
            msg = kc.execute_interactive(
                "print(form.follower.checks, form.follower.reads, form.follower.shown)",
                timeout=60,
                output_hook=lambda m: shown.append(m),
            )
            assert msg["content"]["status"] == "ok"
        texts = [m["content"]["text"].split() for m in shown if m.get("msg_type") == "stream"]
        if texts:
            checks, reads, redraws = zip(*[(int(a), int(b), int(c)) for a, b, c in texts], strict=True)
            print(
                f"per kernel: {statistics.median(checks):.0f} looks, {statistics.median(reads):.0f} reads, "
                f"{statistics.median(redraws):.0f} redraws (medians)"
            )
        for kc in clients:
            kc.stop_channels()
        return out
    finally:
        for km in managers:
            km.shutdown_kernel(now=True)
        import shutil

        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernels", type=int, default=30)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    results: dict[str, list[float]] = {}
    for _ in range(args.runs):
        for name, value in run(args.kernels, args.window).items():
            results.setdefault(name, []).append(value)
    floor = statistics.median(results["idle, not following"])
    print(
        f"\n{args.kernels} kernels, {args.window:.0f} s windows, median of {args.runs} run(s); "
        f"load average at the end {os.getloadavg()[0]:.1f}"
    )
    print(f"{'':48} {'% of one core':>14} {'per kernel':>11} {'above floor':>12}")
    for name, values in results.items():
        v = statistics.median(values)
        print(f"{name:48} {v:14.2f} {v / args.kernels:11.3f} {v - floor:12.2f}")
    print("goal (issue 13): the server and 30 idle kernels together < 5% of one core")


if __name__ == "__main__":
    main()
