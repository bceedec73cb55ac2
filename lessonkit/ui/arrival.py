"""Participant pages are built before anyone arrives; the visitor's link reaches the page afterwards.

Why: ``lessonkit serve --expect N`` keeps, for each participant form, kernels that have already run the form's
notebook (Voila's preheated pool), so a page goes out the moment someone opens the link: no request waits on a
kernel. A pooled kernel cannot know who will come, so it builds its form for nobody: no join code, no name, the
convening's first language. The link's parameters (``?code=…&session=…&lang=…``, ``round`` for scoring) and the
browser's Accept-Language reach the kernel after the page has been handed out, and the form takes them in place.

How they arrive: Voila sends the request details of each visitor to the kernel it hands them over the
``voila/query/<kernel id>`` websocket (:func:`lessonkit.ui.context.on_visitor`). The kernel listens from the moment
the form is built (one connection, one message: a kernel serves one visitor) and applies them on its own event loop,
usually before the browser has drawn the form. Until then the page carries the class ``lk-awaiting`` and the
participant template shows a spinner in place of the form, so nothing can be typed into a form that is about to
change: no keystroke is lost, and nobody ever sees a form holding anyone's code. In a kernel started for its visitor
(no pool), the details are in the environment and are applied before the form is shown.

How a participant form plugs in (the listening, scoring and amendment forms do this; new forms do the same):

1. The notebook's entry function returns ``participant_page(build)``. ``build(visitor)`` builds the whole page and
   may use the visitor only to choose *what* to show (which round, the language of an error message), never to show
   anything of theirs: the pool calls it with :meth:`Visitor.nobody`.
2. The form mixes in :class:`ArrivingForm` (a :class:`~lessonkit.ui.language.LanguageChoice`). On arrival its
   :meth:`~ArrivingForm.welcome` runs: :meth:`~ArrivingForm.fits` (False: the link asks for another page, e.g.
   another round, and ``build`` is called again for the visitor), :meth:`~ArrivingForm.refresh` (re-read what may
   have changed since the pool built the form: open sessions, the memorandum…), the language (the link's ``lang``,
   else the browser's, re-labelling in place), then :meth:`~ArrivingForm.take_link` (by default ``?code=`` fills an
   empty ``self.code`` field, which triggers the same recognition as typing it). Override the hooks you need.
3. Widgets the visitor may type into exist from the start and are never replaced on arrival; ``take_link`` only sets
   values and options.
4. A form that follows the room (:class:`~lessonkit.ui.follow.FollowsRoom`, mixed in before ``ArrivingForm``) starts
   following once its visitor has arrived, at the end of the hand-off: a kernel waiting in the pool looks at nothing
   (30 waiting kernels cost no CPU). Until then :meth:`~ArrivingForm.refresh` is what brings it up to date.

A page that is not one form (the room's page, :mod:`lessonkit.ui.room`) may instead define ``welcome(visitor)``
itself (:class:`Welcomes`); it is handed the visitor the same way.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable
from urllib.parse import parse_qs

import ipywidgets as widgets

from lessonkit.ui.context import in_pooled_kernel, on_visitor
from lessonkit.ui.follow import FollowsRoom, follow_in_kernel
from lessonkit.ui.language import ACCEPT_LANGUAGE_ENV, LanguageChoice, choose_language

log = logging.getLogger(__name__)

AWAITING_CLASS = "lk-awaiting"
PAGE_CLASS = "lk-page"


@dataclass(frozen=True)
class Visitor:
    """Who opened the page: the link's query parameters and the request details Voila passes on."""

    params: Mapping[str, str] = field(default_factory=dict)
    environ: Mapping[str, str] = field(default_factory=dict)  # HTTP_ACCEPT_LANGUAGE (from http_header_envs)

    @classmethod
    def nobody(cls) -> Visitor:
        """The visitor a pooled kernel builds for: no link parameters, no browser languages."""
        return cls()

    @classmethod
    def from_request(cls, info: Mapping[str, str]) -> Visitor:
        """From Voila's request details (``QUERY_STRING``, ``HTTP_ACCEPT_LANGUAGE``), e.g. ``os.environ``."""
        query = parse_qs(info.get("QUERY_STRING", ""), keep_blank_values=False)
        params = {k: v[0] for k, v in query.items() if v and k != "token"}
        env = {ACCEPT_LANGUAGE_ENV: info[ACCEPT_LANGUAGE_ENV]} if info.get(ACCEPT_LANGUAGE_ENV) else {}
        return cls(params, env)

    def get(self, name: str) -> str | None:
        value = self.params.get(name)
        return value if value not in (None, "") else None

    def language(self, allowed: list[str]) -> tuple[str, bool]:
        """(language, chosen in the link): the link's ``lang``, else the browser's, else ``allowed[0]``."""
        return choose_language(self.params, allowed, self.environ)


