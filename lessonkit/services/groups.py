"""Partner groups: who rates risks and who gives and receives in the mutual-aid ledger.

With a memorandum that names its parties, the groups are those parties, spelled as the memorandum spells them (a
name typed in another case is matched; a name that is not a party is refused with the list of parties). Without
one, groups are free names, and the names already used are offered again.
"""

from __future__ import annotations

from lessonkit.domain import validation as v
from lessonkit.domain.mou import Party, find_party
from lessonkit.store.base import Store, Tx

MOU = "mou"
MAX_GROUP = 200


def memorandum_parties(tx: Tx) -> tuple[Party, ...]:
    """The parties of the convening's memorandum (none without a memorandum)."""
    docs = tx.all(MOU)
    return tuple(Party.from_dict(p) for p in (docs[0].get("parties") or ())) if docs else ()


def group_name(tx: Tx, name: object, field: str = "group") -> str:
    """``name`` as the group is called: a party's own spelling when the memorandum names parties."""
    text = v.text(field, name, max_length=MAX_GROUP, multiline=False)
    parties = memorandum_parties(tx)
    return find_party(parties, text, field).name if parties else text


def known_groups(store: Store) -> list[str]:
    """The memorandum's parties; without them, every group name already used in the register and the ledger."""
    with store.read() as tx:
        parties = memorandum_parties(tx)
        if parties:
            return [p.name for p in parties]
        names = [d.get("group") or "" for d in tx.all("risk_ratings")] + [d.get("group") or "" for d in tx.all("risks")]
        for d in tx.all("ledger"):
            names += [d.get("from") or "", d.get("to") or ""]
    seen: dict[str, str] = {}
    for n in names:
        if n:
            seen.setdefault(n.casefold(), n)
    return [seen[k] for k in sorted(seen)]
