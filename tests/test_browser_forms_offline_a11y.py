"""Every participant form in real Chromium on a phone-sized screen (360 x 640): nothing requested from outside the
laptop and nothing served that would load from another host, nothing wider than the screen, touch targets of at
least 44 px, no serious or critical accessibility violations (axe-core), and the listening form can be completed
with the keyboard alone."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, Response, expect
from support import LiveServer

from lessonkit.store import Workspace

pytestmark = pytest.mark.browser

WIDGETS_TIMEOUT_MS = 90_000
AXE_CANDIDATES = [
    Path(os.environ.get("LESSONKIT_AXE", "/nonexistent")),
    Path(__file__).resolve().parent.parent / "node_modules/axe-core/axe.min.js",
    Path.home() / ".cache/lessonkit-npm/node_modules/axe-core/axe.min.js",
]


@pytest.fixture(scope="session")
def axe_source() -> str | None:
    """axe-core from the npm registry (`.ci/run` installs it; LESSONKIT_AXE may point at axe.min.js); None without."""
    for path in AXE_CANDIDATES:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    if os.environ.get("LESSONKIT_REQUIRE_BROWSER") == "1":
        pytest.fail("axe-core not found: npm install --prefix ~/.cache/lessonkit-npm axe-core@4 (or set LESSONKIT_AXE)")
    return None


@pytest.fixture(scope="module")
def scoring_round_id(live_demo_server: LiveServer) -> Iterator[int]:
    """A round open while this file's tests run, closed after them: the shared server's room pages (other test
    files) must not find it still open."""
    from lessonkit.resources import data_path
    from lessonkit.services.library_io import import_library_json
    from lessonkit.services.scoring import load_rubric
    from lessonkit.services.scoring_rounds import open_round, set_round_open

    ws = Workspace(live_demo_server.home)
    if not ws.library().all("modules"):
        import_library_json(ws.library(), data_path("demo", "library.json"))
    opened = open_round(live_demo_server.store, ws.library(), "demo-kitchen-forum", "Axe town", load_rubric())
    yield opened.id or 0
    set_round_open(live_demo_server.store, opened.id or 0, False)


@pytest.fixture(scope="module")
def room_vote_id(live_demo_server: LiveServer) -> Iterator[int]:
    """A dot vote open on the demo's first session (its notes), for the vote form; closed after this file's tests
    (an open vote takes every room page of the shared server)."""
    from lessonkit.services.votes import close_vote, current_vote, open_vote

    found = current_vote(live_demo_server.store, 1)
    vote = found or open_vote(live_demo_server.store, 1, 3, "notes")
    yield vote.id or 0
    if found is None:
        close_vote(live_demo_server.store, vote.id or 0)


@pytest.fixture(scope="session")
def room_statements(live_demo_server: LiveServer) -> int:
    """Statements put to the room in the demo's first session, for the agree form; returns the session id."""
    from lessonkit.services.opinions import add_statement, list_statements

    if not list_statements(live_demo_server.store, 1):
        add_statement(live_demo_server.store, 1, "Leadership should rotate every season.")
        add_statement(live_demo_server.store, 1, note_id=2)
    return 1


