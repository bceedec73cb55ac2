"""What the care workbook's panels share (risk register, ledger, what is due): one hub per convening so a save in
one panel refreshes the others, the facilitator's view of the records, and the form pieces they have in common.

The facilitator's own screens read risks and ledger lines through the disclosure layer at level ``restricted``
with purpose ``board`` (nothing redacted, authors credited as their consent says). Errors from the services are
shown on the panel's status line in one sentence; what was typed stays in the form.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from lessonkit.domain.levels import Sensitivity, sensitivity_label
from lessonkit.errors import LessonkitError, ValidationError
from lessonkit.i18n import _
from lessonkit.services.convenings import convening_slug, open_convening
from lessonkit.services.disclosure import Disclosure, Purpose
from lessonkit.services.groups import known_groups
from lessonkit.store.base import Store
from lessonkit.ui.context import resolve_workspace
from lessonkit.ui.html import message

log = logging.getLogger(__name__)

WIDE = {"description_width": "initial"}


def wide(**extra: str) -> widgets.Layout:
    """A fresh layout per widget (a shared Layout would resize every widget holding it)."""
    return widgets.Layout(width="100%", max_width="44em", **extra)


class CareHub:
    """The store of one convening and the panels to refresh after a change."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._listeners: list[Callable[[], None]] = []

    def view(self) -> Disclosure:
        """The facilitator's own view: everything, authors as their consent says."""
        return Disclosure.open(self.store, Sensitivity.RESTRICTED, Purpose.BOARD)

    def groups(self) -> list[str]:
        return known_groups(self.store)

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def changed(self) -> None:
        for listener in list(self._listeners):
            try:
                listener()
            except Exception:  # one broken panel must not stop the others from refreshing
                log.exception("refreshing a care panel failed")


_BY_STORE: weakref.WeakKeyDictionary[Store, CareHub] = weakref.WeakKeyDictionary()
_BY_NAME: dict[tuple[str, str], CareHub] = {}


def hub_for(convening: str | None = None, home: str | None = None, store: Store | None = None) -> CareHub:
    """The shared hub of a convening, one per workspace and convening, so every cell of a workbook refreshes with
    the others (or the hub of a given store, for tests)."""
    if store is not None:
        if store not in _BY_STORE:
            _BY_STORE[store] = CareHub(store)
        return _BY_STORE[store]
    ws = resolve_workspace(home)
    slug = convening_slug(ws, convening)
    key = (str(ws.home), slug)
    if key not in _BY_NAME:
        _BY_NAME[key] = CareHub(open_convening(slug, ws))
    return _BY_NAME[key]


class CarePanel(widgets.VBox):
    """A panel of the care workbook: refreshes with its hub, runs actions with errors on its status line."""

    #: form field name (as the services name it) -> the widget whose label names it in an error
    labels: dict[str, widgets.Widget]

    def __init__(self, hub: CareHub, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.hub = hub
        self.status = widgets.HTML()
        self.labels = {}
        hub.subscribe(self.refresh)

    def refresh(self) -> None:  # pragma: no cover - every panel overrides it
        raise NotImplementedError

    def run(self, action: Callable[[], str]) -> bool:
        """Do ``action`` (returns a success message); on success refresh every panel; on error keep the form."""
        try:
            done = action()
        except ValidationError as exc:
            widget = self.labels.get(exc.field.split(".")[0])
            field = getattr(widget, "description", "") or exc.field
            text = _("Not saved. {field}: {problem}").format(field=field, problem=exc.message)
            self.status.value = message(text, "error")
            return False
        except LessonkitError as exc:
            self.status.value = message(_("Not saved. {error}").format(error=exc), "error")
            return False
        except Exception:
            log.exception("a care panel action failed")
            self.status.value = message(_("Something went wrong; nothing was changed. Details are in the log."),
                                        "error")
            return False
        self.hub.changed()
        self.status.value = message(done, "ok")
        return True


def scale_options(kind: str, blank: str | None = None) -> list[tuple[str, int | None]]:
    """1-5 with the words of each end (``kind``: 'likelihood' or 'impact'); ``blank`` adds a first "unchanged"."""
    ends = {
        "likelihood": {1: _("1 rare"), 5: _("5 almost certain")},
        "impact": {1: _("1 minor"), 5: _("5 severe")},
    }[kind]
    options: list[tuple[str, int | None]] = [(ends.get(n, str(n)), n) for n in range(1, 6)]
    return ([(blank, None)] if blank is not None else []) + options


def level_dropdown(description: str, value: str = Sensitivity.CONVENING.value) -> widgets.Dropdown:
    return widgets.Dropdown(
        options=[(sensitivity_label(s), s.value) for s in Sensitivity],
        value=value,
        description=description,
        style=WIDE,
        layout=widgets.Layout(width="34em"),
    )


def text(description: str, placeholder: str = "") -> widgets.Text:
    return widgets.Text(description=description, placeholder=placeholder, style=WIDE, continuous_update=False,
                        layout=wide())


def area(description: str, placeholder: str = "", height: str = "4em") -> widgets.Textarea:
    return widgets.Textarea(description=description, placeholder=placeholder, style=WIDE, continuous_update=False,
                            layout=wide(height=height))


def group_box(description: str, groups: list[str]) -> widgets.Combobox:
    """A group name: one of the memorandum's parties (or a name already used), or a new one without a memorandum."""
    return widgets.Combobox(description=description, options=groups, ensure_option=False, style=WIDE,
                            continuous_update=False, layout=wide())


def keep_choice(dropdown: widgets.Dropdown, options: list[tuple[str, Any]]) -> None:
    """New options for ``dropdown``, keeping what was chosen when it is still there."""
    chosen = dropdown.value
    dropdown.options = options
    values = [val for _label, val in options]
    dropdown.value = chosen if chosen in values else (values[0] if values else None)


def none_yet(text_: str) -> str:
    return message(text_, "info")
