"""How the listening form follows the room: the sessions the facilitator opens appear, the ones they close go, and a
note being written for a closed session stays where it is, with a line that says so (see :mod:`lessonkit.ui.follow`)."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from lessonkit import services
from lessonkit.domain.records import Session
from lessonkit.i18n import _
from lessonkit.ui.follow import FollowsRoom
from lessonkit.ui.html import message
from lessonkit.ui.language import in_form_language, relabel_options


class FollowsSessions(FollowsRoom):
    """Mixin for :class:`lessonkit.ui.participant.ListeningForm` (it provides the widgets named here)."""

    sessions: list[Session]
    language: str
    session: widgets.Dropdown
    text: widgets.Textarea
    submit: widgets.Button
    status: widgets.HTML
    _notice: Callable[[], str] | None

    def _session_options(self) -> list[tuple[str, int | None]]:
        raise NotImplementedError

    def _on_session(self, change: object = None) -> None:
        raise NotImplementedError

    @staticmethod
    def _nothing_open() -> str:
        return message(
            _("No session is open right now. This page will show it as soon as the facilitator opens one."), "info"
        )

    def _show_open_state(self) -> None:
        """Without an open session: no session to choose and nothing to submit (what was typed stays)."""
        self.session.layout.display = None if self.sessions else "none"
        self.submit.disabled = not self.sessions
        self.status.value = self._notice() if self._notice else ""

    # --- following the room -------------------------------------------------------------------------------

    def showing(self) -> tuple[Session, ...]:
        return tuple(self.sessions)

    def followed(self) -> tuple[Session, ...]:
        return tuple(services.list_sessions(self.store, open_only=True))

    @in_form_language
    def show_followed(self, sessions: tuple[Session, ...]) -> None:
        """The facilitator opened or closed sessions: offer the open ones, keep the person's choice where it is
        still open, and never move a note in progress to another session by itself."""
        chosen = self.session.value
        before = {s.id: s for s in self.sessions}
        self.sessions = list(sessions)
        ids = [s.id for s in self.sessions]
        closed = before.get(chosen) if chosen is not None and chosen not in ids else None
        opened = [s for s in self.sessions if s.id not in before]
        relabel_options(self.session, self._session_options())
        self.session.value = chosen if chosen in ids else None  # a closed one is never swapped for another
        if self.session.value is None and len(ids) == 1 and not (closed and self.text.value.strip()):
            self.session.value = ids[0]
        self._notice = self._follow_notice(closed, opened, bool(self.text.value.strip()))
        self._show_open_state()
        self._on_session()

    def _follow_notice(self, closed: Session | None, opened: list[Session], typed: bool) -> Callable[[], str]:
        def notice() -> str:  # shown again in another language when the person switches: titles follow
            lang = self.language
            parts = []
            if closed is not None:
                title = closed.title_in(lang).text
                if typed and self.sessions:
                    text = _(
                        "The facilitator closed “{title}”, so your note was not sent. Your words are still here: "
                        "choose an open session and submit them, or copy them."
                    )
                elif typed:
                    text = _(
                        "The facilitator closed “{title}”, so your note was not sent. Your words are still here: "
                        "copy them, or submit them when the facilitator opens a session."
                    )
                else:
                    text = _("The facilitator closed “{title}”.")
                parts.append(message(text.format(title=title), "info"))
            for s in opened:
                parts.append(message(_("Now open: “{title}”.").format(title=s.title_in(lang).text), "ok"))
            if not self.sessions:
                parts.append(self._nothing_open())
            return "".join(parts)

        return notice

