"""Sessions of a convening: prompts (in several languages), open or closed, anonymous contributions or not."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lessonkit.domain.language import language_tag
from lessonkit.domain.records import Convening, Session
from lessonkit.domain.translations import SessionText
from lessonkit.errors import NotFoundError, ValidationError
from lessonkit.i18n import _, pgettext
from lessonkit.store.base import Store, Tx

TABLE = "sessions"


def first_language(tx: Tx) -> str:
    """The convening's first language: what an older session's original was written in."""
    docs = tx.all("convening")
    return Convening.from_dict(docs[0]).first_language if docs else "en"


def session_from(doc: dict[str, Any], default_language: str) -> Session:
    return Session.from_dict(doc, default_language=default_language)


def add_session(
    store: Store,
    title: str,
    prompts: list[str] | str = (),  # type: ignore[assignment]
    translations: Mapping[str, Mapping[str, Any]] | None = None,
    **fields: Any,
) -> Session:
    """Add a session. Its original is ``title`` and ``prompts`` in ``language`` (default: the convening's first
    language); ``translations`` maps other languages to ``{"title": …, "prompts": […]}``."""
    with store.transaction() as tx:
        languages = _languages(tx)
        fields.setdefault("language", languages[0])
        session = Session.from_dict(
            {
                "title": title,
                "prompts": list(prompts) if not isinstance(prompts, str) else prompts,
                "translations": dict(translations or {}),
                **fields,
            }
        )
        for lang in session.languages():
            _check_listed(lang, languages)
        doc_id = tx.insert(TABLE, session.to_dict())
    return Session.from_dict({**session.to_dict(), "id": doc_id})


def translate_session(
    store: Store, session_id: int, language: str, title: str = "", prompts: Sequence[str] = ()
) -> Session:
    """Add (or complete) the title and prompts of a session in ``language``, one of the convening's languages.

    Prompts are given in the original's order; an empty one (or a missing title) keeps what was translated before.
    """
    with store.transaction() as tx:
        session = load_session(tx, session_id)
        lang = language_tag("language", language)
        _check_listed(lang, _languages(tx))
        if lang == session.language:
            raise ValidationError(
                "language",
                _("'{lang}' is the session's original language: edit the original instead.").format(lang=lang),
            )
        if not (title or "").strip() and not any((p or "").strip() for p in prompts):
            raise ValidationError("title", _("give a title or at least one prompt in {lang}.").format(lang=lang))
        text = SessionText.from_dict(lang, {"title": title, "prompts": list(prompts)}, len(session.prompts))
        changed = session.with_translation(text)
        tx.update(TABLE, session_id, changed.to_dict())
        return load_session(tx, session_id)


def _languages(tx: Tx) -> tuple[str, ...]:
    docs = tx.all("convening")
    return Convening.from_dict(docs[0]).languages if docs else ("en",)


def _check_listed(lang: str, languages: Sequence[str]) -> None:
    if lang not in languages:
        raise ValidationError(
            "language",
            _("'{lang}' is not one of this convening's languages ({known}): add it to the convening first.").format(
                lang=lang, known=", ".join(languages)
            ),
        )


def list_sessions(store: Store, open_only: bool = False) -> list[Session]:
    with store.read() as tx:
        original = first_language(tx)
        sessions = [session_from(d, original) for d in tx.all(TABLE)]
    return [s for s in sessions if s.is_open] if open_only else sessions


def _missing(tx: Tx, key: object) -> NotFoundError:
    """The one error of a session lookup: it names what was asked for and lists the sessions there are."""
    none = pgettext("empty list of sessions", "none yet")
    known = ", ".join(f"{d['id']} ({d.get('title', '')})" for d in tx.all(TABLE)) or none
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
    return session_from(doc, first_language(tx))


def get_session(store: Store, session_id: int | str) -> Session:
    """THE session lookup: by id or exact title; one clear error that lists the sessions."""
    with store.read() as tx:
        return load_session(tx, session_id)


def set_session_open(store: Store, session_id: int, is_open: bool) -> Session:
    with store.transaction() as tx:
        found = load_session(tx, session_id)
        tx.update(TABLE, found.id or 0, {"is_open": bool(is_open)})
        return load_session(tx, found.id or 0)
