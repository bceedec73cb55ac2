"""The live listening board for the facilitator's screen: prompts, then notes grouped by category.

A daemon thread polls ``store.version()`` and re-renders only when the data changed. What is shown, how authors
are named and whether text is redacted is the disclosure layer's answer for the board's audience (purpose
``board``); the board says when someone narrowed their consent, and escapes every piece of participant text.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import ipywidgets as widgets

from lessonkit import services
from lessonkit.domain.board import BoardSummary, summarize
from lessonkit.domain.language import language_tag
from lessonkit.domain.levels import Sensitivity, category_label, level_name, parse_enum
from lessonkit.domain.records import Session
from lessonkit.errors import LessonkitError
from lessonkit.i18n import _, language_name, ngettext, npgettext, pgettext
from lessonkit.services.consent import narrowed_since
from lessonkit.services.disclosure import Disclosure, NoteSet, Purpose, ShownNote
from lessonkit.services.themes import list_themes
from lessonkit.store.base import Store
from lessonkit.ui.content_html import lang_attrs, language_badge, prompt_items, shown_html, translations_html
from lessonkit.ui.context import open_store
from lessonkit.ui.html import esc, message, sensitivity_badge, tag_chips
from lessonkit.ui.themes_html import themes_html
from lessonkit.ui.vote_board import vote_section

__all__ = ["LiveBoard", "language_filter_options", "listening_board", "pick_session", "render_board", "render_prompts"]

log = logging.getLogger(__name__)


#: How long the board keeps saying that someone narrowed their consent.
NARROWED_SHOWN_FOR = timedelta(hours=12)


def pick_session(store: Store, session: int | str | None = None) -> Session | None:
    """The session named by id or exact title; by default the first open one, else the latest one."""
    if session not in (None, ""):
        return services.get_session(store, session)  # type: ignore[arg-type]
    sessions = services.list_sessions(store)
    open_ones = [s for s in sessions if s.is_open]
    if open_ones:
        return open_ones[0]
    return sessions[-1] if sessions else None


def render_prompts(session: Session | None, language: str | None = None) -> str:
    """The session title and its prompts, large enough to read from the back of the room, in ``language`` (the
    original where it has no translation, marked)."""
    if session is None:
        return message(_("No session yet: add one in the setup workbook (01_setup_convening)."), "info")
    items = prompt_items(session, language, "margin:.3em 0")
    state = "" if session.is_open else " <small>({})</small>".format(esc(pgettext("session state", "closed")))
    title = shown_html(session.title_in(language))
    return (
        f'<div class="lk-prompts" style="font-size:1.6em;line-height:1.35">'
        f"<h2 style='margin:.2em 0'>{title}{state}</h2><ul>{items}</ul></div>"
    )


def _note_card(shown: ShownNote) -> str:
    note, merged = shown.note, shown.merged
    merged_label = esc(npgettext("notes merged into this one", "+{n} merged", "+{n} merged", merged).format(n=merged))
    extra = f' <span class="lk-merged">{merged_label}</span>' if merged else ""
    return (
        '<li class="lk-note" style="margin:.4em 0;padding:.4em .6em;border-left:4px solid #90a4ae;'
        'background:#fafafa;list-style:none">'
        f'<div class="lk-text"{lang_attrs(note.language)} style="font-size:1.15em;white-space:pre-wrap">'
        f"{esc(note.text)}</div>{translations_html(note)}"
        f'<div style="font-size:.85em;color:#455a64">— {esc(shown.author)} '
        f"{language_badge(note.language)} "
        f"{sensitivity_badge(shown.level)}{extra} {tag_chips(note.tags)}</div></li>"
    )


def _summary_line(summary: BoardSummary, found: NoteSet, audience: Sensitivity) -> str:
    parts = [ngettext("{n} note", "{n} notes", summary.total).format(n=summary.total)]
    if found.hidden:
        hidden = npgettext("notes hidden from the board", "{n} hidden", "{n} hidden", found.hidden)
        parts.append(hidden.format(n=found.hidden))
    if found.withheld:
        parts.append(
            ngettext(
                "{n} note more private than '{level}' kept off this screen",
                "{n} notes more private than '{level}' kept off this screen",
                found.withheld,
            ).format(n=found.withheld, level=level_name(audience))
        )
    return f'<p class="lk-summary">{esc(" · ".join(parts))}</p>'


def narrowed_html(lines: list[str]) -> str:
    return "".join(message(line, "info") for line in lines)


def render_board(
    found: NoteSet, audience: Sensitivity, narrowed: list[str] | None = None, language: str | None = None
) -> str:
    """The notes the disclosure layer lets this audience see, grouped by category with counts and tag counts; with
    ``language``, only the notes written in it."""
    if language:
        found = replace(
            found,
            shown=[s for s in found.shown if s.note.language == language],
            merged=[m for m in found.merged if m.language == language],
        )
    summary = summarize(found.notes())
    shown = found.by_id()
    tags = tag_chips([t for t, _n in summary.tags], dict(summary.tags))
    sections = []
    for group in summary.groups:
        cards = "".join(_note_card(shown[n.id or 0]) for n in group.notes)
        sections.append(
            f'<section class="lk-group"><h3 style="margin:.6em 0 .2em">{esc(category_label(group.category))} '
            f'<span class="lk-count">({group.count})</span></h3>'
            f'<ul style="padding:0;margin:0">{cards}</ul></section>'
        )
    return (
        f'<div class="lk-board">{_summary_line(summary, found, audience)}{narrowed_html(narrowed or [])}'
        f'<div class="lk-tags">{tags}</div>{"".join(sections)}</div>'
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def narrowed_lines(disclosure: Disclosure) -> list[str]:
    """One line per recent narrowing of someone's consent (named as the board may name them)."""
    since = datetime.now(timezone.utc) - NARROWED_SHOWN_FOR
    lines = []
    for change in narrowed_since(disclosure.store, since):
        lines.append(
            _("{who} narrowed their consent at {time}: this board and every later export already follow it.").format(
                who=_capital(disclosure.credit(change.participant_id)), time=change.at.astimezone().strftime("%H:%M")
            )
        )
    return lines


