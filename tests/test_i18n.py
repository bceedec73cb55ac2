"""The language machinery: per-context language, choosing from tags and headers, names, direction, plurals and
locale-aware formatting."""

from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path

import pytest

from lessonkit import i18n
from lessonkit.i18n import (
    ENV_LOCALE_PATH,
    _,
    available_languages,
    current_language,
    direction,
    format_date,
    format_datetime,
    format_list,
    format_number,
    language_from_environment,
    language_name,
    negotiate,
    ngettext,
    npgettext,
    pgettext,
    resolve,
    set_language,
    using_language,
)

NOTE = ("{n} note", "{n} notes")
BLOCK = ("{n} block", "{n} blocks")


@pytest.fixture(scope="module")
def numbered_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Catalogues for ar, ru and es whose every plural form says which form it is (to see each language's rule)."""
    from babel import Locale
    from babel.messages.catalog import Catalog

    from lessonkit.i18n import catalogs

    folder = tmp_path_factory.mktemp("numbered")
    for lang in ("ar", "ru", "es"):
        catalog = Catalog(locale=Locale.parse(lang), project="lessonkit")
        catalog.add(NOTE, tuple(f"{lang}[{i}] {{n}}" for i in range(catalog.num_plurals)))
        catalog.add("Submit", f"{lang}: Submit")
        catalog.add("Open", f"{lang}: Open (button)", context="button")
        catalog.add("Open", f"{lang}: Open (yes/no column)", context="column: is the session open")
        catalog.add(BLOCK, tuple(f"{lang}[{i}] {{n}} block" for i in range(catalog.num_plurals)), context="stance")
        path = catalogs.po_path(lang, folder)
        catalogs._write_po(catalog, path)
        catalogs.compile_po(path)
    return folder


@pytest.fixture
def numbered(numbered_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENV_LOCALE_PATH, str(numbered_dir))
    return numbered_dir


def test_shipped_languages_and_their_names() -> None:
    assert available_languages()[0] == "en"
    assert {"es", "fr", "pt", "ar", "ru"} <= set(available_languages())
    names = {lang: language_name(lang) for lang in ("en", "es", "fr", "pt", "ar", "ru")}
    assert names == {
        "en": "English",
        "es": "Español",
        "fr": "Français",
        "pt": "Português",
        "ar": "العربية",
        "ru": "Русский",
    }
    assert language_name("qqq") == "qqq"


def test_direction_comes_from_the_tag() -> None:
    assert [direction(x) for x in ("ar", "fa", "he", "ur", "ar-EG")] == ["rtl"] * 5
    assert [direction(x) for x in ("en", "ru", "es", "sw", "qqq")] == ["ltr"] * 5
    with using_language("ar"):
        assert direction() == "rtl"


def test_resolve_and_negotiate() -> None:
    assert resolve("pt-BR") == "pt" and resolve("es_ES.UTF-8") == "es" and resolve("C") == "en"
    assert resolve("de") is None and resolve("") is None
    assert negotiate("de-DE,de;q=0.9,fr;q=0.8,en;q=0.5", ["en", "fr"]) == "fr"
    assert negotiate("ar;q=0.2, ru", ["ar", "ru", "en"]) == "ru"
    assert negotiate("ar;q=0, *", ["ar", "en"]) is None
    assert negotiate(None, ["en"]) is None and negotiate("xx;q=bad", ["en"]) is None


def test_environment_order() -> None:
    env = {"LESSONKIT_LANG": "es", "LC_ALL": "fr_FR.UTF-8", "LANG": "ru_RU.UTF-8"}
    assert language_from_environment(env) == "es"
    assert language_from_environment({**env, "LESSONKIT_LANG": ""}) == "fr"
    assert language_from_environment({"LC_MESSAGES": "pt_BR.UTF-8", "LANG": "ru_RU"}) == "pt"
    assert language_from_environment({"LANG": "ru_RU.UTF-8"}) == "ru"
    assert language_from_environment({"LANG": "de_DE.UTF-8"}) == "en"  # no catalogue: English
    assert language_from_environment({}) == "en"


def test_using_language_is_per_context_and_restores(numbered: Path) -> None:
    assert current_language() == "en"
    with using_language("es"):
        assert _("Submit") == "es: Submit"
        with using_language("ar"):
            assert _("Submit") == "ar: Submit"
        assert _("Submit") == "es: Submit"
    assert _("Submit") == "Submit"


def test_a_report_in_one_thread_does_not_switch_another(numbered: Path) -> None:
    """A facilitator's Spanish report must not switch the board's language in another thread."""
    inside = threading.Event()
    release = threading.Event()
    seen: dict[str, str] = {}

    def report() -> None:
        with using_language("es"):
            inside.set()
            release.wait(5)
            seen["report"] = _("Submit")

    worker = threading.Thread(target=report)
    worker.start()
    inside.wait(5)
    seen["board"] = _("Submit")
    release.set()
    worker.join(5)
    assert seen == {"report": "es: Submit", "board": "Submit"}


def test_set_language_is_the_process_default(numbered: Path) -> None:
    try:
        assert set_language("es") == "es"
        assert _("Submit") == "es: Submit"
        results: list[str] = []
        worker = threading.Thread(target=lambda: results.append(_("Submit")))
        worker.start()
        worker.join(5)
        assert results == ["es: Submit"]  # a new thread starts in the process default
        assert set_language("de") == "en"
    finally:
        set_language("en")


def test_one_english_word_with_two_meanings_is_two_messages(numbered: Path) -> None:
    """pgettext: "Open" the button and "Open" the yes/no column are translated apart; without a context, or in
    English, the word itself."""
    with using_language("es"):
        assert pgettext("button", "Open") == "es: Open (button)"
        assert pgettext("column: is the session open", "Open") == "es: Open (yes/no column)"
        assert pgettext("a context nobody translated", "Open") == "Open"
        assert _("Open") == "Open"
    with using_language("ru"):
        assert [npgettext("stance", *BLOCK, n).format(n=n) for n in (1, 3, 5)] == [
            "ru[0] 1 block",
            "ru[1] 3 block",
            "ru[2] 5 block",
        ]
        assert npgettext("another context", *BLOCK, 5).format(n=5) == "5 blocks"
    assert pgettext("button", "Open") == "Open"
    assert npgettext("stance", *BLOCK, 1) == "{n} block"


@pytest.mark.parametrize(
    ("lang", "cases"),
    [
        ("ar", {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4, 100: 5, 101: 5, 103: 3}),
        ("ru", {1: 0, 21: 0, 2: 1, 4: 1, 22: 1, 5: 2, 11: 2, 12: 2, 0: 2}),
        ("es", {1: 0, 0: 2, 2: 2, 1_000_000: 1}),  # CLDR: one, many (millions), other
    ],
)
def test_each_language_has_its_plural_rule(numbered: Path, lang: str, cases: dict[int, int]) -> None:
    with using_language(lang):
        for n, form in cases.items():
            assert ngettext(*NOTE, n).format(n=n) == f"{lang}[{form}] {n}", n
    assert ngettext(*NOTE, 1) == "{n} note" and ngettext(*NOTE, 2) == "{n} notes"


def test_formatting_follows_the_language() -> None:
    day = date(2026, 12, 3)
    with using_language("es"):
        assert format_date(day) == "3 dic 2026"
        assert format_number(1234.5) == "1.234,5"
        assert format_list(["a", "b", "c"]) == "a, b y c"
    with using_language("fr"):
        assert format_number(1234.5) == "1\u202f234,5"
    with using_language("ru"):
        assert "дек" in format_date(day)
    with using_language("ar"):
        assert "ديسمبر" in format_date(day, format="long")
    assert format_date(day) == "Dec 3, 2026" and format_list(["a", "b", "c"]) == "a, b, and c"
    assert format_date("2026-12-03", lang="pt") == format_date(day, lang="pt")
    assert format_date("someday") == "someday" and format_datetime("later") == "later"
    assert "2026" in format_datetime(datetime(2026, 12, 3, 14, 5), lang="ru")


def test_unknown_tags_fall_back_safely() -> None:
    with using_language("qqq"):
        assert current_language() == "en" and _("Submit") == "Submit"
    assert i18n.translations("en").gettext("Submit") == "Submit"


def test_language_table_matches_babel() -> None:
    """Names and directions come from a table built from Babel's CLDR data (python -m lessonkit.i18n.languages)."""
    from babel import Locale

    from lessonkit.i18n.languages import table

    assert len(table()) > 300
    for tag in ("en", "es", "fr", "pt", "ar", "ru", "fa", "he", "sw", "uk", "fil", "pa_Arab", "sr_Latn"):
        loc = Locale.parse(tag)
        name = loc.get_display_name(loc)
        assert table()[tag] == [name[:1].upper() + name[1:], loc.text_direction], tag
    assert language_name("pt_BR") == "Português (Brasil)"  # a territory's variant: asked of Babel
    assert direction("pa_Arab_PK") == "rtl" and direction("pa_IN") == "ltr"


def test_naming_languages_loads_no_locale_data() -> None:
    """A participant kernel names the picker's languages without loading CLDR data (1–5 MB per locale)."""
    import subprocess
    import sys

    code = (
        "import sys; from lessonkit.i18n import language_name, direction; "
        "[language_name(x) + direction(x) for x in ('en','es','fr','pt','ar','ru')]; "
        "print('babel' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"
