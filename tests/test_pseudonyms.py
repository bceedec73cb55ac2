"""Pseudonyms: word lists in six languages, unique in a convening, chosen or generated; wave-1 files upgraded."""

from __future__ import annotations

import json
import random
import shutil
import unicodedata
from pathlib import Path

import pytest

from lessonkit import services
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.privacy import credit
from lessonkit.domain.pseudonyms import WordList, fold, new_pseudonym
from lessonkit.domain.records import MAX_PSEUDONYM_LENGTH, Convening, Participant
from lessonkit.errors import AlreadyExistsError, ValidationError
from lessonkit.services.convenings import open_convening
from lessonkit.services.pseudonyms import LANGUAGES, word_list
from lessonkit.store import Workspace
from lessonkit.store.workspace import BaseWorkspace

WAVE1 = Path(__file__).parent / "data" / "wave1-convening.json"
SCRIPTS = {"ar": "ARABIC", "ru": "CYRILLIC"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_a_list_of_friendly_word_pairs(language: str) -> None:
    words = word_list(language)
    assert words.language == language and words.size >= 700
    assert len(set(words.adjectives)) == len(words.adjectives) and len(set(words.nouns)) == len(words.nouns)
    script = SCRIPTS.get(language, "LATIN")
    for word in (*words.adjectives, *words.nouns):
        letters = [ch for ch in word if ch.isalpha()]
        assert letters and all(script in unicodedata.name(ch) for ch in letters), (language, word)
    longest = max((words.pair(a, n) for a in words.adjectives for n in words.nouns), key=len)
    assert len(longest) <= MAX_PSEUDONYM_LENGTH and len(longest.split()) == 2


def test_word_order_follows_the_language() -> None:
    assert word_list("en").pair("patient", "heron") == "Patient Heron"
    assert word_list("es").pair("valiente", "garza") == "Garza Valiente"
    assert word_list("pt-BR").language == "pt" and word_list("xx").language == "en"


def test_generated_pseudonyms_are_unique_and_never_someones_name() -> None:
    words = WordList("en", ("Calm", "Bold"), ("Heron", "Otter"))
    rng = random.Random(1)
    taken: list[str] = ["calm heron"]  # someone's name, folded
    for _ in range(3):
        taken.append(new_pseudonym(words, taken, rng))
    assert sorted(fold(t) for t in taken) == ["bold heron", "bold otter", "calm heron", "calm otter"]
    assert new_pseudonym(words, taken, rng).endswith(" 2")  # every pair taken: a number is added


def test_registration_gives_a_pseudonym_in_the_convenings_language(workspace: BaseWorkspace) -> None:
    services.create_convening(workspace, "lima", "Lima", languages="es,en")
    store = workspace.store("lima")
    people = [services.add_participant(store, f"Persona {i}") for i in range(40)]
    names = {fold(p.name) for p in people}
    pseudonyms = [fold(p.pseudonym) for p in people]
    assert len(set(pseudonyms)) == 40 and not names & set(pseudonyms)
    spanish = word_list("es")
    assert all(p.pseudonym.split()[0].casefold() in {n.casefold() for n in spanish.nouns} for p in people)


def test_a_chosen_pseudonym_is_kept_and_must_be_free(workspace: BaseWorkspace) -> None:
    services.create_convening(workspace, "c", "C")
    store = workspace.store("c")
    ana = services.add_participant(store, "Ana Silva", pseudonym="  River   Song ")
    assert ana.pseudonym == "River Song"
    with pytest.raises(AlreadyExistsError, match="river song"):
        services.add_participant(store, "Bo", pseudonym="river song")
    with pytest.raises(AlreadyExistsError, match="already someone"):
        services.add_participant(store, "Bo", pseudonym="Ana Silva")  # someone else's name
    moved = services.participant_by_code(store, ana.join_code)
    from lessonkit.services.participants import set_pseudonym

    assert set_pseudonym(store, moved.join_code, "Quiet Lark").pseudonym == "Quiet Lark"
    assert len(services.list_participants(store)) == 1


def test_participant_language_is_a_short_tag() -> None:
    base = {"name": "A", "join_code": "KX7R-M3PD", "pseudonym": "B"}
    assert Participant.from_dict({**base, "language": "pt-BR"}).language == "pt-BR"
    assert Participant.from_dict(base).language is None
    with pytest.raises(ValidationError, match="language"):
        Participant.from_dict({**base, "language": "portuguese please"})


def test_convening_countries_are_two_letter_codes() -> None:
    made = Convening.from_dict({"slug": "k", "title": "K", "countries": "ke, pl,KE"})
    assert made.countries == ("KE", "PL") and Convening.from_dict({"slug": "k", "title": "K"}).countries == ()
    with pytest.raises(ValidationError, match="countries"):
        Convening.from_dict({"slug": "k", "title": "K", "countries": ["Kenya"]})


def test_the_upgrade_chain_takes_a_version_1_participant_to_version_2() -> None:
    doc = json.loads(WAVE1.read_text(encoding="utf-8"))["participants"]["1"]
    person = Participant.from_dict({**doc, "id": 1})
    assert person.pseudonym == "" and person.language is None
    assert "media_use" not in person.to_dict()["consent"] and person.to_dict()["schema_version"] == 2
    assert credit(person, Sensitivity.PUBLIC) == "a participant"  # no pseudonym yet: never the name


def test_a_wave_1_convening_gets_stored_pseudonyms_when_first_opened(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    (home / "convenings").mkdir(parents=True)
    shutil.copy(WAVE1, home / "convenings" / "wave1.json")
    store = open_convening("wave1", home)
    people = services.list_participants(store)
    assert [p.name for p in people] == ["Zofia Kowalczyk", "Олена Шевченко", "Hope Wanjiru"]
    pseudonyms = [p.pseudonym for p in people]
    assert all(len(p.split()) == 2 for p in pseudonyms) and len(set(pseudonyms)) == 3
    spanish = {n.casefold() for n in word_list("es").nouns}  # the convening's first language is es
    assert all(p.split()[0].casefold() in spanish for p in pseudonyms)
    assert {d["schema_version"] for d in store.all("participants")} == {2}  # stored, not made up on each read
    again = Workspace(home).store("wave1")
    assert [p.pseudonym for p in services.list_participants(again)] == pseudonyms
    assert [n.text for n in services.list_notes(again)] == ["Zofia asked for rooms."]