class LiveBoard(widgets.VBox):
    """Prompts + board. ``refresh()`` re-renders when the store changed; ``stop()`` ends the polling."""

    def __init__(
        self,
        store: Store,
        session: int | str | None = None,
        refresh_s: float = 2.0,
        audience: str | Sensitivity = Sensitivity.CONVENING,
        language: str | None = None,
    ) -> None:
        self.store = store
        self.session_key = session
        self.session: Session | None = None
        self.audience: Sensitivity = parse_enum(Sensitivity, "audience", audience)  # type: ignore[assignment]
        self.refresh_s = float(refresh_s)
        self.prompts = widgets.HTML()
        self.board = widgets.HTML()
        self.themes = widgets.HTML()  # accepted themes (issue 15): see lessonkit.ui.themes
        self.votes = widgets.HTML()  # the session's dot vote, live: see lessonkit.ui.vote_board
        self.status = widgets.HTML()
        self.language = language_tag("language", language) if language else None
        self.language_filter = widgets.Dropdown(
            options=language_filter_options(store),
            value="",
            description=_("Notes written in"),
            style={"description_width": "initial"},
        )
        if self.language in [v for _l, v in self.language_filter.options]:
            self.language_filter.value = self.language
        self.language_filter.observe(self._on_language, names="value")
        self.renders = 0
        self._seen: object = object()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        super().__init__(
            children=[self.prompts, self.votes, self.themes, self.language_filter, self.board, self.status]
        )
        self.refresh(force=True)
        if self.refresh_s > 0:
            self._thread = threading.Thread(target=self._poll, name="lessonkit-board", daemon=True)
            self._thread.start()

    def refresh(self, force: bool = False) -> bool:
        """Re-render if the store changed since the last render (or ``force``); True when it re-rendered."""
        with self._lock:
            try:
                version = self.store.version()
                if not force and version == self._seen:
                    return False
                self._render()
                self._seen = version
                self.status.value = ""
            except LessonkitError as exc:
                self.status.value = message(str(exc), "error")
            return True

    def _render(self) -> None:
        key = self.session_key
        if key is None and self.session is not None:
            key = self.session.id  # stay on the session first shown
        self.session = pick_session(self.store, key)
        disclosure = Disclosure.open(self.store, self.audience, Purpose.BOARD)
        session = disclosure.session(self.session) if self.session else None
        self.prompts.value = render_prompts(session, self.language)
        found = disclosure.notes([self.session.id] if self.session and self.session.id else [])
        chosen = self.language_filter.value or None
        self.board.value = render_board(found, self.audience, narrowed_lines(disclosure), chosen)
        sid = self.session.id if self.session else None
        self.themes.value = themes_html(disclosure.themes(list_themes(self.store, sid), found)) if sid else ""
        self.votes.value = vote_section(self.store, sid, self.audience)
        self.renders += 1

    def _on_language(self, change: object = None) -> None:
        self.refresh(force=True)

    def _poll(self) -> None:
        while not self._stopped.wait(self.refresh_s):
            try:
                self.refresh()
            except Exception:  # keep polling: a passing fault must not freeze the board
                log.exception("board refresh failed")

    @property
    def polling(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        """End the polling thread (the board stays on screen as it is)."""
        self._stopped.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=max(self.refresh_s, 1.0) + 1.0)

    def close(self) -> None:
        self.stop()
        super().close()


def language_filter_options(store: Store) -> list[tuple[str, str]]:
    """The filter's choices: every language, then each of the convening's languages by its own name."""
    try:
        languages = services.get_convening(store).languages
    except LessonkitError:
        languages = ()
    return [(_("All languages"), "")] + [(language_name(tag), tag) for tag in languages]


def listening_board(
    convening: str | None = None,
    session: int | str | None = None,
    home: str | None = None,
    refresh_s: float = 2.0,
    audience: str = "convening",
    language: str | None = None,
) -> LiveBoard:
    """The live board of a session (by id or title; default: the open one), refreshed every ``refresh_s`` s.

    ``audience`` is the widest level the screen is seen by: notes more private than it (by default the
    restricted ones, meant for facilitators only) are counted but not shown. Use ``audience="restricted"``
    on a screen only the facilitators see. ``language`` shows the prompts in that language (default: the
    original); the board's own chooser shows only the notes written in one language.
    """
    return LiveBoard(
        open_store(convening, home), session=session, refresh_s=refresh_s, audience=audience, language=language
    )
