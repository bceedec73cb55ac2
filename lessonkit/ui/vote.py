"""The participant's dot-vote form: the vote's items in the participant's language, K dots to place, one ballot per
person (casting again replaces it until the vote closes).

Served by Voila (``workbooks/participant/vote.ipynb``), built in the pool before anyone arrives; takes ``?code=``,
``?vote=`` and ``?session=`` from the link on arrival (:mod:`lessonkit.ui.arrival`). The room page (``room.ipynb``)
shows it too, when a vote is open (:func:`room_form`). It shows the items as the room may see them (the disclosure
layer's answer for the vote's audience), never anyone else's ballot. Kept light (no pandas, no scikit-learn): it runs
in every participant kernel.
"""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.joincode import LENGTH as CODE_LENGTH
from lessonkit.domain.votes import Vote, VoteOn
from lessonkit.errors import LessonkitError, NotFoundError, ValidationError
from lessonkit.i18n import _, ngettext, using_language
from lessonkit.services.participants import participant_by_code, remember_language
from lessonkit.services.votes import VoteItem, cast_ballot, current_vote, get_vote, my_ballot, vote_items
from lessonkit.store.base import Store
from lessonkit.ui.arrival import ArrivingForm, participant_page
from lessonkit.ui.arrival import Visitor as LinkVisitor
from lessonkit.ui.content_html import lang_attrs
from lessonkit.ui.context import open_store
from lessonkit.ui.html import esc, heading, message
from lessonkit.ui.language import (
    convening_languages,
    follow_remembered_language,
    in_form_language,
    usable_languages,
    visitor_language,
)
from lessonkit.ui.phone import phone_first
from lessonkit.ui.room import Visitor, register_room_form
from lessonkit.ui.sealed import not_on_sealed

__all__ = ["VoteForm", "follows", "room_form", "vote_app"]

log = logging.getLogger(__name__)
_WIDE = {"description_width": "initial"}


def follows(store: Store, session: int | str | None = None) -> int | None:
    """What this form follows: the id of the open vote (of ``session``), or None. The page to show changes exactly
    when this value does (a vote opened or closed)."""
    try:
        sid = int(session) if session not in (None, "") else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    found = current_vote(store, sid)
    return found.id if found else None


def wanted_vote(store: Store, params: LinkVisitor) -> Vote | None:
    """The vote a link asks for: ``?vote=``, else the open vote (of ``?session=``), else None."""
    wanted = params.get("vote")
    vote = get_vote(store, wanted) if wanted else None
    if vote is None:
        found = follows(store, params.get("session"))
        vote = get_vote(store, found) if found else None
    return vote


