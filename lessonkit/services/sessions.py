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


def load_session(tx: Tx, session_id: int) -> Session:
    doc = tx.get(TABLE, int(session_id))
    if doc is None:
        raise NotFoundError(_("There is no session {id} in this convening.").format(id=session_id))
    return Session.from_dict(doc)


def get_session(store: Store, session_id: int) -> Session:
    with store.read() as tx:
        return load_session(tx, session_id)


def set_session_open(store: Store, session_id: int, is_open: bool) -> Session:
    with store.transaction() as tx:
        load_session(tx, session_id)
        tx.update(TABLE, session_id, {"is_open": bool(is_open)})
        return load_session(tx, session_id)
