"""A bundle made for another convening: what may be shared at one privacy level, through the disclosure layer.

Unlike the whole-convening bundle (a backup that holds every record), it holds only: the convening (title redacted,
no place), its sessions (titles and prompts redacted, all closed) and the notes and after-action reflections that may
go out at the level (words redacted, sensitivity as their author's consent makes it, no author: nobody is registered
in it). It can be
imported like any bundle (``lessonkit convening import``). The export log of the convening gets a line for it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.records import Convening, Note, Session
from lessonkit.export.bundle import maybe_seal, pack, write_zip
from lessonkit.services.convenings import open_convening
from lessonkit.services.disclosure import Disclosure, Purpose
from lessonkit.store.workspace import BaseWorkspace


def shared_tables(scope: Disclosure) -> dict[str, list[dict[str, object]]]:
    """The tables of a shared bundle, each record with its id."""
    c = scope.convening
    convening = Convening(c.slug, scope.text(c.title, count=False), c.start, c.end, "", c.languages, c.countries)
    with scope.store.read() as tx:
        sessions = [Session.from_dict(d) for d in tx.all("sessions")]
    notes: list[Note] = []
    for shown in scope.notes().shown:
        notes.append(replace(shown.note, author_id=None, sensitivity=shown.level, merged_into=None, source="bundle"))
    reflections = [
        replace(shown.reflection, author_id=None, sensitivity=shown.level, source="bundle")
        for shown in scope.reflections().shown
    ]
    return {
        "convening": [{**convening.to_dict(), "id": 1}],
        "sessions": [{**replace(scope.session(s, count=True), is_open=False).to_dict(), "id": s.id} for s in sessions],
        "notes": [{**n.to_dict(), "id": n.id} for n in notes],
        "reflections": [{**r.to_dict(), "id": r.id} for r in reflections],
    }


def share_bundle(
    ws: BaseWorkspace,
    slug: str,
    out: str | os.PathLike[str],
    level: str | Sensitivity = Sensitivity.NETWORK,
    to: Sequence[str] = (),
) -> tuple[Path, Disclosure]:
    """Write the bundle of ``slug`` for another convening at ``level`` to ``out`` (encrypted like a whole bundle:
    see :func:`lessonkit.export.bundle.maybe_seal`); returns the file and what the disclosure counted (records
    included, withheld, redacted)."""
    scope = Disclosure.open(open_convening(slug, ws), level, Purpose.BUNDLE)
    data, sealed = maybe_seal(ws, slug, pack(shared_tables(scope), slug), to)
    path = write_zip(data, out)
    scope.log("bundle (encrypted)" if sealed else "bundle", path)
    return path, scope
