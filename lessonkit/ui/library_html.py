"""A module rendered as HTML for the library browser. Every value from the library is escaped."""

from __future__ import annotations

from lessonkit.domain.library import Module
from lessonkit.domain.library_review import endorsing_organisations
from lessonkit.domain.modules import (
    CONTEXT_FIELDS,
    SECTION_HEADINGS,
    TransferMode,
    module_type_label,
    review_status_label,
    risk_label,
    section_heading,
    transfer_mode_label,
    verdict_label,
)
from lessonkit.domain.signals import describe_signal
from lessonkit.i18n import _, pgettext
from lessonkit.services.library_search import Lineage, Related
from lessonkit.ui.html import esc, heading, sensitivity_badge, tag_chips

_TEXT = 'style="white-space:pre-wrap;max-width:48em;margin:.2em 0 .8em 0"'


def _section(title: str, body: str) -> str:
    return f"<h4 style='margin:.6em 0 .2em 0'>{esc(title)}</h4><div {_TEXT}>{esc(body)}</div>"


def _ordered_sections(module: Module) -> list[tuple[str, str]]:
    keys = [k for k in SECTION_HEADINGS if k in module.sections]
    keys += [k for k in module.sections if k not in SECTION_HEADINGS]
    return [(k, module.sections[k]) for k in keys]


def status_line(module: Module) -> str:
    parts = [
        module_type_label(module.type),
        _("status: {s}").format(s=review_status_label(module.status)),
        _("risk: {r}").format(r=risk_label(module.risk_level)),
    ]
    if module.anonymised:
        parts.append(_("anonymised"))
    return " · ".join(parts)


def module_html(module: Module, related: Related | None = None, lineage: Lineage | None = None) -> str:
    """Title, status, summary, sections, context notes, signals, provenance, reviews, related, lineage."""
    out = [
        f"<h3 style='margin-bottom:.1em'>{esc(module.title)}</h3>",
        f"<div>{sensitivity_badge(module.sensitivity)} {esc(status_line(module))}</div>",
    ]
    if module.summary:
        out.append(f"<p style='max-width:48em'><i>{esc(module.summary)}</i></p>")
    if module.tags or module.regions:
        out.append(f"<div>{tag_chips(module.tags)}{tag_chips(module.regions)}</div>")
    out += [_section(section_heading(k), text) for k, text in _ordered_sections(module)]
    if module.context:
        items = "".join(
            f"<li><b>{esc(_(CONTEXT_FIELDS[k]))}:</b> {esc(t)}</li>" for k, t in module.context.items()
        )
        out.append(heading(_("Context where it happened"), 4) + f"<ul>{items}</ul>")
    if module.signals:
        out.append(_signals_html(module))
    out.append(_provenance_html(module))
    if module.reviews:
        out.append(_reviews_html(module))
    if related is not None:
        out.append(_related_html(related))
    if lineage is not None:
        out.append(_lineage_html(lineage))
    return "".join(out)


def _signals_html(module: Module) -> str:
    rows = [f"<li>{esc(describe_signal(s))}</li>" for s in module.signals]
    return heading(_("Signals (measured outcomes)"), 4) + f"<ul>{''.join(rows)}</ul>"


def _provenance_html(module: Module) -> str:
    authors = ", ".join(f"{a.name} ({a.organisation})" if a.organisation else a.name for a in module.authors)
    rows = [
        (_("Authors"), authors),
        (_("Attribution"), module.attribution),
        (_("Licence"), module.licence),
        (_("Funding"), module.funding),
        (pgettext("link to where a module comes from", "Source"), module.source_url),
    ]
    items = "".join(f"<li><b>{esc(k)}:</b> {esc(v)}</li>" for k, v in rows if v)
    return heading(_("Where it comes from"), 4) + f"<ul>{items}</ul>" if items else ""


def _reviews_html(module: Module) -> str:
    items = "".join(
        f"<li>{esc(r.date.isoformat())} · <b>{esc(r.reviewer)}</b> ({esc(r.organisation)}): "
        f"{esc(verdict_label(r.verdict))}{' — ' + esc(r.comments) if r.comments else ''}</li>"
        for r in module.reviews
    )
    orgs = endorsing_organisations(module)
    note = _("Endorsed by organisations other than the authors': {orgs}").format(
        orgs=", ".join(orgs) or pgettext("empty list of organisations", "none")
    )
    return heading(_("Peer review"), 4) + f"<ul>{items}</ul><p>{esc(note)}</p>"


def _related_html(related: Related) -> str:
    def names(mods: list[Module]) -> str:
        return ", ".join(esc(m.title) for m in mods) or esc(pgettext("empty list of modules", "none"))

    links_to, linked_from, missing = esc(_("Links to")), esc(_("Linked from")), esc(_("Not in this library"))
    out = [
        heading(_("Related modules"), 4) + "<ul>",
        f"<li>{links_to}: {names(related.links_to)}</li>",
        f"<li>{linked_from}: {names(related.linked_from)}</li>",
    ]
    if related.missing:
        out.append(f"<li>{missing}: {esc(', '.join(related.missing))}</li>")
    return "".join(out) + "</ul>"


def _step(template: str, title: str, mode: TransferMode) -> str:
    """One lineage step: the translated sentence escaped, the title in bold."""
    return esc(template).format(title=f"<b>{esc(title)}</b>", mode=esc(transfer_mode_label(mode)))


def _lineage_html(lineage: Lineage) -> str:
    if not lineage.ancestors and not lineage.descendants:
        return heading(_("Lineage"), 4) + "<p>{}</p>".format(esc(_("No recorded lineage.")))
    up, down = _("derived from {title} ({mode})"), _("{title} derived from it ({mode})")
    out = [heading(_("Lineage"), 4) + "<ul>"]
    for step in lineage.ancestors:
        title = step.module.title if step.module else step.slug
        out.append(
            f"<li>{'↑' * step.depth} {_step(up, title, step.mode)}"
            f"{': ' + esc(step.adapted) if step.adapted else ''}</li>"
        )
    for step in lineage.descendants:
        title = step.module.title if step.module else step.slug
        out.append(
            f"<li>{'↓' * step.depth} {_step(down, title, step.mode)}"
            f"{': ' + esc(step.adapted) if step.adapted else ''}</li>"
        )
    return "".join(out) + "</ul>"
