"""A short workshop in real Chromium: a preheated participant server, a few participants opening the link together
and submitting two notes each. The full-size one (20 x 3 and more) is tests/benchmarks/bench_workshop.py.

Pages from the pool are built before anyone arrives and take their visitor's link afterwards (lessonkit/ui/arrival.py):
two visitors with different codes each see only their own, and typing the moment the form appears loses no keystroke.
The first two tests take the pool's three kernels (``.lk-page`` marks a page from the pool)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from workshop import TIMEOUT_MS, preheated_server, run_workshop

from lessonkit import services
from lessonkit.serve import RunningServer
from lessonkit.store import Workspace

pytestmark = pytest.mark.browser

PARTICIPANTS = 3
NOTES_EACH = 2
SHOWN = "() => [document.body.innerText, ...[...document.querySelectorAll('input, textarea')].map(e => e.value)].join()"


@pytest.fixture(scope="module")
def preheated() -> Iterator[tuple[RunningServer, list[str]]]:
    """`lessonkit serve --expect 3` over a demo workspace with 3 extra registered participants."""
    with preheated_server(PARTICIPANTS) as (server, codes):
        yield server, codes


def test_two_visitors_with_different_codes_each_see_only_their_own(browser: Browser, preheated) -> None:  # type: ignore[no-untyped-def]
    server, codes = preheated
    mine = codes[:2]
    contexts = [browser.new_context() for _ in mine]
    try:
        pages = [context.new_page() for context in contexts]
        for page, code in zip(pages, mine, strict=True):
            response = page.goto(server.cfg.page_url("listen.ipynb", code=code))
            # the page went out before its kernel knew whom it was for
            assert response is not None and not any(c in response.text() for c in codes)
        for page, code in zip(pages, mine, strict=True):
            expect(page.get_by_label("Join code")).to_have_value(code, timeout=TIMEOUT_MS)
            expect(page.get_by_text("Join code recognised.")).to_be_visible()
            expect(page.locator(".lk-page")).to_have_count(1)  # from the pool, not a kernel started for the visitor
        for page, code in zip(pages, mine, strict=True):  # everything shown or typed on each page: one code
            shown = page.evaluate(SHOWN)
            assert [c for c in codes if c in shown] == [code]
    finally:
        for context in contexts:
            context.close()


def test_typing_the_moment_the_form_appears_loses_no_keystroke(page: Page, preheated) -> None:  # type: ignore[no-untyped-def]
    server, codes = preheated
    text = "Typed at once: every keystroke of this note must reach the store, 0123456789."
    page.goto(server.cfg.page_url("listen.ipynb", code=codes[2]))
    note = page.get_by_label("Your note")
    note.press_sequentially(text, timeout=TIMEOUT_MS)  # starts the moment the field can take keys
    expect(note).to_have_value(text)
    expect(page.locator(".lk-page")).to_have_count(1)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("status").filter(has_text="your note was saved")).to_be_visible(timeout=30_000)
    deadline = time.monotonic() + 20
    store = Workspace(server.cfg.home).store("demo")
    while not [d for d in store.all("notes") if d["text"] == text] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [d["text"] for d in store.all("notes") if d["text"] == text] == [text]


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


def test_the_room_page_from_the_pool_takes_its_link_then_follows_the_room(page: Page, preheated) -> None:  # type: ignore[no-untyped-def]
    """room.ipynb (one link for the day) has a pooled kernel of its own: the page went out before its visitor was
    known, takes their code and language on arrival, and only then follows the room (a session opening shows)."""
    server, codes = preheated
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while "room.ipynb" not in server.ready_pools() and time.monotonic() < deadline:
        time.sleep(0.5)
    response = page.goto(server.cfg.page_url("room.ipynb", code=codes[1], lang="es"))
    assert response is not None and codes[1] not in response.text()
    expect(page.get_by_label("Código personal")).to_have_value(codes[1], timeout=TIMEOUT_MS)
    expect(page.locator(".lk-page")).to_have_count(1)
    store = Workspace(server.cfg.home).store("demo")
    services.set_session_open(store, 2, True)  # type: ignore[arg-type]
    try:
        expect(page.get_by_role("status").filter(has_text="Ahora está abierta")).to_be_visible(
            timeout=15_000
        )
    finally:
        services.set_session_open(store, 2, False)  # type: ignore[arg-type]