class VoteForm(ArrivingForm, widgets.VBox):
    """Language, join code, one dropdown of dots (0 to K) per item, the dots left, Cast my dots, a status line.

    Built in the pool for the open vote; on arrival (:mod:`lessonkit.ui.arrival`) ``?code=`` fills the join code, and
    a link asking for another vote, or a vote closed meanwhile, builds the page anew."""

    def __init__(
        self,
        store: Store,
        vote: Vote,
        code: str | None = None,
        languages: list[str] | None = None,
        language: str | None = None,
        language_explicit: bool = False,
    ) -> None:
        self.store = store
        self.vote = vote
        self.items: list[VoteItem] = vote_items(store, vote)
        self.header = widgets.HTML()
        self.code = widgets.Text(continuous_update=False, value=code or "", style=_WIDE)
        self.code_hint = widgets.HTML()
        self.item_html: dict[int, widgets.HTML] = {}
        self.dots: dict[int, widgets.Dropdown] = {}
        blocks: list[widgets.Widget] = []
        for item in self.items:
            self.item_html[item.id] = widgets.HTML()
            self.dots[item.id] = widgets.Dropdown(
                options=[(str(n), n) for n in range(vote.dots + 1)], value=0, style=_WIDE
            )
            self.dots[item.id].observe(self._on_dots, names="value")
            blocks += [self.item_html[item.id], self.dots[item.id]]
        self.left = widgets.HTML()
        self.submit = widgets.Button(button_style="primary")
        self.status = widgets.HTML()
        allowed = languages or usable_languages(convening_languages(store))
        self.init_language(allowed, language or allowed[0], language_explicit)
        super().__init__(
            [self.picker, self.header, self.code, self.code_hint, *blocks, self.left, self.submit, self.status]
        )
        phone_first(self)
        self.code.observe(self._on_code, names="value")
        self.submit.on_click(self._on_submit)
        self.apply_language()
        if code:
            with using_language(self.language):
                self._on_code()

    def fits(self, visitor: LinkVisitor) -> bool:
        """The vote the link asks for is this one, and it is still open."""
        try:
            vote = wanted_vote(self.store, visitor)
        except LessonkitError:
            return False
        return vote is not None and vote.id == self.vote.id and vote.is_open

    def relabel(self) -> None:
        """Every text of the form in the current language; the dots placed stay."""
        k = self.vote.dots
        explain = ngettext(
            "You have {k} dot. Put it on what matters most to you.",
            "You have {k} dots. Put them on what matters most to you; several may go on one item.",
            k,
        ).format(k=k)
        parts = [heading(_("Spend your dots"), 2), f"<p>{esc(explain)}</p>"]
        if self.vote.anonymous:
            anonymous = _(
                "This vote is anonymous: your join code makes sure everyone votes once, and is not kept with your dots."
            )
            parts.append(f"<p><i>{esc(anonymous)}</i></p>")
        if not self.items:
            parts.append(message(_("There is nothing to vote on that may be shown here."), "info"))
        self.header.value = "".join(parts)
        self.code.description = _("Join code")
        self.code.placeholder = _("e.g. KX7R-M3PD")
        themes = self.vote.on is VoteOn.THEMES
        for number, item in enumerate(self.items, start=1):
            text, lang = item.text_in(self.language)
            name = (_("Theme {n}.") if themes else _("Note {n}.")).format(n=number)
            self.item_html[
                item.id
            ].value = f'<p style="margin:.8em 0 .2em"><b>{esc(name)}</b> <span{lang_attrs(lang)}>{esc(text)}</span></p>'
            self.dots[item.id].description = (_("Dots on theme {n}") if themes else _("Dots on note {n}")).format(
                n=number
            )
        self.submit.description = _("Cast my dots")
        self._on_dots()
        self.status.value = ""

    def language_chosen(self, lang: str) -> None:
        if sum(ch.isalnum() for ch in self.code.value) >= CODE_LENGTH:
            try:
                remember_language(self.store, self.code.value, lang)
            except LessonkitError:
                pass

    def chosen(self) -> list[int]:
        """The ballot as item ids, one per dot."""
        return [item for item, box in self.dots.items() for _n in range(int(box.value or 0))]

    @in_form_language
    def _on_dots(self, change: Any = None) -> None:
        placed, k = len(self.chosen()), self.vote.dots
        if placed > k:
            text = ngettext(
                "{n} dots placed: you have only {k} dot.", "{n} dots placed: you have only {k} dots.", k
            ).format(n=placed, k=k)
            self.left.value = message(text, "error")
            return
        left = k - placed
        text = ngettext("{n} dot left to place.", "{n} dots left to place.", left).format(n=left)
        self.left.value = f'<p class="lk-left" aria-live="polite">{esc(text)}</p>'

    @in_form_language
    def _on_code(self, change: Any = None) -> None:
        """Once the code is complete: say whether it is known, and show the dots this person placed before."""
        typed = self.code.value.strip()
        if sum(ch.isalnum() for ch in typed) < CODE_LENGTH:
            self.code_hint.value = ""
            return
        try:
            person = participant_by_code(self.store, typed)
            mine = my_ballot(self.store, self.vote.id or 0, typed)
        except NotFoundError:
            self.code_hint.value = message(
                _("This join code was not found: check it on your card or ask the facilitator."), "error"
            )
            return
        except LessonkitError as exc:
            self.code_hint.value = message(str(exc), "error")
            return
        self.code_hint.value = message(_("Join code recognised."), "ok")
        follow_remembered_language(self, self.store, typed, person)
        if mine is not None:
            for item, box in self.dots.items():
                box.value = min(mine.dots.count(item), self.vote.dots)

    @in_form_language
    def _on_submit(self, button: Any = None) -> None:
        self.submit.disabled = True
        try:
            self.status.value = self._save()
        finally:
            self.submit.disabled = False

    def _save(self) -> str:
        """Cast the ballot; returns the status HTML. On any error the dots stay as placed."""
        if not self.code.value.strip():
            return message(_("Join code: enter your join code (it is on your card)."), "error")
        chosen = self.chosen()
        if not chosen:
            return message(_("Not saved. Place at least one dot."), "error")
        try:
            ballot = cast_ballot(self.store, self.vote.id or 0, self.code.value.strip(), chosen)
        except ValidationError as exc:
            field = self.code.description if exc.field == "join_code" else _("Dots")
            return message(_("Not saved. {field}: {problem}").format(field=field, problem=exc.message), "error")
        except LessonkitError as exc:
            return message(_("Not saved. {error}").format(error=exc), "error")
        except Exception:  # an unexpected fault must not lose the dots placed
            log.exception("casting a ballot failed")
            return message(
                _(
                    "Not saved: something went wrong on the facilitator's laptop. Your dots are still here; please "
                    "tell the facilitator."
                ),
                "error",
            )
        n = len(ballot.dots)
        return message(
            ngettext(
                "Thank you, your {n} dot was counted. You may change it and cast again until the vote closes.",
                "Thank you, your {n} dots were counted. You may change them and cast again until the vote closes.",
                n,
            ).format(n=n),
            "ok",
        )


