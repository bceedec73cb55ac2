"""Content in several languages, domain only: tags, originals and their translations, the glossary, the rubric's
words per language, and the memorandum's parallel texts (stale translations, per-language diffs, what a signature
records)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from lessonkit.domain.glossary import GlossaryEntry, GlossaryTerm, find_term, terms_in
from lessonkit.domain.language import language_tag, language_tags, pick, split_prefixed
from lessonkit.domain.modules import module_tags
from lessonkit.domain.mou import Clause, MouVersion
from lessonkit.domain.mou_diff import Change, segments_as_text
from lessonkit.domain.mou_translation import (
    ClauseTranslation,
    TranslationState,
    changed_after,
    diff_in_language,
    parallel,
    refs_for,
    swap_authority,
    translation_at,
)
from lessonkit.domain.records import Note, Session
from lessonkit.domain.rubric import Rubric
from lessonkit.domain.schema import upgrade
from lessonkit.domain.translations import SessionText
from lessonkit.domain.validation import tags
from lessonkit.errors import SchemaVersionError, ValidationError

# --- language tags ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw,tag", [("es", "es"), ("ES", "es"), (" pt_br ", "pt-BR"), ("sr-latn", "sr-Latn"), ("es-419", "es-419")]
)
def test_language_tags_are_normalised(raw: str, tag: str) -> None:
    assert language_tag("language", raw) == tag


@pytest.mark.parametrize("raw", ["", "English", "e", "es_ES_x", "12", "es--ES"])
def test_bad_language_tags_are_refused_with_what_to_write(raw: str) -> None:
    with pytest.raises(ValidationError, match="short code such as en, es"):
        language_tag("language", raw)


def test_language_lists_drop_repeats_and_keep_order() -> None:
    assert language_tags("languages", "en, ES,ar,en") == ("en", "es", "ar")
    with pytest.raises(ValidationError, match="at least one"):
        language_tags("languages", "")


def test_a_convening_listing_languages_by_name_still_opens() -> None:
    from lessonkit.domain.records import Convening

    old = Convening.from_dict({"slug": "old", "title": "Old", "languages": ["English", "Español", "Arabic", "ru"]})
    assert old.languages == ("en", "es", "ar", "ru")
    with pytest.raises(ValidationError, match="language code"):
        Convening.from_dict({"slug": "old", "title": "Old", "languages": ["Elvish tongue"]})


@pytest.mark.parametrize(
    "typed",
    [
        "سكن، شباب",  # Arabic keyboards type the Arabic comma (U+060C)
        "سكن,شباب",
        "سكن ، شباب ،",
        "سكن、شباب",  # ideographic comma (U+3001)
        "سكن，شباب",  # full-width comma (U+FF0C)
    ],
)
def test_tags_split_at_the_comma_of_any_keyboard(typed: str) -> None:
    assert tags("tags", typed) == ["سكن", "شباب"]
    assert module_tags("tags", typed) == ["سكن", "شباب"]


def test_a_semicolon_is_not_a_tag_separator() -> None:
    """Stored tags may hold one; only commas separate (the documented separator stays ",")."""
    assert tags("tags", "a;b, c") == ["a;b", "c"]


def test_prefixed_values() -> None:
    assert split_prefixed("es:¿Qué necesitas?", ("en", "es")) == ("es", "¿Qué necesitas?")
    assert split_prefixed("What: a question", ("en", "es")) == (None, "What: a question")  # not a language
    assert split_prefixed("Why: tell us", ("en", "es")) == (None, "Why: tell us")
    assert split_prefixed("plain", ("en",)) == (None, "plain")
    with pytest.raises(ValidationError, match="'fr' is not one of this convening's languages"):
        split_prefixed("fr:Bonjour", ("en", "es"))


def test_pick_falls_back_to_the_original_and_says_so() -> None:
    texts = {"es": "Hola", "pt": ""}
    assert pick("Hello", "en", texts, "es").text == "Hola"
    fallback = pick("Hello", "en", texts, "pt")
    assert (fallback.text, fallback.is_original, fallback.fallback) == ("Hello", True, True)
    assert pick("Hello", "en", texts, "en").fallback is False  # the reader's own language: no mark
    assert pick("Hello", "en", texts, "es-MX").text == "Hola"  # a regional reader gets the base language
    assert pick("Hello", "en", texts, None).text == "Hello"


# --- sessions and notes ---------------------------------------------------------------------------------------

SESSION = Session(
    title="Listening",
    prompts=("What do you need?", "What worked?"),
    language="en",
    translations=(SessionText("es", "Escucha", ("¿Qué necesitas?",)),),
)


def test_session_in_a_language_falls_back_per_prompt() -> None:
    assert SESSION.title_in("es").text == "Escucha"
    shown = SESSION.prompts_in("es")
    assert [p.text for p in shown] == ["¿Qué necesitas?", "What worked?"]
    assert [p.fallback for p in shown] == [False, True]
    assert all(p.fallback for p in SESSION.prompts_in("ar"))
    assert SESSION.languages() == ("en", "es")


def test_session_round_trips_and_checks_its_translations() -> None:
    assert Session.from_dict(SESSION.to_dict()) == SESSION
    doc = SESSION.to_dict()
    with pytest.raises(ValidationError, match="3 prompts given, but the session has 2"):
        Session.from_dict({**doc, "translations": {"es": {"title": "x", "prompts": ["a", "b", "c"]}}})
    with pytest.raises(ValidationError, match="original language"):
        Session.from_dict({**doc, "translations": {"en": {"title": "Again"}}})
    with pytest.raises(ValidationError, match="language code"):
        Session.from_dict({**doc, "translations": {"Spanish": {"title": "x"}}})


def test_adding_a_translation_keeps_what_is_left_empty() -> None:
    more = SESSION.with_translation(SessionText("es", "", ("", "¿Qué funcionó?")))
    es = more.translation("es")
    assert es is not None and es.title == "Escucha" and es.prompts == ("¿Qué necesitas?", "¿Qué funcionó?")


def test_a_wave_one_session_upgrades_with_its_text_as_the_original() -> None:
    old = {"schema_version": 1, "title": "Escucha", "prompts": ["¿Qué?"], "is_open": True}
    session = Session.from_dict(old, default_language="es")  # the convening's first language
    assert (session.language, session.title, session.translations) == ("es", "Escucha", ())
    assert session.to_dict()["schema_version"] == 2 and session.to_dict()["language"] == "es"


def test_notes_record_their_language_and_translations_beside_the_original() -> None:
    old = {"schema_version": 1, "session_id": 1, "category": "need", "text": "Agua", "sensitivity": "public"}
    upgraded = Note.from_dict(old)
    assert upgraded.language == "" and upgraded.translations == ()  # not recorded before version 2
    at = datetime(2026, 3, 10, tzinfo=timezone.utc)
    doc = {**old, "language": "es", "translations": [{"language": "en", "text": "Water", "by": "Ana", "at": at}]}
    note = Note.from_dict(doc)
    assert note.text == "Agua" and note.translation("en") is not None and note.translation("en").by == "Ana"
    assert Note.from_dict(note.to_dict()) == note
    with pytest.raises(ValidationError, match="translations.by"):
        Note.from_dict({**doc, "translations": [{"language": "en", "text": "Water"}]})


def test_newer_records_are_refused() -> None:
    with pytest.raises(SchemaVersionError, match="newer"):
        upgrade("glossary_term", {"schema_version": 99})


# --- glossary ------------------------------------------------------------------------------------------------


def term(*entries: tuple[str, str, str]) -> GlossaryTerm:
    return GlossaryTerm(tuple(GlossaryEntry(lang, word, definition) for lang, word, definition in entries))


def test_glossary_terms_are_found_as_whole_words_acronyms_with_their_capitals() -> None:
    mou = term(("en", "MoU", "An agreement."), ("fr", "PE", "Un accord."))
    organiser = term(("en", "organiser", "Someone."), ("es", "organizadora, organizador", "Alguien."))
    terms = [mou, organiser]
    assert terms_in(["What risks do organisers face?"], terms) == [organiser]  # plain plural
    assert terms_in(["¿Qué hace una organizadora?"], terms) == [organiser]  # one of the alternatives
    assert terms_in(["Sign the MoU today"], terms) == [mou]
    assert terms_in(["un tissu mou", "reorganisers"], terms) == []  # "mou" is not "MoU"; not inside a word
    assert find_term(terms, "pe") is mou


def test_a_term_shows_the_readers_entry_or_the_original_marked() -> None:
    mou = term(("en", "MoU", "An agreement."), ("es", "MdE", "Un acuerdo."))
    assert mou.shown("es") == (mou.entries[1], False)
    assert mou.shown("ar") == (mou.entries[0], True)
    added = mou.with_entry(GlossaryEntry("es", "MdE", "Un acuerdo escrito."))
    assert [e.definition for e in added.entries] == ["An agreement.", "Un acuerdo escrito."]


def test_glossary_records_round_trip_and_refuse_two_entries_in_one_language() -> None:
    mou = term(("en", "MoU", "An agreement."))
    assert GlossaryTerm.from_dict(mou.to_dict()).entries == mou.entries
    doc = {"entries": [mou.entries[0].to_dict(), mou.entries[0].to_dict()]}
    with pytest.raises(ValidationError, match="one entry per language"):
        GlossaryTerm.from_dict(doc)
    with pytest.raises(ValidationError, match="at least one entry"):
        GlossaryTerm.from_dict({"entries": []})


# --- rubric -----------------------------------------------------------------------------------------------------

LEVELS = ["zero", "one", "two", "three", "four"]


def rubric_doc(name: object, levels: list[object]) -> dict[str, object]:
    return {"id": "r", "title": {"en": "Rubric", "es": "Rúbrica"}, "criteria": [
        {"id": "civic", "name": name, "description": "How free.", "levels": levels, "critical": True}
    ]}


def test_rubric_words_per_language_with_fallback() -> None:
    levels: list[object] = [{"en": t, "es": t.upper()} for t in LEVELS]
    rubric = Rubric.from_dict(rubric_doc({"en": "Civic space", "es": "Espacio cívico"}, levels))
    assert rubric.criteria[0].name == "Civic space" and rubric.languages() == ["en", "es"]
    spanish = rubric.localized("es")
    assert spanish.title == "Rúbrica" and spanish.criteria[0].name == "Espacio cívico"
    assert spanish.criteria[0].levels[0] == "ZERO" and spanish.criteria[0].description == "How free."  # fallback
    assert spanish.criteria[0].weight == rubric.criteria[0].weight and spanish.critical_ids == ["civic"]
    assert rubric.localized("ar") == rubric  # nothing in Arabic: the rubric's own words


def test_a_single_string_rubric_still_reads() -> None:
    rubric = Rubric.from_dict(rubric_doc("Civic space", list(LEVELS)))
    assert rubric.criteria[0].name == "Civic space" and rubric.localized("es").criteria[0].name == "Civic space"


def test_a_rubric_text_must_exist_in_its_own_language() -> None:
    with pytest.raises(ValidationError, match="'en', the rubric's own language"):
        Rubric.from_dict(rubric_doc({"es": "Espacio cívico"}, list(LEVELS)))


# --- the memorandum's parallel texts -------------------------------------------------------------------------


def clause(key: str, text: str, title: str = "") -> Clause:
    return Clause(key=key, title=title or key.title(), text=text)


V1 = MouVersion(1, (clause("purpose", "Learn together."), clause("scope", "Visits.")), "Ana", "Start")
V2 = MouVersion(2, (clause("purpose", "Learn and act together."), clause("scope", "Visits.")), "Ana", "Purpose")
V3 = MouVersion(3, (clause("purpose", "Learn and act together."), clause("scope", "Visits and calls.")), "Ana", "Sc")
VERSIONS = (V1, V2, V3)
ES_PURPOSE_1 = ClauseTranslation("purpose", "es", "Propósito", "Aprender juntas.", 1, "Mara", id=1)
ES_SCOPE_1 = ClauseTranslation("scope", "es", "Alcance", "Visitas.", 1, "Mara", id=2)
ES_PURPOSE_2 = ClauseTranslation("purpose", "es", "Propósito", "Aprender y actuar juntas.", 2, "Mara", id=3)


def test_a_translation_is_stale_when_its_source_clause_changed_later() -> None:
    texts = {p.clause.key: p for p in parallel(VERSIONS, [ES_PURPOSE_1, ES_SCOPE_1], 2, "es")}
    assert texts["purpose"].state is TranslationState.STALE and texts["purpose"].changed_in == 2
    assert texts["scope"].state is TranslationState.CURRENT  # scope did not change in version 2
    at_one = parallel(VERSIONS, [ES_PURPOSE_1, ES_SCOPE_1], 1, "es")
    assert all(p.state is TranslationState.CURRENT for p in at_one)
    assert changed_after(VERSIONS, "scope", 1, 3) == 3
    assert parallel(VERSIONS, [], 1, "ar")[0].state is TranslationState.MISSING


def test_the_translation_for_a_version_is_the_latest_based_on_it_or_earlier() -> None:
    translations = [ES_PURPOSE_1, ES_PURPOSE_2]
    assert translation_at(translations, "purpose", "es", 1) is ES_PURPOSE_1  # the newer one translates version 2
    assert translation_at(translations, "purpose", "es", 3) is ES_PURPOSE_2
    current = {p.clause.key: p.state for p in parallel(VERSIONS, translations + [ES_SCOPE_1], 3, "es")}
    assert current == {"purpose": TranslationState.CURRENT, "scope": TranslationState.STALE}


def test_diffs_work_per_language() -> None:
    translations = [ES_PURPOSE_1, ES_SCOPE_1, ES_PURPOSE_2]
    diffs = {d.key: d for d in diff_in_language(VERSIONS, translations, 1, 2, "es")}
    assert diffs["purpose"].change is Change.CHANGED and diffs["scope"].change is Change.UNCHANGED
    assert segments_as_text(diffs["purpose"].segments) == "Aprender {+y actuar+} juntas."
    # Version 3 changed the scope, but nobody translated it yet: the Spanish reader sees no change there.
    later = {d.key: d.change for d in diff_in_language(VERSIONS, translations, 2, 3, "es")}
    assert later == {"purpose": Change.UNCHANGED, "scope": Change.UNCHANGED}


def test_a_signature_records_each_translation_and_whether_it_was_stale() -> None:
    refs = refs_for(VERSIONS, [ES_PURPOSE_1, ES_SCOPE_1], 2)
    assert [(r.clause_key, r.translation_id, r.based_on, r.stale) for r in refs] == [
        ("purpose", 1, 1, True),
        ("scope", 2, 1, False),
    ]
    assert refs_for(VERSIONS, [], 2) == ()


def test_a_language_becomes_authoritative_only_with_every_clause_translated_up_to_date() -> None:
    with pytest.raises(ValidationError, match="Purpose"):
        swap_authority(V2, [ES_PURPOSE_1, ES_SCOPE_1], VERSIONS, "es")
    clauses = swap_authority(V2, [ES_PURPOSE_2, ES_SCOPE_1], VERSIONS, "es")
    assert [(c.title, c.text) for c in clauses] == [("Propósito", "Aprender y actuar juntas."), ("Alcance", "Visitas.")]


def test_clause_translations_round_trip_and_name_a_version() -> None:
    assert ClauseTranslation.from_dict(ES_PURPOSE_1.to_dict()) == ES_PURPOSE_1.__class__(
        **{**ES_PURPOSE_1.__dict__, "id": None}
    )
    with pytest.raises(ValidationError, match="version"):
        ClauseTranslation.from_dict({**ES_PURPOSE_1.to_dict(), "based_on": 0})
