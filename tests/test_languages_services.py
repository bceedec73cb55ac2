"""Content in several languages through the services, on both stores: sessions and their translations, notes and
people's translations, the glossary (in bundles and clones too), and the memorandum's templates and parallel texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lessonkit import services
from lessonkit.domain.mou_translation import TranslationState
from lessonkit.errors import NotFoundError, ValidationError
from lessonkit.export.bundle import export_bundle, import_bundle
from lessonkit.export.bundle_clone import clone_convening
from lessonkit.resources import data_path
from lessonkit.services.glossary import glossary_for, remove_term
from lessonkit.services.mou import create_mou, get_mou, load_template, save_version, template_languages
from lessonkit.services.mou_decisions import set_status, sign
from lessonkit.services.mou_translations import make_authoritative, translate_clause
from lessonkit.store import Workspace
from lessonkit.store.workspace import BaseWorkspace

SIX = ["ar", "en", "es", "fr", "pt", "ru"]


@pytest.fixture
def store(workspace: BaseWorkspace):  # type: ignore[no-untyped-def]
    services.create_convening(workspace, "multi", "Multi", languages="es,en,ar")
    return workspace.store("multi")


# --- sessions --------------------------------------------------------------------------------------------------


def test_a_session_is_written_in_the_convenings_first_language_unless_told(store) -> None:  # type: ignore[no-untyped-def]
    session = services.add_session(
        store, "Escucha", ["¿Qué necesitas?", "¿Qué funcionó?"], {"en": {"title": "Listening", "prompts": ["Need?"]}}
    )
    assert session.language == "es" and session.title_in("en").text == "Listening"
    assert [p.fallback for p in services.get_session(store, session.id).prompts_in("en")] == [False, True]
    other = services.add_session(store, "Listening", ["What?"], language="en")
    assert other.language == "en"
    with pytest.raises(ValidationError, match="'fr' is not one of this convening's languages"):
        services.add_session(store, "Écoute", language="fr")


def test_translating_a_session_adds_beside_the_original(store) -> None:  # type: ignore[no-untyped-def]
    session = services.add_session(store, "Escucha", ["¿Qué necesitas?", "¿Qué funcionó?"])
    services.translate_session(store, session.id, "ar", "الاستماع", ["ما الذي تحتاجه؟"])
    done = services.translate_session(store, session.id, "AR", "", ["", "ما الذي نجح؟"])  # completes, keeps the rest
    ar = done.translation("ar")
    assert ar is not None and ar.title == "الاستماع" and ar.prompts == ("ما الذي تحتاجه؟", "ما الذي نجح؟")
    assert done.title == "Escucha" and done.prompts == ("¿Qué necesitas?", "¿Qué funcionó?")
    with pytest.raises(ValidationError, match="original language"):
        services.translate_session(store, session.id, "es", "Otra")
    with pytest.raises(ValidationError, match="give a title or at least one prompt"):
        services.translate_session(store, session.id, "en", "", [""])


def test_a_wave_one_session_reads_as_the_convenings_first_language_and_stays_so(store) -> None:  # type: ignore[no-untyped-def]
    store.insert("sessions", {"schema_version": 1, "title": "Escucha", "prompts": ["¿Qué?"], "is_open": True})
    (old,) = services.list_sessions(store)
    assert old.language == "es" and old.to_dict()["schema_version"] == 2
    services.set_languages(store, "en,es")  # reordering the languages does not change the original's language
    assert services.list_sessions(store)[0].language == "es"
    assert services.get_convening(store).languages == ("en", "es")
    with pytest.raises(ValidationError, match="language code"):
        services.set_languages(store, "en,Español")


# --- notes -------------------------------------------------------------------------------------------------------


def test_notes_keep_their_language_and_peoples_translations(store) -> None:  # type: ignore[no-untyped-def]
    session = services.add_session(store, "Escucha", allow_anonymous=True)
    note = services.submit_note(store, session.id, "need", "Agua limpia", language="es")
    assert note.language == "es"
    first = services.translate_note(store, note.id, "en", "Clean water", "Mara")
    second = services.translate_note(store, note.id, "en", "Clean drinking water", "Samir")
    assert first.translations[0].by == "Mara" and first.translations[0].at is not None
    (kept,) = services.list_notes(store)
    assert kept.text == "Agua limpia" and [t.by for t in kept.translations] == ["Mara", "Samir"]
    assert kept.translation("en").text == "Clean drinking water"  # the latest shown; the earlier one kept
    assert second.moderation.value == "visible" and second.sensitivity == note.sensitivity
    with pytest.raises(ValidationError, match="written in 'es'"):
        services.translate_note(store, note.id, "es", "Agua", "Mara")
    with pytest.raises(ValidationError, match="by"):
        services.translate_note(store, note.id, "ar", "ماء", "")
    with pytest.raises(NotFoundError):
        services.translate_note(store, 99, "en", "x", "Mara")


def test_paper_cards_may_name_their_language(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    services.add_session(store, "Escucha")
    cards = tmp_path / "cards.csv"
    cards.write_text("session,category,text,language\n1,need,Agua,es\n1,need,ماء,ar\n1,need,Water,\n", "utf-8")
    assert [n.language for n in services.import_notes_csv(store, cards)] == ["es", "ar", ""]


# --- glossary ------------------------------------------------------------------------------------------------------


def test_glossary_terms_gain_entries_per_language(store) -> None:  # type: ignore[no-untyped-def]
    services.add_term(store, "MdE", "Un acuerdo escrito.", expansion="memorando de entendimiento")  # es: first
    services.add_term(store, "MoU", "A written agreement.", "en", "memorandum of understanding", of="MdE")
    services.add_term(store, "MdE", "Un acuerdo escrito de buena fe.")  # same term, same language: replaced
    (mou,) = services.list_terms(store)
    assert mou.languages() == ["es", "en"] and mou.entry("es").definition == "Un acuerdo escrito de buena fe."
    services.add_term(store, "organizadora", "Alguien que reúne a la gente.")
    assert [t.shown("en")[0].term for t in services.list_terms(store, "en")] == ["MoU", "organizadora"]
    with pytest.raises(NotFoundError, match="no term 'XYZ'"):
        services.add_term(store, "x", "y", of="XYZ")
    with pytest.raises(ValidationError, match="one word, one meaning"):
        services.add_term(store, "MoU", "Another meaning.", "ar", of="organizadora")
    assert [t.original.term for t in glossary_for(store, ["Firmamos el MdE"])] == ["MdE"]
    remove_term(store, "mou")
    assert [t.original.term for t in services.list_terms(store)] == ["organizadora"]


def test_the_glossary_travels_in_a_bundle_and_a_clone(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    services.load_demo(ws, data_path("demo", "convening.json"))
    before = services.list_terms(ws.store("demo"))
    assert len(before) == 4
    path = export_bundle(ws, "demo", tmp_path / "demo.zip")
    done = import_bundle(ws, path, as_slug="copy")
    assert done.counts["glossary"] == 4 and done.counts["mou_translations"] > 0
    copied = services.list_terms(ws.store("copy"))
    assert [t.to_dict() for t in copied] == [t.to_dict() for t in before]
    assert get_mou(ws.store("copy")).translations == get_mou(ws.store("demo")).translations
    clone_convening(ws, "demo", "next", by="Fac")
    cloned = services.list_terms(ws.store("next"))
    assert [[e.term for e in t.entries] for t in cloned] == [[e.term for e in t.entries] for t in before]
    defined = " ".join(e.definition for t in cloned for e in t.entries)
    assert "KX7R-M3PD" not in defined and "[join code]" in defined  # a clone's words are redacted, as a report's
    (first, _second) = services.list_sessions(ws.store("next"))
    assert first.translation("ar") is not None and not first.is_open


def test_a_bundle_with_a_broken_glossary_is_refused(tmp_path: Path) -> None:
    import zipfile

    ws = Workspace(tmp_path / "ws")
    services.load_demo(ws, data_path("demo", "convening.json"))
    good = export_bundle(ws, "demo", tmp_path / "demo.zip")
    with zipfile.ZipFile(good) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    bad_terms = json.dumps([{"id": 1, "entries": [{"language": "Spanish", "term": "x", "definition": "y"}]}]).encode()
    import hashlib

    manifest["tables"]["glossary"].update(count=1, bytes=len(bad_terms), sha256=hashlib.sha256(bad_terms).hexdigest())
    members.update({"tables/glossary.json": bad_terms, "manifest.json": json.dumps(manifest).encode()})
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with pytest.raises(Exception, match="record 1 of 'glossary' is not valid"):
        import_bundle(ws, bad, as_slug="bad")
    assert not ws.exists("bad")


# --- the memorandum ------------------------------------------------------------------------------------------------


def test_the_template_exists_in_six_languages_with_the_same_clauses() -> None:
    assert template_languages() == SIX
    english = load_template("en")
    for lang in SIX:
        template = load_template(lang)
        assert template.language == lang
        assert [(c.key, c.kind) for c in template.clauses] == [(c.key, c.kind) for c in english.clauses]
        assert all(c.guidance and c.text and c.title for c in template.clauses)
    assert load_template("pt-BR").language == "pt"  # a regional tag finds its language


def test_an_unknown_template_language_is_an_error_listing_those_there_are() -> None:
    with pytest.raises(ValidationError, match="no memorandum template in 'sw'. Templates exist in: ar, en, es, fr"):
        load_template("sw")


def party_store(workspace: BaseWorkspace, languages: str):  # type: ignore[no-untyped-def]
    services.create_convening(workspace, "mou", "Mou", languages=languages)
    store = workspace.store("mou")
    services.add_participant(store, "Ana", "Grupo A")
    services.add_participant(store, "Ben", "Group B")
    return store


def test_the_convenings_other_languages_start_as_translations(workspace: BaseWorkspace) -> None:
    store = party_store(workspace, "es,ar,fr")
    state = create_mou(store, "Fac", parties=["Grupo A", "Group B"], language="es")
    assert state.record.language == "es" and state.translation_languages() == ["ar", "fr"]
    assert state.latest.clause("purpose").title == "Propósito y objetivos"
    assert {p.state for p in state.parallel("fr")} == {TranslationState.CURRENT}
    assert {p.state for p in state.parallel("ru")} == {TranslationState.MISSING}


def test_editing_a_clause_makes_its_translations_stale_until_translated_again(workspace: BaseWorkspace) -> None:
    store = party_store(workspace, "en,es")
    state = create_mou(store, "Fac", parties=["Grupo A", "Group B"])
    clauses = [c.to_dict() for c in state.latest.clauses]
    clauses[2]["text"] += " We meet twice a year."
    save_version(store, clauses, "Fac", "Meetings")
    stale = {p.clause.key: p.state for p in get_mou(store).parallel("es") if p.state is not TranslationState.CURRENT}
    assert stale == {"purpose": TranslationState.STALE}
    translate_clause(store, "purpose", "es", "Propósito", "Aprender juntas. Nos vemos dos veces al año.", "Mara")
    assert {p.state for p in get_mou(store).parallel("es")} == {TranslationState.CURRENT}
    with pytest.raises(ValidationError, match="authoritative language"):
        translate_clause(store, "purpose", "en", "Purpose", "x", "Mara")
    with pytest.raises(ValidationError, match="no clause 'nope'"):
        translate_clause(store, "nope", "es", "x", "y", "Mara")


def test_sign_off_is_of_the_authoritative_text_with_the_translations_recorded(workspace: BaseWorkspace) -> None:
    store = party_store(workspace, "en,es")
    state = create_mou(store, "Fac", parties=["Grupo A", "Group B"])
    clauses = [c.to_dict() for c in state.latest.clauses]
    clauses[1]["text"] += " More background."
    save_version(store, clauses, "Fac", "Background")
    set_status(store, "proposed", "Fac")
    set_status(store, "agreed", "Fac")
    signature = sign(store, "Grupo A", "Ana", "member", version=2)
    assert signature.language == "en" and {r.language for r in signature.translations} == {"es"}
    stale = [r.clause_key for r in signature.translations if r.stale]
    assert stale == ["background"] and all(r.based_on == 1 for r in signature.translations)
    assert len(signature.translations) == len(state.latest.clauses)
    stored = get_mou(store).signatures[0]
    assert stored.translations == signature.translations  # kept with the signature


def test_the_parties_can_make_another_language_authoritative(workspace: BaseWorkspace) -> None:
    store = party_store(workspace, "en,es")
    state = create_mou(store, "Fac", parties=["Grupo A", "Group B"])
    number = make_authoritative(store, "es", "Fac")
    after = get_mou(store)
    assert number == 2 and after.record.language == "es" and after.record.status.value == "draft"
    assert after.latest.clause("purpose").title == "Propósito y objetivos"
    english = {p.clause.key: p for p in after.parallel("en")}
    assert english["purpose"].title == state.latest.clause("purpose").title
    assert {p.state for p in english.values()} == {TranslationState.CURRENT}
    with pytest.raises(ValidationError, match="already the authoritative"):
        make_authoritative(store, "es", "Fac")
    with pytest.raises(ValidationError, match="no up-to-date translation into 'ar'"):
        make_authoritative(store, "ar", "Fac")
