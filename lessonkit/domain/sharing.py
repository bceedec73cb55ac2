"""Which modules may leave this laptop for the network's library server: one rule, asked by every sync step.

A module leaves only when a person chose a share level of ``network`` or ``public`` for it **and** its sensitivity
allows partner groups to read it (public or network). Convening-level and restricted content never leaves, whatever
its share level says; a module written here starts at ``local``. Peer reviews, lineage links and signals are part of
the module, so they travel with it and only with it.
"""

from __future__ import annotations

from typing import Any

from lessonkit.domain.levels import Sensitivity, level_name
from lessonkit.domain.library import Module
from lessonkit.domain.modules import ShareLevel
from lessonkit.errors import ValidationError
from lessonkit.i18n import _, pgettext

LEAVING_LEVELS = frozenset({ShareLevel.NETWORK, ShareLevel.PUBLIC})
LEAVING_SENSITIVITIES = frozenset({Sensitivity.PUBLIC, Sensitivity.NETWORK})
_LEVEL_VALUES = frozenset(s.value for s in LEAVING_LEVELS)
_SENSITIVITY_VALUES = frozenset(s.value for s in LEAVING_SENSITIVITIES)


def may_leave(module: Module) -> bool:
    """True when ``module`` may be sent to the network's library server."""
    return doc_may_leave({"share": module.share.value, "sensitivity": module.sensitivity.value})


def doc_may_leave(doc: dict[str, Any]) -> bool:
    """The same rule read straight from a stored module (no validation: for scanning a whole library quickly).

    A module stored before share levels existed has none: it is local.
    """
    share = doc.get("share") or ShareLevel.LOCAL.value
    sensitivity = doc.get("sensitivity") or Sensitivity.NETWORK.value
    return share in _LEVEL_VALUES and sensitivity in _SENSITIVITY_VALUES


def check_share(module: Module, level: ShareLevel) -> None:
    """Refuse a share level the module's sensitivity does not allow (with what to do instead)."""
    if level is ShareLevel.LOCAL:
        return
    if module.sensitivity not in LEAVING_SENSITIVITIES:
        raise ValidationError(
            "share",
            _(
                "'{slug}' is marked {sensitivity}: such content never leaves this laptop. If it may be shared, "
                "lower its sensitivity first (`lessonkit library edit`)."
            ).format(slug=module.slug, sensitivity=level_name(module.sensitivity)),
        )
    if level is ShareLevel.PUBLIC and module.sensitivity is not Sensitivity.PUBLIC:
        raise ValidationError(
            "share",
            _(
                "'{slug}' is marked {sensitivity} (partner groups only): share it with --level network, "
                "or make its sensitivity public first."
            ).format(slug=module.slug, sensitivity=level_name(module.sensitivity)),
        )


def share_name(level: ShareLevel) -> str:
    """The share level in a word for readers; what a person types (``--level network``) stays the value."""
    return {
        ShareLevel.LOCAL: pgettext("share level of a module", "local"),
        ShareLevel.NETWORK: pgettext("share level of a module", "network"),
        ShareLevel.PUBLIC: pgettext("share level of a module", "public"),
    }[level]


def share_label(level: ShareLevel) -> str:
    return {
        ShareLevel.LOCAL: _("Local: stays on this laptop"),
        ShareLevel.NETWORK: _("Network: goes to the network's library server at the next sync"),
        ShareLevel.PUBLIC: _("Public: goes to the network's library server and may be published"),
    }[level]
