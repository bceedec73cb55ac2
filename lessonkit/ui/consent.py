"""The person's own consent, on the participant forms: see it in plain words, narrow or widen it, or withdraw.

Compact for a 360-px phone: one line of plain words per part, and a button that opens the controls. The person is
identified by the join code they typed; their name is never shown (whoever holds the code sees this). A narrowing
takes effect at once (the board and every later export read consent through the disclosure layer); a withdrawal
removes everything they said, after they tick a confirmation.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.consent import attribution_choice, plain_words
from lessonkit.domain.levels import Attribution, Sensitivity, sensitivity_label
from lessonkit.domain.records import Participant
from lessonkit.errors import LessonkitError
from lessonkit.i18n import _
from lessonkit.services.consent import change_consent
from lessonkit.services.participants import participant_by_code
from lessonkit.services.withdraw import withdraw_participant
from lessonkit.store.base import Store
from lessonkit.ui.html import esc, message

log = logging.getLogger(__name__)

_WIDE = {"description_width": "initial"}


def _layout(**extra: str) -> widgets.Layout:
    return widgets.Layout(width="100%", max_width="40em", **extra)


def consent_html(person: Participant) -> str:
    items = "".join(f"<li>{esc(line)}</li>" for line in plain_words(person))
    return f'<ul class="lk-consent" style="margin:.2em 0;padding-left:1.2em">{items}</ul>'


def _relabel(dropdown: widgets.Dropdown, options: list[tuple[str, str]]) -> None:
    """New option labels for the same values, keeping the choice."""
    value = dropdown.value
    dropdown.options = options
    if value in [v for _label, v in options]:
        dropdown.value = value


class ConsentBox(widgets.VBox):
    """A person's consent and the controls to change it. ``show(person)`` fills it; ``on_change`` is called with
    the person as they are after a change (or None after a withdrawal)."""

    def __init__(self, store: Store, on_change: Callable[[Participant | None], Any] | None = None) -> None:
        self.store = store
        self.on_change = on_change
        self.code = ""
        self.summary = widgets.HTML()
        self.toggle = widgets.Button(layout=_layout())
        self.record = widgets.Checkbox(indent=False, layout=_layout())
        self.attribution = widgets.Dropdown(style=_WIDE, layout=_layout())
        self.share_up_to = widgets.Dropdown(style=_WIDE, layout=_layout())
        self.save = widgets.Button(button_style="primary")
        self.confirm_withdraw = widgets.Checkbox(indent=False, layout=_layout())
        self.withdraw = widgets.Button(button_style="danger")
        self.status = widgets.HTML()
        self.controls = widgets.VBox(
            [self.record, self.attribution, self.share_up_to, self.save, self.confirm_withdraw, self.withdraw],
            layout=widgets.Layout(display="none"),
        )
        super().__init__(
            [self.summary, self.toggle, self.controls, self.status],
            layout=widgets.Layout(display="none", width="100%", max_width="40em"),
        )
        self.relabel()
        self.toggle.on_click(self._toggle)
        self.save.on_click(self._save)
        self.withdraw.on_click(self._withdraw)

    def relabel(self) -> None:
        """Every label in the current language (the form's language picker calls this through ``show``)."""
        self.toggle.description, self.toggle.tooltip = _("See or change your consent"), _("Your consent")
        self.record.description = _("Save my notes")
        self.attribution.description = _("My notes carry")
        _relabel(self.attribution, [(attribution_choice(a), a.value) for a in Attribution])
        self.share_up_to.description = _("Widest audience")
        _relabel(self.share_up_to, [(sensitivity_label(s), s.value) for s in Sensitivity])
        self.save.description = _("Save my consent")
        self.confirm_withdraw.description = _("Yes, remove everything I wrote here")
        self.withdraw.description = _("Withdraw")

    def show(self, person: Participant | None, code: str = "") -> None:
        """Show ``person``'s consent (None: hide the box)."""
        self.relabel()
        if person is None:
            self.layout.display = "none"
            self.code = ""
            return
        self.code = code or person.join_code
        title = esc(_("Your consent"))
        self.summary.value = f"<b>{title}</b>" + consent_html(person)
        if self.store.append_only:  # an encrypted convening: this server cannot change what is stored
            ask = esc(_("To change it or to withdraw, tell the facilitator: on this encrypted convening the form "
                        "can only add notes."))
            self.summary.value += f"<p>{ask}</p>"
            self.toggle.layout.display = "none"
            self.controls.layout.display = "none"
        self.record.value = person.consent.record
        self.attribution.value = person.consent.attribution.value
        self.share_up_to.value = person.consent.share_up_to.value
        self.confirm_withdraw.value = False
        self.layout.display = None

    def _toggle(self, _button: Any = None) -> None:
        self.controls.layout.display = None if self.controls.layout.display == "none" else "none"

    def _save(self, _button: Any = None) -> None:
        changes = {
            "record": self.record.value,
            "attribution": self.attribution.value,
            "share_up_to": self.share_up_to.value,
        }
        try:
            done = change_consent(self.store, self.code, changes, by_participant=True)
        except LessonkitError as exc:
            self.status.value = message(_("Not changed. {error}").format(error=exc), "error")
            return
        self.show(done.person, self.code)
        if done.change is None:
            self.status.value = message(_("Nothing to change: this is already your consent."), "info")
        elif done.change.direction.widens:
            self.status.value = message(_("Saved. Your consent is wider now, from your next note on."), "ok")
        else:
            self.status.value = message(
                _("Saved. Your consent is narrower now: the board and every later report already follow it."), "ok"
            )
        if self.on_change:
            self.on_change(done.person)

    def _withdraw(self, _button: Any = None) -> None:
        if not self.confirm_withdraw.value:
            self.status.value = message(_("Tick “Yes, remove everything I wrote here” first."), "error")
            return
        try:
            withdraw_participant(self.store, self.code, by_participant=True)
            person = participant_by_code(self.store, self.code)
        except LessonkitError as exc:
            self.status.value = message(_("Not withdrawn. {error}").format(error=exc), "error")
            return
        self.show(person, self.code)
        self.status.value = message(
            _("Withdrawn: everything you wrote here was removed, and nothing more will be saved."), "ok"
        )
        if self.on_change:
            self.on_change(person)
