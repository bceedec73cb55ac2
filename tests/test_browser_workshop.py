"""A workshop in miniature: a preheated participant server, 20 participants in separate Chromium contexts opening
the link together and submitting 3 notes each."""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from support import free_port

from lessonkit.resources import data_path
from lessonkit.serve import RunningServer, ServeConfig, start
from lessonkit.services import add_participant, load_demo
from lessonkit.store import Workspace

pytestmark = pytest.mark.browser

PARTICIPANTS = 20
NOTES_EACH = 3
TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def preheated() -> Iterator[tuple[RunningServer, list[str]]]:
    """`lessonkit serve --expect 20` over a demo workspace with 20 extra registered participants."""
    home = Path(tempfile.mkdtemp(prefix="lessonkit-workshop-"))
    ws = Workspace(home)
    load_demo(ws, data_path("demo", "convening.json"))
    store = ws.store("demo")
    codes = [add_participant(store, f"Participant {i:02d}", consent={"share_up_to": "network"}).join_code
             for i in range(PARTICIPANTS)]
    server = start(ServeConfig(home=home, convening="demo", port=free_port(), expect=PARTICIPANTS),
                   log=home / "serve.log")
    try:
        assert server.wait_ready(timeout_s=240), "the preheated pool never filled"
        yield server, codes
    finally:
        server.stop()


def test_preheated_kernel_gets_each_visitors_own_link(page: Page, preheated) -> None:  # type: ignore[no-untyped-def]
    server, codes = preheated
    assert "listen.ipynb" in server.ready_pools()
    page.goto(server.cfg.page_url("listen.ipynb", code=codes[0]))
    expect(page.get_by_label("Join code")).to_have_value(codes[0], timeout=TIMEOUT_MS)


def test_twenty_participants_submit_three_notes_each(browser: Browser, preheated) -> None:  # type: ignore[no-untyped-def]
    server, codes = preheated
    contexts = [browser.new_context() for _ in range(PARTICIPANTS)]
    try:
        pages = [ctx.new_page() for ctx in contexts]
        for page, code in zip(pages, codes, strict=True):  # everyone opens the link at (nearly) the same moment
            page.goto(server.cfg.page_url("listen.ipynb", code=code), wait_until="commit")
        for page in pages:
            expect(page.get_by_label("Your note")).to_be_visible(timeout=TIMEOUT_MS)
        for round_ in range(NOTES_EACH):
            for i, page in enumerate(pages):
                page.get_by_label("Your note").fill(f"Workshop note {round_} from participant {i:02d}")
                page.get_by_role("button", name="Submit").click()
            for page in pages:
                saved = page.get_by_role("status").filter(has_text="your note was saved")
                expect(saved).to_contain_text(f"Workshop note {round_}", timeout=TIMEOUT_MS)
    finally:
        for ctx in contexts:
            ctx.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        texts = [d["text"] for d in Workspace(server.cfg.home).store("demo").all("notes")
                 if d["text"].startswith("Workshop note")]
        if len(texts) >= PARTICIPANTS * NOTES_EACH:
            break
        time.sleep(0.5)
    counts = Counter(texts)
    assert len(counts) == PARTICIPANTS * NOTES_EACH  # 60 of 60
    assert max(counts.values()) == 1  # none duplicated
