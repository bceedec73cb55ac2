"""The listening form in Chromium at &lang=ar (Arabic, right to left) and &lang=ru (Russian): the page's lang and
dir, labels on the right in Arabic, free text with dir="auto", no serious accessibility violations, and the
language picker switching in place.

The expected words are read from the compiled catalogues, so these tests hold for any complete catalogue (and, before
the translators' work is merged, for the English fallback they show)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import test_browser_forms_offline_a11y as a11y
from playwright.sync_api import Page, expect
from support import LiveServer
from test_browser_forms_offline_a11y import WIDGETS_TIMEOUT_MS, axe_violations

from lessonkit.i18n import translations
from lessonkit.services.convenings import TABLE as CONVENING

pytestmark = pytest.mark.browser
axe_source = a11y.axe_source  # the session fixture finding axe-core, shared
LANGUAGES = ["en", "es", "fr", "pt", "ar", "ru"]


@pytest.fixture(scope="module")
def six_languages(live_demo_server: LiveServer) -> Iterator[LiveServer]:
    """The demo convening with all six interface languages (the forms offer the convening's languages); afterwards
    the shared server is as it was: its languages, and no language remembered for a join code by these tests (other
    test files expect the demo's people to read English)."""
    from lessonkit.services.participants import list_participants, remember_language

    store = live_demo_server.store
    record = store.all(CONVENING)[0]
    remembered = {p.join_code: p.language for p in list_participants(store)}
    store.update(CONVENING, record["id"], {"languages": LANGUAGES})
    yield live_demo_server
    store.update(CONVENING, record["id"], {"languages": record.get("languages")})
    for code, language in remembered.items():
        remember_language(store, code, language)


def say(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def page_language(page: Page) -> tuple[str, str]:
    lang, dir_ = page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]")
    return lang, dir_


#: Where a label's words are drawn (not its box, which spans the whole width when it sits above its field).
TEXT_BOX = """(el) => { const r = document.createRange(); r.selectNodeContents(el);
  const b = r.getBoundingClientRect(); return {left: b.left, right: b.right}; }"""


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


def test_arabic_form_is_arabic_and_right_to_left(page: Page, six_languages: LiveServer, axe_source: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(six_languages.url("listen.ipynb", code="DEMO-AAAA", lang="ar"))
    note = page.get_by_label(say("ar", "Your note"))
    expect(note).to_be_visible(timeout=WIDGETS_TIMEOUT_MS)
    expect(page.locator("html")).to_have_attribute("dir", "rtl", timeout=10_000)
    assert page_language(page) == ("ar", "rtl")
    assert page.locator(".lk-form").get_attribute("class").count("lk-dir-rtl") == 1  # type: ignore[union-attr]
    expect(page.get_by_role("button", name=say("ar", "Submit"))).to_be_visible()
    assert note.get_attribute("dir") == "auto"
    # mirrored: on a phone each label sits above its field, its words flush with the field's right edge
    for label in ("Join code", "Your note", "Tags"):
        field = page.get_by_label(say("ar", label))
        words = page.locator(".lk-form label", has_text=say("ar", label)).first.evaluate(TEXT_BOX)
        field_box = field.bounding_box()
        assert words and field_box
        field_right = field_box["x"] + field_box["width"]
        assert abs(words["right"] - field_right) <= 12, (label, words, field_box)
        assert words["left"] > field_box["x"] + 8, (label, words, field_box)
    note.fill("نص عربي mixed with English")
    note.blur()  # a person leaves the field to reach the picker
    serious = [v for v in axe_violations(page, axe_source) if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    # the picker switches in place: Russian, left to right, and the typed text stays
    page.get_by_label(say("ar", "Language")).select_option(label="Русский")
    expect(page.locator("html")).to_have_attribute("lang", "ru", timeout=15_000)
    assert page_language(page) == ("ru", "ltr")
    expect(page.get_by_label(say("ru", "Your note"))).to_have_value("نص عربي mixed with English")


def test_russian_form_is_russian(page: Page, six_languages: LiveServer, axe_source: str) -> None:
    page.goto(six_languages.url("listen.ipynb", code="DEMO-AAAA", lang="ru"))
    expect(page.get_by_label(say("ru", "Your note"))).to_be_visible(timeout=WIDGETS_TIMEOUT_MS)
    expect(page.locator("html")).to_have_attribute("lang", "ru", timeout=10_000)
    assert page_language(page) == ("ru", "ltr")
    expect(page.get_by_role("button", name=say("ru", "Submit"))).to_be_visible()
    expect(page).to_have_title("Riverbend Exchange (demo)")  # the form's heading, not the notebook's file name
    assert page.locator("#loading_text").count() == 0  # no "Running listen..." in English while loading
    join = page.get_by_label(say("ru", "Join code")).bounding_box()
    words = page.locator(".lk-form label", has_text=say("ru", "Join code")).first.evaluate(TEXT_BOX)
    assert join and words  # left to right: the label's words flush with the field's left edge
    assert abs(words["left"] - join["x"]) <= 12 and words["right"] < join["x"] + join["width"] - 8, (words, join)
    serious = [v for v in axe_violations(page, axe_source) if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


def test_browser_language_chooses_when_the_link_does_not(
    browser: object, six_languages: LiveServer
) -> None:
    context = browser.new_context(locale="ru-RU")  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(six_languages.url("listen.ipynb"))
        expect(page.get_by_label(say("ru", "Your note"))).to_be_visible(timeout=WIDGETS_TIMEOUT_MS)
        expect(page.locator("html")).to_have_attribute("lang", "ru", timeout=10_000)
    finally:
        context.close()
