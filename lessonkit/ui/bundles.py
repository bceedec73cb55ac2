"""Carry a convening on: write its bundle, import one, or start the next convening from it (a clone).

The same export-layer calls as ``lessonkit convening export|import|clone``: a whole bundle holds every record
(restricted ones and join codes included: keep it safe); a bundle at a level holds only what may go out at that
level, redacted; a clone takes prompts, the agreed memorandum, context profiles and redaction terms, never people.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.levels import Sensitivity, level_name
from lessonkit.errors import LessonkitError
from lessonkit.i18n import _, ngettext, pgettext
from lessonkit.store.workspace import BaseWorkspace
from lessonkit.ui.context import resolve_workspace
from lessonkit.ui.html import heading, message

_WIDE = {"description_width": "initial"}
EVERYTHING = ""


class BundlePanel(widgets.VBox):
    """Export (everything, or at a level), import from a zip file on this laptop, clone into a new convening."""

    def __init__(self, ws: BaseWorkspace, slug: str, folder: Path) -> None:
        self.ws, self.slug, self.folder = ws, slug, folder
        at_level = _("for another convening, at level {level}")
        self.scope = widgets.Dropdown(
            options=[(_("everything (a backup: keep it safe)"), EVERYTHING)]
            + [(at_level.format(level=level_name(s)), s.value) for s in Sensitivity],
            value=EVERYTHING,
            description=_("Bundle"),
            style=_WIDE,
        )
        self.out = widgets.Text(
            value=str(folder / f"{slug}-{date.today().isoformat()}.zip"),
            description=_("Write to"),
            style=_WIDE,
            layout=widgets.Layout(width="100%", max_width="48em"),
            continuous_update=False,
        )
        self.export = widgets.Button(description=_("Write bundle"), icon="download", button_style="primary")
        self.bundle = widgets.Text(
            description=_("Bundle file"), placeholder=_("path of a .zip on this laptop"), style=_WIDE,
            layout=widgets.Layout(width="100%", max_width="48em"), continuous_update=False,
        )
        self.import_as = widgets.Text(
            description=_("Import as"), placeholder=_("empty: the bundle's own short name"), style=_WIDE,
            continuous_update=False,
        )
        self.import_button = widgets.Button(description=_("Import bundle"), icon="upload")
        self.new_slug = widgets.Text(description=_("New short name"), style=_WIDE, continuous_update=False)
        self.new_title = widgets.Text(
            description=_("New title"), placeholder=_("empty: the old title"), style=_WIDE, continuous_update=False
        )
        self.clone = widgets.Button(description=_("Start the next convening from this one"), icon="copy",
                                    layout=widgets.Layout(width="auto"))
        self.status = widgets.HTML()
        super().__init__(
            [
                widgets.HTML(heading(_("Write a bundle"), 4)),
                self.scope,
                self.out,
                self.export,
                widgets.HTML(heading(_("Import a bundle"), 4)),
                self.bundle,
                self.import_as,
                self.import_button,
                widgets.HTML(heading(_("Start the next convening"), 4)),
                self.new_slug,
                self.new_title,
                self.clone,
                self.status,
            ]
        )
        self.export.on_click(lambda _b: self._run(self._export, _("Nothing was written.")))
        self.import_button.on_click(lambda _b: self._run(self._import, _("Nothing was imported.")))
        self.clone.on_click(lambda _b: self._run(self._clone, _("Nothing was created.")))

    def _run(self, action: Any, failed: str) -> None:
        try:
            done = action()
        except LessonkitError as exc:
            self.status.value = message(_("{what} {error}").format(what=failed, error=exc), "error")
            return
        except OSError as exc:
            self.status.value = message(
                _("{failed} {where}: {reason}.").format(failed=failed, where=exc.filename or "", reason=exc.strerror),
                "error",
            )
            return
        self.status.value = message(done, "ok")

    def _export(self) -> str:
        from lessonkit.export import export_bundle, share_bundle

        out = Path(self.out.value.strip() or self.folder / f"{self.slug}.zip").expanduser()
        if self.scope.value == EVERYTHING:
            path = export_bundle(self.ws, self.slug, out)
            return _("Wrote {path} ({n} bytes). It holds every record of '{slug}', restricted ones included: keep it "
                     "safe.").format(path=path, n=path.stat().st_size, slug=self.slug)
        path, scope = share_bundle(self.ws, self.slug, out, self.scope.value)
        t = scope.tally
        return ngettext(
            "Wrote {path}: what may go out at level {level} ({n} note; withheld {w}, redacted {r}).",
            "Wrote {path}: what may go out at level {level} ({n} notes; withheld {w}, redacted {r}).",
            t.included,
        ).format(path=path, level=level_name(Sensitivity(self.scope.value)), n=t.included, w=t.withheld,
                 r=t.redacted)

    def _import(self) -> str:
        from lessonkit.export import import_bundle

        if not self.bundle.value.strip():
            raise LessonkitError(_("Give the path of the bundle file."))
        path = Path(self.bundle.value.strip()).expanduser()
        done = import_bundle(self.ws, path, self.import_as.value.strip() or None)
        counts = ", ".join(f"{name} {n}" for name, n in done.counts.items())
        self.bundle.value, self.import_as.value = "", ""
        return _("Imported convening '{slug}' ({counts}).").format(slug=done.slug, counts=counts)

    def _clone(self) -> str:
        from lessonkit.export import clone_convening

        made = clone_convening(self.ws, self.slug, self.new_slug.value.strip(), self.new_title.value.strip() or None)
        self.new_slug.value, self.new_title.value = "", ""
        mou = made.mou or pgettext("no memorandum", "none")
        return _(
            "Created convening '{new}' from '{old}'. Copied: sessions {s} (closed), memorandum: {mou}, context "
            "profiles {p}, extra redaction terms {t}. No participants or notes were copied."
        ).format(new=made.slug, old=self.slug, s=made.sessions, mou=mou, p=made.profiles, t=made.terms)


def bundle_panel(convening: str | None = None, home: str | None = None, workspace: Any = None) -> BundlePanel:
    """Bundles of a convening: write one, import one, or clone the convening into the next one."""
    from lessonkit.services.convenings import convening_slug

    ws = workspace if workspace is not None else resolve_workspace(home)
    slug = convening_slug(ws, convening)
    ws.store(slug)  # one clear error when there is no such convening
    folder = Path(getattr(ws, "home", Path.cwd())) / "exports"
    return BundlePanel(ws, slug, folder)
