"""Parallel texts of the memorandum: translate a clause, see which translations are out of date, and let the
parties change which language is authoritative."""

from __future__ import annotations

from dataclasses import replace

from lessonkit.domain import validation as v
from lessonkit.domain.language import language_tag
from lessonkit.domain.mou_status import HistoryEvent, StatusChange
from lessonkit.domain.mou_translation import (
    ClauseTranslation,
    ParallelText,
    check_translation,
    swap_authority,
)
from lessonkit.errors import ValidationError
from lessonkit.i18n import _
from lessonkit.services.mou import TRANSLATIONS, get_mou, load_state, save_in, write_record
from lessonkit.store.base import Store


def translate_clause(store: Store, clause_key: str, language: str, title: str, text: str, by: str) -> ClauseTranslation:
    """Add a translation of one clause of the latest version into ``language`` (kept beside the earlier ones)."""
    with store.transaction() as tx:
        state = load_state(tx)
        translation = ClauseTranslation.from_dict(
            {
                "clause_key": clause_key,
                "language": language,
                "title": title,
                "text": text,
                "based_on": state.latest.number,
                "by": by,
            }
        )
        check_translation(state.latest, translation, state.record.language)
        return replace(translation, id=tx.insert(TRANSLATIONS, translation.to_dict()))


def parallel_texts(store: Store, language: str, number: int | None = None) -> list[ParallelText]:
    """Each clause of a version (default: the latest) beside its translation into ``language``."""
    return get_mou(store).parallel(language_tag("language", language), number)


def make_authoritative(store: Store, language: str, by: str) -> int:
    """The parties chose ``language`` as the authoritative one: its translations become the clauses of a new
    version (a draft to agree and sign again) and the former authoritative texts become translations of it.

    Refused unless every clause has an up-to-date translation into ``language``. Returns the new version's number.
    """
    lang = language_tag("language", language)
    with store.transaction() as tx:
        state = load_state(tx)
        old = state.record.language
        if lang == old:
            raise ValidationError("language", _("'{lang}' is already the authoritative language.").format(lang=lang))
        clauses = swap_authority(state.latest, state.translations, state.versions, lang)
        summary = _("Authoritative language changed from '{old}' to '{new}'").format(old=old, new=lang)
        version = save_in(tx, state, clauses, by, summary[:200])
        who = v.text("your name", by, max_length=120)
        for clause in state.latest.clauses:
            former = ClauseTranslation(clause.key, old, clause.title, clause.text, version.number, who)
            tx.insert(TRANSLATIONS, former.to_dict())
        record = load_state(tx).record
        changed = (("old", old), ("new", lang))
        event = HistoryEvent.LANGUAGE_CHANGED
        entry = StatusChange(record.status, record.status, who, "", version.number, event=event, values=changed)
        write_record(tx, replace(record, language=lang, history=record.history + (entry,)))
        return version.number
