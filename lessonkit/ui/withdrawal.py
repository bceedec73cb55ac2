"""The facilitator's withdrawal panel: a person withdrew consent, so every word of theirs leaves the convening.

The same ``withdraw_participant`` as ``lessonkit participant withdraw`` and the participant's own form: their notes and
ratings are deleted, their proposal texts and position reasons cleared, their consent set to "do not record", and an
audit line kept without their words. It cannot be undone, so a box must be ticked first.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit import services
from lessonkit.errors import LessonkitError
from lessonkit.i18n import _
from lessonkit.services.withdraw import withdraw_participant
from lessonkit.store.base import Store
from lessonkit.ui.context import open_context
from lessonkit.ui.html import heading, message

_WIDE = {"description_width": "initial"}


class WithdrawalPanel(widgets.VBox):
    """Choose the person, confirm, withdraw; the counts of what was removed are shown, never their words."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.person = widgets.Dropdown(description=_("Participant"), style=_WIDE)
        self.by = widgets.Text(description=_("Your name"), style=_WIDE, continuous_update=False)
        self.confirm = widgets.Checkbox(
            value=False, description=_("Yes: remove every word of this person (this cannot be undone)"), indent=False
        )
        self.withdraw = widgets.Button(description=_("Withdraw consent"), button_style="danger")
        self.status = widgets.HTML()
        super().__init__(
            [
                widgets.HTML(heading(_("Consent withdrawn"), 4)),
                self.person,
                self.by,
                self.confirm,
                self.withdraw,
                self.status,
            ]
        )
        self.withdraw.on_click(lambda _b: self._withdraw())
        self.render()

    def render(self) -> None:
        people = services.list_participants(self.store)
        keep = self.person.value
        not_recorded = _("not recorded")
        self.person.options = [
            (f"{p.name} ({p.join_code})" + ("" if p.consent.record else f" — {not_recorded}"), p.join_code)
            for p in people
        ]
        codes = [p.join_code for p in people]
        self.person.value = keep if keep in codes else (codes[0] if codes else None)

    def _withdraw(self) -> None:
        if not self.person.value:
            self.status.value = message(_("Nobody is registered yet."), "error")
            return
        if not self.confirm.value:
            self.status.value = message(_("Tick the box to confirm: nothing was removed."), "error")
            return
        try:
            result = withdraw_participant(self.store, self.person.value, by=self.by.value)
        except LessonkitError as exc:
            self.status.value = message(_("Nothing was removed. {error}").format(error=exc), "error")
            return
        self.confirm.value = False
        self.render()
        c = result.counts()
        self.status.value = message(
            _(
                "Consent withdrawn for participant {id}. Removed: notes {notes}, ratings {ratings}. Cleared: "
                "proposals {proposals}, reasons for positions {positions}. Their consent now says 'do not record'."
            ).format(id=result.participant_id, **c)
            + " "
            + _(
                "Reports, data exports and bundles made from now on hold none of their words; copies made before "
                "(files you shared, older bundles) must be deleted by hand."
            ),
            "ok",
        )


def withdrawal_panel(convening: str | None = None, home: str | None = None, store: Any = None) -> WithdrawalPanel:
    """Withdraw a participant's consent on their behalf (default convening: LESSONKIT_CONVENING, else 'demo')."""
    if store is None:
        store, _slug, _ws = open_context(convening, home)
    return WithdrawalPanel(store)
