"""How a tactic travelled, drawn as a flow chart: the module in the middle, where it came from to the left, what was
adapted from it to the right; each box says where the module was used and with which results, each arrow how it was
derived (copying, emulation, mixture, inspiration) and what was adapted. Matplotlib only (no graph library): the
lineage of a module is a small layered graph, laid out by generation."""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from lessonkit.domain.modules import TransferMode, transfer_mode_label
from lessonkit.domain.signals import ResultClass
from lessonkit.export.dashboard_plots import RESULT_COLOURS, figure, shorten
from lessonkit.export.report_charts import shaped
from lessonkit.i18n import _
from lessonkit.services.network import Flow, FlowNode

BOX_W, BOX_H = 0.6, 0.56
LIGHT = {
    ResultClass.SUCCESS.value: "#e8f5e9",
    ResultClass.MIXED.value: "#fff8e1",
    ResultClass.FAILURE.value: "#ffebee",
    "": "#eceff1",
}


def dominant(results: dict[str, int]) -> str:
    """The result most trials had ('' when none was said or reviewed)."""
    said = {k: n for k, n in results.items() if k and n}
    return max(said, key=lambda k: (said[k], k)) if said else ""


def _lines(text: str, width: int) -> str:
    return "\n".join(shaped(line) for line in textwrap.wrap(text, width) or [""])


def node_text(node: FlowNode) -> tuple[str, str]:
    """(title, details) of a box: the title, then where it was used and its results."""
    title = _lines(shorten(node.title, 60), 20)
    places = ", ".join(node.places) if node.places else _("no place recorded")
    r = node.results
    results = _("success {s} · mixed {m} · failure {f} · not said {n}").format(
        s=r.get("success", 0), m=r.get("mixed", 0), f=r.get("failure", 0), n=r.get("", 0)
    )
    where = _("Where: {places}").format(places=shorten(places, 90))
    details = _lines(where, 28) + "\n" + _lines(results, 28)
    if not node.in_library:
        details += "\n" + shaped(_("(not in this library)"))
    return title, details


def flow_chart(flow: Flow, title: str | None = None) -> Figure:
    """The flow chart of ``flow`` (from :func:`lessonkit.services.network.tactic_flow`)."""
    columns = sorted({n.column for n in flow.nodes})
    by_column = {c: [n for n in flow.nodes if n.column == c] for c in columns}
    rows = max(len(nodes) for nodes in by_column.values())
    fig = figure(max(8.0, 3.4 * len(columns)), max(4.0, 2.2 * rows + 1))
    root = next(n for n in flow.nodes if n.column == 0)
    heading = title or _(
        "How '{title}' travelled: where it came from, where it was adapted, and with which results"
    ).format(title=root.title)
    fig.suptitle(_lines(heading, 110), fontsize="medium")
    ax = fig.add_subplot()
    ax.axis("off")
    where: dict[str, tuple[float, float]] = {}
    for index, column in enumerate(columns):
        nodes = by_column[column]
        for i, node in enumerate(nodes):
            where[node.slug] = (float(index), (len(nodes) - 1) / 2 - i)
    ax.set_xlim(-0.6, len(columns) - 0.4)
    ax.set_ylim(-rows / 2 - 0.1, rows / 2 + 0.1)
    for node in flow.nodes:
        x, y = where[node.slug]
        result = dominant(node.results)
        box = FancyBboxPatch(
            (x - BOX_W / 2, y - BOX_H / 2), BOX_W, BOX_H, boxstyle="round,pad=0.02",
            facecolor=LIGHT[result], edgecolor=RESULT_COLOURS[result], linewidth=3 if node.column == 0 else 1.5,
            linestyle="-" if node.in_library else "--",
        )
        ax.add_patch(box)
        head, details = node_text(node)
        ax.text(x, y + BOX_H / 2 - 0.06, head, ha="center", va="top", fontsize=9, fontweight="bold")
        ax.text(x, y - BOX_H / 2 + 0.05, details, ha="center", va="bottom", fontsize=7)
    for edge in flow.edges:
        (x1, y1), (x2, y2) = where[edge.parent], where[edge.child]
        sign = 1.0 if x2 > x1 else -1.0 if x2 < x1 else 0.0
        start = (x1 + sign * BOX_W / 2, y1) if sign else (x1, y1 - BOX_H / 2)
        end = (x2 - sign * BOX_W / 2, y2) if sign else (x2, y2 + BOX_H / 2)
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=16, color="#37474f", linewidth=1.4))
        mode = transfer_mode_label(TransferMode(edge.mode))
        label = mode + (f": {shorten(edge.adapted, 60)}" if edge.adapted else "")
        ax.text((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 0.04, _lines(label, 18), ha="center",
                va="bottom", fontsize=7, style="italic", color="#37474f")
    return fig