def outside_requests(requests: list[str], server: LiveServer) -> list[str]:
    host = urlparse(server.cfg.base_url()).hostname
    web = [u for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")]
    return [u for u in web if urlparse(u).hostname != host]


def axe_violations(page: Page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    return page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )


PHONE = {"width": 360, "height": 640}
TOUCH_PX = 44
# Hosts that serve files to web pages. Voila's own bundle names cdnjs once, for a MathJax 2 fallback it uses only
# when the page configuration sets fullMathjaxUrl (ours leaves it null, checked below); every other mention of a
# host in the JavaScript is a licence comment, a schema id or a documentation link, never loaded.
CDN_HOSTS = ("cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com", "fonts.googleapis.com", "fonts.gstatic.com",
             "use.fontawesome.com", "maxcdn.bootstrapcdn.com", "stackpath.bootstrapcdn.com", "code.jquery.com",
             "ajax.googleapis.com")
MATHJAX2_FALLBACK = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/"
ANY_URL = re.compile(r"https?://[^\s\"'<>)]+")
CSS_LOAD = re.compile(r"(?:url\(\s*[\"']?|@import\s+[\"']?)(https?:)?//", re.I)


def served_references_to_other_hosts(responses: list[Response], server: LiveServer) -> list[str]:
    """What the form's page and assets name on another host: any URL in the page, any stylesheet load, any CDN."""
    own = urlparse(server.cfg.base_url()).netloc
    found = []
    for r in responses:
        if urlparse(r.url).netloc != own or r.status != 200:
            continue
        kind = r.headers.get("content-type", "")
        body = r.body().decode("utf-8", "replace")
        path = urlparse(r.url).path
        if "html" in kind:
            found += [f"{path}: {u}" for u in ANY_URL.findall(body) if urlparse(u).netloc != own]
        elif "css" in kind:
            found += [f"{path}: {m.group(0)}" for m in CSS_LOAD.finditer(body)]
        elif "javascript" in kind:
            body = body.replace(MATHJAX2_FALLBACK, "")
            found += [f"{path}: {host}" for host in CDN_HOSTS if host in body]
    return found


LAYOUT_PROBLEMS = """(minTouch) => {
    const vw = window.innerWidth, problems = [];
    if (document.documentElement.scrollWidth > vw) problems.push('page scrolls sideways: ' +
        document.documentElement.scrollWidth + ' > ' + vw);
    const form = document.querySelector('.lk-phone');
    if (!form) return ['no element marked lk-phone'];
    const name = e => (e.tagName + '.' + [...e.classList].slice(0, 3).join('.') + ' ' +
                       (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 30));
    for (const e of form.querySelectorAll('*')) {
        const r = e.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if (r.right > vw + 0.5 || r.left < -0.5) problems.push('wider than the screen: ' + name(e) +
            ' [' + Math.round(r.left) + ', ' + Math.round(r.right) + ']');
        const scrolls = ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
        if (scrolls && e.tagName !== 'TEXTAREA' && e.scrollWidth > e.clientWidth + 1)
            problems.push('scrolls sideways inside: ' + name(e) + ' ' + e.scrollWidth + ' > ' + e.clientWidth);
    }
    for (const e of form.querySelectorAll('input:not([type=checkbox]):not([type=radio]), select, textarea')) {
        const r = e.getBoundingClientRect();
        if (r.width > 0 && r.width < 0.8 * vw) problems.push('not full width: ' + name(e) + ' ' + Math.round(r.width));
    }
    for (const e of form.querySelectorAll('input, select, textarea, button')) {
        const target = (e.type === 'checkbox' || e.type === 'radio') ? (e.closest('label') || e) : e;
        const r = target.getBoundingClientRect();
        if (r.width === 0) continue;
        if (r.height < minTouch - 0.5) problems.push('touch target ' + Math.round(r.height) + ' px high: ' + name(e));
    }
    return problems;
}"""


@pytest.mark.parametrize("form", ["listen", "amend", "score", "reflect", "vote", "agree"])
def test_form_is_offline_fits_a_phone_and_is_accessible(
    page: Page,
    live_demo_server: LiveServer,
    axe_source: str | None,
    scoring_round_id: int,
    room_vote_id: int,
    room_statements: int,
    form: str,
) -> None:
    page.set_viewport_size(PHONE)
    requests: list[str] = []
    responses: list[Response] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: responses.append(r))
    params = {"code": "DEMO-AAAA"}
    if form == "score":
        params["round"] = str(scoring_round_id)
    if form == "vote":
        params["vote"] = str(room_vote_id)
    if form == "agree":
        params["session"] = str(room_statements)
    page.goto(live_demo_server.url(f"{form}.ipynb", **params))
    expect(page.get_by_label("Join code")).to_be_visible(timeout=WIDGETS_TIMEOUT_MS)
    if form == "amend":
        expect(page.get_by_label("Proposed text")).to_be_visible(timeout=WIDGETS_TIMEOUT_MS)
    if form == "vote":
        expect(page.get_by_label("Dots on note 1")).to_be_visible(timeout=WIDGETS_TIMEOUT_MS)
    if form == "agree":
        expect(page.get_by_role("button", name="Agree", exact=True)).to_be_visible(timeout=WIDGETS_TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    assert len(requests) > 10  # the recorder saw the page's assets
    assert outside_requests(requests, live_demo_server) == []
    assert served_references_to_other_hosts(responses, live_demo_server) == []
    assert page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent)"
                         ".fullMathjaxUrl") is None
    assert page.evaluate(LAYOUT_PROBLEMS, TOUCH_PX) == []
    if axe_source is None:
        pytest.skip("offline and phone checks passed; axe-core not found: npm install --prefix "
                    "~/.cache/lessonkit-npm axe-core@4 to check accessibility too")
    serious = [v for v in axe_violations(page, axe_source) if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


def focused(page: Page) -> str:
    """What the keyboard focus is on: the label of the focused field, or the text of the focused button."""
    return page.evaluate(
        """() => { const e = document.activeElement; if (!e) return '';
                   if (e.tagName === 'BUTTON') return 'button:' + e.innerText.trim();
                   const l = e.labels && e.labels[0]; return (l ? l.innerText : (e.getAttribute('aria-label') || ''))
                          .trim() + ':' + e.tagName; }"""
    )


def test_listening_form_can_be_completed_with_the_keyboard_alone(page: Page, live_demo_server: LiveServer) -> None:
    page.goto(live_demo_server.url("listen.ipynb", code="DEMO-BBBB"))
    expect(page.get_by_label("Your note")).to_be_visible(timeout=WIDGETS_TIMEOUT_MS)
    text = "Typed with the keyboard only"
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        where = focused(page)
        seen.append(where)
        if where.startswith("Your note"):
            page.keyboard.type(text)
        elif where.startswith("Tags"):
            page.keyboard.type("keyboard")
        elif where == "button:Submit":
            page.keyboard.press("Enter")
            break
    assert "button:Submit" in seen, seen
    expect(page.get_by_role("status").filter(has_text="your note was saved")).to_be_visible(timeout=30_000)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if any(d["text"] == text and d["tags"] == ["keyboard"] for d in live_demo_server.store.all("notes")):
            return
        time.sleep(0.2)
    last = live_demo_server.store.all('notes')[-1]
    raise AssertionError(f"the keyboard-only note never reached the store: {seen} {last}")
