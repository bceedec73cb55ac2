"""The participant's listening form, served by Voila on phones and laptops.

It never lists participants and never shows anyone else's notes. Kept light (no pandas): it runs in every
participant kernel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from lessonkit import services
from lessonkit.domain.glossary import terms_in
from lessonkit.domain.joincode import LENGTH as CODE_LENGTH
from lessonkit.domain.levels import Category, Sensitivity, category_label, sensitivity_label
from lessonkit.domain.records import Participant, Session
from lessonkit.errors import ConsentError, LessonkitError, ValidationError
from lessonkit.i18n import _, language_name, using_language
from lessonkit.store.base import Store
from lessonkit.ui.arrival import ArrivingForm, Visitor, participant_page
from lessonkit.ui.code_entry import CodeEntry
from lessonkit.ui.consent import ConsentBox
from lessonkit.ui.content_html import prompt_items, terms_html
from lessonkit.ui.context import open_store
from lessonkit.ui.html import esc, excerpt, message
from lessonkit.ui.language import (
    convening_languages,
    in_form_language,
    relabel_options,
    usable_languages,
    visitor_language,
)
from lessonkit.ui.listening_follow import FollowsSessions
from lessonkit.ui.phone import phone_first

log = logging.getLogger(__name__)

DEFAULT_LEVEL = Sensitivity.CONVENING
_WIDE = {"description_width": "initial"}


def _wide_layout(**extra: str) -> widgets.Layout:
    """A fresh layout per widget (a shared Layout would hide or resize every widget holding it)."""
    return widgets.Layout(width="100%", max_width="40em", **extra)


def level_options(levels: list[Sensitivity]) -> list[tuple[str, str]]:
    return [(sensitivity_label(s), s.value) for s in levels]


def default_level(levels: list[Sensitivity]) -> str | None:
    """'convening' when allowed, else the first allowed level (the consent's own limit)."""
    if not levels:
        return None
    return DEFAULT_LEVEL.value if DEFAULT_LEVEL in levels else levels[0].value


class ListeningForm(CodeEntry, FollowsSessions, ArrivingForm, widgets.VBox):
    """Language, join code (or anonymous), session, category, note, tags, sensitivity, Submit, and a status line.

    ``languages``: the languages offered (default: the convening's that have a catalogue); ``language``: the one to
    start in (default: the first); ``set_language`` switches in place, keeping everything typed. It follows the
    open sessions (:meth:`start_following`): a session the facilitator opens appears, one they close goes, and a
    note in progress for a closed session stays in the box with a line that says so. Built in the pool for nobody,
    it takes the visitor's link on arrival (:mod:`lessonkit.ui.arrival`): ``?session=`` picks the session,
    ``?code=`` fills the join code; it follows the room from then on.
    """

    def __init__(
        self,
        store: Store,
        session_id: int | str | None = None,
        code: str | None = None,
        title: str | None = None,
        languages: list[str] | None = None,
        language: str | None = None,
        language_explicit: bool = False,
    ) -> None:
        self.store = store
        self.title = title
        self.sessions: list[Session] = services.list_sessions(store, open_only=True)
        self.note_languages = services.get_convening(store).languages
        self.glossary = services.list_terms(store)
        self._levels: list[Sensitivity] = list(Sensitivity)
        self._notice: Callable[[], str] | None = None
        self._note_language_default: str | None = None
        self.header = widgets.HTML()
        self.code = widgets.Text(continuous_update=False, value=code or "", style=_WIDE)
        self.code_hint = widgets.HTML()
        self.consent = ConsentBox(store, on_change=lambda _person: self._on_code())
        self.anonymous = widgets.Checkbox(value=False, indent=False)
        self.session = widgets.Dropdown(options=[], value=None, style=_WIDE, layout=_wide_layout())
        self.prompts = widgets.HTML()
        self.category = widgets.Dropdown(
            options=[(c.value, c.value) for c in Category], value=Category.NEED.value, style=_WIDE
        )
        # The note reaches the kernel when the field is left (tapping Submit or the language picker leaves it
        # first): sent keystroke by keystroke, a Submit tapped right after typing could overtake the last ones.
        self.text = widgets.Textarea(continuous_update=False, style=_WIDE, layout=_wide_layout(height="8em"))
        self.note_language = widgets.Dropdown(style=_WIDE, layout=_wide_layout())
        self.tags = widgets.Text(continuous_update=False, style=_WIDE, layout=_wide_layout())
        self.sensitivity = widgets.Dropdown(
            options=level_options(self._levels),
            value=default_level(self._levels),
            style=_WIDE,
            layout=_wide_layout(),
        )
        self.submit = widgets.Button(button_style="primary")
        self.status = widgets.HTML()
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
                self.session,
                self.prompts,
                self.category,
                self.text,
                self.note_language,
                self.tags,
                self.sensitivity,
                self.submit,
                self.status,
            ]
        )
        phone_first(self)
        self.code.observe(self._on_code, names="value")
        self.anonymous.observe(self._on_anonymous, names="value")
        self.session.observe(self._on_session, names="value")
        self.submit.on_click(self._on_submit)
        self.apply_language()  # every label, then the session's prompts and the join code's hint
        with using_language(self.language):
            self._preselect(session_id)

    def relabel(self) -> None:
        """Every text of the form in the current language; what was typed and chosen stays."""
        intro = esc(_("Share what you heard and lived. One idea per note."))
        self.header.value = (f"<h2>{esc(self.title)}</h2>" if self.title else "") + f"<p>{intro}</p>"
        self.code.description = _("Join code")
        self.code.placeholder = _("e.g. KX7R-M3PD")
        self.anonymous.description = _("Contribute anonymously")
        self.session.description = _("Session")
        relabel_options(self.session, self._session_options())
        self.category.description = _("Category")
        relabel_options(self.category, [(category_label(c), c.value) for c in Category])
        self.text.description = _("Your note")
        self.text.placeholder = _("Write one idea per note.")
        self.note_language.description = _("Note written in")
        self._offer_note_languages()
        self.tags.description = _("Tags")
        self.tags.placeholder = _("comma separated, e.g. housing, youth")
        self.sensitivity.description = _("Who may see it")
        self.submit.description = _("Submit")
        self._offer_levels(self._levels)
        self._on_session()
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

    # --- the visitor's arrival (lessonkit.ui.arrival) ------------------------------------------------------

    def refresh(self) -> None:
        """The open sessions, the convening's title and languages and the glossary as they are now (the form may
        have waited in the pool while the facilitator opened a session); what was typed and chosen stays."""
        sessions = services.list_sessions(self.store, open_only=True)
        convening = services.get_convening(self.store)
        glossary = services.list_terms(self.store)
        title = convening.title if self.title is not None else None
        if (sessions, title, convening.languages, glossary) == (
            self.sessions, self.title, self.note_languages, self.glossary
        ):
            return
        self.title, self.note_languages, self.glossary = title, convening.languages, glossary
        if sessions != self.sessions:
            self.sessions = sessions
            self._notice = None if sessions else self._nothing_open
            self._show_open_state()
        self.apply_language()
        if sessions and self.session.value not in [s.id for s in sessions]:
            with using_language(self.language):
                self._preselect(None)

    def take_link(self, visitor: Visitor) -> None:
        """``?session=`` picks the session, ``?code=`` fills the join code (recognised as if typed)."""
        with using_language(self.language):
            if visitor.get("session") is not None:
                self._preselect(visitor.get("session"))
        super().take_link(visitor)

    # --- content in the form's language -------------------------------------------------------------------

    def _session_options(self) -> list[tuple[str, int | None]]:
        """Sessions as the person sees them: each title in the form's language (else the original)."""
        return [(s.title_in(self.language).text, s.id) for s in self.sessions]

    def _offer_note_languages(self) -> None:
        """The languages a note may be written in (the convening's, and the form's own), by their own names; the
        note's language follows the form's unless the person chose another one."""
        tags = list(dict.fromkeys([*self.note_languages, self.language]))
        default = self.language if self.language in self.note_languages else self.note_languages[0]
        chosen = self.note_language.value
        followed = chosen is None or chosen == self._note_language_default
        self.note_language.options = [(language_name(tag), tag) for tag in tags]
        self.note_language.value = default if followed or chosen not in tags else chosen
        self._note_language_default = default

    # --- reacting to what the person does ------------------------------------------------------------------

    def _preselect(self, wanted: int | str | None) -> None:
        ids = [s.id for s in self.sessions]
        if not self.sessions:
            self._notice = self._nothing_open
            self._show_open_state()
            return
        if wanted not in (None, ""):
            try:
                wanted_id = int(wanted)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                wanted_id = -1
            if wanted_id in ids:
                self.session.value = wanted_id
                return
            self._notice = lambda: message(_("That session is not open right now: choose one below."), "info")
            self.status.value = self._notice()
        if len(self.sessions) == 1:
            self.session.value = ids[0]

    def selected_session(self) -> Session | None:
        return next((s for s in self.sessions if s.id == self.session.value), None)

    @in_form_language
    def _on_session(self, change: Any = None) -> None:
        session = self.selected_session()
        allows = bool(session and session.allow_anonymous)
        self.anonymous.layout.display = None if allows else "none"
        if not allows and self.anonymous.value:
            self.anonymous.value = False
        items = prompt_items(session, self.language) if session else ""
        terms = terms_in(session.all_texts(), self.glossary) if session else []
        listed = f'<ul class="lk-prompts">{items}</ul>' if items else ""
        self.prompts.value = listed + terms_html(terms, self.language)

    def _offer_levels(self, levels: list[Sensitivity], author: Participant | None = None) -> None:
        """The levels to choose from (the author's consent is already in ``levels``)."""
        self._levels = levels
        current = self.sensitivity.value
        values = [s.value for s in levels]
        self.sensitivity.options = level_options(levels)
        self.sensitivity.value = current if current in values else default_level(levels)

    # --- submitting --------------------------------------------------------------------------------------

    @in_form_language
    def _on_submit(self, button: Any = None) -> None:
        self._notice = None
        self.submit.disabled = True
        try:
            self.status.value = self._save()
        finally:
            self.submit.disabled = not self.sessions

    def _labels(self) -> dict[str, str]:
        """Field names used by the services, as the person sees them on this form."""
        fields = {
            "text": self.text,
            "tags": self.tags,
            "join_code": self.code,
            "sensitivity": self.sensitivity,
            "category": self.category,
            "session_id": self.session,
        }
        return {name: w.description for name, w in fields.items()}

    def _save(self) -> str:
        """Save the note; returns the status HTML. On any error everything typed stays in place."""
        if self.session.value is None:
            return message(_("Session: choose the session you are writing for."), "error")
        join_code = None if self.anonymous.value else self.code.value.strip()
        if join_code == "":  # the services read an empty code as anonymous: only the checkbox may mean that
            session = self.selected_session()
            hint = (
                _("enter your join code, or tick 'Contribute anonymously'.")
                if session and session.allow_anonymous
                else _("enter your join code (it is on your card).")
            )
            return message(f"{self.code.description}: {hint}", "error")
        try:
            note = services.submit_note(
                self.store,
                self.session.value,
                self.category.value,
                self.text.value,
                self.tags.value,
                self.sensitivity.value or DEFAULT_LEVEL.value,
                join_code=join_code,
                language=self.note_language.value,
            )
        except ConsentError as exc:
            return message(str(exc), "error")
        except ValidationError as exc:
            label = self._labels().get(exc.field, exc.field)
            text = _("Not saved. {field}: {problem}").format(field=label, problem=exc.message)
            return message(text, "error")
        except LessonkitError as exc:
            return message(_("Not saved. {error}").format(error=exc), "error")
        except Exception:  # an unexpected fault must not lose what the person typed
            log.exception("saving a note failed")
            return message(
                _(
                    "Not saved: something went wrong on the facilitator's laptop. What you wrote is "
                    "still here; please tell the facilitator."
                ),
                "error",
            )
        self.text.value = ""
        self.tags.value = ""
        return message(
            _("Thank you, your note was saved: “{text}”. You can write another one.").format(
                text=excerpt(note.text, 80)
            ),
            "ok",
        )


def participant_app(convening: str | None = None, home: str | None = None) -> widgets.Widget:
    """The page a participant opens: the listening form; ``?code=`` and ``?session=`` from the link are taken on
    arrival (see :mod:`lessonkit.ui.arrival`), and the form follows the open sessions once its visitor is there."""

    def build(visitor: Visitor) -> widgets.Widget:
        try:
            store = open_store(convening, home)
            title = services.get_convening(store).title
        except LessonkitError as exc:
            log.warning("participant app cannot open the convening: %s", exc)
            with using_language(visitor_language(visitor.params, visitor.environ)):
                return widgets.HTML(
                    message(
                        _("This page is not ready: the convening could not be opened. Please tell the facilitator."),
                        "error",
                    )
                )
        return ListeningForm(store, title=title, languages=usable_languages(convening_languages(store)))

    return participant_page(build)
