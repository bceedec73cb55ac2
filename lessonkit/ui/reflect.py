"""The participant's after-action reflection form, served by Voila on phones and laptops (``reflect.ipynb``).

What changed in your practice, what remained stubborn, what new questions emerged, which tactics (library modules)
you tried and how they went, optionally with something you measured. Built like the listening form: language picker
first, join code (or anonymous), the person's consent, the levels their consent allows, phone-first. It never shows
anyone else's reflections. Kept light (no pandas, no matplotlib): it runs in every participant kernel.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from lessonkit import services
from lessonkit.domain.joincode import LENGTH as CODE_LENGTH
from lessonkit.domain.levels import Sensitivity, level_name
from lessonkit.domain.records import Participant
from lessonkit.domain.reflections import MAX_TACTICS
from lessonkit.errors import ConsentError, LessonkitError, ValidationError
from lessonkit.i18n import _, language_name, using_language
from lessonkit.services.reflections import TacticChoice, default_level, submit_reflection, tactic_choices
from lessonkit.store.base import Store
from lessonkit.ui.arrival import ArrivingForm, Visitor, participant_page
from lessonkit.ui.code_entry import CodeEntry
from lessonkit.ui.consent import ConsentBox
from lessonkit.ui.context import open_context
from lessonkit.ui.html import esc, message
from lessonkit.ui.language import (
    convening_languages,
    in_form_language,
    usable_languages,
    visitor_language,
)
from lessonkit.ui.participant import level_options
from lessonkit.ui.phone import phone_first
from lessonkit.ui.reflect_tactics import TacticRow

log = logging.getLogger(__name__)

_WIDE = {"description_width": "initial"}
_TACTIC_FIELD = re.compile(r"^tactics\[(\d+)\]\.(\w+)$")


def _layout(**extra: str) -> widgets.Layout:
    return widgets.Layout(width="100%", max_width="40em", **extra)


class ReflectionForm(CodeEntry, ArrivingForm, widgets.VBox):
    """Language, join code (or anonymous), three questions, the tactics tried, language written in, sensitivity,
    Submit, and a status line. ``library``: where the tactics come from (None: the tactics part is left out). Built
    in the pool for nobody, it takes the visitor's link on arrival (:mod:`lessonkit.ui.arrival`): ``?code=`` fills
    the join code."""

    def __init__(
        self,
        store: Store,
        library: Store | None = None,
        code: str | None = None,
        title: str | None = None,
        languages: list[str] | None = None,
        language: str | None = None,
        language_explicit: bool = False,
    ) -> None:
        self.store = store
        self.library = library
        self.title = title
        self.choices: list[TacticChoice] = tactic_choices(library)
        self.written_languages = services.get_convening(store).languages
        self._levels: list[Sensitivity] = list(Sensitivity)
        self._notice: Callable[[], str] | None = None
        self._written_default: str | None = None
        self.header = widgets.HTML()
        self.code = widgets.Text(continuous_update=False, value=code or "", style=_WIDE)
        self.code_hint = widgets.HTML()
        self.consent = ConsentBox(store, on_change=lambda _person: self._on_code())
        self.anonymous = widgets.Checkbox(value=False, indent=False)
        self.changed = widgets.Textarea(continuous_update=False, style=_WIDE, layout=_layout(height="6em"))
        self.stubborn = widgets.Textarea(continuous_update=False, style=_WIDE, layout=_layout(height="6em"))
        self.questions = widgets.Textarea(continuous_update=False, style=_WIDE, layout=_layout(height="6em"))
        self.tactics_intro = widgets.HTML()
        self.rows: list[TacticRow] = [TacticRow(self.choices, 1)]
        self.tactics = widgets.VBox(list(self.rows), layout=_layout())
        self.add_tactic = widgets.Button()
        self.written_in = widgets.Dropdown(style=_WIDE, layout=_layout())
        self.sensitivity = widgets.Dropdown(options=level_options(self._levels), style=_WIDE, layout=_layout())
        self.submit = widgets.Button(button_style="primary")
        self.status = widgets.HTML()
        if not self.choices:
            for w in (self.tactics_intro, self.tactics, self.add_tactic):
                w.layout.display = "none"
        allowed = languages or usable_languages(convening_languages(store))
        self.init_language(allowed, language or allowed[0], language_explicit)
        super().__init__(
            children=[
                self.picker,
                self.header,
                self.code,
                self.code_hint,
                self.consent,
                self.anonymous,
                self.changed,
                self.stubborn,
                self.questions,
                self.tactics_intro,
                self.tactics,
                self.add_tactic,
                self.written_in,
                self.sensitivity,
                self.submit,
                self.status,
            ]
        )
        phone_first(self)
        self.code.observe(self._on_code, names="value")
        self.anonymous.observe(self._on_anonymous, names="value")
        self.add_tactic.on_click(self._on_add_tactic)
        self.submit.on_click(self._on_submit)
        self.apply_language()

    def relabel(self) -> None:
        """Every text of the form in the current language; what was typed and chosen stays."""
        intro = esc(_("Looking back on this exchange: what changed for you, what did not, what you now wonder."))
        self.header.value = (f"<h2>{esc(self.title)}</h2>" if self.title else "") + f"<p>{intro}</p>"
        self.code.description = _("Join code")
        self.code.placeholder = _("e.g. KX7R-M3PD")
        self.anonymous.description = _("Reflect anonymously")
        self.changed.description = _("What changed in your practice?")
        self.changed.placeholder = _("Something you now do differently, or see differently.")
        self.stubborn.description = _("What remained stubborn?")
        self.stubborn.placeholder = _("What did not move, however you tried.")
        self.questions.description = _("What new questions emerged?")
        self.questions.placeholder = _("One question per line.")
        tactics = esc(_("Which tactics from the library did you try, and how did they go?"))
        self.tactics_intro.value = f"<p><b>{tactics}</b></p>"
        for row in self.rows:
            row.relabel()
        self.add_tactic.description = _("Add another tactic")
        self.written_in.description = _("Written in")
        self._offer_written_languages()
        self.sensitivity.description = _("Who may see it")
        self.submit.description = _("Submit")
        self._offer_levels(self._levels)
        self._on_code()
        self.status.value = self._notice() if self._notice else ""

    def language_chosen(self, lang: str) -> None:
        """Remember the person's choice for their join code once the code is known."""
        typed = self.code.value.strip()
        if self.anonymous.value or sum(ch.isalnum() for ch in typed) < CODE_LENGTH:
            return
        try:
            services.remember_language(self.store, typed, lang)
        except LessonkitError:
            pass  # an unknown code: the hint under the field already says so

    def _offer_written_languages(self) -> None:
        """The convening's languages (and the form's own) by their own names; follows the form's unless chosen."""
        tags = list(dict.fromkeys([*self.written_languages, self.language]))
        default = self.language if self.language in self.written_languages else self.written_languages[0]
        chosen = self.written_in.value
        followed = chosen is None or chosen == self._written_default
        self.written_in.options = [(language_name(tag), tag) for tag in tags]
        self.written_in.value = default if followed or chosen not in tags else chosen
        self._written_default = default

    # --- reacting to what the person does ------------------------------------------------------------------

    @in_form_language
    def _on_add_tactic(self, button: Any = None) -> None:
        if len(self.rows) >= MAX_TACTICS:
            self.status.value = message(_("That is as many tactics as one reflection holds."), "info")
            return
        row = TacticRow(self.choices, len(self.rows) + 1)
        self.rows.append(row)
        self.tactics.children = tuple(self.rows)

    def _offer_levels(self, levels: list[Sensitivity], author: Participant | None = None) -> None:
        self._levels = levels
        current = self.sensitivity.value
        values = [s.value for s in levels]
        self.sensitivity.options = level_options(levels)
        wanted = default_level(author).value
        self.sensitivity.value = current if current in values else (wanted if wanted in values else values[0])

    # --- submitting --------------------------------------------------------------------------------------

    @in_form_language
    def _on_submit(self, button: Any = None) -> None:
        self._notice = None
        self.submit.disabled = True
        try:
            self.status.value = self._save()
        finally:
            self.submit.disabled = False

    def _labels(self) -> dict[str, str]:
        """Field names used by the services, as the person sees them on this form."""
        fields = {
            "changed": self.changed,
            "stubborn": self.stubborn,
            "questions": self.questions,
            "join_code": self.code,
            "sensitivity": self.sensitivity,
        }
        return {**{name: w.description for name, w in fields.items()}, "tactics": _("Tactics")}

    def _label(self, field: str) -> str:
        found = _TACTIC_FIELD.match(field)
        started = [row for row in self.rows if row.started]
        if found and int(found.group(1)) < len(started):
            return started[int(found.group(1))].labels().get(found.group(2), field)
        return self._labels().get(field, field)

    def _save(self) -> str:
        """Save the reflection; returns the status HTML. On any error everything typed stays in place."""
        join_code = None if self.anonymous.value else self.code.value.strip()
        if join_code == "":  # the services read an empty code as anonymous: only the checkbox may mean that
            hint = _("enter your join code, or tick 'Reflect anonymously'.")
            return message(f"{self.code.description}: {hint}", "error")
        unnamed = next((row for row in self.rows if row.started and not row.module.value), None)
        if unnamed is not None:
            return message(
                _("Not saved. {field}: choose the tactic you tried.").format(field=unnamed.module.description),
                "error",
            )
        try:
            reflection = submit_reflection(
                self.store,
                self.changed.value,
                self.stubborn.value,
                self.questions.value,
                [row.data() for row in self.rows if row.started],
                self.sensitivity.value or None,
                join_code=join_code,
                language=self.written_in.value,
                library=self.library,
            )
        except ConsentError as exc:
            return message(str(exc), "error")
        except ValidationError as exc:
            text = _("Not saved. {field}: {problem}").format(field=self._label(exc.field), problem=exc.message)
            return message(text, "error")
        except LessonkitError as exc:
            return message(_("Not saved. {error}").format(error=exc), "error")
        except Exception:  # an unexpected fault must not lose what the person typed
            log.exception("saving a reflection failed")
            return message(
                _(
                    "Not saved: something went wrong on the facilitator's laptop. What you wrote is "
                    "still here; please tell the facilitator."
                ),
                "error",
            )
        for w in (self.changed, self.stubborn, self.questions):
            w.value = ""
        self.rows = self.rows[:1]
        self.rows[0].clear()
        self.tactics.children = tuple(self.rows)
        return message(
            _("Thank you, your reflection was saved ({level}). You can write another one.").format(
                level=level_name(reflection.sensitivity)
            ),
            "ok",
        )


def reflect_app(convening: str | None = None, home: str | None = None) -> widgets.Widget:
    """The page a participant opens: the reflection form; ``?code=`` and ``?lang=`` from the link are taken on
    arrival (see :mod:`lessonkit.ui.arrival`)."""

    def build(visitor: Visitor) -> widgets.Widget:
        try:
            store, _slug, ws = open_context(convening, home)
            title = services.get_convening(store).title
        except LessonkitError as exc:
            log.warning("reflection app cannot open the convening: %s", exc)
            with using_language(visitor_language(visitor.params, visitor.environ)):
                return widgets.HTML(
                    message(
                        _("This page is not ready: the convening could not be opened. Please tell the facilitator."),
                        "error",
                    )
                )
        try:
            library: Store | None = ws.library()
            tactic_choices(library)
        except LessonkitError as exc:  # a damaged library: reflections without tactics rather than no form
            log.warning("reflection app cannot read the library: %s", exc)
            library = None
        return ReflectionForm(store, library, title=title, languages=usable_languages(convening_languages(store)))

    return participant_page(build)
