"""The participant chooses the language of a form, without a browser: picker, link, browser header, memory."""

from __future__ import annotations

from pathlib import Path

import pytest
from i18n_support import build_catalogue

from lessonkit import services
from lessonkit.i18n import ENV_LOCALE_PATH
from lessonkit.store import MemoryWorkspace
from lessonkit.store.base import Store
from lessonkit.ui.language import choose_language, usable_languages
from lessonkit.ui.mou_amend import AmendmentForm
from lessonkit.ui.participant import ListeningForm, participant_app


@pytest.fixture(scope="module")
def marked_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """es and ar catalogues that prefix every message with their tag, so a test sees which one is in use."""
    folder = tmp_path_factory.mktemp("marked")
    for lang in ("es", "ar"):
        build_catalogue(folder, lang, translate=lambda m, lang=lang: f"{lang}:{m}")
    return folder


@pytest.fixture
def marked(marked_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENV_LOCALE_PATH, str(marked_dir))
    return marked_dir


@pytest.fixture
def store() -> Store:
    ws = MemoryWorkspace()
    services.create_convening(ws, "demo", "Demo", languages="en,es,ar,sw")
    store = ws.store("demo")
    services.add_session(store, "Listening", ["What do you need?"])
    services.add_participant(store, "Sol")
    return store


def code(store: Store) -> str:
    return services.list_participants(store)[0].join_code


def test_the_convenings_languages_that_have_a_catalogue(marked: Path) -> None:
    assert usable_languages(["en", "es", "ar", "sw"]) == ["en", "es", "ar"]  # no Swahili catalogue
    assert usable_languages(["pt-BR", "de"]) == ["pt"]
    assert usable_languages(["de"]) == ["en"]


@pytest.mark.parametrize(
    ("query", "header", "expected"),
    [
        ({"lang": "ar"}, "es", ("ar", True)),
        ({"lang": "ru"}, "es-MX,es;q=0.9", ("es", False)),  # not a language of this convening
        ({}, "fr-FR, ar;q=0.8, es;q=0.5", ("ar", False)),
        ({}, "", ("en", False)),
        ({}, None, ("en", False)),
    ],
)
def test_first_language_from_link_then_browser_then_convening(
    marked: Path, query: dict[str, str], header: str | None, expected: tuple[str, bool]
) -> None:
    env = {} if header is None else {"HTTP_ACCEPT_LANGUAGE": header}
    assert choose_language(query, ["en", "es", "ar"], env) == expected


def test_picker_relabels_in_place_and_keeps_what_was_typed(marked: Path, store: Store) -> None:
    form = ListeningForm(store, title="Demo")
    assert [label for label, _v in form.picker.options] == ["English", "Español", "العربية"]
    assert form.picker.value == "en" and form.text.description == "Your note"
    form.code.value = code(store)
    form.text.value = "Bread and roses"
    form.tags.value = "housing"
    form.category.value = "risk"
    form.sensitivity.value = "restricted"
    form.picker.value = "es"
    assert form.language == "es"
    assert form.text.description == "es:Your note" and form.submit.description == "es:Submit"
    assert form.picker.description == "es:Language"
    assert dict(form.category.options)["es:Risk"] == "risk"
    assert (form.text.value, form.tags.value, form.code.value) == ("Bread and roses", "housing", code(store))
    assert (form.category.value, form.sensitivity.value, form.session.value) == ("risk", "restricted", 1)
    assert "es:Join code recognised." in form.code_hint.value
    assert "lk-lang-es" in form._dom_classes and "lk-dir-ltr" in form._dom_classes
    form.picker.value = "ar"
    assert "lk-dir-rtl" in form._dom_classes and "lk-lang-es" not in form._dom_classes
    form.submit.click()
    assert "ar:Thank you" in form.status.value  # the confirmation speaks the chosen language
    assert services.list_notes(store)[0].text == "Bread and roses"


def test_errors_speak_the_forms_language_not_the_facilitators(marked: Path, store: Store) -> None:
    form = ListeningForm(store, language="ar")
    form.code.value = "ZZZZ-ZZZZ"
    assert "ar:This join code was not found" in form.code_hint.value
    form.code.value = code(store)
    form.submit.click()
    assert "ar:Not saved." in form.status.value and "ar:must not be empty" in form.status.value
    from lessonkit.i18n import _

    assert _("Submit") == "Submit"  # the facilitator's process default is untouched


def test_the_choice_is_remembered_for_the_join_code(marked: Path, store: Store) -> None:
    first = ListeningForm(store, code=code(store))
    assert first.language == "en"
    first.picker.value = "ar"
    assert services.participant_by_code(store, code(store)).language == "ar"
    again = ListeningForm(store, code=code(store))  # next visit, no &lang=: the remembered choice
    assert again.language == "ar" and again.picker.value == "ar"
    later = ListeningForm(store, language="es", language_explicit=True)  # an explicit link wins and is kept
    later.code.value = code(store)
    assert later.language == "es" and services.participant_by_code(store, code(store)).language == "es"
    other = AmendmentForm(store, code=code(store))
    assert other.language == "en"  # no memorandum: nothing to identify against, the default stays


def test_participant_app_reads_link_and_browser(
    marked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lessonkit.store import Workspace

    ws = Workspace(tmp_path / "ws")
    services.create_convening(ws, "demo", "Demo", languages="en,es,ar")
    services.add_session(ws.store("demo"), "Listening", [])
    monkeypatch.setenv("QUERY_STRING", "lang=ar")
    monkeypatch.setenv("HTTP_ACCEPT_LANGUAGE", "es")
    form = participant_app("demo", str(ws.home))
    assert isinstance(form, ListeningForm) and form.language == "ar" and form.language_explicit
    monkeypatch.setenv("QUERY_STRING", "")
    form = participant_app("demo", str(ws.home))
    assert isinstance(form, ListeningForm) and form.language == "es" and not form.language_explicit


def test_one_language_hides_the_picker(marked: Path) -> None:
    ws = MemoryWorkspace()
    services.create_convening(ws, "solo", "Solo", languages="es")
    form = ListeningForm(ws.store("solo"))
    assert form.language == "es" and form.picker.layout.display == "none"
    assert form.submit.description == "es:Submit"


def test_setup_prints_a_link_and_qr_code_per_language() -> None:
    from lessonkit.ui.link import language_links_html, language_url

    url = "http://192.168.1.5:8866/voila/render/listen.ipynb?token=t0k"
    assert language_url(url, "ar") == url + "&lang=ar"
    html = language_links_html(url, ["en", "es", "ar"])
    assert html.count("<svg") == 3 and 'width="160"' in html
    assert f'href="{url}&amp;lang=ar"' in html and "العربية" in html and 'lang="ar" dir="rtl"' in html
    assert language_links_html(url, ["en"]) == ""


def test_pages_before_any_form_speak_the_visitors_language(
    marked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lessonkit.store import Workspace
    from lessonkit.ui.participant import participant_app
    from lessonkit.ui.scoring import scoring_app

    ws = Workspace(tmp_path / "ws")
    services.create_convening(ws, "demo", "Demo", languages="en")
    monkeypatch.setenv("QUERY_STRING", "round=7")  # no such round: the page cannot be shown
    monkeypatch.setenv("HTTP_ACCEPT_LANGUAGE", "ar, en;q=0.5")
    assert "ar:This page is not ready" in scoring_app("demo", str(ws.home)).value
    monkeypatch.setenv("QUERY_STRING", "lang=es")
    assert "es:This page is not ready" in participant_app("missing", str(ws.home)).value
