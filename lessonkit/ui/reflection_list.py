"""The facilitator's view of a convening's after-action reflections: the link to the participants' form (with a QR
code for the screen) and the reflections as the disclosure layer shows them at the level chosen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.levels import Sensitivity, level_name, sensitivity_label
from lessonkit.domain.reflections import Reflection
from lessonkit.errors import LessonkitError
from lessonkit.i18n import _, language_name, ngettext
from lessonkit.services.disclosure import Disclosure, Purpose, ShownReflection
from lessonkit.services.library import list_modules
from lessonkit.store.base import Store
from lessonkit.ui.context import open_context
from lessonkit.ui.html import esc, message, table
from lessonkit.ui.link import qr_svg, running_link
from lessonkit.ui.reflect_tactics import went_label

FORM_PAGE = "reflect.ipynb"
_WIDE = {"description_width": "initial"}


def form_link_html(home: Path | None, slug: str) -> str:
    """The reflection form's link and QR code, when the participant server runs for this convening."""
    url, why = running_link(home, slug)
    if url is None:
        return message(why, "info")
    link = url.replace("/listen.ipynb?", f"/{FORM_PAGE}?")
    caption = esc(_("Scan to open the after-action reflection form, or type the address below."))
    return (
        f'<div class="lk-link"><p>{caption}</p>{qr_svg(link)}'
        f'<p style="word-break:break-all"><a href="{esc(link)}" target="_blank">{esc(link)}</a></p></div>'
    )


def tactics_text(reflection: Reflection, titles: dict[str, str]) -> str:
    """The tactics of a reflection, one per line: title, how it went, what happened."""
    lines = []
    for t in reflection.tactics:
        parts = [titles.get(t.module, t.module)]
        if t.went:
            parts.append(went_label(t.went))
        if t.how:
            parts.append(t.how)
        lines.append(" — ".join(parts))
    return "\n".join(lines)


def reflections_html(shown: list[ShownReflection], titles: dict[str, str]) -> str:
    headers = [
        _("Id"),
        _("By"),
        _("Level"),
        _("What changed"),
        _("What remained stubborn"),
        _("New questions"),
        _("Tactics tried"),
        _("Written in"),
    ]
    rows = [
        [
            s.reflection.id,
            s.author,
            level_name(s.level),
            s.reflection.changed,
            s.reflection.stubborn,
            s.reflection.questions,
            tactics_text(s.reflection, titles),
            language_name(s.reflection.language) if s.reflection.language else "",
        ]
        for s in shown
    ]
    return table(headers, rows).replace('<td style="', '<td dir="auto" style="white-space:pre-line;')


class ReflectionsPanel(widgets.VBox):
    def __init__(self, store: Store, slug: str, home: Path, library: Store | None, level: str) -> None:
        self.store, self.slug, self.home, self.library = store, slug, home, library
        self.link = widgets.HTML()
        self.level = widgets.Dropdown(
            options=[(sensitivity_label(s), s.value) for s in Sensitivity],
            value=level,
            description=_("Who will see this screen"),
            style=_WIDE,
        )
        self.refresh = widgets.Button(description=_("Check again"))
        self.listing = widgets.HTML()
        super().__init__([self.link, widgets.HBox([self.level, self.refresh]), self.listing])
        self.refresh.on_click(self.show)
        self.level.observe(self.show, names="value")
        self.show()

    def show(self, change: Any = None) -> None:
        self.link.value = form_link_html(self.home, self.slug)
        try:
            view = Disclosure.open(self.store, self.level.value, Purpose.BOARD)
            found = view.reflections()
            titles = {m.slug: m.title for m in list_modules(self.library)} if self.library is not None else {}
        except LessonkitError as exc:
            self.listing.value = message(str(exc), "error")
            return
        parts = []
        if found.shown:
            parts.append(reflections_html(found.shown, titles))
        else:
            parts.append(message(_("No reflection may be shown at this level yet."), "info"))
        if found.withheld:
            parts.append(
                message(
                    ngettext(
                        "{n} reflection is not shown: it may not be shown at this level.",
                        "{n} reflections are not shown: they may not be shown at this level.",
                        found.withheld,
                    ).format(n=found.withheld),
                    "info",
                )
            )
        parts += [message(n, "info") for n in view.notices()]
        self.listing.value = "".join(parts)


def reflections_panel(
    convening: str | None = None, home: str | None = None, level: str = "convening"
) -> widgets.Widget:
    """A convening's reflections and the participants' link; ``level``: who will see the screen."""
    try:
        store, slug, ws = open_context(convening, home)
    except LessonkitError as exc:
        return widgets.HTML(message(str(exc), "error"))
    return ReflectionsPanel(store, slug, ws.home, ws.library(), level)
