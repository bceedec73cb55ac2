"""Create, list and seed convenings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lessonkit.domain.records import Convening, Note, Session
from lessonkit.errors import LessonkitError, NotFoundError, ValidationError
from lessonkit.i18n import _
from lessonkit.store.base import Store
from lessonkit.store.workspace import BaseWorkspace

TABLE = "convening"


def create_convening(ws: BaseWorkspace, slug: str, title: str, **fields: Any) -> Convening:
    """Validate, then create the convening's own database holding its record (both appear at once)."""
    convening = Convening.from_dict({"slug": slug, "title": title, **fields})
    ws.create_store(convening.slug, lambda tx: tx.insert(TABLE, convening.to_dict()))
    return convening


def get_convening(store: Store) -> Convening:
    docs = store.all(TABLE)
    if not docs:
        raise NotFoundError(_("This convening file holds no convening record."))
    return Convening.from_dict(docs[0])


def list_convenings(ws: BaseWorkspace) -> list[tuple[str, Convening | LessonkitError]]:
    """Every convening in the workspace; one that cannot be read is listed with its error, not hidden."""
    out: list[tuple[str, Convening | LessonkitError]] = []
    for slug in ws.slugs():
        try:
            out.append((slug, get_convening(ws.store(slug))))
        except LessonkitError as exc:
            out.append((slug, exc))
    return out


def load_demo(ws: BaseWorkspace, path: str | Path) -> Convening:
    """Load an invented convening from a JSON seed file (see data/demo/). All or nothing."""
    from lessonkit.services.mou_seed import read_mou_seed, write_mou_seed
    from lessonkit.services.participants import participant_from_input

    try:
        seed = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValidationError(str(path), _("cannot read the seed file: {e}").format(e=exc)) from exc
    convening = Convening.from_dict(seed["convening"])
    participants = [participant_from_input(p) for p in seed.get("participants", [])]
    sessions = [Session.from_dict(s) for s in seed.get("sessions", [])]
    mou = read_mou_seed(seed, path, participants) if seed.get("mou") else None  # checked before writing
    store = ws.create_store(convening.slug)
    with store.transaction() as tx:
        tx.insert(TABLE, convening.to_dict())
        codes = {p.join_code: tx.insert("participants", p.to_dict()) for p in participants}
        for session in sessions:
            tx.insert("sessions", session.to_dict())
        for raw in seed.get("notes", []):
            author = codes.get(raw.get("join_code")) if raw.get("join_code") else None
            note = Note.from_dict({**raw, "author_id": author})
            tx.insert("notes", note.to_dict())
        if mou is not None:
            write_mou_seed(tx, mou)
    return convening
