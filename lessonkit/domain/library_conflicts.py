"""Two versions of a module side by side: which fields differ, word by word (the memorandum's word diff)."""

from __future__ import annotations

from dataclasses import dataclass

from lessonkit.domain.levels import level_name
from lessonkit.domain.library import Module
from lessonkit.domain.modules import (
    CONTEXT_FIELDS,
    module_type_label,
    review_status_label,
    risk_label,
    section_heading,
    transfer_mode_label,
    verdict_label,
)
from lessonkit.domain.mou_diff import Segment, segments_as_text, word_diff
from lessonkit.domain.sharing import share_label
from lessonkit.domain.signals import describe_signal
from lessonkit.i18n import _, pgettext


@dataclass(frozen=True)
class FieldDiff:
    """One field that differs: its label, the text of each version and the word diff from ``left`` to ``right``."""

    key: str
    label: str
    left: str
    right: str
    segments: tuple[Segment, ...]

    def as_text(self) -> str:
        return segments_as_text(self.segments)


def module_fields(module: Module) -> dict[str, tuple[str, str]]:
    """Every field a person compares, as ``key -> (label, text)``, in reading order."""
    fields: dict[str, tuple[str, str]] = {
        "title": (_("Title"), module.title),
        "summary": (_("Summary"), module.summary),
    }
    for key, text in module.sections.items():
        fields[f"sections.{key}"] = (section_heading(key), text)
    for key, text in module.context.items():
        fields[f"context.{key}"] = (_(CONTEXT_FIELDS.get(key, key)), text)
    fields.update(
        {
            "type": (_("Type"), module_type_label(module.type)),
            "status": (_("Review status"), review_status_label(module.status)),
            "risk_level": (pgettext("risk level of a module", "Risk"), risk_label(module.risk_level)),
            "share": (_("Share level"), share_label(module.share)),
            "sensitivity": (_("Sensitivity"), level_name(module.sensitivity)),
            "tags": (_("Tags"), ", ".join(module.tags)),
            "regions": (_("Regions"), ", ".join(module.regions)),
            "related": (_("Related modules"), ", ".join(module.related)),
            "reviews": (
                _("Reviews"),
                "\n".join(
                    f"{r.date.isoformat()} {r.reviewer} ({r.organisation}): "
                    f"{verdict_label(r.verdict)} {r.comments}".rstrip()
                    for r in module.reviews
                ),
            ),
            "lineage": (
                _("Lineage"),
                "\n".join(f"{x.parent} ({transfer_mode_label(x.mode)}) {x.adapted}".rstrip() for x in module.lineage),
            ),
            "signals": (
                _("Signals"),
                "\n".join(describe_signal(s, full=True) for s in module.signals),
            ),
            "authors": (_("Authors"), "; ".join(f"{a.name} ({a.organisation})" for a in module.authors)),
            "funding": (_("Funding"), module.funding),
            "licence": (_("Licence"), module.licence),
            "attribution": (_("Attribution"), module.attribution),
            "source_url": (pgettext("link to where a module comes from", "Source"), module.source_url),
        }
    )
    return fields


def compare_modules(left: Module, right: Module) -> list[FieldDiff]:
    """The fields in which ``right`` differs from ``left``, each with its word diff."""
    a, b = module_fields(left), module_fields(right)
    out = []
    for key in list(a) + [k for k in b if k not in a]:
        label = (a.get(key) or b[key])[0]
        old, new = a.get(key, ("", ""))[1], b.get(key, ("", ""))[1]
        if old != new:
            out.append(FieldDiff(key, label, old, new, word_diff(old, new)))
    return out
