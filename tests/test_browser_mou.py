"""Real Chromium against a real `lessonkit serve`: a participant proposes an amendment from the Voila form."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect
from support import LiveServer

pytestmark = pytest.mark.browser

WIDGETS_TIMEOUT_MS = 60_000
PROPOSAL = "Visits, shared materials and <b>joint trainings</b> between the parties."


def wait_for_amendment(server: LiveServer, text: str, timeout_s: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [d for d in server.store.all("mou_amendments") if d["text"] == text]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"proposal {text!r} never reached the store")


def test_participant_proposes_an_amendment(page: Page, live_demo_server: LiveServer) -> None:
    # lang=en: the code may remember a language another test chose
    page.goto(live_demo_server.url("amend.ipynb", code="DEMO-AAAA", lang="en"))
    proposed = page.get_by_label("Proposed text")
    expect(proposed).to_be_visible(timeout=WIDGETS_TIMEOUT_MS)
    page.get_by_label("Clause", exact=True).select_option(label="Scope")
    expect(proposed).to_have_value(re.compile("^This memorandum covers"))  # starts from the current text
    proposed.fill(PROPOSAL)
    page.get_by_label("Why").fill("Trainings are what we need most.")
    page.get_by_role("button", name="Propose amendment").click()
    expect(page.get_by_role("status").filter(has_text="your proposal")).to_be_visible(timeout=30_000)
    doc = wait_for_amendment(live_demo_server, PROPOSAL)
    assert doc["clause_key"] == "scope" and doc["status"] == "pending" and doc["party"].startswith("Harbour")
    expect(page.get_by_text("Your proposals")).to_be_visible()
    expect(page.get_by_text("Kiri Moana")).to_have_count(0)  # nobody else's proposals or names