class ArrivingForm(LanguageChoice):
    """Mixin for a participant form that takes its visitor's link after it was built (see the module docstring)."""

    def welcome(self, visitor: Visitor) -> bool:
        """Take the visitor's link in place; False when the form must be built anew for them (see :meth:`fits`)."""
        if not self.fits(visitor):
            return False
        self.settle(visitor)
        return True

    def settle(self, visitor: Visitor) -> None:
        """Take the visitor in place whatever the link asks for (:meth:`refresh`, the language, :meth:`take_link`);
        the room's page calls this for the form it decided to show."""
        self.refresh()
        lang, explicit = visitor.language(self.languages)
        if explicit or not self.language_explicit:
            self.language_explicit = explicit
            self.set_language(lang)
        self.take_link(visitor)

    def fits(self, visitor: Visitor) -> bool:
        """Whether this form is the page the visitor's link asks for (e.g. the round in ``?round=``)."""
        return True

    def refresh(self) -> None:
        """Re-read what the form shows that may have changed since it was built (in place)."""

    def take_link(self, visitor: Visitor) -> None:
        """The link's own parameters. By default ``?code=`` fills an empty ``self.code`` field, exactly as typing."""
        code = visitor.get("code")
        field_ = getattr(self, "code", None)
        if code and isinstance(field_, widgets.Text) and not field_.value.strip():
            field_.value = code


@runtime_checkable
class Welcomes(Protocol):
    """A page that takes its visitor's link in place (:class:`ArrivingForm` and the room's page do)."""

    def welcome(self, visitor: Visitor) -> bool: ...


def welcomed(form: widgets.Widget, visitor: Visitor, build: Callable[[Visitor], widgets.Widget]) -> widgets.Widget:
    """``form`` after taking ``visitor``'s link, or a page built anew for them when it cannot."""
    if isinstance(form, Welcomes) and form.welcome(visitor):
        return form
    fresh = build(visitor)
    if isinstance(fresh, Welcomes):
        fresh.welcome(visitor)
    return fresh


def follow_visitor(form: widgets.Widget) -> None:
    """A page its visitor now sees starts following the room (in a kernel; see :func:`follow_in_kernel`)."""
    if isinstance(form, FollowsRoom):
        follow_in_kernel(form)


class ParticipantPage(widgets.VBox):
    """A pooled kernel's page: the form built for nobody, hidden behind a spinner until its visitor arrives."""

    def __init__(self, build: Callable[[Visitor], widgets.Widget]) -> None:
        self._build = build
        self.visitor: Visitor | None = None
        self.form = build(Visitor.nobody())
        super().__init__([self.form])
        self.add_class(PAGE_CLASS)
        self.add_class(AWAITING_CLASS)

    def arrive(self, visitor: Visitor) -> None:
        """Apply the visitor's link (once: a kernel serves one visitor), then show the form."""
        if self.visitor is not None:
            return
        self.visitor = visitor
        try:
            form = welcomed(self.form, visitor, self._build)
            if form is not self.form:
                old, self.form = self.form, form
                self.children = [form]
                old.close()
        except Exception:  # the visitor still gets a form to type into, without their link's parameters
            log.exception("applying the visitor's link failed")
        finally:
            self.remove_class(AWAITING_CLASS)
        try:
            follow_visitor(self.form)
        except Exception:  # the form stays usable; it just does not follow the room
            log.exception("following the room failed")

    def close(self) -> None:
        self.form.close()  # stops its following
        super().close()


def participant_page(build: Callable[[Visitor], widgets.Widget]) -> widgets.Widget:
    """The widget a participant notebook shows (see the module docstring).

    In a pooled kernel: a :class:`ParticipantPage` that takes its visitor's link when they arrive. In a kernel
    started for its visitor: the form itself, with the link already applied. Either way a form that follows the
    room starts following once the link is applied (in a kernel only: a test drives ``form.follower`` itself).
    """
    if not in_pooled_kernel():
        visitor = Visitor.from_request(os.environ)
        form = welcomed(build(visitor), visitor, build)
        follow_visitor(form)
        return form
    page = ParticipantPage(build)
    on_visitor(lambda info: page.arrive(Visitor.from_request(info)))
    return page

