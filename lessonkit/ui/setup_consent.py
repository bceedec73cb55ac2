"""The consent panel of the set-up workbook: reviews due, change a person's consent, see its history.

Narrowing takes effect at once; widening needs the person's confirmation written in the note (what they said,
when, how). Every change is kept with its time and who made it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ipywidgets as widgets

from lessonkit import services
from lessonkit.domain.consent import ConsentChange, direction_label
from lessonkit.domain.levels import Attribution, Sensitivity, attribution_name, level_name
from lessonkit.domain.records import Consent, Participant
from lessonkit.errors import LessonkitError
from lessonkit.i18n import _, format_date, pgettext
from lessonkit.services.consent import change_consent, consent_history, due_reviews
from lessonkit.store.base import Store
from lessonkit.ui.html import heading, message, table

_WIDE = {"description_width": "initial"}


def consent_summary(consent: Consent) -> str:
    """One line a facilitator can read aloud to check consent with the person."""
    if not consent.record:
        return pgettext("consent", "do not record")
    parts = [
        pgettext("consent", "record"),
        attribution_name(consent.attribution),
        _("up to {level}").format(level=level_name(consent.share_up_to)),
    ]
    if consent.review_date:
        parts.append(_("review {date}").format(date=format_date(consent.review_date)))
    return " · ".join(parts)


def due_html(store: Store, today: date | None = None) -> str:
    """The consents whose review date has passed or comes within a week."""
    due = due_reviews(store, today)
    if not due:
        return message(_("No consent review is due in the coming week."), "info")
    states = {"overdue": pgettext("consent review", "overdue"), "due soon": _("due within a week")}
    rows = [
        (p.name, p.pseudonym, format_date(p.consent.review_date) if p.consent.review_date else "", states[state])
        for p, state in due
    ]
    warn = message(
        _("Reports wider than 'convening' leave out the words of anyone whose review is overdue."), "info"
    )
    return table([_("Name"), _("Pseudonym"), _("Review date"), _("State")], rows) + warn


def history_html(changes: list[ConsentChange]) -> str:
    if not changes:
        return ""
    rows = [
        (
            c.at.astimezone().strftime("%Y-%m-%d %H:%M"),
            c.shown_by,
            direction_label(c.direction),
            f"{consent_summary(c.before)} → {consent_summary(c.after)}",
            c.shown_note,
        )
        for c in changes
    ]
    return table([_("When"), _("By"), _("Change"), _("Consent"), pgettext("comment", "Note")], rows)


class ConsentPanel(widgets.VBox):
    """Reviews due; pick a participant; change their consent (a widening needs their confirmation); history."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.people: dict[int, Participant] = {}
        self.due = widgets.HTML()
        self.person = widgets.Dropdown(description=_("Participant"), style=_WIDE)
        self.record = widgets.Checkbox(description=_("Their words may be recorded"), indent=False)
        self.attribution = widgets.Dropdown(
            options=[(attribution_name(a), a.value) for a in Attribution], description=_("Attribution"), style=_WIDE
        )
        self.share_up_to = widgets.Dropdown(
            options=[(level_name(s), s.value) for s in Sensitivity], description=_("Share up to"), style=_WIDE
        )
        self.review_date = widgets.DatePicker(description=_("Consent review date"), style=_WIDE)
        self.confirmation = widgets.Text(
            description=_("Their confirmation (needed to widen)"),
            placeholder=_("e.g. said yes in person on 4 May"),
            style=_WIDE,
            layout=widgets.Layout(width="100%", max_width="48em"),
        )
        self.by = widgets.Text(description=_("Changed by"), placeholder=_("your name"), style=_WIDE)
        self.save = widgets.Button(description=_("Save consent"), button_style="primary")
        self.status = widgets.HTML()
        self.history = widgets.HTML()
        super().__init__(
            [
                widgets.HTML(heading(_("Consent"))),
                widgets.HTML(heading(_("Reviews due"), 4)),
                self.due,
                widgets.HTML(heading(_("Change a participant's consent"), 4)),
                self.person,
                self.record,
                self.attribution,
                self.share_up_to,
                self.review_date,
                self.confirmation,
                self.by,
                self.save,
                self.status,
                self.history,
            ]
        )
        self.person.observe(lambda _c: self._fill(), names="value")
        self.save.on_click(self._save)
        self.render()

    def render(self) -> None:
        self.people = {p.id: p for p in services.list_participants(self.store) if p.id is not None}
        keep = self.person.value
        self.person.options = [(f"#{i} {p.name} ({p.pseudonym})", i) for i, p in self.people.items()]
        self.person.value = keep if keep in self.people else next(iter(self.people), None)
        self.due.value = due_html(self.store)
        self._fill()

    def _fill(self) -> None:
        person = self.people.get(self.person.value) if self.person.value is not None else None
        if person is None:
            self.history.value = ""
            return
        c = person.consent
        self.record.value, self.attribution.value, self.share_up_to.value = (
            c.record, c.attribution.value, c.share_up_to.value
        )
        self.review_date.value = c.review_date
        self.history.value = history_html(consent_history(self.store, person.id))

    def _save(self, _button: Any = None) -> None:
        if self.person.value is None:
            self.status.value = message(_("Participant: register someone first."), "error")
            return
        changes = {
            "record": self.record.value,
            "attribution": self.attribution.value,
            "share_up_to": self.share_up_to.value,
            "review_date": self.review_date.value or "",
        }
        try:
            done = change_consent(
                self.store, int(self.person.value), changes, by=self.by.value.strip(), note=self.confirmation.value
            )
        except LessonkitError as exc:
            self.status.value = message(_("Not changed. {error}").format(error=exc), "error")
            return
        self.confirmation.value = ""
        self.render()
        if done.change is None:
            self.status.value = message(_("Nothing to change: the consent is already like this."), "info")
        else:
            self.status.value = message(
                _("Saved ({direction}): {consent}. The board and every later export follow it.").format(
                    direction=direction_label(done.change.direction), consent=consent_summary(done.person.consent)
                ),
                "ok",
            )
