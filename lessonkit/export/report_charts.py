"""Small charts for reports, drawn with matplotlib's Agg canvas (no display, no pyplot state) as PNG bytes."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from lessonkit.i18n import _

BAR_COLOUR = "#37474f"
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def shaped(text: str) -> str:
    """``text`` ready for matplotlib, which draws glyphs one by one from left to right: Arabic letters joined
    (arabic-reshaper) and right-to-left runs put in display order (python-bidi). Other text is unchanged."""
    if not _RIGHT_TO_LEFT.search(text):
        return text
    import arabic_reshaper
    from bidi import get_display

    return str(get_display(arabic_reshaper.reshape(text)))


def bar_chart(labels: Sequence[str], values: Sequence[float], title: str, xlabel: str = "") -> bytes:
    """A horizontal bar chart (first label on top) as PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(7, 0.42 * max(len(labels), 1) + 1.2), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, list(values), color=BAR_COLOUR)
    ax.set_yticks(ys, [shaped(_shorten(label)) for label in labels])
    top = max(values, default=0)
    for y, value in zip(ys, values, strict=True):
        ax.text(value + top * 0.01 + 0.05, y, f"{value:g}", va="center", fontsize="small")
    ax.set_xlim(0, top * 1.15 + 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(shaped(xlabel or _("number of notes")))
    ax.grid(axis="x", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.suptitle(shaped(title), fontsize="medium")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
