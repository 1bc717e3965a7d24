"""Which foods and categories each at-risk day was exposed to, in the chosen window.

Main window: intake in the 24 h before the index time. The "48h" window: intake 24–48 h before.
A day with no entries is missing, never "ate nothing": an at-risk day whose window touches such a
day is left out of the analysis entirely.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from analysis.days import AtRiskDay, window_days
from analysis.model import SKIPPED_MEAL, DiaryEvent, Level, Window

# A stated count up to this is read as servings ("2 coffees", "3 apples"); a larger one is
# probably pieces ("30 almonds", "10 crisps") and counts as one serving. Only the daily amounts
# (fiber, caffeine, ultra-processed servings) use it: a food is eaten or not for its own table.
MAX_SERVINGS = 6.0


class Intake(NamedTuple):
    """One intake of a food (a tuple: a diary has tens of thousands, made on every analysis)."""

    at: datetime
    food: str
    servings: float = 1.0


def servings_of(event: DiaryEvent) -> float:
    """How many servings an entry stands for: its stated count when it is a plausible one."""
    q = event.quantity
    if q is None or not 0 < q <= MAX_SERVINGS:  # also None for nan
        return 1.0
    return q


@dataclass(frozen=True)
class ExposedDay:
    """An analysed at-risk day: its outcome and the items (foods and categories) in its window."""

    day: date
    index: datetime
    onset: bool
    items: frozenset[str]
    late_items: frozenset[str]  # items with an intake within craving_hours before the index
    early_items: frozenset[str] = frozenset()  # items with an intake before that
    unknown_items: frozenset[str] = frozenset()  # items with no reading in the window (factors)


@dataclass(frozen=True)
class Catalogue:
    """Every item that can be analysed: logged foods and their categories."""

    ancestors: dict[str, tuple[str, ...]]  # item → its categories, nearest first
    levels: dict[str, Level]


def food_name(event: DiaryEvent) -> str | None:
    """The exposure an event stands for: a food's name, or "skipped meal"."""
    if event.kind == "skipped_meal":
        return SKIPPED_MEAL
    if event.kind == "food" and event.name:
        return event.name.strip().lower()
    return None


def intakes(events: Iterable[DiaryEvent]) -> list[Intake]:
    out = [Intake(e.at, n, servings_of(e)) for e in events if (n := food_name(e)) is not None]
    out.sort(key=lambda i: i.at)
    return out


def catalogue(foods: Iterable[str], categories: Mapping[str, Sequence[str]]) -> Catalogue:
    """Ancestors and level of every logged food and every category above one.

    A name logged directly is a food; a name only reached as a category is a category.
    """
    cats = {k.strip().lower(): tuple(c.strip().lower() for c in v) for k, v in categories.items()}
    logged = set(foods)
    ancestors: dict[str, tuple[str, ...]] = {}
    for food in sorted(logged):  # a fixed order: ties rank the same after every restart
        chain = tuple(c for c in cats.get(food, ()) if c != food)
        ancestors[food] = chain
        for i, cat in enumerate(chain):
            # a category's own ancestors: from the map if present, else the rest of this chain
            ancestors.setdefault(cat, cats.get(cat, chain[i + 1 :]))
    levels: dict[str, Level] = {n: ("food" if n in logged else "category") for n in ancestors}
    return Catalogue(ancestors, levels)


def window_bounds(index: datetime, window: Window) -> tuple[datetime, datetime]:
    if window == "24h":
        return index - timedelta(hours=24), index
    return index - timedelta(hours=48), index - timedelta(hours=24)


def exposed_days(
    days: Sequence[AtRiskDay],
    food_intakes: Sequence[Intake],
    observed: set[date],
    cat: Catalogue,
    tz: ZoneInfo,
    window: Window,
    craving_hours: float,
) -> tuple[list[ExposedDay], int]:
    """Exposure of every at-risk day whose window is fully observed.

    Also returns how many were left out for an unlogged day inside the diary (days whose window
    reaches back before the first logged day are left out too, but are not counted as gaps).
    """
    times = [i.at for i in food_intakes]
    first = min(observed, default=None)
    late_gap = timedelta(hours=craving_hours)
    # each intake counts for its food and every category above it
    names_of = {
        food: (food, *cat.ancestors.get(food, ())) for food in {i.food for i in food_intakes}
    }
    # A window with no food or skipped meal logged at all says nothing about food (the person
    # may only have answered the check-in, or tapped "slept badly"): every food and category is
    # unknown on that day, not "not eaten". Counting it as "not eaten" would make every food
    # look protective for someone who logs less on bad days.
    no_food_logged = frozenset(cat.ancestors)
    out: list[ExposedDay] = []
    gaps = 0
    for d in days:
        lo, hi = window_bounds(d.index, window)
        missing = [w for w in window_days(lo, hi, tz) if w not in observed]
        if missing:
            gaps += first is not None and any(w > first for w in missing)
            continue
        items: set[str] = set()
        late: set[str] = set()
        early: set[str] = set()
        in_window = food_intakes[bisect_left(times, lo) : bisect_left(times, hi)]
        if not in_window:
            out.append(
                ExposedDay(
                    d.day, d.index, d.onset, frozenset(), frozenset(), unknown_items=no_food_logged
                )
            )
            continue
        for intake in in_window:
            names = names_of[intake.food]
            items.update(names)
            if intake.at >= d.index - late_gap:
                late.update(names)
            else:
                early.update(names)
        out.append(
            ExposedDay(d.day, d.index, d.onset, frozenset(items), frozenset(late), frozenset(early))
        )
    return out, gaps
