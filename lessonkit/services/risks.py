"""The joint risk register: add a risk (or promote a listening note of category ``risk``), let each partner group
rate it, review it, list it ranked. Every use case runs in one transaction. Whatever shows risks beyond the
facilitator's own screen reads them through :meth:`lessonkit.services.disclosure.Disclosure.risks`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from lessonkit.domain import rules
from lessonkit.domain.levels import Category, Sensitivity, parse_enum
from lessonkit.domain.records import Note
from lessonkit.domain.risk_register import JointRisk, joint, reviewed
from lessonkit.domain.risks import Risk, RiskRating
from lessonkit.errors import ConsentError, NotFoundError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.groups import group_name
from lessonkit.services.participants import find_by_code
from lessonkit.store.base import Store, Tx

TABLE = "risks"
RATINGS = "risk_ratings"
NOTES = "notes"
TITLE_FROM_NOTE = 120


def load_risk(tx: Tx, risk_id: int | str) -> Risk:
    try:
        key = int(risk_id)
    except (TypeError, ValueError):
        key = 0
    doc = tx.get(TABLE, key) if key > 0 else None
    if doc is None:
        raise NotFoundError(
            _("There is no risk {id} in the register: see `lessonkit risk list SLUG`.").format(id=risk_id)
        )
    return Risk.from_dict(doc)


def list_risks(store: Store) -> list[Risk]:
    """Every risk as stored, in the order they were added (for the facilitator's own screens)."""
    with store.read() as tx:
        return [Risk.from_dict(d) for d in tx.all(TABLE)]


def list_ratings(store: Store) -> list[RiskRating]:
    with store.read() as tx:
        return [RiskRating.from_dict(d) for d in tx.all(RATINGS)]


def register(store: Store) -> list[JointRisk]:
    """Every risk with each group's rating, ranked by agreed likelihood × impact (ties: impact first)."""
    with store.read() as tx:
        risks = [Risk.from_dict(d) for d in tx.all(TABLE)]
        ratings = [RiskRating.from_dict(d) for d in tx.all(RATINGS)]
    return joint(risks, ratings)


def get_risk(store: Store, risk_id: int | str) -> Risk:
    with store.read() as tx:
        return load_risk(tx, risk_id)


def _note(tx: Tx, note_id: int) -> Note:
    doc = tx.get(NOTES, int(note_id))
    if doc is None:
        raise NotFoundError(_("There is no note {id}.").format(id=note_id))
    note = Note.from_dict(doc)
    if note.category is not Category.RISK:
        raise ValidationError("note", _("note {id} is not a risk: only notes of category 'risk' can be promoted.")
                              .format(id=note_id))
    promoted = next((d for d in tx.all(TABLE) if d.get("note_id") == note.id), None)
    if promoted is not None:
        raise ValidationError(
            "note", _("note {id} is already risk {risk} of the register.").format(id=note_id, risk=promoted["id"])
        )
    return note


def _stricter(a: Sensitivity, b: Sensitivity) -> Sensitivity:
    return a if a.rank >= b.rank else b


def add_risk(
    store: Store,
    title: str = "",
    category: str = "other",
    likelihood: object = None,
    impact: object = None,
    *,
    description: str = "",
    group: str = "",
    join_code: str | None = None,
    note_id: int | None = None,
    mitigations: Sequence[str] = (),
    contingency: dict[str, str] | None = None,
    owner: str = "",
    review_date: object = None,
    sensitivity: str | Sensitivity | None = None,
) -> Risk:
    """Add a risk with its agreed rating. Who raised it: ``group`` (a partner group), ``join_code`` (a participant),
    both, or neither (anonymous). ``note_id`` promotes a listening note of category ``risk``: its author raised the
    risk, its text is the description (and the title, shortened, when none is given), and the risk is never shared
    more widely than the note."""
    with store.transaction() as tx:
        author = find_by_code(tx, join_code) if join_code else None
        level = parse_enum(Sensitivity, "sensitivity", sensitivity) if sensitivity else None
        if note_id is not None:
            note = _note(tx, note_id)
            if join_code:
                raise ValidationError("join_code", _("a promoted note was raised by its own author: leave it out."))
            author = None
            author_id = note.author_id
            level = _stricter(level, note.sensitivity) if level else note.sensitivity  # type: ignore[arg-type]
            description = description or note.text
            title = title or _excerpt(note.text)
        else:
            author_id = author.id if author else None
        if author is not None and not author.consent.record:
            raise ConsentError(
                _("{name}'s consent says their words are not to be recorded: add the risk without them.").format(
                    name=author.name
                )
            )
        risk = Risk.from_dict(
            {
                "title": title,
                "category": category,
                "likelihood": likelihood,
                "impact": impact,
                "description": description,
                "group": group,
                "author_id": author_id,
                "note_id": note_id,
                "mitigations": list(mitigations),
                "contingency": contingency or {},
                "owner": owner,
                "review_date": review_date,
                "sensitivity": (level or Sensitivity.CONVENING).value,  # type: ignore[union-attr]
            }
        )
        if risk.group:
            risk = replace(risk, group=group_name(tx, risk.group))
        rules.check_sensitivity(author, risk.sensitivity)
        return replace(risk, id=tx.insert(TABLE, risk.to_dict()))


def _excerpt(text: str) -> str:
    first = " ".join(text.split())
    return first if len(first) <= TITLE_FROM_NOTE else first[: TITLE_FROM_NOTE - 1].rstrip() + "…"


def promote_note(store: Store, note_id: int, likelihood: object, impact: object, **fields: Any) -> Risk:
    """Promote a listening note of category ``risk`` into the register (see :func:`add_risk`)."""
    return add_risk(store, fields.pop("title", ""), fields.pop("category", "other"), likelihood, impact,
                    note_id=note_id, **fields)


def risk_notes(store: Store) -> list[Note]:
    """Listening notes of category ``risk`` not yet in the register, whose authors still consent to be recorded."""
    from lessonkit.services.notes import list_notes

    with store.read() as tx:
        promoted = {d.get("note_id") for d in tx.all(TABLE)}
    return [n for n in list_notes(store) if n.category is Category.RISK and n.id not in promoted]


def rate_risk(store: Store, risk_id: int | str, group: str, likelihood: object, impact: object) -> RiskRating:
    """One partner group's own rating of a risk; a group that rates again replaces its earlier rating."""
    with store.transaction() as tx:
        risk = load_risk(tx, risk_id)
        name = group_name(tx, group)
        made = RiskRating.from_dict(
            {"risk_id": risk.id, "group": name, "likelihood": likelihood, "impact": impact, "at": None}
        )
        earlier = [
            d
            for d in tx.all(RATINGS)
            if d.get("risk_id") == risk.id and str(d.get("group")).casefold() == name.casefold()
        ]
        if earlier:
            tx.update(RATINGS, earlier[0]["id"], made.to_dict())
            for extra in earlier[1:]:
                tx.remove(RATINGS, extra["id"])
            return replace(made, id=earlier[0]["id"])
        return replace(made, id=tx.insert(RATINGS, made.to_dict()))


def review_risk(
    store: Store,
    risk_id: int | str,
    *,
    by: str = "",
    note: str = "",
    likelihood: object = None,
    impact: object = None,
    next_review: object = None,
    on: date | None = None,
    mitigations: Iterable[str] | None = None,
    contingency: dict[str, str] | None = None,
    owner: str | None = None,
) -> Risk:
    """Record a review: the agreed rating after it (unchanged when not given), what was said and by whom, the next
    review date; the mitigations, owner and the parts of the contingency plan given (who, how, channel) change too."""
    with store.transaction() as tx:
        risk = load_risk(tx, risk_id)
        data = risk.to_dict()
        if mitigations is not None:
            data["mitigations"] = list(mitigations)
        if contingency is not None:
            data["contingency"] = {**data["contingency"], **contingency}
        if owner is not None:
            data["owner"] = owner
        planned = Risk.from_dict({**data, "id": risk.id})
        changed = reviewed(planned, on, by, note, likelihood, impact, next_review)
        tx.update(TABLE, risk.id or 0, changed.to_dict())
        return changed


def forget_in(tx: Tx, person_id: int, marker: str) -> int:
    """A withdrawal: the words of the risks ``person_id`` raised (title and description) become ``marker``, and the
    risk no longer names them or points at their (deleted) note. Mitigations, plans and ratings stay: they are the
    groups' work. Returns how many risks changed."""
    mine = tx.search(TABLE, lambda d: d.get("author_id") == person_id)
    for doc in mine:
        tx.update(
            TABLE,
            doc["id"],
            {"title": marker, "description": marker if doc.get("description") else "", "author_id": None,
             "note_id": None},
        )
    return len(mine)
