"""What an agenda block can open: one entry per kind of link, so a new kind is one :func:`register_link_kind` call.

Sessions and scoring rounds are registered here. **Votes** register themselves the same way from their own service
module (:mod:`lessonkit.services.vote_agenda`, which says what linking a vote means), listed in :data:`PROVIDERS`
below so it is imported (and registered) whenever an agenda is used. A further kind is one more
``register_link_kind(kind, set_open=…, label=…, choices=…)`` call, where ``set_open(store, id, is_open)`` opens or
closes the record and ``label(store, id)`` names it (both raising NotFoundError for an unknown id).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from lessonkit.domain.agenda import AgendaLink
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _, pgettext
from lessonkit.services.scoring_rounds import get_round, list_rounds, set_round_open
from lessonkit.services.sessions import get_session, list_sessions, set_session_open
from lessonkit.store.base import Store

log = logging.getLogger(__name__)

SetOpen = Callable[[Store, int, bool], object]
Label = Callable[[Store, int], str]
Choices = Callable[[Store], list[tuple[int, str]]]

#: Modules that register further kinds when imported (e.g. "lessonkit.services.votes").
PROVIDERS: list[str] = ["lessonkit.services.vote_agenda"]


@dataclass(frozen=True)
class LinkKind:
    kind: str
    set_open: SetOpen
    label: Label
    choices: Choices | None = None  # (id, label) of every record of this kind, for the agenda panel's picker


LINK_KINDS: dict[str, LinkKind] = {}


def register_link_kind(kind: str, set_open: SetOpen, label: Label, choices: Choices | None = None) -> None:
    LINK_KINDS[kind] = LinkKind(kind, set_open, label, choices)


def _load_providers() -> None:
    for name in PROVIDERS:
        importlib.import_module(name)


def link_kind(link: AgendaLink) -> LinkKind:
    _load_providers()
    found = LINK_KINDS.get(link.kind)
    if found is None:
        raise ValidationError(
            "link",
            _("This lessonkit cannot open a '{kind}' from the agenda yet; link one of: {kinds}.").format(
                kind=link.kind, kinds=", ".join(sorted(LINK_KINDS))
            ),
        )
    return found


def link_label(store: Store, link: AgendaLink) -> str:
    """The linked record named for a person, e.g. "session 1: Listening"; raises NotFoundError when it is gone."""
    return _("{kind} {id}: {name}").format(
        kind=kind_name(link.kind), id=link.id, name=link_kind(link).label(store, link.id)
    )


def check_link(store: Store, link: AgendaLink) -> None:
    """Refuse a link to something that is not there (one line naming it)."""
    link_label(store, link)


def set_link_open(store: Store, link: AgendaLink, is_open: bool) -> str:
    """Open or close what ``link`` points at; returns its label."""
    link_kind(link).set_open(store, link.id, is_open)
    return link_label(store, link)


def try_set_open(store: Store, link: AgendaLink, is_open: bool) -> tuple[str, str | None]:
    """(label, None) when done, (``kind:id``, the error) when it could not be done: the agenda goes on."""
    try:
        return set_link_open(store, link, is_open), None
    except LessonkitError as exc:
        log.warning("agenda could not %s %s: %s", "open" if is_open else "close", link, exc)
        return str(link), str(exc)


def kind_name(kind: str) -> str:
    names = {
        "session": pgettext("what an agenda block opens", "session"),
        "scoring_round": pgettext("what an agenda block opens", "scoring round"),
        "vote": pgettext("what an agenda block opens", "vote"),
    }
    return names.get(kind, kind)


def link_choices(store: Store) -> list[tuple[str, AgendaLink]]:
    """(label, link) for everything a block could open now, for a picker."""
    _load_providers()
    out: list[tuple[str, AgendaLink]] = []
    for kind in LINK_KINDS.values():
        if kind.choices is None:
            continue
        for ident, name in kind.choices(store):
            out.append(
                (
                    _("{kind} {id}: {name}").format(kind=kind_name(kind.kind), id=ident, name=name),
                    AgendaLink(kind.kind, ident),
                )
            )
    return out


def _round_name(store: Store, round_id: int) -> str:
    r = get_round(store, round_id)
    return _("{module} for {target}").format(module=r.module_title, target=r.target_name)


register_link_kind(
    "session",
    set_open=set_session_open,
    label=lambda store, ident: get_session(store, ident).title,
    choices=lambda store: [(s.id or 0, s.title) for s in list_sessions(store)],
)
register_link_kind(
    "scoring_round",
    set_open=set_round_open,
    label=_round_name,
    choices=lambda store: [
        (r.id or 0, _("{module} for {target}").format(module=r.module_title, target=r.target_name))
        for r in list_rounds(store)
    ],
)
