"""The facilitator's list of extra terms to redact (places, organisations), kept in the convening's store.

Together with the registered participants' names and join codes it makes the convening's :class:`Redactor`,
which every report and data export runs free text through.
"""

from __future__ import annotations

from collections.abc import Iterable

from lessonkit.domain.records import Convening, Participant
from lessonkit.domain.redaction import Redactor
from lessonkit.domain.schema import CURRENT_VERSIONS
from lessonkit.domain.stored_records import MAX_TERMS, RedactionTerms, clean_term
from lessonkit.errors import NotFoundError, ValidationError
from lessonkit.i18n import _, pgettext
from lessonkit.services.participants import TABLE as PARTICIPANTS
from lessonkit.store.base import Store, Tx

TABLE = "redaction_terms"
CONVENING = "convening"
_clean = clean_term


def terms_in(tx: Tx) -> list[str]:
    docs = tx.all(TABLE)
    if not docs:
        return []
    return list(RedactionTerms.from_dict(docs[0]).terms)


def _write(tx: Tx, terms: list[str]) -> None:
    doc = {"schema_version": CURRENT_VERSIONS["redaction_terms"], "terms": terms}
    docs = tx.all(TABLE)
    if docs:
        tx.update(TABLE, docs[0]["id"], doc)
    else:
        tx.insert(TABLE, doc)


def list_terms(store: Store) -> list[str]:
    """The extra terms, in the order they were added."""
    with store.read() as tx:
        return terms_in(tx)


def add_terms(store: Store, terms: Iterable[str]) -> list[str]:
    """Add terms (a term already listed, in any case, is not added twice); returns the whole list."""
    new = [_clean(t) for t in terms]
    with store.transaction() as tx:
        current = terms_in(tx)
        known = {t.casefold() for t in current}
        for term in new:
            if term.casefold() not in known:
                current.append(term)
                known.add(term.casefold())
        if len(current) > MAX_TERMS:
            raise ValidationError(
                "term", _("a convening keeps at most {n} extra terms: remove some first.").format(n=MAX_TERMS)
            )
        _write(tx, current)
    return current


def remove_terms(store: Store, terms: Iterable[str]) -> list[str]:
    """Remove terms (case-insensitive); an unknown term is a clear error and nothing changes."""
    gone = [_clean(t) for t in terms]
    with store.transaction() as tx:
        current = terms_in(tx)
        folded = [t.casefold() for t in current]
        for term in gone:
            if term.casefold() not in folded:
                raise NotFoundError(
                    _("'{term}' is not on the list of extra terms (listed: {known}).").format(
                        term=term, known=", ".join(current) or pgettext("empty list of terms", "none")
                    )
                )
        keep = [t for t in current if t.casefold() not in {g.casefold() for g in gone}]
        _write(tx, keep)
    return keep


def redactor_in(tx: Tx) -> Redactor:
    """The convening's redactor: participants' names, organisations and join codes, e-mails, handles, links with a
    query, phones (with the convening's countries as regions) and the extra terms."""
    people = [Participant.from_dict(d) for d in tx.all(PARTICIPANTS)]
    convening = tx.all(CONVENING)
    countries = Convening.from_dict(convening[0]).countries if convening else ()
    return Redactor(
        names=[p.name for p in people],
        join_codes=[p.join_code for p in people],
        terms=terms_in(tx),
        organisations=[p.organization for p in people if p.organization],
        regions=countries,
    )


def redactor_for(store: Store) -> Redactor:
    """The convening's redactor (see :func:`redactor_in`)."""
    with store.read() as tx:
        return redactor_in(tx)
