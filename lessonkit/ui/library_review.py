"""Peer review in a notebook: record a reviewer's verdict and move a module through review."""

from __future__ import annotations

from datetime import date
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.library_review import TRANSITIONS, endorsing_organisations
from lessonkit.domain.modules import Verdict, review_status_label
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _, pgettext
from lessonkit.services.library import change_status, get_module, list_modules, review_module
from lessonkit.store.base import Store
from lessonkit.ui.context import resolve_workspace
from lessonkit.ui.html import esc, message
from lessonkit.ui.library_html import status_line

_WIDE = {"description_width": "initial"}


class ReviewPanel(widgets.VBox):
    """Choose a module; add a review (reviewer, organisation, verdict, comments) or move it along."""

    def __init__(self, library: Store, slug: str | None = None) -> None:
        self.library = library
        modules = list_modules(library)
        self.module = widgets.Dropdown(
            options=[(m.title, m.slug) for m in modules],
            value=slug if slug in {m.slug for m in modules} else None,
            description=_("Module"),
            style=_WIDE,
        )
        self.state = widgets.HTML()
        self.reviewer = widgets.Text(
            description=_("Reviewer"), placeholder=_("name or pseudonym"), style=_WIDE
        )
        self.organisation = widgets.Text(description=_("Organisation"), style=_WIDE)
        self.verdict = widgets.ToggleButtons(
            options=[(_("Endorse"), Verdict.ENDORSE.value), (_("Ask for changes"), Verdict.REVISE.value)],
            value=Verdict.ENDORSE.value,
        )
        self.comments = widgets.Textarea(
            description=_("Comments"), style=_WIDE, layout=widgets.Layout(width="100%", max_width="40em")
        )
        self.add = widgets.Button(description=_("Add review"), button_style="primary")
        self.next_status = widgets.Dropdown(options=[], description=_("Move to"), style=_WIDE)
        self.apply = widgets.Button(description=_("Change status"))
        self.status = widgets.HTML()
        super().__init__(
            [
                self.module,
                self.state,
                self.reviewer,
                self.organisation,
                self.verdict,
                self.comments,
                self.add,
                widgets.HBox([self.next_status, self.apply]),
                self.status,
            ]
        )
        self.module.observe(self._show, names="value")
        self.add.on_click(self._add)
        self.apply.on_click(self._apply)
        self._show()

    def _show(self, change: Any = None) -> None:
        if not self.module.value:
            self.state.value = message(_("Choose a module."), "info")
            self.next_status.options = []
            return
        module = get_module(self.library, self.module.value)
        orgs = endorsing_organisations(module)
        counts = _("Reviews: {n}; endorsing organisations: {orgs}").format(
            n=len(module.reviews), orgs=", ".join(orgs) or pgettext("empty list of organisations", "none")
        )
        self.state.value = f"<p>{esc(status_line(module))}<br>{esc(counts)}</p>"
        self.next_status.options = [(review_status_label(s), s.value) for s in TRANSITIONS[module.status]]

    def _add(self, button: Any = None) -> None:
        if not self.module.value:
            self.status.value = message(_("Module: choose the module you reviewed."), "error")
            return
        try:
            review_module(
                self.library,
                self.module.value,
                self.reviewer.value,
                self.organisation.value,
                self.verdict.value,
                self.comments.value,
                on=date.today(),
            )
        except ValidationError as exc:
            field = exc.field.split(".")[-1]
            self.status.value = message(
                _("Not saved. {field}: {problem}").format(field=field, problem=exc.message), "error"
            )
            return
        except LessonkitError as exc:
            self.status.value = message(_("Not saved. {error}").format(error=exc), "error")
            return
        self.comments.value = ""
        self.status.value = message(_("Review saved."), "ok")
        self._show()

    def _apply(self, button: Any = None) -> None:
        if not self.module.value or not self.next_status.value:
            return
        try:
            module = change_status(self.library, self.module.value, self.next_status.value)
        except LessonkitError as exc:
            self.status.value = message(_("Not changed. {error}").format(error=exc), "error")
            return
        self.status.value = message(
            _("'{title}' is now {status}.").format(title=module.title, status=review_status_label(module.status)), "ok"
        )
        self._show()


def review_panel(home: str | None = None, slug: str | None = None) -> widgets.Widget:
    """The peer review form for the library of the workspace ``home``."""
    store = resolve_workspace(home).library()
    if not list_modules(store):
        return widgets.HTML(message(_("The library is empty: there is nothing to review yet."), "info"))
    return ReviewPanel(store, slug)
