"""The mutual-aid ledger: add a line, change a line's status, correct a line, read the book and the balance.

Lines are only ever added (``Tx.insert``), never edited or deleted: a status change and a correction are new lines
pointing at the line they act on (see :mod:`lessonkit.domain.ledger`). The one exception is a consent withdrawal,
which replaces a person's words in the evidence notes and leaves every number as it was. Whatever shows the ledger
beyond the facilitator's own screen reads it through :meth:`lessonkit.services.disclosure.Disclosure.ledger`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from lessonkit.domain.ledger import Entry, Status
from lessonkit.domain.ledger_book import BalanceRow, Book, balance, correction, status_change
from lessonkit.domain.records import Participant
from lessonkit.errors import ConsentError
from lessonkit.i18n import _
from lessonkit.services.groups import group_name
from lessonkit.services.participants import find_by_code
from lessonkit.store.base import Store, Tx

TABLE = "ledger"


def load_book(tx: Tx) -> Book:
    return Book.of(Entry.from_dict(d) for d in tx.all(TABLE))


def get_book(store: Store) -> Book:
    """Every line of the ledger, as stored (for the facilitator's own screens)."""
    with store.read() as tx:
        return load_book(tx)


def list_lines(store: Store) -> list[Entry]:
    return list(get_book(store).lines)


def ledger_balance(store: Store) -> list[BalanceRow]:
    """Per group and unit: received, given and net, over the live lines delivered or used."""
    return balance(get_book(store))


def _author(tx: Tx, join_code: str | None) -> Participant | None:
    """The participant whose words the evidence notes are (None: nobody's in particular)."""
    if not join_code:
        return None
    person = find_by_code(tx, join_code)
    if not person.consent.record:
        raise ConsentError(
            _("{name}'s consent says their words are not to be recorded: write the evidence without them.").format(
                name=person.name
            )
        )
    return person


def _insert(tx: Tx, line: Entry) -> Entry:
    return replace(line, id=tx.insert(TABLE, line.to_dict()))


def add_line(
    store: Store,
    giver: str,
    receiver: str,
    kind: str,
    quantity: object,
    unit: str,
    what: str,
    status: str | Status = Status.PLEDGED,
    *,
    on: object = None,
    due: object = None,
    evidence: str = "",
    join_code: str | None = None,
    sensitivity: str = "convening",
) -> Entry:
    """Add a line: a resource pledged or moved from one group to another. ``join_code``: whose words the evidence
    notes are."""
    with store.transaction() as tx:
        author = _author(tx, join_code) if evidence.strip() else None
        line = Entry.from_dict(
            {
                "from": group_name(tx, giver, "from"),
                "to": group_name(tx, receiver, "to"),
                "kind": kind,
                "quantity": quantity,
                "unit": unit,
                "what": what,
                "status": status.value if isinstance(status, Status) else status,
                "on": on,
                "due": due,
                "evidence": evidence,
                "author_id": author.id if author else None,
                "sensitivity": sensitivity,
            }
        )
        return _insert(tx, line)


def change_status(
    store: Store,
    line_id: int,
    status: str | Status,
    *,
    on: date | None = None,
    evidence: str = "",
    join_code: str | None = None,
    reason: str = "",
) -> Entry:
    """Record that a live line was delivered, used or returned (a new line pointing at it)."""
    with store.transaction() as tx:
        author = _author(tx, join_code) if evidence.strip() else None
        line = status_change(load_book(tx), int(line_id), status, on, evidence, author.id if author else None, reason)
        return _insert(tx, line)


def correct_line(
    store: Store,
    line_id: int,
    reason: str,
    changes: Mapping[str, object] | None = None,
    *,
    join_code: str | None = None,
    cancel: bool = False,
) -> tuple[Entry, Entry | None]:
    """Correct a live line: a reversal of it and (unless ``cancel``) the corrected line, both pointing at it, with
    ``reason``; ``changes`` maps the fields to correct (``from``, ``to``, ``quantity``, ``status`` …) to new values."""
    wanted = dict(changes or {})
    with store.transaction() as tx:
        for side in ("from", "to"):
            if wanted.get(side) is not None:
                wanted[side] = group_name(tx, wanted[side], side)
        evidence = str(wanted.get("evidence") or "")
        author = _author(tx, join_code) if evidence.strip() else None
        reversal, replacement = correction(
            load_book(tx), int(line_id), reason, wanted, author.id if author else None, cancel
        )
        reversal = _insert(tx, reversal)
        return reversal, _insert(tx, replacement) if replacement is not None else None


def forget_in(tx: Tx, person_id: int, marker: str) -> int:
    """A withdrawal: the evidence notes that are ``person_id``'s words become ``marker``; every number, party, date
    and status stays. Returns how many lines changed."""
    mine = tx.search(TABLE, lambda d: d.get("author_id") == person_id and bool(d.get("evidence")))
    for doc in mine:
        tx.update(TABLE, doc["id"], {"evidence": marker})
    return len(mine)
