"""Real Chromium against `lessonkit serve --expect 2`: pages come from the pool (built before anyone arrived) and take
their visitor's link afterwards (lessonkit/ui/arrival.py). Two visitors with different codes each see only their own;
a visitor who types the moment the form appears loses no keystroke."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from support import LiveServer

from lessonkit.resources import data_path
from lessonkit.services import load_demo
from lessonkit.store import Workspace

pytestmark = pytest.mark.browser

WIDGETS_TIMEOUT_MS = 90_000
CODES = ["DEMO-AAAA", "DEMO-BBBB"]


@pytest.fixture(scope="module")
def pooled_server() -> Iterator[LiveServer]:
    """A participant server whose listening form has a pool of two kernels, filled before the tests start."""
    home = Path(tempfile.mkdtemp(prefix="lessonkit-pool-"))
    load_demo(Workspace(home), data_path("demo", "convening.json"))
    server = LiveServer(home, "demo", expect=2, fill_delay_s=0.5)
    try:
        assert server.server.wait_ready(180), "the pool never filled (see serve.log)"
        yield server
    finally:
        server.close()
        shutil.rmtree(home, ignore_errors=True)


def wait_for_note(server: LiveServer, text: str, timeout_s: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [d for d in server.store.all("notes") if d["text"] == text]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"note {text!r} never reached the store")


def test_two_visitors_with_different_codes_each_see_only_their_own(browser: Browser, pooled_server: LiveServer) -> None:
    contexts = [browser.new_context() for _ in CODES]
    try:
        pages = [context.new_page() for context in contexts]
        for page, code in zip(pages, CODES, strict=True):
            response = page.goto(pooled_server.url("listen.ipynb", code=code))
            # the page went out before its kernel knew whom it was for
            assert response is not None and not any(c in response.text() for c in CODES)
        for page, code in zip(pages, CODES, strict=True):
            expect(page.get_by_label("Join code")).to_have_value(code, timeout=WIDGETS_TIMEOUT_MS)
            expect(page.get_by_text("Join code recognised.")).to_be_visible()
        for page, code in zip(pages, CODES, strict=True):
            other = next(c for c in CODES if c != code)
            assert other not in page.content()
            expect(page.get_by_label("Join code")).to_have_value(code)
    finally:
        for context in contexts:
            context.close()


def test_typing_the_moment_the_form_appears_loses_no_keystroke(page: Page, pooled_server: LiveServer) -> None:
    text = "Typed at once: every keystroke of this note must reach the store, 0123456789."
    page.goto(pooled_server.url("listen.ipynb", code="DEMO-BBBB"))
    note = page.get_by_label("Your note")
    note.press_sequentially(text, timeout=WIDGETS_TIMEOUT_MS)  # starts the moment the field can take keys
    expect(note).to_have_value(text)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("status").filter(has_text="your note was saved")).to_be_visible(timeout=30_000)
    assert wait_for_note(pooled_server, text)["author_id"] == 2
