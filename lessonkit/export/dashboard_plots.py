"""The network dashboard's charts, drawn with matplotlib's Agg canvas (no display, no pyplot state), ready to print.

``tactic_results_chart``: where each tactic was tried and how it went; ``signals_chart``: signals over time against
their baselines; ``recurring_chart``: needs, themes or risks by the number of convenings they came up in;
:mod:`lessonkit.export.flow_plot` draws how a tactic travelled. ``dashboard_pdf`` writes figures as one PDF, a page
each. The data comes from :mod:`lessonkit.services.network` (already through the disclosure layer).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateFormatter, AutoDateLocator, date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from lessonkit.domain.signals import OutcomeType, ResultClass, outcome_label, result_label
from lessonkit.export.report_charts import shaped
from lessonkit.i18n import _, ngettext
from lessonkit.services.network import NetworkView, Recurring, TimedSignal

RESULT_COLOURS = {
    ResultClass.SUCCESS.value: "#2e7d32",
    ResultClass.MIXED.value: "#f9a825",
    ResultClass.FAILURE.value: "#c62828",
    "": "#90a4ae",
}
RESULT_MARKERS = {ResultClass.SUCCESS: "o", ResultClass.MIXED: "s", ResultClass.FAILURE: "X", None: "."}
OUTCOME_COLOURS = dict(
    zip(OutcomeType, ["#1565c0", "#6a1b9a", "#00838f", "#ef6c00", "#2e7d32", "#ad1457", "#546e7a"], strict=True)
)
A4_LANDSCAPE = (11.69, 8.27)


def figure(width: float = 10, height: float = 6) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def result_name(value: str) -> str:
    """A result value ('' for not said) as a reader sees it."""
    return result_label(ResultClass(value)) if value else _("not said / not reviewed")


def _empty(fig: Figure, text: str) -> Figure:
    ax = fig.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, shaped(text), ha="center", va="center", wrap=True)
    return fig


def tactic_results_chart(view: NetworkView, titles: dict[str, str], top: int = 15) -> Figure:
    """Per module, how many times it was tried (reflections and signals) and how it went, stacked by result; the
    number of places beside each bar."""
    per: dict[str, dict[str, int]] = {}
    places: dict[str, set[str]] = {}
    for t in view.trials:
        counts = per.setdefault(t.module, dict.fromkeys(RESULT_COLOURS, 0))
        counts[t.result.value if t.result else ""] += 1
        if t.where:
            places.setdefault(t.module, set()).add(t.where)
    ranked = sorted(per, key=lambda m: (-sum(per[m].values()), titles.get(m, m)))[:top][::-1]
    fig = figure(10, 0.45 * max(len(ranked), 1) + 2.2)
    title = _("Where tactics were tried, and how they went")
    fig.suptitle(shaped(title), fontsize="medium")
    if not ranked:
        return _empty(fig, _("No tactic has been tried yet: reflections name tactics, and signals measure them."))
    ax = fig.add_subplot()
    left = [0] * len(ranked)
    for value, colour in RESULT_COLOURS.items():
        widths = [per[m][value] for m in ranked]
        ax.barh(range(len(ranked)), widths, left=left, color=colour, label=shaped(result_name(value)))
        left = [a + b for a, b in zip(left, widths, strict=True)]
    for y, module in enumerate(ranked):
        n = len(places.get(module, ()))
        where = ngettext("{n} place", "{n} places", n).format(n=n)
        ax.text(left[y] + 0.1, y, shaped(where), va="center", fontsize="small")
    ax.set_yticks(range(len(ranked)), [shaped(shorten(titles.get(m, m))) for m in ranked])
    ax.set_xlim(0, max(left) * 1.25 + 1)
    ax.set_xlabel(shaped(_("times tried (reflections and signals)")))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize="small")
    return fig


def signals_chart(timed: Sequence[TimedSignal], untimed: int = 0) -> Figure:
    """Each signal at the middle of its period, by its change against the baseline (per cent); colour: the kind of
    outcome; marker: the result class peer review set. Signals without a baseline are drawn on the baseline line
    with a hollow marker (their value alone says nothing about change)."""
    fig = figure(10, 5.5)
    heading = _("Signals over time: change against the baseline")
    notes = []
    if untimed:
        notes.append(ngettext("{n} signal has no period and is not shown.",
                              "{n} signals have no period and are not shown.", untimed).format(n=untimed))
    fig.suptitle(shaped("\n".join([heading, *notes])), fontsize="medium")
    if not timed:
        return _empty(fig, _("No signal with a period yet: add one with `lessonkit library signal add … --period`."))
    ax = fig.add_subplot()
    ax.axhline(0, color="#455a64", linewidth=0.8)
    for t in timed:
        s = t.signal
        change = s.relative_change
        colour = OUTCOME_COLOURS[s.outcome]
        marker = RESULT_MARKERS[s.result]
        if change is None:
            ax.scatter([date2num(t.when)], [0], marker=marker if marker != "." else "o", s=60, facecolors="none",
                       edgecolors=colour, zorder=3)
        else:
            ax.scatter([date2num(t.when)], [change * 100], marker=marker, s=70, color=colour, zorder=3)
            ax.annotate(shaped(shorten(t.title, 24)), (date2num(t.when), change * 100), textcoords="offset points",
                        xytext=(5, 4), fontsize="x-small")
    ax.set_ylabel(shaped(_("change against the baseline (%)")))
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(AutoDateFormatter(locator))
    ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    kinds = sorted({t.signal.outcome for t in timed}, key=list(OutcomeType).index)
    handles: list[Artist] = [Patch(color=OUTCOME_COLOURS[o], label=shaped(outcome_label(o))) for o in kinds]
    handles += [
        Line2D([], [], marker=RESULT_MARKERS[r], linestyle="", color="#37474f", label=shaped(result_label(r)))
        for r in [*ResultClass, None]
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
    return fig


def recurring_chart(items: Sequence[Recurring], title: str, top: int = 12) -> Figure:
    """Tags (or categories) by the number of convenings they came up in, those in more than one first."""
    shown = list(items[:top])[::-1]
    fig = figure(9, 0.45 * max(len(shown), 1) + 1.8)
    fig.suptitle(shaped(title), fontsize="medium")
    if not shown:
        return _empty(fig, _("Nothing to show at this level yet."))
    ax = fig.add_subplot()
    colours = ["#37474f" if r.recurs else "#b0bec5" for r in shown]
    ax.barh(range(len(shown)), [len(r.convenings) for r in shown], color=colours)
    ax.set_yticks(range(len(shown)), [shaped(shorten(label_of(r.key), 36)) for r in shown])
    for y, r in enumerate(shown):
        mentions = ngettext("{n} mention", "{n} mentions", r.count).format(n=r.count)
        ax.text(len(r.convenings) + 0.05, y, shaped(mentions), va="center", fontsize="small")
    ax.set_xlim(0, max(len(r.convenings) for r in shown) + 1.2)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(shaped(_("convenings it came up in")))
    ax.grid(axis="x", alpha=0.3)
    handles = [Patch(color="#37474f", label=shaped(_("recurs (two convenings or more)"))),
               Patch(color="#b0bec5", label=shaped(_("one convening so far")))]
    ax.legend(handles=handles, loc="lower right", fontsize="small")
    return fig


def label_of(key: str) -> str:
    """A tag stays '#tag'; a risk category code becomes words ('digital-security' -> 'digital security')."""
    return key if key.startswith("#") else key.replace("-", " ")


def dashboard_pdf(figures: Sequence[Figure], path: str | os.PathLike[str]) -> Path:
    """Write ``figures`` to one PDF, a page each (A4 landscape), for printing; returns the file."""
    from matplotlib.backends.backend_pdf import PdfPages

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    with PdfPages(tmp) as pdf:
        for fig in figures:
            fig.set_size_inches(*A4_LANDSCAPE)
            pdf.savefig(fig)
    os.replace(tmp, out)
    return out
