"""The /triggers chart: a forest plot of relative risks with their intervals, on a log axis.

Drawn with matplotlib's object API on an Agg canvas, so it never touches pyplot's global state
or the process-wide backend, and is safe to call from the bot's worker threads.
"""

from __future__ import annotations

import io
import math

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from analysis.model import FoodResult, TriggerReport, Verdict
from analysis.wording import VERDICT_WORDS, label, times

COLOURS: dict[Verdict, str] = {
    "likely_trigger": "#c0392b",
    "possible_trigger": "#e67e22",
    "looks_safe": "#1e8449",
    "not_enough_data": "#7f8c8d",
}
MAX_ROWS = 18
X_MIN, X_MAX = 0.1, 20.0  # beyond these an interval is drawn as an arrow at the edge
TICKS = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20)


def chart_rows(report: TriggerReport, max_rows: int = MAX_ROWS) -> list[FoodResult]:
    """Foods worth plotting, best first: triggers, then safe foods, then tested-but-unclear."""
    if not report.enough_data:
        return []
    tested = [r for r in report.results if not r.too_few_days and r.rr is not None]
    flagged = [r for r in tested if r.verdict in ("likely_trigger", "possible_trigger")]
    safe = [r for r in tested if r.verdict == "looks_safe"]
    unclear = [r for r in tested if r.verdict == "not_enough_data"]
    # keep room for a few safe foods even when many foods look like possible triggers
    rows = flagged[: max_rows - min(len(safe), 5)]
    rows += safe[: max_rows - len(rows)]
    rows += unclear[: max_rows - len(rows)]
    return rows


def render_chart_png(report: TriggerReport) -> bytes | None:
    """PNG bytes of the forest plot, or None when there is nothing to plot."""
    rows = chart_rows(report)
    if not rows:
        return None
    n = len(rows)
    fig = Figure(figsize=(6, 0.45 * n + 1.9), dpi=150, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    lo_edge, hi_edge = X_MIN, X_MAX
    clipped = doubtful = False
    for i, r in enumerate(rows):
        y = n - 1 - i
        colour = COLOURS[r.verdict]
        left = max(r.ci_low, lo_edge)
        right = min(r.ci_high, hi_edge)
        ax.plot([left, right], [y, y], color=colour, lw=2.2, solid_capstyle="butt")
        if r.ci_low < lo_edge:
            ax.plot(lo_edge, y, marker="<", color=colour, ms=7, clip_on=False)
            clipped = True
        if r.ci_high > hi_edge:
            ax.plot(hi_edge, y, marker=">", color=colour, ms=7, clip_on=False)
            clipped = True
        rr = r.rr if r.rr is not None else 1.0
        if lo_edge <= rr <= hi_edge and _doubtful(r):
            ax.plot(rr, y, marker="o", mfc="white", mec=colour, ms=7, mew=1.8, zorder=3)
            doubtful = True
        elif lo_edge <= rr <= hi_edge:
            ax.plot(rr, y, marker="o", color=colour, ms=7, mec="white", mew=1.0, zorder=3)
        # an estimate off the scale (0 or ∞) shows only as the arrow; the label gives the value

    ax.axvline(1.0, color="#444444", lw=1.1, ls="--", zorder=1.8)  # above the grid
    ax.axvline(report.settings.trigger_rr, color="#999999", lw=0.8, ls=":", zorder=1.8)
    ax.set_xscale("log")
    ax.set_xlim(lo_edge, hi_edge)
    ax.xaxis.set_major_locator(FixedLocator(list(TICKS)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:g}×"))
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_yticks(range(n))
    ax.set_yticklabels([label(r) for r in reversed(rows)], fontsize=10)
    ax.tick_params(axis="y", length=0)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    ax.grid(axis="x", color="#eeeeee", lw=0.8, zorder=0)

    right_ax = ax.secondary_yaxis("right")
    right_ax.set_yticks(range(n))
    right_ax.set_yticklabels([_rr_label(r) for r in reversed(rows)], fontsize=9, color="#444444")
    right_ax.tick_params(length=0, pad=10)
    right_ax.spines["right"].set_visible(False)

    window = "24 h" if report.window == "24h" else "24–48 h"
    ax.set_title(f"Migraine risk after each food (food in the {window} before)", fontsize=11)
    ax.set_xlabel("risk compared with days without it (1× = no difference)", fontsize=9)

    shown = [v for v in COLOURS if any(r.verdict == v for r in rows)]
    handles = [
        Line2D([], [], color=COLOURS[v], marker="o", lw=2.2, label=_legend_word(v)) for v in shown
    ]
    if doubtful:
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
    if clipped:
        handles.append(Line2D([], [], color="#555555", marker=">", lw=0, label="interval goes on"))
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=min(len(handles), 2),
        fontsize=8,
        frameon=False,
    )
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150)
    return buf.getvalue()


def _doubtful(r: FoodResult) -> bool:
    return r.craving_suspect or r.confounded_with is not None


def _legend_word(v: Verdict) -> str:
    return "unclear yet" if v == "not_enough_data" else VERDICT_WORDS[v]


def _rr_label(r: FoodResult) -> str:
    rr = times(r.rr)
    high = "∞" if not math.isfinite(r.ci_high) else times(r.ci_high).rstrip("×")
    return f"{rr} ({times(r.ci_low).rstrip('×')}–{high})"
