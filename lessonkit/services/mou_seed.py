"""A starting memorandum from a seed file (the demo convening's ``data/demo/mou.json``).

The seed is replayed through the same steps a facilitator takes: create from the template, save versions,
add positions, take status steps, propose amendments. ``read_mou_seed`` rehearses it on a throwaway store
first, so a bad seed is refused before anything is written; ``write_mou_seed`` then replays it inside the
caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lessonkit.domain.mou import Clause
from lessonkit.domain.mou_status import move
from lessonkit.domain.mou_translation import ClauseTranslation, check_translation
from lessonkit.domain.records import Participant
from lessonkit.errors import ValidationError
from lessonkit.i18n import _
from lessonkit.services.mou import TRANSLATIONS, create_in, load_state, load_template, save_in, write_record
from lessonkit.store.base import Tx
from lessonkit.store.memory import MemoryStore


def read_mou_seed(seed: dict[str, Any], seed_path: str | Path, participants: Iterable[Participant]) -> dict[str, Any]:
    """The memorandum part of a convening seed: ``"mou"`` is a file name next to the seed, or the data itself.

    Rehearsed on a throwaway store with ``participants``; a problem raises a ValidationError naming the step.
    """
    raw = seed["mou"]
    if isinstance(raw, str):
        path = Path(seed_path).parent / raw
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValidationError(str(path), _("cannot read the memorandum seed: {e}").format(e=exc)) from exc
    if not isinstance(raw, dict):
        raise ValidationError("mou", _("the memorandum seed must be an object or a file name."))
    rehearsal = MemoryStore()
    with rehearsal.transaction() as tx:
        for person in participants:
            tx.insert("participants", person.to_dict())
        write_mou_seed(tx, raw)
    return raw


def _clauses_with(clauses: tuple[Clause, ...], changes: dict[str, dict[str, Any]]) -> tuple[Clause, ...]:
    unknown = set(changes) - {c.key for c in clauses}
    if unknown:
        raise ValidationError("mou.versions", _("no clause '{key}' to change.").format(key=sorted(unknown)[0]))
    return tuple(Clause.from_dict({**c.to_dict(), **changes[c.key]}) if c.key in changes else c for c in clauses)


def write_mou_seed(tx: Tx, raw: dict[str, Any]) -> None:
    """Replay the seed inside ``tx`` (participants must already be in it)."""
    from lessonkit.services.mou_amendments import propose_in
    from lessonkit.services.mou_decisions import position_in

    author = str(raw.get("author") or "")
    create_in(tx, author, raw.get("title"), raw.get("parties") or (), load_template(raw.get("language")))
    for step in raw.get("versions") or ():
        state = load_state(tx)
        clauses = _clauses_with(state.latest.clauses, step.get("clauses") or {})
        save_in(tx, state, clauses, step.get("author") or author, step.get("summary") or "")
    for t in raw.get("translations") or ():
        state = load_state(tx)
        translation = ClauseTranslation.from_dict(
            {**t, "clause_key": t.get("clause", ""), "based_on": state.latest.number, "by": t.get("by") or author}
        )
        check_translation(state.latest, translation, state.record.language)
        tx.insert(TRANSLATIONS, translation.to_dict())
    for status in raw.get("status") or ():
        state = load_state(tx)
        write_record(tx, move(state.record, status, author, state.latest.number, state.blocks()))
    for p in raw.get("positions") or ():
        position_in(
            tx,
            p.get("party", ""),
            p.get("clause", ""),
            p.get("stance", ""),
            p.get("reason", ""),
            p.get("recorded_by") or author,
        )
    for a in raw.get("amendments") or ():
        propose_in(tx, a.get("join_code", ""), a.get("clause", ""), a.get("text", ""), a.get("reason", ""))