def vote_app(convening: str | None = None, home: str | None = None) -> widgets.Widget:
    """The page a participant opens: ``?code=`` fills the join code, ``?vote=`` or ``?session=`` picks the vote
    (default: the open one); taken on arrival (see :mod:`lessonkit.ui.arrival`)."""

    def build(visitor: LinkVisitor) -> widgets.Widget:
        with using_language(visitor_language(visitor.params, visitor.environ)):  # messages come before any form
            try:
                store = open_store(convening, home)
                unavailable = not_on_sealed(store, visitor.params, visitor.environ)  # no votes published there
                if unavailable is not None:
                    return unavailable
                vote = wanted_vote(store, visitor)
                if vote is None or not vote.is_open:
                    return widgets.HTML(
                        message(
                            _("No vote is open right now. Reload this page when the facilitator opens one."), "info"
                        )
                    )
            except LessonkitError as exc:
                log.warning("vote app cannot open the vote: %s", exc)
                return widgets.HTML(
                    message(
                        _("This page is not ready: {error} Please tell the facilitator.").format(error=exc), "error"
                    )
                )
        return VoteForm(store, vote, languages=usable_languages(convening_languages(store)))

    return participant_page(build)


def room_form(store: Store, vote_id: int | None, who: Visitor) -> VoteForm:
    """The vote form on the room page, for the vote ``vote_id`` (None: the open one); the visitor's code and language
    go with it. Raises for a vote that is not open, so the page keeps the form it shows (a block whose vote could not
    open)."""
    ident = vote_id if vote_id is not None else follows(store)
    vote = get_vote(store, ident) if ident is not None else None
    if vote is None or not vote.is_open:
        raise NotFoundError(_("No vote is open right now."))
    return VoteForm(store, vote, who.code, who.languages, who.language, who.language_explicit)


register_room_form("vote", build=room_form, open_now=follows)
