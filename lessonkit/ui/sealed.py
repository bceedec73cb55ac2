"""Participant pages on an encrypted convening: what its participant server cannot offer, said plainly.

The participant server of an encrypted convening reads only the published index (open sessions, the glossary terms
they use, sealed join codes: :mod:`lessonkit.services.published`) and can only add records (the listening form's
notes, the reflection form's reflections). The memorandum amendment
form and the scoring form need the clauses, the rubric and earlier answers, and the vote and agree forms (issue 15)
the vote's items and the statements, so on such a convening they show :func:`not_on_sealed` instead of a form that
could not work.
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as widgets

from lessonkit.i18n import _, using_language
from lessonkit.store.base import Store
from lessonkit.ui.html import message
from lessonkit.ui.language import visitor_language


def not_on_sealed(
    store: Store, params: Mapping[str, str], environ: Mapping[str, str] | None = None
) -> widgets.Widget | None:
    """The notice to show instead of a form that needs more than ``store`` gives (None: the form can work), in the
    visitor's language (the link's ``lang``, else the browser's: ``environ`` holds its Accept-Language)."""
    if not store.append_only:
        return None
    with using_language(visitor_language(params, environ)):
        text = _(
            "This form is not available: this convening is encrypted, and its participant pages can only add "
            "listening notes and reflections. Please tell the facilitator."
        )
        return widgets.HTML(message(text, "info"))
