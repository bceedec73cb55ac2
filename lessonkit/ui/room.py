"""One link for the whole day: the participant's page shows the form for what the room does now, and switches to
another form, without a reload, when the facilitator starts a block that opens something else.

What the room does now: the first link of the running agenda block that has a form here; with no block running, the
newest open thing of the kinds below, in order (a scoring round before a session); else the listening form (which
says that no session is open). On an encrypted convening's participant server, which reads only the open sessions
(:mod:`lessonkit.services.published`), it is always the listening form. Each form the page has shown is kept while
the page lives, so a note half written when a round opens is still there when the room goes back to listening. The
join code and the language the participant chose go with them from one form to the next.

The page is built in the kernel pool before anyone arrives (:mod:`lessonkit.ui.arrival`): for nobody, showing what the
room did then. When its visitor arrives it looks again at what the room does now, hands the form it shows the link's
``code`` and ``lang`` (in place, as every participant form takes them), and only then starts following the room, so
kernels waiting in the pool look at nothing.

A kind is one :func:`register_room_form` call. Sessions and scoring rounds are registered here; **votes** register
theirs from their own ui module (:mod:`lessonkit.ui.vote`, listed in :data:`PROVIDERS`), so with no block running an
open vote comes before an open round, which comes before listening. Opinion-group statements have no form here:
they have no "open" of their own (they are answered while their session is open, on ``agree.ipynb``), so the room
could not tell a time for answering them from a time for writing notes.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from lessonkit import services
from lessonkit.domain.agenda import BlockState
from lessonkit.errors import LessonkitError
from lessonkit.i18n import _, using_language
from lessonkit.services.agenda import list_blocks
from lessonkit.services.scoring import load_rubric
from lessonkit.services.scoring_rounds import get_round, latest_open_round
from lessonkit.store.base import Store
from lessonkit.ui import arrival
from lessonkit.ui.arrival import ArrivingForm, participant_page
from lessonkit.ui.context import open_store
from lessonkit.ui.follow import FollowsRoom
from lessonkit.ui.html import message
from lessonkit.ui.language import convening_languages, usable_languages, visitor_language
from lessonkit.ui.participant import ListeningForm
from lessonkit.ui.scoring import ScoringForm

__all__ = ["PROVIDERS", "RoomPage", "register_room_form", "room_app"]

log = logging.getLogger(__name__)

#: Modules that register further kinds when imported (e.g. "lessonkit.ui.vote").
PROVIDERS: list[str] = ["lessonkit.ui.vote"]


@dataclass(frozen=True)
class Visitor:
    """What goes with the participant from one form to the next."""

    code: str | None
    languages: list[str]
    language: str
    language_explicit: bool


Build = Callable[[Store, "int | None", Visitor], widgets.Widget]
OpenNow = Callable[[Store], "int | None"]


@dataclass(frozen=True)
class RoomForm:
    kind: str
    build: Build  # the form for the record ``id`` (None: the kind's own default)
    open_now: OpenNow  # the id of the newest open record of this kind, or None


ROOM_FORMS: dict[str, RoomForm] = {}


def register_room_form(kind: str, build: Build, open_now: OpenNow) -> None:
    """``kind`` as agenda links name it (``session``, ``scoring_round``, ``vote``); later kinds come first when no
    block is running."""
    ROOM_FORMS[kind] = RoomForm(kind, build, open_now)


def _listening(store: Store, ident: int | None, who: Visitor) -> widgets.Widget:
    title = services.get_convening(store).title
    return ListeningForm(store, ident, who.code, title, who.languages, who.language, who.language_explicit)


def _scoring(store: Store, ident: int | None, who: Visitor) -> widgets.Widget:
    scoring_round = get_round(store, ident) if ident is not None else latest_open_round(store)
    rubric = load_rubric(scoring_round.rubric) if scoring_round is not None else None
    return ScoringForm(
        store, rubric, scoring_round, who.code, who.languages, who.language, who.language_explicit, pinned=ident
    )


def _newest_open_session(store: Store) -> int | None:
    sessions = services.list_sessions(store, open_only=True)
    return sessions[-1].id if sessions else None


def _newest_open_round(store: Store) -> int | None:
    found = latest_open_round(store)
    return found.id if found is not None else None


register_room_form("session", _listening, _newest_open_session)
register_room_form("scoring_round", _scoring, _newest_open_round)

Now = tuple[str, "int | None"]


def room_now(store: Store) -> Now:
    """(kind, id) of what the room does now (see the module's docstring)."""
    if store.append_only:  # an encrypted convening's participant server: only the listening form can work there
        return "session", None
    for name in PROVIDERS:
        importlib.import_module(name)
    running = next((b for b in list_blocks(store) if b.state is BlockState.RUNNING), None)
    for link in running.links if running is not None else ():
        if link.kind in ROOM_FORMS:
            return link.kind, link.id
    for form in reversed(ROOM_FORMS.values()):
        if form.kind != "session" and (ident := form.open_now(store)) is not None:
            return form.kind, ident
    return "session", None


class RoomPage(FollowsRoom, widgets.VBox):
    """The form for what the room does now; forms already shown are kept (with what was typed) and shown again."""

    def __init__(self, store: Store, visitor: Visitor) -> None:
        self.store = store
        self.visitor = visitor
        self.forms: dict[Now, widgets.Widget] = {}
        self.now: Now | None = None
        super().__init__()
        self.show_followed(room_now(store))

    def showing(self) -> Now | None:
        return self.now

    def followed(self) -> Now:
        return room_now(self.store)

    def show_followed(self, now: Now) -> None:
        current = self.forms.get(self.now) if self.now is not None else None
        if current is not None:  # the participant's code and language go with them
            code = getattr(getattr(current, "code", None), "value", None)
            self.visitor = Visitor(
                code or self.visitor.code,
                self.visitor.languages,
                getattr(current, "language", self.visitor.language),
                self.visitor.language_explicit or getattr(current, "language", None) != self.visitor.language,
            )
        form = self.forms.get(now)
        if form is None:
            try:
                form = ROOM_FORMS[now[0]].build(self.store, now[1], self.visitor)
            except LessonkitError as exc:  # gone between the look and the build: the next look decides
                log.warning("room page cannot show %s: %s", now, exc)
                return
            self.forms[now] = form
            if isinstance(form, FollowsRoom) and self.follower is not None and self.follower.running:
                form.start_following()
        elif hasattr(form, "set_language") and getattr(form, "language", None) != self.visitor.language:
            form.set_language(self.visitor.language)
        self.now = now
        self.children = [form]

    def welcome(self, visitor: arrival.Visitor) -> bool:
        """The visitor arrived (the page may have waited in the pool): show what the room does now, with their link's
        join code and language (see :mod:`lessonkit.ui.arrival`). Always True: the room's page fits every link."""
        language, explicit = visitor.language(self.visitor.languages)
        if not explicit and self.visitor.language_explicit:
            language, explicit = self.visitor.language, True
        self.visitor = Visitor(visitor.get("code") or self.visitor.code, self.visitor.languages, language, explicit)
        now = room_now(self.store)
        current = self.forms.get(self.now) if self.now is not None else None
        if now == self.now and isinstance(current, ArrivingForm):
            link = {k: v for k, v in visitor.params.items() if k in ("code", "lang")}
            current.settle(arrival.Visitor(link, visitor.environ))
            return True
        for form in self.forms.values():  # built for nobody: nothing of the visitor's in them yet
            form.close()
        self.forms, self.now = {}, None
        self.show_followed(now)
        return True

    def start_following(self, **options: Any) -> Any:
        for form in self.forms.values():
            if isinstance(form, FollowsRoom):
                form.start_following()
        return super().start_following(**options)

    def close(self) -> None:
        for form in self.forms.values():
            form.close()
        super().close()


def room_app(convening: str | None = None, home: str | None = None) -> widgets.Widget:
    """The participant page that follows the room: ``?code=`` and ``&lang=`` from the link are taken on arrival."""

    def build(visitor: arrival.Visitor) -> widgets.Widget:
        try:
            store = open_store(convening, home)
            allowed = usable_languages(convening_languages(store))
        except LessonkitError as exc:
            log.warning("room page cannot open the convening: %s", exc)
            with using_language(visitor_language(visitor.params, visitor.environ)):
                return widgets.HTML(
                    message(
                        _("This page is not ready: the convening could not be opened. Please tell the facilitator."),
                        "error",
                    )
                )
        language, explicit = visitor.language(allowed)
        return RoomPage(store, Visitor(visitor.get("code"), allowed, language, explicit))

    return participant_page(build)
