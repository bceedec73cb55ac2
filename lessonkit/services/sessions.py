"""Sessions of a convening: prompts, open or closed, anonymous contributions allowed or not."""

from __future__ import annotations

from typing import Any

from lessonkit.domain.records import Session
from lessonkit.errors import NotFoundError
from lessonkit.i18n import _
from lessonkit.store.base import Store, Tx

TABLE = "sessions"


def add_session(store: Store, title: str, prompts: list[str] | str = (), **fields: Any) -> Session:  # type: ignore[assignment]
    session = Session.from_dict(
        {"title": title, "prompts": list(prompts) if not isinstance(prompts, str) else prompts, **fields}
    )
    doc_id = store.insert(TABLE, session.to_dict())
    return Session.from_dict({**session.to_dict(), "id": doc_id})


def list_sessions(store: Store, open_only: bool = False) -> list[Session]:
    sessions = [Session.from_dict(d) for d in store.all(TABLE)]
    return [s for s in sessions if s.is_open] if open_only else sessions


def _missing(tx: Tx, key: object) -> NotFoundError:
    """The one error of a session lookup: it names what was asked for and lists the sessions there are."""
    known = ", ".join(f"{d['id']} ({d.get('title', '')})" for d in tx.all(TABLE)) or _("none yet")
    return NotFoundError(
        _("There is no session '{s}' in this convening (sessions: {known}).").format(s=key, known=known)
    )


def load_session(tx: Tx, session_id: int | str) -> Session:
    """The session with this id (or exact title, any case)."""
    key = str(session_id).strip()
    doc = tx.get(TABLE, int(key)) if key.isdigit() else None
    if doc is None:
        doc = next((d for d in tx.all(TABLE) if str(d.get("title", "")).casefold() == key.casefold()), None)
    if doc is None:
        raise _missing(tx, session_id)
    return Session.from_dict(doc)


def get_session(store: Store, session_id: int | str) -> Session:
    """THE session lookup: by id or exact title; one clear error that lists the sessions."""
    with store.read() as tx:
        return load_session(tx, session_id)


def set_session_open(store: Store, session_id: int, is_open: bool) -> Session:
    with store.transaction() as tx:
        found = load_session(tx, session_id)
        tx.update(TABLE, found.id or 0, {"is_open": bool(is_open)})
        return load_session(tx, found.id or 0)
