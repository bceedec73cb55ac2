"""Real Chromium against a real `lessonkit serve`: a participant rates a target context on the scoring form."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect
from support import LiveServer

from lessonkit.resources import data_path
from lessonkit.services.library_io import import_library_json
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import open_round, round_ratings
from lessonkit.store import Workspace

pytestmark = pytest.mark.browser


def test_participant_rates_every_criterion_and_the_ratings_are_stored(page: Page, live_demo_server: LiveServer) -> None:
    rubric = load_rubric()
    ws = Workspace(live_demo_server.home)
    import_library_json(ws.library(), data_path("demo", "library.json"))
    scoring_round = open_round(live_demo_server.store, ws.library(), "demo-kitchen-forum", "Browser town", rubric)

    page.goto(live_demo_server.url("score.ipynb", code="DEMO-AAAA", round=str(scoring_round.id), lang="en"))
    expect(page.get_by_text("Browser town")).to_be_visible(timeout=60_000)
    expect(page.get_by_label("Join code")).to_have_value("DEMO-AAAA")
    page.get_by_role("button", name="Submit my ratings").click()
    expect(page.get_by_role("alert").filter(has_text="Please rate")).to_be_visible(timeout=30_000)

    chosen = {c.id: i % 5 for i, c in enumerate(rubric.criteria)}
    for c in rubric.criteria:
        page.get_by_role("radio", name=f"{chosen[c.id]} — {c.levels[chosen[c.id]]}", exact=True).check()
    page.get_by_role("button", name="Submit my ratings").click()
    expect(page.get_by_role("status").filter(has_text="ratings were saved")).to_be_visible(timeout=30_000)

    deadline = time.monotonic() + 10
    while not round_ratings(live_demo_server.store, scoring_round.id) and time.monotonic() < deadline:
        time.sleep(0.2)
    saved = round_ratings(live_demo_server.store, scoring_round.id)
    assert len(saved) == 1 and saved[0].ratings == chosen and saved[0].participant_id == 1
