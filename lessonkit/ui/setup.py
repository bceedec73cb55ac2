"""Setting up a convening: participants with pseudonyms, join codes and consent, sessions, the participant link +
QR code, and the consent panel (changes, history, reviews due: :mod:`lessonkit.ui.setup_consent`).

This is the facilitator's screen (it lists names and join codes): do not project it while participants are
registered.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets

from lessonkit import services
from lessonkit.domain.levels import Attribution, Sensitivity, attribution_name, level_name
from lessonkit.domain.records import Participant, Session
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _, format_date, format_list, language_name, pgettext
from lessonkit.store.base import Store
from lessonkit.ui.context import open_context
from lessonkit.ui.html import esc, heading, message, table
from lessonkit.ui.language import usable_languages
from lessonkit.ui.link import link_html, personal_url, running_link
from lessonkit.ui.setup_consent import ConsentPanel, consent_summary
from lessonkit.ui.setup_languages import LanguagesPanel, SessionTranslationPanel, languages_line

_WIDE = {"description_width": "initial"}


def _error_text(exc: LessonkitError, labels: dict[str, str]) -> str:
    if isinstance(exc, ValidationError):
        return f"{labels.get(exc.field, exc.field)}: {exc.message}"
    return str(exc)


class ParticipantsPanel(widgets.VBox):
    """The table of participants and a form that registers one and shows their new join code."""

    def __init__(self, store: Store, slug: str, home: Path | None) -> None:
        self.store, self.slug, self.home = store, slug, home
        self.on_added: Any = None
        self.table = widgets.HTML()
        self.name = widgets.Text(description=_("Name (as you know them)"), style=_WIDE)
        self.pseudonym = widgets.Text(
            description=_("Pseudonym (their choice)"),
            placeholder=_("leave empty: a word pair is made up"),
            style=_WIDE,
        )
        self.organization = widgets.Text(description=_("Organisation"), style=_WIDE)
        self.record = widgets.Checkbox(value=True, description=_("Their words may be recorded"), indent=False)
        self.attribution = widgets.Dropdown(
            options=[(attribution_name(a), a.value) for a in Attribution],
            value=Attribution.PSEUDONYM.value,
            description=_("Attribution"),
            style=_WIDE,
        )
        self.share_up_to = widgets.Dropdown(
            options=[(level_name(s), s.value) for s in Sensitivity],
            value=Sensitivity.CONVENING.value,
            description=_("Share up to"),
            style=_WIDE,
        )
        self.review_date = widgets.DatePicker(description=_("Consent review date"), style=_WIDE)
        self.add = widgets.Button(description=_("Add participant"), button_style="primary")
        self.status = widgets.HTML()
        super().__init__(
            children=[
                widgets.HTML(heading(_("Participants"))),
                self.table,
                widgets.HTML(heading(_("Add a participant"), 4)),
                self.name,
                self.pseudonym,
                self.organization,
                self.record,
                self.attribution,
                self.share_up_to,
                self.review_date,
                self.add,
                self.status,
            ]
        )
        self.add.on_click(self._on_add)
        self.render()

    def render(self) -> None:
        people = services.list_participants(self.store)
        headers = [_("Name"), _("Pseudonym"), _("Organisation"), _("Join code"), _("Consent")]
        rows = [(p.name, p.pseudonym, p.organization, p.join_code, consent_summary(p.consent)) for p in people]
        self.table.value = table(headers, rows) if rows else message(_("Nobody registered yet."), "info")

    def _consent(self) -> dict[str, Any]:
        return {
            "record": self.record.value,
            "attribution": self.attribution.value,
            "share_up_to": self.share_up_to.value,
            "review_date": self.review_date.value,
        }

    def _on_add(self, _button: Any = None) -> None:
        labels = {
            "name": self.name.description,
            "pseudonym": self.pseudonym.description,
            "organization": self.organization.description,
            "consent.review_date": self.review_date.description,
        }
        try:
            person = services.add_participant(
                self.store, self.name.value, self.organization.value, self._consent(), self.pseudonym.value
            )
        except LessonkitError as exc:
            self.status.value = message(
                _("Not added. {error}").format(error=_error_text(exc, labels)), "error"
            )
            return
        self.name.value = ""
        self.pseudonym.value = ""
        self.organization.value = ""
        self.render()
        self.status.value = self._added_html(person)
        if self.on_added:
            self.on_added()

    def _added_html(self, person: Participant) -> str:
        code = f'<p style="font-size:2em;font-family:monospace;margin:.2em 0">{esc(person.join_code)}</p>'
        text = esc(
            _("{name} is registered. Outside the convening their words carry the pseudonym {pseudonym}. "
              "Their join code:").format(name=person.name, pseudonym=person.pseudonym)
        )
        url, _why = running_link(self.home, self.slug)
        link = ""
        if url:
            mine = personal_url(url, person.join_code)
            label = esc(_("Personal link:"))
            link = f'<p><small>{label} <a href="{esc(mine)}">{esc(mine)}</a></small></p>'
        return f'<div class="lk-added" role="status">{text}{code}{link}</div>'


class SessionsPanel(widgets.VBox):
    """The sessions with their state, a form to add one, and buttons to open or close one."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.table = widgets.HTML()
        self.title = widgets.Text(description=_("Session title"), style=_WIDE)
        self.prompts = widgets.Textarea(
            description=_("Prompts (one per line)"),
            style=_WIDE,
            layout=widgets.Layout(width="100%", max_width="48em", height="6em"),
        )
        self.language = widgets.Dropdown(description=_("Written in"), style=_WIDE)
        self.allow_anonymous = widgets.Checkbox(
            value=False, description=_("Allow anonymous notes"), indent=False
        )
        self.open_now = widgets.Checkbox(value=False, description=_("Open it now"), indent=False)
        self.add = widgets.Button(description=_("Add session"), button_style="primary")
        self.choice = widgets.Dropdown(description=_("Session to open or close"), style=_WIDE)
        self.open_session = widgets.Button(description=pgettext("session button", "Open"), button_style="success")
        self.close_session = widgets.Button(description=pgettext("session button", "Close"))
        self.status = widgets.HTML()
        super().__init__(
            children=[
                widgets.HTML(heading(_("Sessions"))),
                self.table,
                widgets.HBox([self.choice, self.open_session, self.close_session]),
                widgets.HTML(heading(_("Add a session"), 4)),
                self.title,
                self.prompts,
                self.language,
                self.allow_anonymous,
                self.open_now,
                self.add,
                self.status,
            ]
        )
        self.add.on_click(self._on_add)
        self.open_session.on_click(lambda _b: self._set_open(True))
        self.close_session.on_click(lambda _b: self._set_open(False))
        self.render()

    def render(self) -> None:
        sessions = services.list_sessions(self.store)
        rows = [
            (
                s.id,
                s.title,
                pgettext("session state", "open") if s.is_open else pgettext("session state", "closed"),
                _("yes") if s.allow_anonymous else _("no"),
                len(s.prompts),
                languages_line(s),
            )
            for s in sessions
        ]
        headers = ["#", _("Title"), _("State"), _("Anonymous notes"), _("Prompts"), _("Languages")]
        self.table.value = table(headers, rows) if rows else message(_("No session yet."), "info")
        keep = self.choice.value
        self.choice.options = [(f"#{s.id} {s.title}", s.id) for s in sessions]
        ids = [s.id for s in sessions]
        self.choice.value = keep if keep in ids else (ids[0] if ids else None)
        languages = services.get_convening(self.store).languages
        chosen = self.language.value
        self.language.options = [(language_name(t), t) for t in languages]
        self.language.value = chosen if chosen in languages else languages[0]

    def _on_add(self, _button: Any = None) -> None:
        labels = {
            "title": self.title.description,
            "prompts": self.prompts.description,
            "language": self.language.description,
        }
        try:
            session = services.add_session(
                self.store,
                self.title.value,
                self.prompts.value,
                allow_anonymous=self.allow_anonymous.value,
                is_open=self.open_now.value,
                language=self.language.value,
            )
        except LessonkitError as exc:
            self.status.value = message(
                _("Not added. {error}").format(error=_error_text(exc, labels)), "error"
            )
            return
        self.title.value = ""
        self.prompts.value = ""
        self.render()
        self.choice.value = session.id
        self.status.value = message(self._state_text(session), "ok")

    def _set_open(self, is_open: bool) -> None:
        if self.choice.value is None:
            self.status.value = message(_("Session: add a session first."), "error")
            return
        try:
            session = services.set_session_open(self.store, int(self.choice.value), is_open)
        except LessonkitError as exc:
            self.status.value = message(str(exc), "error")
            return
        self.render()
        self.status.value = message(self._state_text(session), "ok")

    @staticmethod
    def _state_text(session: Session) -> str:
        if session.is_open:
            return _("'{title}' is open: participants can write notes now.").format(title=session.title)
        return _("'{title}' is closed: the form does not offer it.").format(title=session.title)


