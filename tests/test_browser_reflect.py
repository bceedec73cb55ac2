"""Real Chromium against a real `lessonkit serve`: a participant submits an after-action reflection from their phone,
naming a tactic they tried and how it went."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect
from support import LiveServer

from lessonkit.store import Workspace

pytestmark = pytest.mark.browser

WIDGETS_TIMEOUT_MS = 90_000
CHANGED = "We now meet in pairs, <i>never</i> alone."


def wait_for_reflection(server: LiveServer, text: str, timeout_s: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [d for d in server.store.all("reflections") if d["changed"] == text]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"reflection {text!r} never reached the store")


def test_participant_submits_a_reflection_from_a_phone(page: Page, live_demo_server: LiveServer) -> None:
    from lessonkit.resources import data_path
    from lessonkit.services.library_io import import_library_json

    library = Workspace(live_demo_server.home).library()
    if not library.all("modules"):
        import_library_json(library, data_path("demo", "library.json"))
    page.set_viewport_size({"width": 360, "height": 640})
    # lang=en: the code may remember a language another test chose
    page.goto(live_demo_server.url("reflect.ipynb", code="DEMO-AAAA", lang="en"))
    changed = page.get_by_label("What changed in your practice?")
    expect(changed).to_be_visible(timeout=WIDGETS_TIMEOUT_MS)
    expect(page.get_by_text("Join code recognised.")).to_be_visible(timeout=30_000)
    changed.fill(CHANGED)
    page.get_by_label("What remained stubborn?").fill("Landlords still threaten people.")
    page.get_by_label("What new questions emerged?").fill("How do we fund travel?")
    page.get_by_label("A tactic you tried").select_option(label="Kitchen forum")
    page.get_by_label("How did it go?").select_option(label="It worked")
    page.get_by_label("What happened").fill("Forty households came.")
    page.get_by_label("Who may see it").select_option(label="Network: partner groups of the network only")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("status").filter(has_text="your reflection was saved")).to_be_visible(timeout=30_000)
    doc = wait_for_reflection(live_demo_server, CHANGED)
    assert doc["author_id"] == 1 and doc["sensitivity"] == "network" and doc["source"] == "form"
    assert doc["tactics"][0]["module"] == "demo-kitchen-forum" and doc["tactics"][0]["went"] == "success"
    expect(page.get_by_label("What changed in your practice?")).to_have_value("")
    expect(page.get_by_text("Kiri Moana")).to_have_count(0)  # nobody else's words or names
