"""What the memorandum panels share: one hub per convening, so a save in one refreshes the others.

Every panel is an ipywidgets VBox with a ``refresh()`` method and a ``status`` line. Errors from the
services are shown on that line; what the person typed stays in the form.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.mou_state import MouState
from lessonkit.errors import LessonkitError, NotFoundError
from lessonkit.i18n import _
from lessonkit.services.convenings import convening_slug, open_convening
from lessonkit.services.mou import get_mou
from lessonkit.store.base import Store
from lessonkit.ui.context import resolve_workspace
from lessonkit.ui.html import message

log = logging.getLogger(__name__)

WIDE = {"description_width": "initial"}


def wide(**extra: str) -> widgets.Layout:
    """A fresh layout per widget (a shared Layout would resize every widget holding it)."""
    return widgets.Layout(width="100%", max_width="60em", **extra)


class MouHub:
    """The store of one convening, the name the facilitator last signed with, and the panels to refresh."""

    def __init__(self, store: Store, slug: str = "", home: Path | None = None) -> None:
        self.store = store
        self.slug = slug
        self.home = home
        self.author = ""
        self._listeners: list[Callable[[], None]] = []

    def state(self) -> MouState | None:
        """The memorandum, or None when the convening has none yet."""
        try:
            return get_mou(self.store)
        except NotFoundError:
            return None

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def changed(self) -> None:
        for listener in list(self._listeners):
            try:
                listener()
            except Exception:  # one broken panel must not stop the others from refreshing
                log.exception("refreshing a memorandum panel failed")


_BY_STORE: weakref.WeakKeyDictionary[Store, MouHub] = weakref.WeakKeyDictionary()
_BY_NAME: dict[tuple[str, str], MouHub] = {}


def hub_for(convening: str | None = None, home: str | None = None, store: Store | None = None) -> MouHub:
    """The shared hub of a convening (or of a given store, for tests)."""
    if store is not None:
        if store not in _BY_STORE:
            _BY_STORE[store] = MouHub(store, convening or "")
        return _BY_STORE[store]
    ws = resolve_workspace(home)
    slug = convening_slug(ws, convening)
    key = (str(ws.home), slug)
    if key not in _BY_NAME:
        _BY_NAME[key] = MouHub(open_convening(slug, ws), slug, ws.home)
    return _BY_NAME[key]


def problem(exc: BaseException, what: str | None = None) -> str:
    """A failed action as an error line: a LessonkitError says itself, anything else is logged."""
    if isinstance(exc, LessonkitError):
        lead = what or _("Not saved.")
        return message(f"{lead} {exc}", "error")
    log.exception("memorandum action failed", exc_info=exc)
    return message(_("Something went wrong; nothing was changed. Details are in the log."), "error")


class Panel(widgets.VBox):
    """A memorandum panel: subscribes to its hub, runs actions with errors shown on its status line."""

    def __init__(self, hub: MouHub, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.hub = hub
        self.status = widgets.HTML()
        hub.subscribe(self.refresh)

    def refresh(self) -> None:  # pragma: no cover - every panel overrides it
        raise NotImplementedError

    def run(self, action: Callable[[], str], what: str | None = None) -> bool:
        """Do ``action`` (returns a success message); on success tell every panel; on error keep the form."""
        try:
            done = action()
        except Exception as exc:
            self.status.value = problem(exc, what)
            return False
        self.hub.changed()
        self.status.value = message(done, "ok")
        return True

    def who(self, field: widgets.Text) -> str:
        """The facilitator's name from ``field``; remembered for the other panels."""
        name = field.value.strip()
        if name:
            self.hub.author = name
        return name


def author_field() -> widgets.Text:
    return widgets.Text(description=_("Your name"), placeholder=_("recorded with what you do here"), style=WIDE)


def no_mou_yet() -> str:
    return message(_("This convening has no memorandum yet: start one in the editor above."), "info")
