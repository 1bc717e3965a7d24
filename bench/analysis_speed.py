"""How fast the trigger analysis and its chart are, without the database or the bot.

Run: .venv/bin/python -m bench.analysis_speed [--repeats 7]

For the synthetic diaries of `bench.triggers_latency` (1 month, 1 year, 5 years; 300 distinct
foods) it times `analyse` on its first call in a fresh process (its caches are cold then, as after
a restart of the bot), the median of warm calls, and the median time to draw the chart. The first
call runs in a child process per diary so that a smaller diary cannot warm the caches of a larger
one; everything else runs in this process. The machine is noisy: compare rows of the same run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from analysis import DiaryEvent, TriggerReport, analyse, render_chart_png
from bench.triggers_latency import SIZES, synthetic_diary
from bot.parsing.vocabulary import default_vocabulary

TZ = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 21, tzinfo=UTC)  # the end of the synthetic diaries


def diary_events(days: int) -> list[DiaryEvent]:
    """The synthetic diary as the bot hands it to the analysis (UTC times)."""
    return [
        DiaryEvent(kind=e.kind, at=e.at.astimezone(UTC), name=e.name, severity=e.severity)
        for e in synthetic_diary(days)
    ]


def run_analysis(events: list[DiaryEvent], categories: dict[str, list[str]]) -> TriggerReport:
    return analyse(events, TZ, categories, now=NOW)


def timed_ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def first_call_ms(days: int) -> float:
    """`analyse` once in this (fresh) process; the diary and vocabulary are built untimed."""
    events = diary_events(days)
    categories = default_vocabulary().category_map()
    return timed_ms(lambda: run_analysis(events, categories))


def first_call_in_child(days: int) -> float:
    """`first_call_ms` in a new interpreter, so no earlier diary has warmed any cache."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.analysis_speed", "--first-call", str(days)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip())


def measure(size: str, days: int, repeats: int) -> str:
    first = first_call_in_child(days)
    events = diary_events(days)
    categories = default_vocabulary().category_map()
    report = run_analysis(events, categories)
    warm = [timed_ms(lambda: run_analysis(events, categories)) for _ in range(repeats)]
    render_chart_png(report)  # the first chart loads fonts once per process, like the bot's
    chart = [timed_ms(lambda: render_chart_png(report)) for _ in range(repeats)]
    return (
        f"| {size:8} | {len(events):7,} | {first:13.0f} | {statistics.median(warm):14.0f} "
        f"| {statistics.median(chart):15.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--first-call", type=int, metavar="DAYS", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_call is not None:
        print(f"{first_call_ms(args.first_call):.3f}")
        return
    print(
        "| diary    |  events | first call ms | warm median ms | chart median ms |\n"
        "|----------|---------|---------------|----------------|-----------------|"
    )
    for size, days in SIZES:
        print(measure(size, days, args.repeats), flush=True)


if __name__ == "__main__":
    main()
