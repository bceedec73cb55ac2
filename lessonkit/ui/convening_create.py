"""The workspace's convenings, and a form to create one: what ``lessonkit convening list`` and ``convening create``
do, from the set-up workbook.

``create=`` names a convening to create at once (a workbook parameter): created when it does not exist yet, left as
it is when it does, so running the workbook again changes nothing.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _, format_date, language_name
from lessonkit.services.convenings import create_convening, list_convenings
from lessonkit.store.workspace import BaseWorkspace
from lessonkit.ui.context import resolve_workspace
from lessonkit.ui.html import heading, message, table

_WIDE = {"description_width": "initial"}


class ConveningCreator(widgets.VBox):
    """The list of convenings (a damaged one with its error, see the repair panel) and the form that creates one."""

    def __init__(self, ws: BaseWorkspace, slug: str = "", title: str = "", create: bool = False) -> None:
        self.ws = ws
        self.listing = widgets.HTML()
        self.slug = widgets.Text(
            value=slug, description=_("Short name"), placeholder=_("e.g. nairobi-2026"), style=_WIDE,
            continuous_update=False,
        )
        self.title = widgets.Text(value=title, description=_("Title"), style=_WIDE, continuous_update=False)
        self.start = widgets.DatePicker(description=_("First day"), style=_WIDE)
        self.end = widgets.DatePicker(description=_("Last day"), style=_WIDE)
        self.place = widgets.Text(
            description=_("Place"), placeholder=_("leave empty if it must not be written down"), style=_WIDE,
            continuous_update=False,
        )
        self.languages = widgets.Text(
            value="en", description=_("Languages"), placeholder="en,es", style=_WIDE, continuous_update=False
        )
        self.countries = widgets.Text(
            description=_("Participants' countries"), placeholder="KE,PL", style=_WIDE, continuous_update=False
        )
        self.create = widgets.Button(description=_("Create convening"), button_style="primary")
        self.status = widgets.HTML()
        super().__init__(
            [
                widgets.HTML(heading(_("Convenings in this workspace"))),
                self.listing,
                widgets.HTML(heading(_("Create a convening"), 4)),
                self.slug,
                self.title,
                widgets.HBox([self.start, self.end]),
                self.place,
                self.languages,
                self.countries,
                self.create,
                self.status,
            ]
        )
        self.create.on_click(lambda _b: self._create())
        self.render()
        if create and slug:
            if ws.exists(slug):
                self.status.value = message(
                    _("'{slug}' exists already: nothing was created.").format(slug=slug), "info"
                )
            else:
                self._create()

    def render(self) -> None:
        rows = []
        for slug, found in list_convenings(self.ws):
            if isinstance(found, LessonkitError):
                rows.append((slug, _("cannot be read: {error}").format(error=found), "", ""))
                continue
            dates = " – ".join(format_date(d) for d in (found.start, found.end) if d)
            rows.append((slug, found.title, dates, ", ".join(language_name(t) for t in found.languages)))
        self.listing.value = (
            table([_("Short name"), _("Title"), _("Dates"), _("Languages")], rows)
            if rows
            else message(_("No convening yet: create the first one below."), "info")
        )

    def _create(self) -> None:
        labels = {
            "slug": self.slug.description,
            "title": self.title.description,
            "start": self.start.description,
            "end": self.end.description,
            "place": self.place.description,
            "languages": self.languages.description,
            "countries": self.countries.description,
        }
        try:
            made = create_convening(
                self.ws,
                self.slug.value.strip(),
                self.title.value,
                start=self.start.value,
                end=self.end.value,
                place=self.place.value,
                languages=self.languages.value,
                countries=self.countries.value,
            )
        except ValidationError as exc:
            field = labels.get(exc.field, exc.field)
            self.status.value = message(_("Not created. {field}: {problem}").format(field=field, problem=exc.message),
                                        "error")
            return
        except LessonkitError as exc:
            self.status.value = message(_("Not created. {error}").format(error=exc), "error")
            return
        self.render()
        self.status.value = message(
            _(
                "Created '{slug}' ({title}). Set convening = \"{slug}\" in the parameters cell at the top and run "
                "the workbook again to set it up."
            ).format(slug=made.slug, title=made.title),
            "ok",
        )


def convening_creator(
    home: str | None = None, create: str = "", title: str = "", workspace: Any = None
) -> ConveningCreator:
    """The convenings of workspace ``home`` and a form to create one; ``create`` (with ``title``) creates that
    convening now unless it exists."""
    ws = workspace if workspace is not None else resolve_workspace(home)
    return ConveningCreator(ws, create, title, create=bool(create))


__all__ = ["ConveningCreator", "convening_creator"]
