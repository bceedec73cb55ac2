"""The participant's listening form, served by Voila on phones and laptops.

It never lists participants and never shows anyone else's notes. Kept light (no pandas): it runs in every
participant kernel.
"""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as widgets

from lessonkit import services
from lessonkit.content_language import interface_language, native_name
from lessonkit.domain.glossary import terms_in
from lessonkit.domain.joincode import LENGTH as CODE_LENGTH
from lessonkit.domain.levels import Category, Sensitivity, category_label, sensitivity_label
from lessonkit.domain.records import Participant, Session
from lessonkit.errors import ConsentError, LessonkitError, NotFoundError, ValidationError
from lessonkit.i18n import _
from lessonkit.store.base import Store
from lessonkit.ui.content_html import prompt_items, terms_html
from lessonkit.ui.context import open_store, request_params
from lessonkit.ui.html import esc, excerpt, message

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


class ListeningForm(widgets.VBox):
    """Join code (or anonymous), session, category, note, tags, sensitivity, Submit, and a status line."""

    def __init__(
        self,
        store: Store,
        session_id: int | str | None = None,
        code: str | None = None,
        title: str | None = None,
        language: str | None = None,
    ) -> None:
        self.store = store
        self.sessions: list[Session] = services.list_sessions(store, open_only=True)
        #: The language the form's content (titles, prompts, terms) is shown in; a language picker changes it
        #: through ``show_content_in``. Notes default to it.
        self.language = language or interface_language()
        self.note_languages = services.get_convening(store).languages
        self.glossary = services.list_terms(store)
        intro = esc(_("Share what you heard and lived. One idea per note."))
        self.header = widgets.HTML((f"<h2>{esc(title)}</h2>" if title else "") + f"<p>{intro}</p>")
        self.code = widgets.Text(
            continuous_update=False,
            value=code or "",
            description=_("Join code"),
            placeholder=_("e.g. KX7R-M3PD"),
            style=_WIDE,
        )
        self.code_hint = widgets.HTML()
        self.anonymous = widgets.Checkbox(value=False, description=_("Contribute anonymously"), indent=False)
        self.session = widgets.Dropdown(
            options=self._session_options(),
            value=None,
            description=_("Session"),
            style=_WIDE,
            layout=_wide_layout(),
        )
        self.prompts = widgets.HTML()
        self.category = widgets.Dropdown(
            options=[(category_label(c), c.value) for c in Category],
            value=Category.NEED.value,
            description=_("Category"),
            style=_WIDE,
        )
        self.text = widgets.Textarea(
            continuous_update=False,
            description=_("Your note"),
            placeholder=_("Write one idea per note."),
            style=_WIDE,
            layout=_wide_layout(height="8em"),
        )
        self.note_language = widgets.Dropdown(
            options=self._language_options(),
            value=self._default_note_language(),
            description=_("Note written in"),
            style=_WIDE,
        )
        self.tags = widgets.Text(
            continuous_update=False,
            description=_("Tags"),
            placeholder=_("comma separated, e.g. housing, youth"),
            style=_WIDE,
            layout=_wide_layout(),
        )
        levels = list(Sensitivity)
        self.sensitivity = widgets.Dropdown(
            options=level_options(levels),
            value=default_level(levels),
            description=_("Who may see it"),
            style=_WIDE,
            layout=_wide_layout(),
        )
        self.submit = widgets.Button(description=_("Submit"), button_style="primary")
        self.status = widgets.HTML()
        super().__init__(
            children=[
                self.header,
                self.code,
                self.code_hint,
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
        self.code.observe(self._on_code, names="value")
        self.anonymous.observe(self._on_anonymous, names="value")
        self.session.observe(self._on_session, names="value")
        self.submit.on_click(self._on_submit)
        self._preselect(session_id)
        self._on_session()
        self._on_code()

    # --- content in the form's language -------------------------------------------------------------------

    def _session_options(self) -> list[tuple[str, int | None]]:
        return [(s.title_in(self.language).text, s.id) for s in self.sessions]

    def _language_options(self) -> list[tuple[str, str]]:
        tags = list(dict.fromkeys([*self.note_languages, self.language]))
        return [(native_name(tag), tag) for tag in tags]

    def _default_note_language(self) -> str:
        return self.language if self.language in self.note_languages else self.note_languages[0]

    def show_content_in(self, language: str) -> None:
        """Show session titles, prompts and terms in ``language`` (the original, marked, where it is missing); the
        note's language follows unless the person chose another one. Nothing typed is lost."""
        followed = self.note_language.value == self._default_note_language()
        self.language = language
        self.relabel_content(followed)

    def relabel_content(self, note_language_follows: bool = True) -> None:
        """The content in ``self.language``: session titles, prompts and terms, the note's language offered (and
        chosen, when it followed the form's). A language picker calls this after changing ``self.language``."""
        chosen = self.session.value
        self.session.options = self._session_options()
        self.session.value = chosen
        self.note_language.options = self._language_options()
        values = [v for _l, v in self.note_language.options]
        if note_language_follows or self.note_language.value not in values:
            self.note_language.value = self._default_note_language()
        self._on_session()

    # --- reacting to what the person does ------------------------------------------------------------------

    def _preselect(self, wanted: int | str | None) -> None:
        ids = [s.id for s in self.sessions]
        if not self.sessions:
            self._disable(_("No session is open right now. Reload this page when the facilitator opens one."))
            return
        if wanted not in (None, ""):
            try:
                wanted_id = int(wanted)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                wanted_id = -1
            if wanted_id in ids:
                self.session.value = wanted_id
                return
            self.status.value = message(_("That session is not open right now: choose one below."), "info")
        if len(self.sessions) == 1:
            self.session.value = ids[0]

    def _disable(self, text: str) -> None:
        self.session.layout.display = "none"
        for w in (self.submit, self.text, self.tags, self.category, self.sensitivity, self.code):
            w.disabled = True
        self.anonymous.layout.display = "none"
        self.status.value = message(text, "info")

    def selected_session(self) -> Session | None:
        return next((s for s in self.sessions if s.id == self.session.value), None)

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

    def _on_anonymous(self, change: Any = None) -> None:
        self.code.disabled = bool(self.anonymous.value)
        self._on_code()

    def _on_code(self, change: Any = None) -> None:
        """Once the code is recognised, offer only the levels its consent allows; anonymous: all levels."""
        if self.anonymous.value:
            self.code_hint.value = ""
            self._offer_levels(list(Sensitivity))
            return
        author = self._recognised()
        if author is not None and not author.consent.record:
            self.code_hint.value = message(
                _(
                    "Your consent says your words are not to be recorded, so this form will not save "
                    "anything. Talk to the facilitator if you want to change that."
                ),
                "info",
            )
        self._offer_levels((author.consent.allowed_levels() if author else []) or list(Sensitivity))

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
        return author

    def _offer_levels(self, levels: list[Sensitivity]) -> None:
        current = self.sensitivity.value
        values = [s.value for s in levels]
        self.sensitivity.options = level_options(levels)
        self.sensitivity.value = current if current in values else default_level(levels)

    # --- submitting --------------------------------------------------------------------------------------

    def _on_submit(self, button: Any = None) -> None:
        self.submit.disabled = True
        try:
            self.status.value = self._save()
        finally:
            self.submit.disabled = False

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
    """The page a participant opens: reads ``?code=`` and ``?session=`` from the link, shows the form."""
    params = request_params()
    try:
        store = open_store(convening, home)
        title = services.get_convening(store).title
    except LessonkitError as exc:
        log.warning("participant app cannot open the convening: %s", exc)
        return widgets.HTML(
            message(
                _("This page is not ready: the convening could not be opened. Please tell the facilitator."),
                "error",
            )
        )
    return ListeningForm(store, session_id=params.get("session"), code=params.get("code"), title=title)
