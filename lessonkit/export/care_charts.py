"""Charts of the risk register and the mutual-aid ledger, drawn with matplotlib's Agg canvas, as PNG bytes.

``risk_matrix_chart`` places each risk (by its number) in the likelihood × impact matrix, the cells coloured by
band; ``stock_chart`` shows what each group holds now. Both take what the disclosure layer let out, nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence

from lessonkit.domain.ledger_book import StockRow
from lessonkit.domain.risk_register import Band, band, band_label, matrix
from lessonkit.domain.risks import SCALE, Risk
from lessonkit.export.plots import _figure, png
from lessonkit.export.report_charts import shaped
from lessonkit.i18n import _, format_number

BAND_COLOURS = {Band.LOW: "#c8e6c9", Band.MEDIUM: "#fff59d", Band.HIGH: "#ffcc80", Band.SEVERE: "#ef9a9a"}
STOCK_COLOUR = "#37474f"


def risk_matrix_chart(risks: Sequence[Risk], title: str = "") -> bytes:
    """The 5 × 5 matrix (likelihood across, impact up), each risk's number in its agreed cell."""
    from matplotlib.patches import Patch, Rectangle

    fig = _figure(6.4, 5.6)
    ax = fig.add_subplot()
    for likelihood in SCALE:
        for impact in SCALE:
            colour = BAND_COLOURS[band(likelihood * impact)]
            ax.add_patch(Rectangle((likelihood - 0.5, impact - 0.5), 1, 1, facecolor=colour, edgecolor="white"))
    for (likelihood, impact), found in matrix(risks).items():
        numbers = [str(r.id) for r in found]
        lines = [", ".join(numbers[i : i + 4]) for i in range(0, len(numbers), 4)]
        ax.text(likelihood, impact, "\n".join(lines), ha="center", va="center", fontsize="small", fontweight="bold")
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.set_xticks(list(SCALE))
    ax.set_yticks(list(SCALE))
    ax.set_xlabel(shaped(_("likelihood (1 rare – 5 almost certain)")))
    ax.set_ylabel(shaped(_("impact (1 minor – 5 severe)")))
    ax.set_aspect("equal")
    handles = [Patch(color=BAND_COLOURS[b], label=shaped(band_label(b))) for b in Band]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=4, fontsize="small",
              frameon=False)
    fig.suptitle(shaped(title or _("Risks by agreed likelihood and impact (numbers are risk ids)")),
                 fontsize="medium")
    return png(fig)


def stock_chart(rows: Sequence[StockRow], names: Sequence[str], title: str = "") -> bytes:
    """What each group holds now: one panel per unit (a euro and a kilo are not drawn on one scale), one bar per
    group (``names``: the groups as they may be shown, in the order of ``rows``)."""
    units: dict[str, list[tuple[str, float]]] = {}
    for name, row in zip(names, rows, strict=True):
        units.setdefault(row.unit, []).append((name, row.held))
    heights = [len(bars) + 1 for bars in units.values()] or [1]
    fig = _figure(7, 0.42 * sum(heights) + 1.0)
    axes = fig.subplots(len(heights), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)[:, 0]
    for ax, (unit, bars) in zip(axes, units.items(), strict=False):
        ys = list(range(len(bars)))[::-1]
        values = [value for _name, value in bars]
        ax.barh(ys, values, color=STOCK_COLOUR)
        ax.set_yticks(ys, [shaped(_shorten(name)) for name, _value in bars])
        top = max(values, default=0)
        for y, value in zip(ys, values, strict=True):
            ax.text(value + top * 0.01, y, format_number(value), va="center", fontsize="small")
        ax.set_xlim(0, top * 1.2 or 1)
        ax.set_xlabel(shaped(unit), fontsize="small")
        ax.grid(axis="x", alpha=0.3)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    fig.suptitle(shaped(title or _("Stock levels: what each group holds now (received, not yet used or passed on)")),
                 fontsize="medium")
    return png(fig)


def _shorten(text: str, limit: int = 36) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
