"""The join code box shared by the participant forms that take notes or reflections: recognise the code once it is
complete (no store read per partial keystroke), show the person's consent, offer only the levels it allows, turn to
the language remembered for the code; anonymous: no code, every level."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from lessonkit import services
from lessonkit.domain.joincode import LENGTH as CODE_LENGTH
from lessonkit.domain.levels import Sensitivity
from lessonkit.domain.records import Participant
from lessonkit.errors import LessonkitError, NotFoundError
from lessonkit.i18n import _
from lessonkit.store.base import Store
from lessonkit.ui.consent import ConsentBox
from lessonkit.ui.html import message
from lessonkit.ui.language import LanguageChoice, follow_remembered_language, in_form_language


class CodeEntry(LanguageChoice):
    """Mixin for a participant form with the widgets named here (listed before its other bases); the form
    provides ``_offer_levels(levels, author)``."""

    store: Store
    code: widgets.Text
    code_hint: widgets.HTML
    anonymous: widgets.Checkbox
    consent: ConsentBox

    def _offer_levels(self, levels: list[Sensitivity], author: Participant | None = None) -> None:
        raise NotImplementedError

    @in_form_language
    def _on_anonymous(self, change: Any = None) -> None:
        self.code.disabled = bool(self.anonymous.value)
        self._on_code()

    @in_form_language
    def _on_code(self, change: Any = None) -> None:
        """Once the code is recognised, offer only the levels its consent allows; anonymous: all levels."""
        if self.anonymous.value:
            self.code_hint.value = ""
            self.consent.show(None)
            self._offer_levels(list(Sensitivity))
            return
        author = self._recognised()
        self.consent.show(author, self.code.value.strip())
        if author is not None and not author.consent.record:
            self.code_hint.value = message(
                _(
                    "Your consent says your words are not to be recorded, so this form will not save "
                    "anything. Talk to the facilitator if you want to change that."
                ),
                "info",
            )
        self._offer_levels((author.consent.allowed_levels() if author else []) or list(Sensitivity), author)

    def _recognised(self) -> Participant | None:
        """The participant whose code is typed, once it is complete (no store read per partial keystroke)."""
        typed = self.code.value.strip()
        if sum(ch.isalnum() for ch in typed) < CODE_LENGTH:
            self.code_hint.value = ""
            return None
        try:
            author = services.participant_by_code(self.store, typed)
        except NotFoundError:
            hint = _("This join code was not found: check it on your card or ask the facilitator.")
            self.code_hint.value = message(hint, "error")
            return None
        except LessonkitError as exc:
            self.code_hint.value = message(str(exc), "error")
            return None
        self.code_hint.value = message(_("Join code recognised."), "ok")
        follow_remembered_language(self, self.store, typed, author)
        return author
