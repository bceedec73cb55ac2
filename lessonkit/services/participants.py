"""Register participants (name, pseudonym, consent), find them by join code.

Consent changes after registration go through :mod:`lessonkit.services.consent`, which keeps their history.
"""

from __future__ import annotations

from typing import Any

from lessonkit.domain.joincode import new_join_code, normalize_join_code
from lessonkit.domain.pseudonyms import fold
from lessonkit.domain.records import Consent, Participant
from lessonkit.errors import AlreadyExistsError, NotFoundError, ValidationError
from lessonkit.i18n import _
from lessonkit.services import pseudonyms
from lessonkit.store.base import Store, Tx

TABLE = "participants"


def participant_from_input(data: dict[str, Any]) -> Participant:
    """A participant from a seed file (join code and pseudonym may be given; a missing pseudonym is left '')."""
    code = data.get("join_code") or new_join_code()
    return Participant.from_dict({**data, "join_code": normalize_join_code(str(code))})


def people_in(tx: Tx) -> dict[int, Participant]:
    """Every participant of the convening by id."""
    return {d["id"]: Participant.from_dict(d) for d in tx.all(TABLE)}


def add_participant(
    store: Store,
    name: str,
    organization: str = "",
    consent: Consent | dict[str, Any] | None = None,
    pseudonym: str | None = None,
    language: str | None = None,
) -> Participant:
    """Register a person under the name the facilitator knows them by, with the pseudonym they choose (or a
    generated one: a word pair in the convening's language); returns them with a fresh personal join code."""
    consent_obj = consent if isinstance(consent, Consent) else Consent.from_dict(consent)
    with store.transaction() as tx:
        taken = {d["join_code"] for d in tx.all(TABLE)}
        participant = Participant(
            name=name,
            organization=organization or "",
            join_code=new_join_code(taken),
            consent=consent_obj,
            language=language or None,
        )
        participant = Participant.from_dict(participant.to_dict())  # validate names and lengths
        if any(fold(d["name"]) == fold(participant.name) for d in tx.all(TABLE)):
            raise AlreadyExistsError(
                _("Someone is already registered as '{name}': add a distinguishing letter or word.").format(
                    name=participant.name
                )
            )
        if (pseudonym or "").strip():  # their own name is allowed: their choice to be known by it outside too
            chosen = pseudonyms.check_pseudonym(tx, pseudonym or "")
        else:
            chosen = pseudonyms.generate_in(tx, {fold(participant.name)})
        record = {**participant.to_dict(), "pseudonym": chosen}
        doc_id = tx.insert(TABLE, record)
    return Participant.from_dict({**record, "id": doc_id})


def list_participants(store: Store) -> list[Participant]:
    with store.read() as tx:
        return list(people_in(tx).values())


def find_by_code(tx: Tx, code: str) -> Participant:
    """The person with join code ``code`` (on an encrypted convening's participant server, from their sealed entry:
    no name, see :mod:`lessonkit.services.published`)."""
    doc = tx.find_one(TABLE, "join_code", _wanted(code))
    if doc is None:
        raise _unknown(code)
    return Participant.from_dict(doc)


def by_code(tx: Tx) -> dict[str, Participant]:
    """Everyone, by join code: for looking up many codes in one transaction (see ``match_code``)."""
    return {p.join_code: p for p in (Participant.from_dict(d) for d in tx.all(TABLE))}


def match_code(people: dict[str, Participant], code: str) -> Participant:
    """The person with ``code`` among ``by_code(tx)``, with the same errors as ``find_by_code``."""
    found = people.get(_wanted(code))
    if found is None:
        raise _unknown(code)
    return found


def _wanted(code: str) -> str:
    wanted = normalize_join_code(code or "")
    if not wanted:
        raise ValidationError("join_code", _("enter your join code, or choose to contribute anonymously."))
    return wanted


def _unknown(code: str) -> NotFoundError:
    return NotFoundError(
        _("The join code '{code}' was not found: check it on your card or ask the facilitator.").format(
            code=code.strip()
        )
    )


def participant_by_code(store: Store, code: str) -> Participant:
    with store.read() as tx:
        return find_by_code(tx, code)


def set_pseudonym(store: Store, join_code: str, pseudonym: str) -> Participant:
    """Change a person's pseudonym (their choice); it must be nobody else's name or pseudonym."""
    with store.transaction() as tx:
        person = find_by_code(tx, join_code)
        chosen = pseudonyms.check_pseudonym(tx, pseudonym, person.id)
        tx.update(TABLE, person.id or 0, {"pseudonym": chosen})
        return find_by_code(tx, join_code)


def set_consent(
    store: Store, participant_id: int, consent: Consent | dict[str, Any], by: str = "", note: str = ""
) -> Participant:
    """Replace a person's consent as the facilitator (recorded in the consent history; widening needs ``note``
    to hold the person's confirmation). See :func:`lessonkit.services.consent.change_consent`."""
    from lessonkit.services.consent import change_consent

    consent_obj = consent if isinstance(consent, Consent) else Consent.from_dict(consent)
    return change_consent(store, participant_id, consent_obj.to_dict(), by=by, note=note).person


def remember_language(store: Store, join_code: str, language: str | None) -> Participant:
    """Keep the interface language a person chose on a form, for their join code (None forgets it)."""
    with store.transaction() as tx:
        person = find_by_code(tx, join_code)
        if person.language == language or person.id is None:
            return person
        tx.update(TABLE, person.id, {"language": language})
        return Participant.from_dict(tx.get(TABLE, person.id))  # type: ignore[arg-type]
