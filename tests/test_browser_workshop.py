"""A short workshop in real Chromium: a preheated participant server, a few participants opening the link together
and submitting two notes each. The full-size one (20 x 3 and more) is tests/benchmarks/bench_workshop.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from workshop import TIMEOUT_MS, preheated_server, run_workshop

from lessonkit.serve import RunningServer

pytestmark = pytest.mark.browser

PARTICIPANTS = 3
NOTES_EACH = 2


@pytest.fixture(scope="module")
def preheated() -> Iterator[tuple[RunningServer, list[str]]]:
    """`lessonkit serve --expect 3` over a demo workspace with 3 extra registered participants."""
    with preheated_server(PARTICIPANTS) as (server, codes):
        yield server, codes


def test_preheated_kernel_gets_each_visitors_own_link(page: Page, preheated) -> None:  # type: ignore[no-untyped-def]
    server, codes = preheated
    assert "listen.ipynb" in server.ready_pools()
    page.goto(server.cfg.page_url("listen.ipynb", code=codes[0]))
    expect(page.get_by_label("Join code")).to_have_value(codes[0], timeout=TIMEOUT_MS)


def test_a_few_participants_submit_two_notes_each(browser: Browser, preheated) -> None:  # type: ignore[no-untyped-def]
    server, codes = preheated
    figures = run_workshop(browser, server, codes, NOTES_EACH)
    assert len(figures.stored) == PARTICIPANTS * NOTES_EACH  # every note arrived
    assert max(figures.stored.values()) == 1  # none duplicated
