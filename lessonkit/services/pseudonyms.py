"""Pseudonyms for participants: generated in the convening's language, unique in the convening.

The word lists are data (``data/pseudonyms/<lang>.json``: en, es, fr, pt, ar, ru); a convening whose first language
has no list gets English pairs. Participants registered before pseudonyms existed get one the first time their
convening is opened (:func:`fill_missing`, called by ``open_convening``).
"""

from __future__ import annotations

import json
from functools import cache

from lessonkit.domain import validation as v
from lessonkit.domain.pseudonyms import WordList, fold, new_pseudonym
from lessonkit.domain.records import MAX_PSEUDONYM_LENGTH, Convening, Participant
from lessonkit.domain.schema import CURRENT_VERSIONS
from lessonkit.errors import AlreadyExistsError
from lessonkit.i18n import _
from lessonkit.resources import data_path
from lessonkit.store.base import Store, Tx

PARTICIPANTS = "participants"
LANGUAGES = ("en", "es", "fr", "pt", "ar", "ru")


@cache
def word_list(language: str | None) -> WordList:
    """The word list of ``language`` ('pt-BR' uses 'pt'); English when there is none."""
    base = (language or "en").replace("_", "-").split("-")[0].lower()
    if base not in LANGUAGES:
        base = "en"
    data = json.loads(data_path("pseudonyms", f"{base}.json").read_text(encoding="utf-8"))
    return WordList.from_dict(data)


def convening_language(tx: Tx) -> str:
    docs = tx.all("convening")
    return Convening.from_dict(docs[0]).languages[0] if docs else "en"


def taken_in(tx: Tx, but: int | None = None) -> set[str]:
    """Every name and pseudonym of the convening (folded), except those of participant ``but``."""
    taken: set[str] = set()
    for doc in tx.all(PARTICIPANTS):
        if doc["id"] == but:
            continue
        taken.add(fold(doc.get("name", "")))
        if doc.get("pseudonym"):
            taken.add(fold(doc["pseudonym"]))
    return taken


def generate_in(tx: Tx, extra_taken: set[str] | None = None) -> str:
    """A fresh pseudonym in the convening's language, unique among its names and pseudonyms."""
    return new_pseudonym(word_list(convening_language(tx)), taken_in(tx) | (extra_taken or set()))


def check_pseudonym(tx: Tx, pseudonym: str, person_id: int | None = None) -> str:
    """A chosen pseudonym, validated: not empty, not too long, nobody else's name or pseudonym."""
    chosen = " ".join(v.text("pseudonym", pseudonym, max_length=MAX_PSEUDONYM_LENGTH).split())
    if fold(chosen) in taken_in(tx, but=person_id):
        raise AlreadyExistsError(
            _("The pseudonym '{p}' is already someone's name or pseudonym here: choose another.").format(p=chosen)
        )
    return chosen


def missing(store: Store) -> bool:
    """True when some participant has no pseudonym yet (a record from before version 2)."""
    with store.read() as tx:
        return any(not d.get("pseudonym") for d in tx.all(PARTICIPANTS))


def fill_missing(store: Store) -> int:
    """Give every participant without a pseudonym a generated one, stored; returns how many were given."""
    if not missing(store):
        return 0
    given = 0
    with store.transaction() as tx:
        for doc in sorted(tx.all(PARTICIPANTS), key=lambda d: d["id"]):
            if doc.get("pseudonym"):
                continue
            person = Participant.from_dict(doc)  # upgrades the record to the current version
            record = {**person.to_dict(), "pseudonym": generate_in(tx)}
            record["schema_version"] = CURRENT_VERSIONS["participant"]
            tx.update(PARTICIPANTS, doc["id"], record)
            given += 1
    return given
