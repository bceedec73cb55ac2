"""A transferability result as HTML: summary, one row per criterion with the spread, and the explanation.

Everything that came from the library or from people is escaped.
"""

from __future__ import annotations

from lessonkit.domain.scoring import Gap, RankRow, ScoreResult
from lessonkit.i18n import _, ngettext, pgettext
from lessonkit.ui.html import esc, heading, message, table


def _n(value: float) -> str:
    return f"{value:g}"


def summary_html(result: ScoreResult) -> str:
    kind = "error" if result.do_not_transfer else ("info" if result.contested else "ok")
    line = ngettext(
        "Overall match {o}/100 ({a} assessor; single assessors range from {lo} to {hi}): {verdict}.",
        "Overall match {o}/100 ({a} assessors; single assessors range from {lo} to {hi}): {verdict}.",
        result.assessors,
    ).format(
        o=_n(result.overall),
        a=result.assessors,
        lo=_n(result.overall_low),
        hi=_n(result.overall_high),
        verdict=result.verdict,
    )
    out = [message(line, kind)]
    if result.failing:
        names = ", ".join(c.name for c in result.failing)
        out.append(
            message(
                _("Do not transfer as is: critical criteria fail ({names}).").format(names=names), "error"
            )
        )
    if result.contested:
        names = ", ".join(c.name for c in result.contested)
        out.append(
            message(
                _(
                    "Assessors disagree whether these critical criteria block transfer: {names}. "
                    "Discuss them before deciding."
                ).format(names=names),
                "info",
            )
        )
    if result.missing:
        out.append(
            message(
                _("Not scored (not rated on both sides): {names}.").format(
                    names=", ".join(c.name for c in result.missing_criteria)
                ),
                "info",
            )
        )
    return "".join(out)


def criteria_table_html(result: ScoreResult) -> str:
    headers = [
        _("Criterion"),
        pgettext("ratings of the source context", "Source"),
        _("Target (median)"),
        _("Ratings"),
        _("Spread"),
        _("Match"),
        _("Flag"),
    ]
    rows = []
    for c in result.criteria:
        flags = []
        if c.fails:
            flags.append(_("fails (critical)"))
        elif c.contested:
            flags.append(_("contested (critical)"))
        elif c.criterion.critical:
            flags.append(_("critical"))
        if c.spread >= 2:
            flags.append(_("assessors disagree"))
        match = f"{round(100 * c.score)}%"
        if c.score_low != c.score_high:
            match += f" ({round(100 * c.score_low)}–{round(100 * c.score_high)}%)"
        rows.append(
            [
                c.name,
                _n(c.source),
                _n(c.target),
                " ".join(_n(r) for r in c.ratings),
                _n(c.spread),
                match,
                "; ".join(flags),
            ]
        )
    return table(headers, rows)


def gap_html(gap: Gap) -> str:
    cautions = "".join(f"<li>{esc(c)}</li>" for c in gap.cautions)
    critical = esc(_("critical: do not transfer as is"))
    flag = f" <b style='color:#b71c1c'>{critical}</b>" if gap.fails else ""
    return (
        f"<li><b>{esc(gap.what)}</b>{flag}"
        + (f"<ul>{cautions}</ul>" if cautions else "")
        + "<div>{} <i>{}</i></div></li>".format(esc(_("For the conversation:")), esc(gap.prompt))
    )


def explanation_html(result: ScoreResult) -> str:
    strong = "".join(f"<li>{esc(c.name)} ({round(100 * c.score)}%)</li>" for c in result.strongest)
    out = [
        heading(_("Strongest matches"), 4),
        f"<ul>{strong}</ul>" if strong else "<p>{}</p>".format(esc(_("No criterion matches well."))),
        heading(_("Biggest gaps"), 4),
    ]
    gaps = "".join(gap_html(g) for g in result.gaps)
    out.append(
        f"<ul>{gaps}</ul>" if gaps else "<p>{}</p>".format(esc(_("No gaps: the contexts match on every criterion.")))
    )
    limits = _("A score opens a conversation about adaptation; it does not decide.")
    out.append(f"<p><small>{esc(limits)}</small></p>")
    return "".join(out)


def result_html(result: ScoreResult) -> str:
    return summary_html(result) + criteria_table_html(result) + explanation_html(result)


def ranking_html(rows: list[RankRow], limit: int = 20) -> str:
    """One line per module with its verdict and, folded, its biggest gaps."""
    items = []
    why = esc(_("why"))
    for row in rows[:limit]:
        r = row.result
        colour = "#b71c1c" if r.do_not_transfer else "#1b5e20"
        gaps = "".join(gap_html(g) for g in r.gaps)
        items.append(
            f"<li><b>{esc(row.title)}</b> — {esc(_n(r.overall))}/100, "
            f"<span style='color:{colour}'>{esc(r.verdict)}</span>"
            + (f"<details><summary>{why}</summary><ul>{gaps}</ul></details>" if gaps else "")
            + "</li>"
        )
    rest = len(rows) - limit
    more = ""
    if rest > 0:
        more = "<p>{}</p>".format(esc(ngettext("… and {n} more.", "… and {n} more.", rest).format(n=rest)))
    return f"<ol>{''.join(items)}</ol>{more}"
