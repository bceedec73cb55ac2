"""Register participants, find them by join code, record consent."""

from __future__ import annotations

from typing import Any

from lessonkit.domain.joincode import new_join_code, normalize_join_code
from lessonkit.domain.records import Consent, Participant
from lessonkit.errors import AlreadyExistsError, NotFoundError, ValidationError
from lessonkit.i18n import _
from lessonkit.store.base import Store, Tx

TABLE = "participants"


def participant_from_input(data: dict[str, Any]) -> Participant:
    code = data.get("join_code") or new_join_code()
    return Participant.from_dict({**data, "join_code": normalize_join_code(str(code))})


def add_participant(
    store: Store,
    name: str,
    organization: str = "",
    consent: Consent | dict[str, Any] | None = None,
) -> Participant:
    """Register a person under the name they choose; returns them with a fresh personal join code."""
    consent_obj = consent if isinstance(consent, Consent) else Consent.from_dict(consent)
    with store.transaction() as tx:
        taken = {d["join_code"] for d in tx.all(TABLE)}
        participant = Participant(
            name=name, organization=organization or "", join_code=new_join_code(taken), consent=consent_obj
        )
        participant = Participant.from_dict(participant.to_dict())  # validate names and lengths
        if any(d["name"].casefold() == participant.name.casefold() for d in tx.all(TABLE)):
            raise AlreadyExistsError(
                _("Someone is already registered as '{name}': add a distinguishing letter or word.").format(
                    name=participant.name
                )
            )
        doc_id = tx.insert(TABLE, participant.to_dict())
    return Participant.from_dict({**participant.to_dict(), "id": doc_id})


def list_participants(store: Store) -> list[Participant]:
    return [Participant.from_dict(d) for d in store.all(TABLE)]


def find_by_code(tx: Tx, code: str) -> Participant:
    wanted = _wanted(code)
    for doc in tx.all(TABLE):
        if doc["join_code"] == wanted:
            return Participant.from_dict(doc)
    raise _unknown(code)


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


def set_consent(store: Store, participant_id: int, consent: Consent | dict[str, Any]) -> Participant:
    consent_obj = consent if isinstance(consent, Consent) else Consent.from_dict(consent)
    with store.transaction() as tx:
        if tx.get(TABLE, participant_id) is None:
            raise NotFoundError(_("There is no participant {id}.").format(id=participant_id))
        tx.update(TABLE, participant_id, {"consent": consent_obj.to_dict()})
        return Participant.from_dict(tx.get(TABLE, participant_id))  # type: ignore[arg-type]