class ConveningSetup(widgets.VBox):
    """The convening, its participants, its sessions and the participant link with a QR code."""

    def __init__(self, store: Store, slug: str, home: Path | None = None) -> None:
        self.store, self.slug, self.home = store, slug, home
        convening = services.get_convening(store)
        dates = " – ".join(format_date(d) for d in (convening.start, convening.end) if d)
        self.languages = usable_languages(convening.languages)
        names = format_list([language_name(lang) for lang in convening.languages])
        facts = " · ".join(x for x in (dates, convening.place, names) if x)
        self.header = widgets.HTML(f"<h2>{esc(convening.title)}</h2><p>{esc(facts)}</p>")
        self.people = ParticipantsPanel(store, slug, home)
        self.consent = ConsentPanel(store)
        self.people.on_added = self.consent.render
        self.sessions = SessionsPanel(store)
        self.translations = SessionTranslationPanel(store, on_change=self.sessions.render)
        self.language_panel = LanguagesPanel(store, on_change=self._languages_changed)
        self.sessions.add.on_click(lambda _b: self.translations.load())
        self.link = widgets.HTML()
        self.check_link = widgets.Button(description=_("Check again"), icon="refresh")
        self.check_link.on_click(lambda _b: self.show_link())
        super().__init__(
            children=[
                self.header,
                self.people,
                self.consent,
                self.sessions,
                self.language_panel,
                self.translations,
                widgets.HTML(heading(_("Participant link"))),
                self.link,
                self.check_link,
            ]
        )
        self.show_link()

    def _languages_changed(self) -> None:
        self.sessions.render()
        self.translations.load()

    def show_link(self) -> None:
        """Read the server's info again and show the link and QR code (or how to start the server)."""
        self.link.value = link_html(self.home, self.slug, self.languages)


def convening_setup(convening: str | None = None, home: str | None = None) -> ConveningSetup:
    """The set-up screen of a convening (default: LESSONKIT_CONVENING, else 'demo') in workspace ``home``."""
    store, slug, ws = open_context(convening, home)
    return ConveningSetup(store, slug, ws.home)
