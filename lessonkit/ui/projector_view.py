"""The projector: what the room sees, in large type — the current block, its countdown, the prompts of what it
opened in every language the room works in, and the live board as the room may see it.

The board is :class:`lessonkit.ui.board.LiveBoard` at a room audience (``convening`` by default; ``restricted`` is
refused): notes more private than the room are counted, never shown, and the projector carries no moderation
control. Show it full screen with its *Full screen* switch (it covers the browser window; F11 makes the window the
whole screen), or render ``workbooks/projector.ipynb`` with Voila from the facilitator's JupyterLab
(``/voila/render/projector.ipynb``): never from the participant server, whose root holds only participant forms.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.agenda import AgendaBlock
from lessonkit.domain.levels import Sensitivity, parse_enum
from lessonkit.domain.records import Session
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.agenda import agenda_view, list_blocks
from lessonkit.services.convenings import get_convening
from lessonkit.services.disclosure import Disclosure, Purpose
from lessonkit.services.sessions import get_session, list_sessions
from lessonkit.store.base import Store
from lessonkit.ui.agenda_html import now_html, timer_html, timer_row
from lessonkit.ui.board import LiveBoard
from lessonkit.ui.content_html import lang_attrs, prompt_items, shown_html
from lessonkit.ui.context import open_store
from lessonkit.ui.follow import FOLLOW_S, Follower, Repeater
from lessonkit.ui.html import message

__all__ = ["Projector", "projector", "projector_prompts_html"]

PROJECTOR_CLASS = "lk-projector"
FULL_CLASS = "lk-projector-full"
_STYLE = f"""<style>
.{PROJECTOR_CLASS} {{ font-size: 1.35rem; line-height: 1.35; }}
.{PROJECTOR_CLASS} .lk-board {{ font-size: 1.1em; }}
.{PROJECTOR_CLASS} .widget-html-content {{ line-height: 1.2; }}
.{PROJECTOR_CLASS} .lk-room-prompts-all {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(22em, 1fr));
  gap: .2em 2em; }}
.{FULL_CLASS} {{ position: fixed !important; inset: 0; z-index: 10000; background: #fff; overflow: auto;
  padding: 2vh 3vw !important; box-sizing: border-box; max-width: none !important; }}
.{FULL_CLASS} .lk-full-switch {{ position: fixed; top: .5rem; right: .5rem; opacity: .35; }}
.{FULL_CLASS} .lk-full-switch:hover {{ opacity: 1; }}
</style>"""


def _room_audience(audience: str | Sensitivity) -> Sensitivity:
    level: Sensitivity = parse_enum(Sensitivity, "audience", audience)  # type: ignore[assignment]
    if level is Sensitivity.RESTRICTED:
        raise ValidationError(
            "audience",
            _("the projector is seen by the whole room: choose 'convening' or a wider audience, never 'restricted'."),
        )
    return level


def projector_prompts_html(session: Session, languages: list[str] | tuple[str, ...]) -> str:
    """The session's title and prompts once per language of the room that it has (the original first)."""
    shown = [lang for lang in dict.fromkeys([session.language, *languages]) if lang in session.languages()]
    blocks = []
    for lang in shown:
        title = shown_html(session.title_in(lang))
        items = prompt_items(session, lang, "margin:.2em 0")
        blocks.append(
            f'<section class="lk-room-prompts"{lang_attrs(lang)} style="margin:.4em 0 .8em">'
            f'<h2 style="margin:.1em 0;font-size:1.5em">{title}</h2>'
            f'<ul style="font-size:1.3em;margin:.2em 0">{items}</ul></section>'
        )
    return f'<div class="lk-room-prompts-all">{"".join(blocks)}</div>' if blocks else ""


