"""Reports in a chosen language: cover, headings, counts and dates in that language, <html lang dir>, right to left
for Arabic, participants' words untouched, and Arabic and Russian text really present in the printed PDF.

Interface words are read from the compiled catalogues (so these tests hold before and after the translators' work
is merged); dates come from Babel's CLDR data, so Arabic and Cyrillic letters are always on the cover."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from test_reports_pdf import flat, pdf_text

from lessonkit.export.fonts import missing_font_message
from lessonkit.export.report_listening import listening_report
from lessonkit.export.reports import ReportJob, ReportRunner
from lessonkit.i18n import format_date, translations
from lessonkit.resources import data_path
from lessonkit.services import load_demo, submit_note
from lessonkit.store import MemoryWorkspace, Workspace

ARABIC_NOTE = "نحتاج إلى مساحة آمنة للقاء"
RUSSIAN_NOTE = "Нам нужно безопасное место для встреч"


def seed(ws: Workspace | MemoryWorkspace) -> None:
    load_demo(ws, data_path("demo", "convening.json"))
    store = ws.store("demo")
    submit_note(store, 1, "need", ARABIC_NOTE, ["مكان"], "public", "DEMO-BBBB")
    submit_note(store, 1, "need", RUSSIAN_NOTE, ["место"], "public", "DEMO-BBBB")


def say(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def test_report_parts_speak_the_chosen_language_and_keep_participants_words() -> None:
    ws = MemoryWorkspace()
    seed(ws)
    report = listening_report(store=ws.store("demo"), language="ar")
    cover = report.cover.cover.to_dict()
    assert (cover["language"], cover["direction"]) == ("ar", "rtl")
    assert cover["title"] == say("ar", "Listening report")
    assert dict(cover["rows"])[say("ar", "Date")] == format_date(date.today(), "long", lang="ar")
    assert ARABIC_NOTE in report.notes.html() and RUSSIAN_NOTE in report.notes.html()  # words as written
    assert say("ar", "Notes by category") in report.notes.html()
    russian = listening_report(store=ws.store("demo"), language="ru").cover.cover.to_dict()
    assert (russian["language"], russian["direction"]) == ("ru", "ltr")
    english = listening_report(store=ws.store("demo")).cover.cover.to_dict()
    assert english["language"] == "en" and dict(english["rows"])["Date"] == format_date(date.today(), "long")


def test_a_missing_font_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from lessonkit.export import fonts

    monkeypatch.setattr(fonts, "has_font_for", lambda lang: False)
    text = missing_font_message("ar")
    assert text is not None and "fonts-noto-core" in text and "العربية" in text
    assert missing_font_message("en") is None
    monkeypatch.setattr(fonts, "has_font_for", lambda lang: None)  # cannot tell (no fontconfig): say nothing
    assert missing_font_message("ar") is None


# --- printed, in Chromium ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("languages") / "ws"
    seed(Workspace(path))
    return path


@pytest.fixture(scope="module")
def runner(chromium_executable: str) -> Iterator[ReportRunner]:
    with ReportRunner(pdf=True, browser=chromium_executable) as r:
        yield r


@pytest.mark.browser
def test_arabic_and_russian_reports_print_their_text(runner: ReportRunner, home: Path, tmp_path: Path) -> None:
    assert missing_font_message("ar") is None and missing_font_message("ru") is None, "apt install fonts-noto-core"
    jobs = [
        ReportJob("listening", "demo", tmp_path / "ar.pdf", home=str(home), language="ar"),
        ReportJob("listening", "demo", tmp_path / "ru.pdf", home=str(home), language="ru"),
        ReportJob("listening", "demo", tmp_path / "ar.html", fmt="html", home=str(home), language="ar"),
    ]
    arabic, russian, page = runner.run_all(jobs)
    ar_text, ru_text = flat(pdf_text(arabic.path)), flat(pdf_text(russian.path))
    month = {lang: format_date(date.today(), "MMMM", lang=lang) for lang in ("ar", "ru")}
    assert month["ar"] in ar_text and month["ru"] in ru_text  # the cover's date, in Arabic and in Cyrillic letters
    for word in ARABIC_NOTE.split():
        assert word in ar_text, word
    for word in RUSSIAN_NOTE.split():
        assert word in ru_text, word
    for lang, text in (("ar", ar_text), ("ru", ru_text)):
        assert say(lang, "Listening report") in text and say(lang, "Items withheld") in text
    html = page.path.read_text(encoding="utf-8")
    assert '<html dir="rtl" lang="ar">' in html or '<html lang="ar" dir="rtl">' in html
