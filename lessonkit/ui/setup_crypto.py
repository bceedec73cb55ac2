"""Encryption at rest in the workbooks: encrypt a convening, unlock it once per kernel, lock it.

:class:`EncryptionPanel` (workbook 01) shows whether the convening is encrypted and offers, as it is: a checkbox
and a passphrase typed twice to encrypt it; a password field to unlock it; a button to lock it. Every other
workbook screen that finds its convening locked shows :class:`UnlockBox` in its place and builds itself once
unlocked (:func:`unlocking`, applied to the one-line functions of :mod:`lessonkit.ui`).

The passphrase never reaches a cell's source, an output or the kernel's history: it is typed into a password widget
(sent to the kernel as widget state, not as code), read once, and the field is emptied at once (so a notebook saved
with its widget state does not keep it). The unlocked key then lives in the kernel's memory only
(:mod:`lessonkit.store.keyring`) until ``lessonkit convening lock`` or the Lock button, or the kernel stops.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from lessonkit.errors import LessonkitError, LockedError
from lessonkit.i18n import _
from lessonkit.services import encryption as enc
from lessonkit.store import keyring
from lessonkit.store.workspace import Workspace
from lessonkit.ui.context import resolve_workspace
from lessonkit.ui.html import heading, message

log = logging.getLogger(__name__)
_WIDE = {"description_width": "initial"}


def _take(field: widgets.Password) -> str:
    """What was typed into ``field``, which is emptied at once."""
    value = str(field.value)
    field.value = ""
    return value


class UnlockBox(widgets.VBox):
    """A password field and an Unlock button for the convening file ``path``; ``on_unlocked()`` runs after."""

    def __init__(self, path: str | Path, on_unlocked: Callable[[], Any] | None = None) -> None:
        self.path = Path(path)
        self.on_unlocked = on_unlocked
        slug = keyring.slug_of(self.path)
        self.intro = widgets.HTML(message(
            _("'{slug}' is encrypted. Type its passphrase to read it in this notebook (until it is locked or the "
              "kernel stops).").format(slug=slug), "info"))
        self.password = widgets.Password(description=_("Passphrase"), style=_WIDE, continuous_update=False)
        self.unlock = widgets.Button(description=_("Unlock"), button_style="primary")
        self.status = widgets.HTML()
        self.unlock.on_click(self._unlock)
        super().__init__([self.intro, self.password, self.unlock, self.status])

    def _unlock(self, _button: Any = None) -> None:
        try:
            keyring.unlock(self.path, _take(self.password))
        except LessonkitError as exc:
            self.status.value = message(str(exc), "error")
            return
        self.status.value = message(_("Unlocked."), "ok")
        if self.on_unlocked is not None:
            self.on_unlocked()


def unlocking(build: Callable[..., Any]) -> Callable[..., Any]:
    """``build`` (a workbook's one-line function), showing an UnlockBox in its place when the convening is locked
    and building it once unlocked."""

    @functools.wraps(build)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return build(*args, **kwargs)
        except LockedError as exc:
            if exc.path is None:
                raise
            box = widgets.VBox()

            def unlocked() -> None:
                try:
                    box.children = [build(*args, **kwargs)]
                except LessonkitError as err:
                    box.children = [widgets.HTML(message(str(err), "error"))]

            box.children = [UnlockBox(exc.path, unlocked)]
            return box

    return wrapper


class EncryptionPanel(widgets.VBox):
    """Workbook 01: the convening's encryption at rest (see the module's docstring)."""

    def __init__(self, ws: Workspace, slug: str) -> None:
        self.ws, self.slug = ws, slug
        self.state = widgets.HTML()
        self.encrypt_box = widgets.Checkbox(
            value=False, indent=False, description=_("Encrypt this convening on this laptop")
        )
        self.password = widgets.Password(description=_("New passphrase"), style=_WIDE, continuous_update=False)
        self.repeat = widgets.Password(description=_("Type it again"), style=_WIDE, continuous_update=False)
        self.encrypt = widgets.Button(description=_("Encrypt"), button_style="warning")
        self.encrypt_form = widgets.VBox([self.password, self.repeat, self.encrypt])
        self.lock = widgets.Button(description=_("Lock now"), icon="lock")
        self.status = widgets.HTML()
        self.body = widgets.VBox()
        self.encrypt_box.observe(lambda _c: self.render(), names="value")
        self.encrypt.on_click(self._encrypt)
        self.lock.on_click(self._lock)
        super().__init__([widgets.HTML(heading(_("Encryption on this laptop"))), self.state, self.body, self.status])
        self.render()

    def render(self) -> None:
        try:
            status = enc.encryption_status(self.ws, self.slug)
        except LessonkitError as exc:
            self.state.value, self.body.children = message(str(exc), "error"), []
            return
        if not status.encrypted:
            self.state.value = message(_(
                "Not encrypted: anyone who reads this laptop's disk can read every note, name and join code. "
                "Encrypting needs a passphrase; if it is lost, nothing can be recovered."), "info")
            self.encrypt_form.layout.display = None if self.encrypt_box.value else "none"
            self.body.children = [self.encrypt_box, self.encrypt_form]
        elif status.unlocked:
            self.state.value = message(_("Encrypted, and unlocked in this notebook. Public key: {key}").format(
                key=status.recipient), "ok")
            self.body.children = [self.lock]
        else:
            self.state.value = message(_("Encrypted and locked."), "info")
            self.body.children = [UnlockBox(self.ws.path_for(self.slug), self.render)]

    def _encrypt(self, _button: Any = None) -> None:
        first, second = _take(self.password), _take(self.repeat)
        if first != second:
            self.status.value = message(_("The two passphrases differ: type them again."), "error")
            return
        try:
            enc.encrypt_convening(self.ws, self.slug, first)
        except LessonkitError as exc:
            self.status.value = message(_("Not encrypted. {error}").format(error=exc), "error")
            return
        self.encrypt_box.value = False
        self.status.value = message(_("Encrypted. Keep the passphrase somewhere safe that is not this laptop."), "ok")
        self.render()

    def _lock(self, _button: Any = None) -> None:
        try:
            enc.lock_convening(self.ws, self.slug)
        except LessonkitError as exc:
            self.status.value = message(str(exc), "error")
            return
        self.status.value = message(_("Locked: every notebook must be unlocked again."), "ok")
        self.render()


def encryption_panel(convening: str | None = None, home: str | None = None) -> EncryptionPanel:
    """Workbook 01's encryption panel for ``convening`` in workspace ``home``."""
    from lessonkit.services.convenings import convening_slug

    ws = resolve_workspace(home)
    return EncryptionPanel(ws, convening_slug(ws, convening))


__all__ = ["EncryptionPanel", "UnlockBox", "encryption_panel", "unlocking"]
