"""The /triggers chart: a forest plot of relative risks with their intervals, on a log axis.

Drawn with matplotlib's object API on an Agg canvas, so it never touches pyplot's global state
or the process-wide backend, and is safe to call from the bot's worker threads.
"""

from __future__ import annotations

import io
import math

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.textpath import TextToPath
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator
from matplotlib.transforms import blended_transform_factory

from analysis.model import FoodResult, TriggerReport, Verdict
from analysis.wording import VERDICT_WORDS, label, times

COLOURS: dict[Verdict, str] = {
    "likely_trigger": "#c0392b",
    "possible_trigger": "#e67e22",
    "protective": "#2471a3",
    "looks_safe": "#1e8449",
    "not_enough_data": "#7f8c8d",
}
MAX_ROWS = 18
X_MIN, X_MAX = 0.1, 20.0  # beyond these an interval is drawn as an arrow at the edge
TICKS = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20)
TICK_PRIORITY = (1, 2, 0.5, 5, 0.1, 10, 0.2, 20)  # which to keep when not all fit

# Size and layout, in inches and points. 6 in at 150 dpi is 900 px wide: sharp on a phone.
DPI = 150
WIDTH_IN = 6.0
ROW_IN = 0.45  # per food
NAME_SIZE, FIGURE_SIZE, LEGEND_SIZE = 10, 9, 8  # food names, "2.4× (1.0–4.7)", legend
TICK_SIZE = 10  # "0.5×" under the axis
EDGE_IN = 3 / 72  # blank border around everything
NAME_PAD_IN = 3.5 / 72  # between a food's name and the axes (matplotlib's tick label pad)
FIGURE_PAD_IN = 10 / 72  # between the axes and the figures on the right
TITLE_IN = 0.24  # title line and its gap to the axes
XAXIS_IN = 0.52  # tick labels and the x-axis label under the axes
LEGEND_ROW_IN = 0.2

_TEXT = TextToPath()  # measures text widths for the layout; keeps its font cache between charts


def chart_rows(report: TriggerReport, max_rows: int = MAX_ROWS) -> list[FoodResult]:
    """Foods worth plotting, best first: triggers, protective items, safe foods, then unclear."""
    if not report.enough_data:
        return []
    tested = [r for r in report.results if not r.too_few_days and r.rr is not None]
    flagged = [r for r in tested if r.verdict in ("likely_trigger", "possible_trigger")]
    protective = [r for r in tested if r.verdict == "protective"]
    safe = [r for r in tested if r.verdict == "looks_safe"]
    unclear = [r for r in tested if r.verdict == "not_enough_data"]
    # keep room for a few safe foods even when many foods look like possible triggers
    rows = flagged[: max_rows - min(len(safe), 5) - min(len(protective), 3)]
    rows += protective[: max_rows - min(len(safe), 5) - len(rows)]
    rows += safe[: max_rows - len(rows)]
    rows += unclear[: max_rows - len(rows)]
    return rows


