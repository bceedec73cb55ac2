"""Create, list and seed convenings."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from lessonkit.domain.glossary import GlossaryTerm
from lessonkit.domain.language import language_tags
from lessonkit.domain.records import Convening, Note, Session
from lessonkit.errors import LessonkitError, LockedError, NotFoundError, ValidationError
from lessonkit.i18n import _, pgettext
from lessonkit.services import published as _published  # noqa: F401  (what an encrypted convening publishes)
from lessonkit.store.age_cipher import Cipher
from lessonkit.store.base import Store
from lessonkit.store.workspace import BaseWorkspace, Workspace

TABLE = "convening"


def create_convening(
    ws: BaseWorkspace, slug: str, title: str, *, cipher: Cipher | None = None, **fields: Any
) -> Convening:
    """Validate, then create the convening's own database holding its record (both appear at once); encrypted
    with ``cipher`` (see :func:`lessonkit.services.encryption.create_encrypted`)."""
    convening = Convening.from_dict({"slug": slug, "title": title, **fields})
    ws.create_store(convening.slug, lambda tx: tx.insert(TABLE, convening.to_dict()), cipher)
    return convening


def set_countries(store: Store, countries: str | list[str]) -> Convening:
    """Set the countries participants come from (two-letter codes): redaction finds their national phone numbers."""
    with store.transaction() as tx:
        docs = tx.all(TABLE)
        if not docs:
            raise NotFoundError(_("This convening file holds no convening record."))
        made = Convening.from_dict({**docs[0], "countries": countries})
        tx.update(TABLE, docs[0]["id"], {"countries": list(made.countries)})
    return made


def get_convening(store: Store) -> Convening:
    docs = store.all(TABLE)
    if not docs:
        raise NotFoundError(_("This convening file holds no convening record."))
    return Convening.from_dict(docs[0])


def convening_slug(ws: BaseWorkspace, convening: str | None = None) -> str:
    """The convening meant: the one named, else LESSONKIT_CONVENING (set by `lessonkit serve`), else the only one of
    the workspace. Otherwise one clear error that lists the convenings there are."""
    slug = convening or os.environ.get("LESSONKIT_CONVENING")
    if slug:
        return slug
    known = ws.slugs()
    if len(known) == 1:
        return known[0]
    raise NotFoundError(
        _("Which convening? Give its short name (known: {known}).").format(
            known=", ".join(known) or pgettext("empty list of convenings", "none yet")
        )
    )


def open_convening(
    convening: str | None = None, home: str | os.PathLike[str] | BaseWorkspace | None = None
) -> Store:
    """THE way to open a convening's store, for every front end: by short name (see :func:`convening_slug`) in a
    workspace (a workspace object, a folder, or None for LESSONKIT_HOME / the default). Participants registered
    before pseudonyms existed get theirs here, once."""
    from lessonkit.services.pseudonyms import fill_missing

    ws = home if isinstance(home, BaseWorkspace) else Workspace(home or None)
    store = ws.store(convening_slug(ws, convening))
    fill_missing(store)
    return store
def set_languages(store: Store, languages: object) -> Convening:
    """Change the convening's languages (codes, the first being the one a text is assumed to be in).

    Sessions written before sessions knew their language get theirs written down first, so reordering the list
    never changes what language an existing original is in.
    """
    tags = language_tags("languages", languages)
    with store.transaction() as tx:
        docs = tx.all(TABLE)
        if not docs:
            raise NotFoundError(_("This convening file holds no convening record."))
        old = Convening.from_dict(docs[0])
        for doc in tx.all("sessions"):
            if not doc.get("language"):
                tx.update("sessions", doc["id"], {"language": old.first_language})
        changed = Convening.from_dict({**old.to_dict(), "languages": list(tags)})
        tx.update(TABLE, docs[0]["id"], changed.to_dict())
    return changed


def list_convenings(ws: BaseWorkspace) -> list[tuple[str, Convening | LessonkitError]]:
    """Every convening in the workspace; one that cannot be read is listed with its error, not hidden (an encrypted
    one whose key is not held here with a LockedError: listing never asks for a passphrase)."""
    out: list[tuple[str, Convening | LessonkitError]] = []
    for slug in ws.slugs():
        if ws.locked(slug):
            out.append((slug, LockedError(_("encrypted and locked"))))
            continue
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
    sessions = [Session.from_dict(s, default_language=convening.first_language) for s in seed.get("sessions", [])]
    glossary = [GlossaryTerm.from_dict(t) for t in seed.get("glossary", [])]
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
        for term in glossary:
            tx.insert("glossary", term.to_dict())
        if mou is not None:
            write_mou_seed(tx, mou)
    from lessonkit.services.pseudonyms import fill_missing

    fill_missing(store)  # seed participants who did not choose a pseudonym get one
    return convening
