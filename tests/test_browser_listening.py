"""Real Chromium against a real `lessonkit serve`: a participant submits from the phone form; the facilitator board
shows a hostile note as plain text."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from support import LiveServer, free_port

from lessonkit.resources import workbooks_path
from lessonkit.serve import stop, wait_for_port

pytestmark = pytest.mark.browser

HOSTILE = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> landlords'
WIDGETS_TIMEOUT_MS = 90_000


def wait_for_note(server: LiveServer, text: str, timeout_s: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [d for d in server.store.all("notes") if d["text"] == text]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"note {text!r} never reached the store")


def submit(page: Page, text: str, tags: str = "") -> None:
    note = page.get_by_label("Your note")
    expect(note).to_be_visible(timeout=WIDGETS_TIMEOUT_MS)
    note.fill(text)
    if tags:
        page.get_by_label("Tags").fill(tags)
    page.get_by_role("button", name="Submit").click()
    saved = page.get_by_role("status").filter(has_text="your note was saved")
    expect(saved).to_be_visible(timeout=30_000)


def test_participant_link_with_code_submits_a_note(page: Page, live_demo_server: LiveServer) -> None:
    page.goto(live_demo_server.url("listen.ipynb", code="DEMO-BBBB"))
    submit(page, "Browser note: a shared printer for flyers", "printing")
    doc = wait_for_note(live_demo_server, "Browser note: a shared printer for flyers")
    assert doc["author_id"] == 2 and doc["tags"] == ["printing"] and doc["session_id"] == 1
    expect(page.get_by_label("Your note")).to_have_value("")  # cleared for the next note
    expect(page.get_by_text("Kiri Moana")).to_have_count(0)  # the form never shows names


def test_participant_page_needs_the_token(page: Page, live_demo_server: LiveServer) -> None:
    url = live_demo_server.url("listen.ipynb").replace(f"token={live_demo_server.cfg.token}", "token=wrong")
    response = page.goto(url)
    assert response is not None
    expect(page.get_by_label("Your note")).to_have_count(0)


@pytest.fixture
def facilitator_board(live_demo_server: LiveServer) -> Iterator[str]:
    """The facilitator's listening workbook rendered by a Voila of its own (test only; never by `lessonkit serve`)."""
    port = free_port()
    env = dict(os.environ, LESSONKIT_HOME=str(live_demo_server.home), LESSONKIT_CONVENING="demo")
    env.pop("QUERY_STRING", None)
    notebook = workbooks_path("02_listening_session.ipynb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
         "--token=facilitator-test", "--show_tracebacks=True"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, proc)  # type: ignore[arg-type]
        yield f"http://127.0.0.1:{port}/?token=facilitator-test"
    finally:
        stop(proc)  # type: ignore[arg-type]


def test_hostile_note_shows_as_plain_text_on_the_board(
    page: Page, live_demo_server: LiveServer, facilitator_board: str
) -> None:
    page.goto(live_demo_server.url("listen.ipynb"))
    anonymous = page.get_by_label("Contribute anonymously")
    expect(anonymous).to_be_visible(timeout=WIDGETS_TIMEOUT_MS)
    anonymous.check()
    submit(page, HOSTILE)
    wait_for_note(live_demo_server, HOSTILE)

    page.goto(facilitator_board)
    expect(page.get_by_text("window.__xss = 1").first).to_be_visible(timeout=WIDGETS_TIMEOUT_MS)
    expect(page.get_by_text('onerror="window.__xss = 2"').first).to_be_visible()
    assert page.evaluate("window.__xss") is None
    assert page.locator('img[src="x"]').count() == 0
    assert Path(live_demo_server.home).exists()
