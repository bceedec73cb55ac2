"""Repair a damaged convening file (or the library's), from the set-up workbook: what ``lessonkit convening
restore`` and ``lessonkit library restore`` do, through the same ``Workspace.restore``. Nothing is deleted: the
damaged files are copied aside and named here."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit.errors import LessonkitError
from lessonkit.i18n import _, ngettext
from lessonkit.services.convenings import list_convenings
from lessonkit.store.repair import Restored
from lessonkit.store.workspace import BaseWorkspace, Workspace
from lessonkit.ui.context import resolve_workspace
from lessonkit.ui.html import esc, heading, message

_WIDE = {"description_width": "initial"}
LIBRARY = ""  # the dropdown's value for the library file


def restored_text(done: Restored) -> str:
    """What restore did, in one or two sentences."""
    if done.status == "fine":
        return _("The file reads fine, so nothing was changed. Tick the box to go back to its last good copy anyway.")
    if done.status == "repaired":
        text = ngettext(
            "{n} damaged line of the journal was left out and every other change was kept.",
            "{n} damaged lines of the journal were left out and every other change was kept.",
            len(done.damaged),
        ).format(n=len(done.damaged))
        return text + " " + _("The journal as it was is kept in {aside}.").format(aside=done.aside)
    return _(
        "The damaged files were copied aside to {aside} (nothing was deleted). Continuing from the last good copy "
        "{good}, plus {r} later changes from the journal."
    ).format(aside=done.aside, good=done.restored_from, r=done.replayed)


class RestorePanel(widgets.VBox):
    """Choose a convening (damaged ones first) or the library; repair it, or go back to its last good copy."""

    def __init__(self, ws: BaseWorkspace) -> None:
        self.ws = ws
        self.which = widgets.Dropdown(description=_("File"), style=_WIDE)
        self.force = widgets.Checkbox(
            value=False, description=_("Go back to the last good copy even though it reads fine"), indent=False
        )
        self.repair = widgets.Button(description=_("Repair"), icon="wrench")
        self.status = widgets.HTML()
        super().__init__(
            [widgets.HTML(heading(_("Repair a damaged file"), 4)), self.which, self.force, self.repair, self.status]
        )
        self.repair.on_click(lambda _b: self._repair())
        self.render()

    def render(self) -> None:
        found = list_convenings(self.ws)
        damaged = [slug for slug, c in found if isinstance(c, LessonkitError)]
        fine = [slug for slug, c in found if not isinstance(c, LessonkitError)]
        options = [(_("{slug} (cannot be read)").format(slug=s), s) for s in damaged]
        options += [(s, s) for s in fine] + [(_("the library"), LIBRARY)]
        self.which.options = options
        self.which.value = damaged[0] if damaged else (fine[0] if fine else LIBRARY)
        if damaged:
            self.status.value = message(
                ngettext(
                    "{n} convening cannot be read: repair it below ({names}).",
                    "{n} convenings cannot be read: repair them below ({names}).",
                    len(damaged),
                ).format(n=len(damaged), names=", ".join(damaged)),
                "error",
            )

    def _repair(self) -> None:
        if not isinstance(self.ws, Workspace):
            self.status.value = message(_("Only a workspace on disk has files to repair."), "info")
            return
        slug = self.which.value
        try:
            done = self.ws.restore(slug, self.force.value) if slug else self.ws.restore_library(self.force.value)
        except LessonkitError as exc:
            self.status.value = message(_("Nothing was changed. {error}").format(error=exc), "error")
            return
        left_out = "".join(f"<li><code>{esc(line)}</code></li>" for line in done.damaged)
        self.force.value = False
        self.render()
        self.which.value = slug
        kind = "info" if done.status == "fine" else "ok"
        self.status.value = message(restored_text(done), kind) + (f"<ul>{left_out}</ul>" if left_out else "")


def restore_panel(home: str | None = None, workspace: Any = None) -> RestorePanel:
    """Repair a damaged convening or library file of workspace ``home``."""
    return RestorePanel(workspace if workspace is not None else resolve_workspace(home))
