"""Reports and exports with content in several languages: originals with the translations people gave (redacted
like the original), prompts, memorandum and rubric in the report's language, the glossary as a printable sheet."""

from __future__ import annotations

import html
import subprocess
from pathlib import Path

import pytest
import report_seed

from lessonkit import services
from lessonkit.export.data_export import export_data
from lessonkit.export.glossary_sheet import to_html, to_markdown, write_sheet
from lessonkit.export.report_listening import listening_report
from lessonkit.export.report_mou import mou_report
from lessonkit.export.report_transfer import transfer_report
from lessonkit.i18n import _, language_name, using_language
from lessonkit.store.workspace import BaseWorkspace


@pytest.fixture
def seeded(workspace: BaseWorkspace) -> BaseWorkspace:
    report_seed.seed(workspace)
    return workspace


def html_of(*parts: object) -> str:
    return "\n".join(p.html() for p in parts)  # type: ignore[attr-defined]


def test_listening_report_shows_originals_with_translations_redacted_alike(seeded: BaseWorkspace) -> None:
    store = seeded.store("demo")
    note = services.submit_note(store, 1, "need", "Hablamos con Kiri Moana.", [], "public", language="es")
    services.translate_note(store, note.id, "en", "We spoke with Falcon at Lakeview Community Hall.", "Mara")
    report = listening_report(store=store, level="public", session=1, language="es")
    page = html_of(report.board, report.notes)
    assert "Escucha: lo que necesitan nuestras comunidades" in page  # the prompts in the report's language
    assert "Hablamos con" in page and fragment("es", "Translation into {lang} by {who}: {text}") in page
    assert "Falcon" not in page and "Lakeview" not in page  # the translation is redacted like the original
    restricted = html_of(listening_report(store=store, level="restricted", session=1).notes)
    assert "¿Cómo hacen otros grupos" in restricted and "rotate leadership without losing momentum" in restricted
    arabic = html_of(listening_report(store=store, level="restricted", session=2, language="ar").board)
    prompt = services.get_session(store, 2).prompts[0]
    with using_language("ar"):
        marked = _("{text} (original, {lang})").format(text=prompt, lang=language_name("en"))
    assert html.escape(marked, quote=False) in arabic  # session 2 has no Arabic prompt: the original, marked


def test_note_exports_carry_language_and_translations(seeded: BaseWorkspace) -> None:
    rows = {r["id"]: r for r in export_data("notes", store=seeded.store("demo"), level="restricted").rows}
    assert rows[4]["language"] == "es"
    assert rows[4]["translations"] == "en: How do other groups rotate leadership without losing momentum? (Mara " \
        "(interpreter, invented))"
    assert rows[6]["language"] == "ru" and rows[6]["translations"] == ""


def fragment(lang: str, msgid: str) -> str:
    """The longest piece of ``msgid``'s translation into ``lang`` between its placeholders, as HTML shows it."""
    import re

    with using_language(lang):
        pieces = re.split(r"\{[^{}]*\}", _(msgid))
    return html.escape(max(pieces, key=len).strip())


def test_memorandum_report_in_another_language_marks_what_is_out_of_date(seeded: BaseWorkspace) -> None:
    page = html_of(mou_report(store=seeded.store("demo"), language="fr").document)
    stale = "Translation ({lang}) of version {v}, out of date: the authoritative text ({auth}) changed in version {n}."
    assert "Raison d&#x27;être et objectifs" in page and fragment("fr", stale) in page
    assert fragment("fr", "This is the text in {lang}. The authoritative text, the one signed, is in {auth}.") in page
    english = html_of(mou_report(store=seeded.store("demo"), language="en").document)
    assert "Purpose and objectives" in english and fragment("en", stale) not in english


def test_transferability_brief_in_the_reports_language(seeded: BaseWorkspace) -> None:
    store = seeded.store("demo")
    brief = transfer_report(store=store, library=seeded.library(), level="restricted", language="es")
    assert "Espacio cívico y represión" in html_of(brief.criteria)
    assert "Civic space and repression" in html_of(transfer_report(store=store, library=seeded.library()).criteria)


def test_glossary_sheets_per_language(demo_store) -> None:  # type: ignore[no-untyped-def]
    terms = services.list_terms(demo_store)
    russian = to_markdown(terms, "ru", "Riverbend")
    assert "**МоВ** (меморандум о взаимопонимании)" in russian
    assert "mutual aid" in russian and "not yet in this language; original in English" in russian
    page = to_html(terms, "ar", "<b>Riverbend</b>")
    assert '<html lang="ar" dir="rtl">' in page and "&lt;b&gt;Riverbend" in page and "<b>Riverbend" not in page
    assert page.index("المنظِّم") > 0 and 'lang="en" dir="ltr"' in page  # the join code falls back to English


@pytest.mark.browser
def test_glossary_pdf_holds_arabic_and_russian_text(demo_store, tmp_path: Path, chromium_executable: str) -> None:  # type: ignore[no-untyped-def]
    terms = services.list_terms(demo_store)
    for lang, words in (("ar", "التكافل"), ("ru", "организатор")):
        pdf = write_sheet(terms, lang, "Riverbend", "pdf", tmp_path / f"{lang}.pdf", chromium_executable)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert words in text, text[:300]
