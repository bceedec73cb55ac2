"""Phone-first layout for every participant form: one call, so the forms (and what others add to them) share it.

``phone_first(form)`` marks the form's outer box with the ``lk-phone`` class. The participant page template
(``jupyter_share/voila/templates/lessonkit/phone.css``) lays out everything inside a box so marked: labels above
their fields, each control as wide as the screen (up to a readable measure), touch targets of at least 44 px, long
texts wrapped. Widgets added to a marked form later (a consent view, a language picker) inherit it; a form never
needs per-widget widths for phones.
"""

from __future__ import annotations

from typing import TypeVar

import ipywidgets as widgets

PHONE_CLASS = "lk-phone"

B = TypeVar("B", bound=widgets.Box)


def phone_first(form: B) -> B:
    """Mark ``form`` (a participant form's outer box) for the phone-first layout; returns it."""
    form.add_class(PHONE_CLASS)
    form.layout.width = "100%"
    form.layout.max_width = "40em"
    return form
