"""A participant form's own language: from the link (``&lang=xx``), else the browser (Accept-Language), else the
convening's first language; the person can switch at any time with the picker at the top, and the form re-labels
itself in place without losing what was typed.

A form's language is independent of the facilitator's (the process default of :mod:`lessonkit.i18n`): the form
keeps it in ``form.language`` and does its work inside ``using_language(form.language)``. Direction comes from the
language tag: the form carries the CSS classes ``lk-lang-<tag>`` and ``lk-dir-rtl|ltr``; the participant page's
template (jupyter_share/voila/templates/lessonkit) turns them into ``lang``/``dir`` on the page and ``dir="auto"``
on free-text fields, and mirrors the layout.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import ipywidgets as widgets

from lessonkit.domain.records import Participant
from lessonkit.errors import LessonkitError
from lessonkit.i18n import (
    SOURCE_LANGUAGE,
    _,
    direction,
    language_name,
    negotiate,
    resolve,
    switch_language,
    using_language,
)
from lessonkit.services.convenings import get_convening
from lessonkit.services.participants import remember_language
from lessonkit.store.base import Store

LANG_PARAM = "lang"
ACCEPT_LANGUAGE_ENV = "HTTP_ACCEPT_LANGUAGE"  # Voila passes the header (VoilaConfiguration.http_header_envs)
FORM_CLASS = "lk-form"

M = TypeVar("M", bound=Callable[..., Any])


def usable_languages(wanted: Iterable[str]) -> list[str]:
    """The languages of ``wanted`` (e.g. a convening's) that have an interface catalogue; English when none."""
    usable: list[str] = []
    for tag in wanted:
        lang = resolve(tag)
        if lang is not None and lang not in usable:
            usable.append(lang)
    return usable or [SOURCE_LANGUAGE]


def convening_languages(store: Store) -> tuple[str, ...]:
    """The working languages the convening lists (none when it cannot be read)."""
    try:
        return get_convening(store).languages
    except LessonkitError:
        return ()


def choose_language(
    params: Mapping[str, str], allowed: list[str], environ: Mapping[str, str] | None = None
) -> tuple[str, bool]:
    """(language, explicitly chosen): the link's ``lang``, else the browser's Accept-Language, else ``allowed[0]``."""
    env = os.environ if environ is None else environ
    from_link = resolve(params.get(LANG_PARAM))
    if from_link in allowed:
        return str(from_link), True
    return negotiate(env.get(ACCEPT_LANGUAGE_ENV), allowed) or allowed[0], False


def visitor_language(params: Mapping[str, str], environ: Mapping[str, str] | None = None) -> str:
    """For a page shown before any form exists (e.g. "this page is not ready"): the link's language, else the
    browser's, among every interface language."""
    from lessonkit.i18n import available_languages

    return choose_language(params, available_languages(), environ)[0]


def bcp47(lang: str) -> str:
    """'pt_BR' -> 'pt-BR' (the form HTML's lang attribute wants)."""
    return lang.replace("_", "-")


def mark_language(widget: widgets.DOMWidget, lang: str) -> None:
    """Put ``lk-lang-<tag>`` and ``lk-dir-<rtl|ltr>`` on ``widget``, replacing earlier ones."""
    for cls in list(widget._dom_classes):
        if cls.startswith(("lk-lang-", "lk-dir-")):
            widget.remove_class(cls)
    widget.add_class(FORM_CLASS)
    widget.add_class(f"lk-lang-{bcp47(lang)}")
    widget.add_class(f"lk-dir-{direction(lang)}")


def relabel_options(widget: Any, options: list[tuple[str, Any]]) -> None:
    """New labels for a selection widget, keeping what is selected (setting options alone resets it)."""
    value = widget.value
    widget.options = options
    values = [v for _label, v in options]
    if value in values and widget.value != value:
        widget.value = value


def in_form_language(method: M) -> M:
    """Run a form's method (an event handler) in the form's own language."""

    @functools.wraps(method)
    def wrapper(self: LanguageChoice, *args: Any, **kwargs: Any) -> Any:
        depth = self.__dict__.get("_handling", 0)
        self._handling = depth + 1
        try:
            with using_language(self.language):
                return method(self, *args, **kwargs)
        finally:
            self._handling = depth

    return wrapper  # type: ignore[return-value]


class LanguageChoice:
    """Mixin for a participant form: ``language``, the ``picker`` and ``set_language``.

    The form defines :meth:`relabel` (set every text it shows, in the current language), calls
    :meth:`init_language` before building its box (``self.picker`` goes first among its children) and
    :meth:`apply_language` once the box exists; its event handlers run in its language (:func:`in_form_language`).
    """

    language: str = SOURCE_LANGUAGE
    languages: list[str]
    language_explicit: bool = False
    picker: widgets.Dropdown
    _handling: int = 0  # how many of the form's handlers are running (see in_form_language)

    def init_language(self, allowed: list[str], lang: str, explicit: bool = False) -> None:
        self.languages = list(allowed)
        self.language = lang if lang in self.languages else self.languages[0]
        self.language_explicit = explicit
        self.picker = widgets.Dropdown(
            options=[(language_name(code), code) for code in self.languages],
            value=self.language,
            layout=widgets.Layout(width="auto", max_width="40em"),
            style={"description_width": "initial"},
        )
        self.picker.add_class("lk-language-picker")
        if len(self.languages) < 2:
            self.picker.layout.display = "none"
        self.picker.observe(self._on_pick, names="value")

    def set_language(self, lang: str) -> None:
        """Show the form in ``lang`` (one of ``languages``), in place: nothing typed or chosen is lost."""
        wanted = resolve(lang)
        if wanted is None or wanted not in self.languages or wanted == self.language:
            return
        self.language = wanted
        if self.picker.value != wanted:
            self.picker.value = wanted  # _on_pick sees the same language and returns
        self.apply_language()
        if self._handling:  # changed inside one of the form's handlers: the rest of the handler speaks it too
            switch_language(wanted)

    def relabel(self) -> None:
        raise NotImplementedError

    def language_chosen(self, lang: str) -> None:
        """Called after the person picks a language (forms remember it for the join code)."""

    def apply_language(self) -> None:
        """Direction classes and every label, in ``self.language``."""
        mark_language(self, self.language)  # type: ignore[arg-type]
        with using_language(self.language):
            self.picker.description = _("Language")
            self.relabel()

    def _on_pick(self, change: Any) -> None:
        if change["new"] == self.language:
            return
        self.language_explicit = True
        self.set_language(change["new"])
        self.language_chosen(self.language)


def follow_remembered_language(form: LanguageChoice, store: Store, code: str, person: Participant) -> None:
    """Once a join code is recognised: a language chosen on this visit is remembered for it; otherwise the
    language the person chose before is used (when the form offers it)."""
    if form.language_explicit:
        if person.language != form.language:
            try:
                remember_language(store, code, form.language)
            except LessonkitError:
                pass
    elif person.language in form.languages and person.language != form.language:
        form.set_language(str(person.language))
