"""A tactic brief as one printable HTML page (A4 or Letter): two columns of the module's texts under its title and
summary, its lineage on one line, then its sources, attribution and licence.

Headings are in the current language (wrap the call in ``using_language``); the module's own texts are printed as
they are, marked ``dir="auto"`` so a text in another script keeps its direction. Every value is escaped.
"""

from __future__ import annotations

import html
from datetime import date

from lessonkit.domain.brief import Brief, LineageStep
from lessonkit.domain.levels import Sensitivity, level_name
from lessonkit.domain.modules import (
    CONTEXT_FIELDS,
    ModuleType,
    ReviewStatus,
    RiskLevel,
    TransferMode,
    module_type_label,
    review_status_label,
    risk_label,
    section_heading,
    transfer_mode_label,
)
from lessonkit.i18n import _, current_language, direction, format_date

PAPERS = {"a4": "A4", "letter": "Letter"}

STYLE = """
body{font-family:'Noto Sans','Noto Naskh Arabic','Noto Sans Arabic',system-ui,sans-serif;font-size:8.7pt;
line-height:1.3;color:#1b1b1b;margin:0}
.kicker{font-size:7.3pt;letter-spacing:.05em;text-transform:uppercase;color:#546e7a;margin:0}
h1{font-size:16pt;line-height:1.15;margin:1pt 0 3pt 0}
.summary{font-size:9.6pt;font-weight:600;margin:0 0 6pt 0;padding-inline-start:6pt;
border-inline-start:3pt solid #37474f}
.cols{column-count:2;column-gap:6mm}
h2{font-size:9.2pt;margin:5pt 0 1.5pt 0;break-after:avoid;color:#263238}
p{margin:0 0 2.5pt 0}
p.li{padding-inline-start:.9em;text-indent:-.7em}
dl{margin:0}dt{font-weight:600}dd{margin:0 0 2pt 0}
.lineage{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;font-size:8pt;margin:5pt 0 0 0;padding-top:3pt;
border-top:.5pt solid #90a4ae}
.credits{font-size:7.2pt;color:#37474f;margin-top:3pt}
.credits p{margin:0 0 1pt 0}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _lines(lines: tuple[str, ...]) -> str:
    out = []
    for line in lines:
        cls = ' class="li"' if line.startswith("• ") else ""
        out.append(f'<p{cls} dir="auto">{_e(line)}</p>')
    return "".join(out)


def lineage_text(steps: tuple[LineageStep, ...]) -> str:
    """The lineage on one line, in the current language."""
    if not steps:
        return _("No recorded lineage.")
    parts = []
    for step in steps:
        mode = transfer_mode_label(TransferMode(step.mode))
        if step.direction == "up":
            parts.append("↑ " + _("derived from {title} ({mode})").format(title=step.title, mode=mode))
        else:
            parts.append("↓ " + _("{title} derived from it ({mode})").format(title=step.title, mode=mode))
    return " · ".join(parts)


def _kicker(brief: Brief) -> str:
    parts = [
        module_type_label(ModuleType(brief.type)),
        _("risk: {r}").format(r=risk_label(RiskLevel(brief.risk))),
        _("status: {s}").format(s=review_status_label(ReviewStatus(brief.status))),
        level_name(Sensitivity(brief.sensitivity)),
    ]
    return " · ".join(parts)


def _body(brief: Brief) -> str:
    out = [f"<h2>{_e(section_heading(s.key))}</h2>{_lines(s.lines)}" for s in brief.sections]
    if brief.context:
        labels = {key: _(CONTEXT_FIELDS[key]) for key, _note in brief.context}
        items = "".join(f'<dt>{_e(labels[key])}</dt><dd dir="auto">{_e(note)}</dd>' for key, note in brief.context)
        title = _("Context where it happened")
        out.append(f"<h2>{_e(title)}</h2><dl>{items}</dl>")
    if brief.signals:
        items = "".join(f'<p class="li" dir="auto">• {_e(s)}</p>' for s in brief.signals)
        title = _("Signals (measured outcomes)")
        out.append(f"<h2>{_e(title)}</h2>{items}")
    return "".join(out)


def _credits(brief: Brief, printed: date) -> str:
    rows: list[tuple[str, str]] = []
    if brief.source_url:
        rows.append((_("Source"), brief.source_url))
    if brief.links:
        rows.append((_("Learn more"), "; ".join(f"{t} ({u})" if t != u else u for t, u in brief.links)))
    if brief.authors:
        rows.append((_("Authors"), brief.authors))
    if brief.attribution:
        rows.append((_("Attribution"), brief.attribution))
    if brief.licence:
        rows.append((_("Licence"), brief.licence))
    if brief.funding:
        rows.append((_("Funding"), brief.funding))
    out = [f'<p><b>{_e(label)}:</b> <span dir="auto">{_e(value)}</span></p>' for label, value in rows]
    note = _("Printed from the lessonkit library on {date}.").format(date=format_date(printed))
    if brief.shortened:
        note += " " + _("Shortened from the original for one page; the full text is at its source.")
    if brief.licence:
        note += " " + _("This brief is shared under the same licence.")
    out.append(f"<p>{_e(note)}</p>")
    return "".join(out)


def brief_html(brief: Brief, printed: date | None = None) -> str:
    """The brief as a whole HTML page, headings in the current language."""
    lang = current_language()
    lineage_label = _("Lineage")
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}" dir="{_e(direction(lang))}"><head><meta charset="utf-8">'
        f"<title>{_e(brief.title)}</title><style>{STYLE}</style></head><body>"
        f'<p class="kicker">{_e(_kicker(brief))}</p>'
        f'<h1 dir="auto">{_e(brief.title)}</h1>'
        + (f'<p class="summary" dir="auto">{_e(brief.summary)}</p>' if brief.summary else "")
        + f'<main class="cols">{_body(brief)}</main>'
        f'<p class="lineage"><b>{_e(lineage_label)}:</b> {_e(lineage_text(brief.lineage))}</p>'
        f'<footer class="credits">{_credits(brief, printed or date.today())}</footer>'
        "</body></html>\n"
    )
