"""Charts of transferability, drawn with matplotlib's Agg canvas (no display, no pyplot state).

``criterion_chart`` shows, per criterion, where the tactic came from, the assessors' median for the target and
the range of their ratings; ``ranking_chart`` shows modules ranked for one target; ``png`` gives the bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from lessonkit.domain.rubric import MAX_RATING
from lessonkit.domain.scoring import RankRow, ScoreResult
from lessonkit.export.report_charts import shaped
from lessonkit.i18n import _

SOURCE_COLOUR = "#1f77b4"
TARGET_COLOUR = "#ff7f0e"
FAIL_COLOUR = "#c0392b"
OK_COLOUR = "#2e8b57"


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def criterion_chart(result: ScoreResult, title: str = "") -> Figure:
    """Source vs target per criterion, with the spread of the assessors' ratings as a bar."""
    rows = list(reversed(result.criteria))
    fig = _figure(8, 0.55 * len(rows) + 1.6)
    ax = fig.add_subplot()
    ys = range(len(rows))
    for y, row in enumerate(rows):
        low, high = min(row.ratings), max(row.ratings)
        ax.plot([low, high], [y, y], color=TARGET_COLOUR, alpha=0.35, linewidth=8, solid_capstyle="round")
        colour = FAIL_COLOUR if row.fails else TARGET_COLOUR
        ax.scatter([row.target], [y], color=colour, marker="D", s=60, zorder=3)
        ax.scatter([row.source], [y], color=SOURCE_COLOUR, marker="o", s=60, zorder=3, facecolors="none",
                   linewidths=2)
    labels = [shaped(f"{r.name}{' *' if r.criterion.critical else ''}") for r in rows]
    ax.set_yticks(list(ys), labels)
    for tick, row in zip(ax.get_yticklabels(), rows, strict=True):
        if row.fails:
            tick.set_color(FAIL_COLOUR)
    ax.set_xlim(-0.3, MAX_RATING + 0.3)
    ax.set_xticks(range(MAX_RATING + 1))
    ax.set_xlabel(shaped(_("rating (0–4)")))
    ax.grid(axis="x", alpha=0.3)
    ax.scatter([], [], color=SOURCE_COLOUR, marker="o", facecolors="none", linewidths=2,
               label=shaped(_("where the tactic came from")))
    ax.scatter([], [], color=TARGET_COLOUR, marker="D", label=shaped(_("target (median)")))
    ax.plot([], [], color=TARGET_COLOUR, alpha=0.35, linewidth=8, label=shaped(_("range of assessors' ratings")))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 if len(rows) > 4 else -0.25), ncol=3,
              fontsize="small", frameon=False)
    heading = title or _("Source and target, criterion by criterion")
    overall = _("overall {score}/100 · {verdict}  (* critical)").format(
        score=f"{result.overall:g}", verdict=result.verdict
    )
    fig.suptitle(shaped(f"{heading}\n{overall}"), fontsize="medium")
    return fig


def ranking_chart(rows: Sequence[RankRow], title: str = "", top: int = 15) -> Figure:
    """Overall score of the best ``top`` modules; those that fail a critical criterion in red."""
    shown = list(rows[:top])[::-1]
    fig = _figure(8, 0.4 * max(len(shown), 1) + 1.4)
    ax = fig.add_subplot()
    colours = [FAIL_COLOUR if r.result.do_not_transfer else OK_COLOUR for r in shown]
    ax.barh(range(len(shown)), [r.result.overall for r in shown], color=colours)
    ax.set_yticks(range(len(shown)), [shaped(_shorten(r.title)) for r in shown])
    for y, r in enumerate(shown):
        ax.text(r.result.overall + 1, y, f"{r.result.overall:g}", va="center", fontsize="small")
    ax.set_xlim(0, 108)
    ax.set_xlabel(shaped(_("overall match (0–100)")))
    ax.grid(axis="x", alpha=0.3)
    handles = [Patch(color=OK_COLOUR, label=shaped(_("no critical criterion fails"))),
               Patch(color=FAIL_COLOUR, label=shaped(_("do not transfer as is")))]
    ax.legend(handles=handles, loc="lower right", fontsize="small")
    fig.suptitle(shaped(title or _("Modules ranked for the target context")), fontsize="medium")
    return fig


def _shorten(text: str, limit: int = 42) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
