"""The opinion map: each participant an anonymous point, coloured by opinion group, each group marked by its letter
(matplotlib's Agg canvas, no display, no pyplot state). The axes have no meaning of their own: near means "answered
alike"."""

from __future__ import annotations

import io

from lessonkit.domain.opinion_groups import OpinionGroups, group_name
from lessonkit.export.report_charts import shaped
from lessonkit.i18n import _, ngettext

# Colour-blind-safe (Okabe-Ito), one per group, with a marker shape per group too.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9")
MARKERS = ("o", "s", "^", "D", "v")


def opinion_map(groups: OpinionGroups, title: str = "") -> bytes:
    """The scatter of participants as PNG bytes (nobody is named: points only)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 4.5), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for g in range(max(groups.k, 1)):
        points = [p for p, label in zip(groups.points, groups.labels, strict=True) if label == g]
        if not points:
            continue
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        n = len(points)
        name = ngettext("group {name}: {n} person", "group {name}: {n} people", n).format(name=group_name(g), n=n)
        ax.scatter(
            xs,
            ys,
            s=60,
            alpha=0.8,
            color=COLOURS[g % len(COLOURS)],
            marker=MARKERS[g % len(MARKERS)],
            label=shaped(name),
        )
        if groups.k > 1:
            ax.annotate(
                group_name(g),
                (sum(xs) / n, sum(ys) / n),
                fontsize=16,
                fontweight="bold",
                ha="center",
                va="center",
                color="#212121",
            )
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel(shaped(_("near each other: answered alike")))
    if groups.points:
        ax.legend(loc="best", fontsize="small", frameon=False)
    fig.suptitle(shaped(title or _("Opinion groups")), fontsize="medium")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
