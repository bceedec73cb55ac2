"""Content in several languages on the forms and panels, without a browser (``.value`` and ``.click()``)."""

from __future__ import annotations

from lessonkit import services
from lessonkit.domain.mou_translation import TranslationState
from lessonkit.domain.scoring_rounds import ScoringRound
from lessonkit.i18n import _, language_name, using_language
from lessonkit.services.disclosure import Disclosure, Purpose
from lessonkit.services.mou import get_mou
from lessonkit.services.scoring import load_rubric
from lessonkit.ui.board import LiveBoard, render_board, render_prompts
from lessonkit.ui.glossary import GlossaryPanel
from lessonkit.ui.mou_common import MouHub
from lessonkit.ui.mou_history import MouDocument, MouVersions
from lessonkit.ui.mou_translate import MouTranslations
from lessonkit.ui.note_translate import NoteTranslationPanel
from lessonkit.ui.participant import ListeningForm
from lessonkit.ui.reflect import ReflectionForm
from lessonkit.ui.scoring import ScoringForm
from lessonkit.ui.setup import ConveningSetup
from lessonkit.ui.setup_languages import LanguagesPanel, SessionTranslationPanel

SCRIPT = "<script>alert(1)</script>"


def test_the_form_shows_prompts_in_its_language_and_marks_the_original(demo_store) -> None:  # type: ignore[no-untyped-def]
    form = ListeningForm(demo_store, language="es")
    assert form.session.options[0][0] == "Escucha: lo que necesitan nuestras comunidades"
    assert "¿Qué es lo que más necesita tu comunidad ahora mismo?" in form.prompts.value
    assert 'lang="es" dir="ltr"' in form.prompts.value and "lk-original" not in form.prompts.value
    form.set_language("ar")
    assert form.session.options[0][0] == "الاستماع: ما تحتاجه مجتمعاتنا" and 'dir="rtl"' in form.prompts.value
    assert form.note_language.value == "ar"  # the note's language follows the form's
    # a session nobody has translated yet: a Russian reader sees the originals, each marked
    fresh = services.add_session(demo_store, "Evening round", ["What surprised you?", "What will you try?"])
    russian = ListeningForm(demo_store, session_id=fresh.id, language="ru")
    assert "What surprised you?" in russian.prompts.value
    prompts_only = russian.prompts.value.split("lk-terms")[0]
    with using_language("ru"):
        mark = _("original, {language}").format(language=language_name("en"))
    assert prompts_only.count("lk-original") == 2 and mark in prompts_only


def test_the_form_lists_the_glossary_terms_its_prompts_use(demo_store) -> None:  # type: ignore[no-untyped-def]
    form = ListeningForm(demo_store, language="fr")
    assert "lk-terms" in form.prompts.value and "organisatrice, organisateur" in form.prompts.value
    assert "MoU" not in form.prompts.value  # not used by these prompts
    services.add_term(demo_store, "community", SCRIPT)  # a definition is data, never markup
    escaped = ListeningForm(demo_store, language="en").prompts.value
    assert SCRIPT not in escaped and "&lt;script&gt;" in escaped


def test_a_note_is_saved_in_the_language_chosen_on_the_form(demo_store) -> None:  # type: ignore[no-untyped-def]
    form = ListeningForm(demo_store, code="DEMO-AAAA", language="pt")
    assert form.note_language.value == "pt"
    form.note_language.value = "es"  # the person writes in Spanish on a Portuguese form
    form.set_language("ru")
    assert form.note_language.value == "es"  # a choice the person made stays
    form.text.value = "Necesitamos agua."
    form.submit.click()
    with using_language("ru"):
        thanks = _("Thank you, your note was saved: “{text}”. You can write another one.").split("{text}")[0]
    assert thanks in form.status.value
    assert services.list_notes(demo_store)[-1].language == "es"


def test_a_code_whose_person_chose_a_language_before_turns_the_whole_form(demo_store) -> None:  # type: ignore[no-untyped-def]
    """The form switches to the language remembered for the code half-way through the code's handler: what that
    handler shows afterwards (the consent box) is in the new language too, not the one it started in."""
    services.remember_language(demo_store, "DEMO-AAAA", "ru")
    for form in (ListeningForm(demo_store, language="en"), ReflectionForm(demo_store, language="en")):
        form.code.value = "DEMO-AAAA"
        assert form.language == "ru"
        with using_language("ru"):
            title, toggle = _("Your consent"), _("See or change your consent")
        assert title in form.consent.summary.value and form.consent.toggle.description == toggle


def test_the_board_shows_badges_translations_and_filters_by_language(demo_store) -> None:  # type: ignore[no-untyped-def]
    board = LiveBoard(demo_store, session=1, refresh_s=0)
    page = board.board.value
    assert "lk-lang" in page and "written in Español" in page
    assert "How do other groups rotate leadership without losing momentum?" in page  # the interpreter's words
    assert "translated by Mara (interpreter, invented)" in page
    board.language_filter.value = "es"
    assert "¿Cómo hacen otros grupos" in board.board.value and "Safe places" not in board.board.value
    board.language_filter.value = ""
    assert "Safe places" in board.board.value
    assert "Escucha" in render_prompts(services.get_session(demo_store, 1), "es")
    note = services.submit_note(demo_store, 1, "need", "Water", join_code=None, language="en")
    services.translate_note(demo_store, note.id, "es", SCRIPT, "Ana")
    found = Disclosure.open(demo_store, board.audience, Purpose.BOARD).notes([1])
    html = render_board(found, board.audience)
    assert SCRIPT not in html and "&lt;script&gt;" in html


