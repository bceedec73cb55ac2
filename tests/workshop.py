"""A workshop in miniature, shared by tests/test_browser_workshop.py (a few participants, in every run) and
tests/benchmarks/bench_workshop.py (twenty or more, on demand): a preheated participant server, participants in
separate Chromium contexts opening the link together and submitting notes."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, expect
from support import free_port

from lessonkit.resources import data_path
from lessonkit.serve import RunningServer, ServeConfig, start
from lessonkit.services import add_participant, load_demo
from lessonkit.store import Workspace

TIMEOUT_MS = 120_000


@contextmanager
def preheated_server(participants: int, pool_timeout_s: float = 240) -> Iterator[tuple[RunningServer, list[str]]]:
    """`lessonkit serve --expect N` over a fresh demo workspace with N extra registered participants (removed after)."""
    home = Path(tempfile.mkdtemp(prefix="lessonkit-workshop-"))
    try:
        ws = Workspace(home)
        load_demo(ws, data_path("demo", "convening.json"))
        store = ws.store("demo")
        codes = [add_participant(store, f"Participant {i:02d}", consent={"share_up_to": "network"}).join_code
                 for i in range(participants)]
        server = start(ServeConfig(home=home, convening="demo", port=free_port(), expect=participants),
                       log=home / "serve.log")
        try:
            assert server.wait_ready(timeout_s=pool_timeout_s), "the preheated pool never filled"
            yield server, codes
        finally:
            server.stop()
    finally:
        shutil.rmtree(home, ignore_errors=True)


@dataclass
class Workshop:
    """What happened: seconds until every form was visible, seconds per round of submits, the notes stored."""

    open_s: float = 0.0
    round_s: list[float] = field(default_factory=list)
    stored: Counter[str] = field(default_factory=Counter)

    @property
    def median_round_s(self) -> float:
        return statistics.median(self.round_s) if self.round_s else float("nan")


def run_workshop(browser: Browser, server: RunningServer, codes: list[str], notes_each: int,
                 prefix: str = "Workshop note") -> Workshop:
    """Everyone opens their link at (nearly) the same moment, then writes ``notes_each`` notes, one round at a time."""
    figures = Workshop()
    contexts = [browser.new_context() for _ in codes]
    try:
        pages = [ctx.new_page() for ctx in contexts]
        t0 = time.perf_counter()
        for page, code in zip(pages, codes, strict=True):
            page.goto(server.cfg.page_url("listen.ipynb", code=code), wait_until="commit")
        for page in pages:
            expect(page.get_by_label("Your note")).to_be_visible(timeout=TIMEOUT_MS)
        figures.open_s = time.perf_counter() - t0
        for round_ in range(notes_each):
            t0 = time.perf_counter()
            for i, page in enumerate(pages):
                page.get_by_label("Your note").fill(f"{prefix} {round_} from participant {i:02d}")
                page.get_by_role("button", name="Submit").click()
            for page in pages:
                saved = page.get_by_role("status").filter(has_text="your note was saved")
                expect(saved).to_contain_text(f"{prefix} {round_}", timeout=TIMEOUT_MS)
            figures.round_s.append(time.perf_counter() - t0)
    finally:
        for ctx in contexts:
            ctx.close()
    expected = len(codes) * notes_each
    deadline = time.monotonic() + 30
    while True:
        texts = [d["text"] for d in Workspace(server.cfg.home).store("demo").all("notes")
                 if d["text"].startswith(prefix)]
        if len(texts) >= expected or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    figures.stored = Counter(texts)
    return figures
