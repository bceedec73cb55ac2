"""Plain-text renderings for the library and scoring commands (what a person reads in a terminal)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lessonkit.domain.levels import level_name
from lessonkit.domain.library import Module
from lessonkit.domain.library_review import endorsing_organisations
from lessonkit.domain.modules import (
    CONTEXT_FIELDS,
    SECTION_HEADINGS,
    module_type_label,
    review_status_label,
    risk_label,
    section_heading,
    transfer_mode_label,
    verdict_label,
)
from lessonkit.domain.scoring import RankRow, ScoreResult
from lessonkit.domain.sharing import share_name
from lessonkit.domain.signals import describe_signal
from lessonkit.i18n import _, pgettext
from lessonkit.services.library_search import Lineage, Related


def module_row(m: Module) -> dict[str, Any]:
    return {
        "slug": m.slug,
        "title": m.title,
        "type": m.type.value,
        "status": m.status.value,
        "risk": m.risk_level.value,
        "sensitivity": m.sensitivity.value,
        "share": m.share.value,
        "regions": list(m.regions),
        "profile": "yes" if m.source_profile else "",
    }


def module_lines(m: Module, related: Related, lineage: Lineage) -> Iterator[str]:
    yield m.title
    yield "=" * min(len(m.title), 80)
    badges = [
        module_type_label(m.type),
        _("status: {s}").format(s=review_status_label(m.status)),
        _("risk: {r}").format(r=risk_label(m.risk_level)),
        _("sensitivity: {s}").format(s=level_name(m.sensitivity)),
        _("share: {s}").format(s=share_name(m.share)),
    ]
    if m.anonymised:
        badges.append(_("anonymised"))
    yield " · ".join(badges)
    if m.summary:
        yield ""
        yield m.summary
    keys = [k for k in SECTION_HEADINGS if k in m.sections] + [k for k in m.sections if k not in SECTION_HEADINGS]
    for key in keys:
        yield ""
        yield f"## {section_heading(key)}"
        yield m.sections[key]
    if m.context:
        yield ""
        yield "## " + _("Context where it happened")
        for key, text in m.context.items():
            yield f"- {_(CONTEXT_FIELDS[key])}: {text}"
    if m.signals:
        yield ""
        yield "## " + _("Signals")
        for s in m.signals:
            yield f"- {describe_signal(s)}"
    yield ""
    yield "## " + _("Where it comes from")
    authors = ", ".join(f"{a.name} ({a.organisation})" if a.organisation else a.name for a in m.authors)
    for label, value in (
        (_("Authors"), authors),
        (_("Attribution"), m.attribution),
        (_("Licence"), m.licence),
        (_("Funding"), m.funding),
        (pgettext("link to where a module comes from", "Source"), m.source_url),
    ):
        if value:
            yield f"- {label}: {value}"
    if m.reviews:
        yield ""
        yield "## " + _("Peer review")
        for r in m.reviews:
            comments = f" — {r.comments}" if r.comments else ""
            yield f"- {r.date} {r.reviewer} ({r.organisation}): {verdict_label(r.verdict)}{comments}"
        yield _("Endorsing organisations (not the authors'): {orgs}").format(
            orgs=", ".join(endorsing_organisations(m)) or pgettext("empty list of organisations", "none")
        )
    yield ""
    yield "## " + _("Related modules")
    none = pgettext("empty list of modules", "none")
    yield _("Links to: {x}").format(x=", ".join(x.slug for x in related.links_to) or none)
    yield _("Linked from: {x}").format(x=", ".join(x.slug for x in related.linked_from) or none)
    if related.missing:
        yield _("Not in this library: {x}").format(x=", ".join(related.missing))
    if lineage.ancestors or lineage.descendants:
        yield ""
        yield "## " + _("Lineage")
        for up in lineage.ancestors:
            note = f": {up.adapted}" if up.adapted else ""
            yield f"{'  ' * (up.depth - 1)}↑ {up.via} ← {up.slug} ({transfer_mode_label(up.mode)}){note}"
        for down in lineage.descendants:
            note = f": {down.adapted}" if down.adapted else ""
            yield f"{'  ' * (down.depth - 1)}↓ {down.via} → {down.slug} ({transfer_mode_label(down.mode)}){note}"


def result_dict(result: ScoreResult) -> dict[str, Any]:
    """A score as JSON-ready data (stable keys, for scripts)."""
    return {
        "overall": result.overall,
        "overall_low": result.overall_low,
        "overall_high": result.overall_high,
        "assessors": result.assessors,
        "verdict": result.verdict,
        "do_not_transfer": result.do_not_transfer,
        "criteria": [
            {
                "id": c.id,
                "name": c.name,
                "source": c.source,
                "target": c.target,
                "ratings": list(c.ratings),
                "spread": c.spread,
                "score": round(c.score, 3),
                "critical": c.criterion.critical,
                "fails": c.fails,
                "contested": c.contested,
            }
            for c in result.criteria
        ],
        "strongest": [c.id for c in result.strongest],
        "gaps": [
            {
                "criterion": g.criterion_id,
                "what": g.what,
                "fails": g.fails,
                "cautions": list(g.cautions),
                "prompt": g.prompt,
            }
            for g in result.gaps
        ],
        "missing": list(result.missing),
    }


def criteria_rows(result: ScoreResult) -> list[dict[str, Any]]:
    return [
        {
            "criterion": c.name,
            "critical": "yes" if c.criterion.critical else "",
            "source": f"{c.source:g}",
            "target": f"{c.target:g}",
            "match": f"{round(100 * c.score)}%",
            "flag": _("FAILS") if c.fails else (_("contested") if c.contested else ""),
        }
        for c in result.criteria
    ]


def explanation_lines(result: ScoreResult) -> Iterator[str]:
    yield ""
    yield _("Overall: {o}/100 — {v}").format(o=f"{result.overall:g}", v=result.verdict)
    if result.strongest:
        yield _("Strongest matches: {x}").format(x=", ".join(c.name for c in result.strongest))
    for g in result.gaps:
        yield ""
        critical = _("critical: do not transfer as is")
        yield f"* {g.what}" + (f"  [{critical}]" if g.fails else "")
        for caution in g.cautions:
            yield f"    - {caution}"
        yield f"    ? {g.prompt}"
    yield ""
    yield _("A score opens a conversation about adaptation; it does not decide.")


def rank_rows(rows: list[RankRow]) -> list[dict[str, Any]]:
    return [
        {
            "rank": i,
            "slug": r.slug,
            "title": r.title,
            "overall": r.result.overall,
            "verdict": r.result.verdict,
            "biggest_gap": r.result.gaps[0].name if r.result.gaps else "",
        }
        for i, r in enumerate(rows, start=1)
    ]