def render_chart_png(report: TriggerReport) -> bytes | None:
    """PNG bytes of the forest plot, or None when there is nothing to plot."""
    rows = chart_rows(report)
    if not rows:
        return None
    n = len(rows)
    fig = Figure(figsize=(WIDTH_IN, ROW_IN * n + 1.9), dpi=DPI)
    FigureCanvasAgg(fig)
    names = [label(r) for r in reversed(rows)]
    figures = [_rr_label(r) for r in reversed(rows)]
    handles = _legend_handles(rows)
    legend_columns = min(len(handles), 2)
    legend_rows = -(-len(handles) // legend_columns)
    ax = fig.add_axes(_axes_box(fig, names, figures, legend_rows))
    for i, r in enumerate(rows):
        _draw_row(ax, n - 1 - i, r)

    ax.axvline(1.0, color="#444444", lw=1.1, ls="--", zorder=1.8)  # above the grid
    ax.axvline(report.settings.trigger_rr, color="#999999", lw=0.8, ls=":", zorder=1.8)
    ax.set_xscale("log")
    ax.set_xlim(X_MIN, X_MAX)
    ax.xaxis.set_major_locator(FixedLocator(_ticks_that_fit(ax.get_position().width * WIDTH_IN)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:g}×"))
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_yticks(range(n))
    ax.set_yticklabels(names, fontsize=NAME_SIZE)
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", labelsize=TICK_SIZE)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    ax.grid(axis="x", color="#eeeeee", lw=0.8, zorder=0)

    # the figures on the right: plain text just outside the axes, one per row
    beside = blended_transform_factory(ax.transAxes, ax.transData)
    x_beside = 1.0 + FIGURE_PAD_IN / (ax.get_position().width * WIDTH_IN)
    for y, text in enumerate(figures):
        ax.text(
            x_beside,
            y,
            text,
            transform=beside,
            fontsize=FIGURE_SIZE,
            color="#444444",
            ha="left",
            va="center",
        )

    window = "24 h" if report.window == "24h" else "24–48 h"
    if any(r.level in ("factor", "measure") for r in rows):
        title = f"Migraine risk after foods and daily factors (the {window} before)"
    else:
        title = f"Migraine risk after each food (food in the {window} before)"
    ax.set_title(title, fontsize=11)
    ax.set_xlabel("risk compared with days without it (1× = no difference)", fontsize=9)
    fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, EDGE_IN / fig.get_figheight()),
        ncols=legend_columns,
        fontsize=LEGEND_SIZE,
        frameon=False,
        borderaxespad=0.0,
    )
    buf = io.BytesIO()
    # zlib's fastest level: a third less encoding time for a file only 2 % larger
    fig.savefig(buf, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def _draw_row(ax: Axes, y: int, r: FoodResult) -> None:
    """One food: its interval (an arrow where it runs off the scale) and its estimate."""
    colour = COLOURS[r.verdict]
    ax.plot(
        [max(r.ci_low, X_MIN), min(r.ci_high, X_MAX)],
        [y, y],
        color=colour,
        lw=2.2,
        solid_capstyle="butt",
    )
    if r.ci_low < X_MIN:
        ax.plot(X_MIN, y, marker="<", color=colour, ms=7, clip_on=False)
    if r.ci_high > X_MAX:
        ax.plot(X_MAX, y, marker=">", color=colour, ms=7, clip_on=False)
    rr = r.rr if r.rr is not None else 1.0
    if not X_MIN <= rr <= X_MAX:
        return  # an estimate off the scale (0 or ∞) shows only as the arrow; the label has it
    if _doubtful(r):
        ax.plot(rr, y, marker="o", mfc="white", mec=colour, ms=7, mew=1.8, zorder=3)
    else:
        ax.plot(rr, y, marker="o", color=colour, ms=7, mec="white", mew=1.0, zorder=3)


def _legend_handles(rows: list[FoodResult]) -> list[Artist]:
    """One entry per colour shown, then the open circle and the arrow if the chart has them."""
    shown = [v for v in COLOURS if any(r.verdict == v for r in rows)]
    handles: list[Artist] = [
        Line2D([], [], color=COLOURS[v], marker="o", lw=2.2, label=_legend_word(v)) for v in shown
    ]
    if any(_doubtful(r) and X_MIN <= (r.rr if r.rr is not None else 1.0) <= X_MAX for r in rows):
        handles.append(
            Line2D(
                [],
                [],
                color="#555555",
                marker="o",
                mfc="white",
                lw=0,
                label="craved before attacks, or eaten with another trigger",
            )
        )
    if any(r.ci_low < X_MIN or r.ci_high > X_MAX for r in rows):
        handles.append(Line2D([], [], color="#555555", marker=">", lw=0, label="interval goes on"))
    return handles


def _text_width_in(texts: list[str], size: float) -> float:
    """Width of the widest of `texts` at font `size`, in inches (measured from the font's
    outlines, which needs no renderer; Agg's hinting can add a hundredth of an inch)."""
    font = FontProperties(size=size)
    widest = max(_TEXT.get_text_width_height_descent(t, font, ismath=False)[0] for t in texts)
    return float(widest) / 72 + 0.02


def _axes_box(
    fig: Figure, names: list[str], figures: list[str], legend_rows: int
) -> tuple[float, float, float, float]:
    """Where the axes go (figure fractions): room for the food names on the left, the figures
    on the right, the title above and the x labels and legend below.

    Set by hand from measured text widths: matplotlib's constrained layout does the same but
    lays the whole figure out twice, which was most of the time of a chart.
    """
    width, height = fig.get_figwidth(), fig.get_figheight()
    left = EDGE_IN + _text_width_in(names, NAME_SIZE) + NAME_PAD_IN
    right = EDGE_IN + FIGURE_PAD_IN + _text_width_in(figures, FIGURE_SIZE)
    top = EDGE_IN + TITLE_IN
    bottom = EDGE_IN + XAXIS_IN + legend_rows * LEGEND_ROW_IN
    return (left / width, bottom / height, 1 - (left + right) / width, 1 - (top + bottom) / height)


def _ticks_that_fit(axes_width_in: float) -> list[float]:
    """The x ticks whose labels do not touch: long food names leave a narrow axis, where
    "0.1×" and "0.2×" would run together. 1× first, then the ones a reader most needs."""
    per_decade = axes_width_in / math.log10(X_MAX / X_MIN)
    gap_in = 0.04
    kept: list[float] = []
    for tick in sorted(TICKS, key=lambda t: TICK_PRIORITY.index(t)):
        half = _text_width_in([f"{tick:g}×"], TICK_SIZE) / 2
        x = math.log10(tick / X_MIN) * per_decade
        if all(
            abs(x - math.log10(k / X_MIN) * per_decade)
            >= half + _text_width_in([f"{k:g}×"], TICK_SIZE) / 2 + gap_in
            for k in kept
        ):
            kept.append(tick)
    return sorted(kept)


def _doubtful(r: FoodResult) -> bool:
    return r.craving_suspect or r.confounded_with is not None


def _legend_word(v: Verdict) -> str:
    return "unclear yet" if v == "not_enough_data" else VERDICT_WORDS[v]


def _rr_label(r: FoodResult) -> str:
    rr = times(r.rr)
    high = "∞" if not math.isfinite(r.ci_high) else times(r.ci_high).rstrip("×")
    return f"{rr} ({times(r.ci_low).rstrip('×')}–{high})"