def test_an_interpreter_adds_a_translation_beside_the_original(demo_store) -> None:  # type: ignore[no-untyped-def]
    panel = NoteTranslationPanel(demo_store, 2)
    arabic = next(v for label, v in panel.note.options if "[ar]" in label)
    panel.note.value = arabic
    assert "en" in [v for _l, v in panel.language.options] and "ar" not in [v for _l, v in panel.language.options]
    panel.language.value = "es"
    panel.text.value = "¿Cómo protegen los nombres de sus integrantes en la frontera?"
    panel.save.click()
    assert "Not saved. Translated by:" in panel.status.value  # who translated it is required
    assert panel.text.value.startswith("¿Cómo")  # what was typed stays
    panel.by.value = "Samir"
    panel.save.click()
    assert "Saved the Español translation of note #5" in panel.status.value and panel.text.value == ""
    note = services.list_notes(demo_store, 2)[0]
    assert note.text.startswith("كيف") and [t.language for t in note.translations] == ["en", "es"]


def test_set_up_edits_languages_and_session_translations(demo_store) -> None:  # type: ignore[no-untyped-def]
    setup = ConveningSetup(demo_store, "demo")
    assert "Languages" in setup.sessions.table.value and "en*, ar, es, fr, pt, ru" in setup.sessions.table.value
    languages: LanguagesPanel = setup.language_panel
    languages.codes.value = "en,es,Klingon"
    languages.save.click()
    assert "Not saved" in languages.status.value and services.get_convening(demo_store).languages[-1] == "ru"
    languages.codes.value = "en,es,ar"
    languages.save.click()
    assert services.get_convening(demo_store).languages == ("en", "es", "ar")
    panel: SessionTranslationPanel = setup.translations
    panel.session.value = 2
    panel.language.value = "ar"
    assert panel.title.value == ""  # no Arabic yet for this session
    panel.title.value = "الاستماع: أسئلة نتبادلها"
    panel.prompts.value = "ماذا تودّ أن تسأل مجموعة أخرى هنا؟"
    panel.save.click()
    assert "Saved" in panel.status.value
    assert services.get_session(demo_store, 2).title_in("ar").text == "الاستماع: أسئلة نتبادلها"
    panel.prompts.value = "one\ntwo"
    panel.save.click()
    assert "Not saved" in panel.status.value and panel.prompts.value == "one\ntwo"


def test_the_glossary_panel(demo_store) -> None:  # type: ignore[no-untyped-def]
    panel = GlossaryPanel(demo_store)
    assert "МоВ" in panel.listing.value and 'dir="rtl"' in panel.listing.value
    panel.same_as.value = "MoU"
    panel.language.value = "pt"
    panel.term.value = "MdE"
    panel.expansion.value = "memorando de entendimento"
    panel.definition.value = ""
    panel.save.click()
    assert "Not saved" in panel.status.value and panel.term.value == "MdE"
    panel.definition.value = "Um acordo escrito de boa-fé."
    panel.save.click()
    assert "Saved &#x27;MoU&#x27;" in panel.status.value
    mou = next(t for t in services.list_terms(demo_store) if t.original.term == "MoU")
    assert mou.entry("pt") is not None and mou.entry("pt").definition == "Um acordo escrito de boa-fé."


def test_the_scoring_form_speaks_the_participants_language(demo_store) -> None:  # type: ignore[no-untyped-def]
    rubric = load_rubric()
    scoring_round = ScoringRound("kitchen", "Kitchen forum", "Hill town", {"civic_space": 3}, id=1)
    form = ScoringForm(demo_store, rubric, scoring_round, language="ru")
    civic = form.ratings["civic_space"]
    assert civic.options[0][0].startswith("0 — Закрыто") and "Гражданское пространство" in form.criteria_html[
        "civic_space"
    ].value
    civic.value = 2
    form.set_language("ar")
    assert civic.value == 2 and civic.options[0][0].startswith("0 — مغلق")


def test_the_memorandum_panels_read_and_write_parallel_texts(demo_store) -> None:  # type: ignore[no-untyped-def]
    hub = MouHub(demo_store, "demo")
    panel = MouTranslations(hub)
    assert [v for _l, v in panel.language.options] == ["es", "fr", "pt", "ar", "ru"]
    panel.language.value = "fr"
    panel.clause.value = "purpose"
    assert "lk-tr-stale" in panel.source.value and "changed in version 3" in panel.source.value
    assert "1 out of date" in panel.overview.value
    panel.author.value = "Léa"
    panel.text.value = "Apprendre les unes des autres, surtout sur les lieux sûrs."
    panel.title.value = "Raison d'être"
    panel.save.click()
    assert "Saved" in panel.status.value and "lk-tr-current" in panel.source.value
    state = get_mou(demo_store)
    assert {p.state for p in state.parallel("fr")} == {TranslationState.CURRENT}
    panel.clause.value = "scope"
    panel.text.value = ""
    panel.save.click()
    assert "Not saved" in panel.status.value
    versions = MouVersions(hub)
    versions.language.value = "fr"
    versions.old.value, versions.new.value = 2, 3
    assert "Raison d&#x27;être" in versions.diff.value and "<ins>" in versions.diff.value
    document = MouDocument(hub)
    document.language.value = "ar"
    assert 'lang="ar"' in document.preview.value and "الأطراف" in document.preview.value