class Projector(widgets.VBox):
    """Current block, countdown, the prompts in the room's languages, the board at ``audience``."""

    def __init__(
        self,
        store: Store,
        audience: str | Sensitivity = Sensitivity.CONVENING,
        languages: list[str] | None = None,
        refresh_s: float = FOLLOW_S,
        tick_s: float = 1.0,
        clock: Any = datetime.now,
    ) -> None:
        self.store = store
        self.audience = _room_audience(audience)
        self.languages = list(languages or get_convening(store).languages)
        self.clock = clock
        self.style = widgets.HTML(_STYLE)
        self.full = widgets.ToggleButton(value=False, description=_("Full screen"), icon="arrows-alt")
        self.full.add_class("lk-full-switch")
        self.timer = widgets.HTML()
        self.now = widgets.HTML()
        self.prompts = widgets.HTML()
        self.status = widgets.HTML()
        self.board = LiveBoard(store, session=None, refresh_s=refresh_s, audience=self.audience)
        self.board.prompts.layout.display = "none"  # the prompts are shown above, in every language
        self.board.language_filter.layout.display = "none"  # no controls in front of the room
        self.session_id: int | None = None
        self.view = agenda_view(store, clock())
        super().__init__(
            [self.style, self.full, timer_row(self.timer, self.now), self.prompts, self.board, self.status]
        )
        self.add_class(PROJECTOR_CLASS)
        self.full.observe(self._on_full, names="value")
        self.render()
        self.follower = Follower(
            store, self._followed, lambda _state: self.render(), self._followed(), interval_s=refresh_s
        )
        self.ticker = Repeater(self.tick, lambda: tick_s, name="lessonkit-projector-timer")
        if refresh_s > 0:
            self.follower.start()
        if tick_s > 0:
            self.ticker.start()

    def _followed(self) -> tuple[tuple[AgendaBlock, ...], tuple[Session, ...]]:
        return tuple(list_blocks(self.store)), tuple(list_sessions(self.store))

    def _current_session(self) -> Session | None:
        current = self.view.current or self.view.next
        if current is None:
            return None
        for link in current.block.links:
            if link.kind == "session":
                try:
                    return get_session(self.store, link.id)
                except LessonkitError:
                    continue
        return None

    def render(self) -> None:
        try:
            self.view = agenda_view(self.store, self.clock())
            self.now.value = now_html(self.view, "3em")
            self.timer.value = timer_html(self.view.timer(self.clock()), "6em")
            session = self._current_session()
            if session is not None:
                shown = Disclosure.open(self.store, self.audience, Purpose.BOARD).session(session)
                self.prompts.value = projector_prompts_html(shown, self.languages)
            else:
                self.prompts.value = ""
            self._show_board(session)
            self.status.value = ""
        except LessonkitError as exc:
            self.status.value = message(str(exc), "error")

    def _show_board(self, session: Session | None) -> None:
        self.board.layout.display = None if session is not None else "none"
        wanted = session.id if session is not None else None
        if wanted != self.session_id:
            self.session_id = wanted
            if wanted is not None:
                self.board.session_key = wanted
                self.board.refresh(force=True)

    def tick(self) -> None:
        self.timer.value = timer_html(self.view.timer(self.clock()), "6em")

    def _on_full(self, change: Any = None) -> None:
        if self.full.value:
            self.add_class(FULL_CLASS)
            self.full.description = _("Leave full screen")
        else:
            self.remove_class(FULL_CLASS)
            self.full.description = _("Full screen")

    def stop(self) -> None:
        """End the polling and the ticking (what is on screen stays as it is)."""
        for name in ("follower", "ticker", "board"):
            part = getattr(self, name, None)  # a screen refused while being built has none
            if part is not None:
                part.stop()

    def close(self) -> None:
        self.stop()
        super().close()


def projector(
    convening: str | None = None,
    home: str | None = None,
    audience: str = "convening",
    refresh_s: float = FOLLOW_S,
    tick_s: float = 1.0,
) -> Projector:
    """The room's screen for a convening (see :class:`Projector`). ``audience`` is the widest level that sees it."""
    return Projector(open_store(convening, home), audience=audience, refresh_s=refresh_s, tick_s=tick_s)
