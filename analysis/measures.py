"""Daily measures computed from the foods logged, tested against thresholds fixed in advance.

The vocabulary knows, per food serving, roughly how much fiber and caffeine it has and whether it
is fermented or ultra-processed. The bot passes that as plain data (`food_facts`, like
`categories`). For each analysed day the servings logged in its window are added up and compared
with one threshold per measure, chosen before looking at any diary:

- "fiber ≥ 25 g": the usual adult daily recommendation (25–30 g).
- "any live-culture food": at least one serving of yoghurt, kefir, kimchi, sauerkraut, miso...
- "≥ 2 ultra-processed servings": more than a single processed item in the day.
- "caffeine ≥ 200 mg": about two cups of coffee; the amount migraine guidance commonly cites.

A measure is only tested when the diary has the data: at least `min_coverage` of the logged food
servings must carry it (for fiber: a fiber value; for the others: any facts at all, a known food
with no caffeine value or tag having none). The coverage is reported with the result. Servings
without the data count as zero, which is why low coverage is not tested at all.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from analysis.exposure import Intake, window_bounds
from analysis.model import SKIPPED_MEAL, Window

# The vocabulary's tag for yoghurt, kefir, kimchi...; its `fermented` tag is the tyramine sense.
FERMENTED = "live-cultures"
ULTRA_PROCESSED = "ultra-processed"

FIBER_ITEM = "fiber ≥ 25 g"
FERMENTED_ITEM = "any live-culture food"
ULTRA_PROCESSED_ITEM = "≥ 2 ultra-processed servings"
CAFFEINE_ITEM = "caffeine ≥ 200 mg"

FIBER_G = 25.0
ULTRA_PROCESSED_SERVINGS = 2
CAFFEINE_MG = 200.0
MIN_COVERAGE = 0.5


@dataclass(frozen=True)
class FoodFacts:
    """What one serving of a food brings; None where the vocabulary does not know."""

    fiber_g: float | None = None
    caffeine_mg: float | None = None
    tags: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Measure:
    """A daily amount over the window's servings, the threshold it is tested at, and which
    servings count as having the data."""

    item: str
    amount: Callable[[FoodFacts], float]
    threshold: float
    has_data: Callable[[FoodFacts], bool]


def _tagged(tag: str) -> Callable[[FoodFacts], float]:
    return lambda f: 1.0 if tag in f.tags else 0.0


MEASURES = (
    Measure(FIBER_ITEM, lambda f: f.fiber_g or 0.0, FIBER_G, lambda f: f.fiber_g is not None),
    Measure(FERMENTED_ITEM, _tagged(FERMENTED), 1.0, lambda f: True),
    Measure(
        ULTRA_PROCESSED_ITEM, _tagged(ULTRA_PROCESSED), ULTRA_PROCESSED_SERVINGS, lambda f: True
    ),
    Measure(CAFFEINE_ITEM, lambda f: f.caffeine_mg or 0.0, CAFFEINE_MG, lambda f: True),
)


def normalised(food_facts: Mapping[str, FoodFacts]) -> dict[str, FoodFacts]:
    """Keys as the analysis names foods (stripped, lower case); tags lower case."""
    return {
        k.strip().lower(): FoodFacts(f.fiber_g, f.caffeine_mg, frozenset(t.lower() for t in f.tags))
        for k, f in food_facts.items()
    }


def coverage(servings: Sequence[Intake], facts: Mapping[str, FoodFacts]) -> dict[str, float]:
    """Share of logged servings ("2 coffees" are two) that carry each measure's data (0 with no
    servings): the same count /gut reports."""
    total = sum(i.servings for i in servings)
    out: dict[str, float] = {}
    for m in MEASURES:
        have = sum(
            i.servings for i in servings if (f := facts.get(i.food)) is not None and m.has_data(f)
        )
        out[m.item] = have / total if total else 0.0
    return out


def measured_items(cover: Mapping[str, float], min_coverage: float = MIN_COVERAGE) -> list[str]:
    """The measures with enough data to test."""
    return [m.item for m in MEASURES if cover[m.item] >= min_coverage]


def measures_exposed(
    window_servings: Sequence[Intake], facts: Mapping[str, FoodFacts], items: Sequence[str]
) -> frozenset[str]:
    """The measures among `items` whose window total reaches its threshold."""
    wanted = set(items)
    out: set[str] = set()
    for m in MEASURES:
        if m.item not in wanted:
            continue
        known = ((facts.get(i.food), i.servings) for i in window_servings)
        total = sum(m.amount(f) * servings for f, servings in known if f is not None)
        if total >= m.threshold:
            out.add(m.item)
    return frozenset(out)


def measure_days(
    food_intakes: Sequence[Intake],
    indexes: Sequence[datetime],
    food_facts: Mapping[str, FoodFacts] | None,
    window: Window,
    min_coverage: float = MIN_COVERAGE,
) -> tuple[list[str], dict[str, float], list[frozenset[str]], list[frozenset[str]]]:
    """The measures to test, every measure's coverage, and each analysed day's exposure and
    unknown measures: all of them on a day whose window has no food or skipped meal logged (a
    day of only a check-in answer is not a zero-fiber day)."""
    nothing = [frozenset[str]() for _ in indexes]
    if not food_facts:
        return [], {}, nothing, nothing
    facts = normalised(food_facts)
    servings = [i for i in food_intakes if i.food != SKIPPED_MEAL]
    cover = coverage(servings, facts)
    items = measured_items(cover, min_coverage)
    if not items:
        return [], cover, nothing, nothing
    all_items = frozenset(items)
    times = [i.at.timestamp() for i in servings]  # floats: bisecting aware datetimes is slow
    any_times = [i.at.timestamp() for i in food_intakes]  # skipped meals say something too
    out: list[frozenset[str]] = []
    unknown: list[frozenset[str]] = []
    for index in indexes:
        lo, hi = (t.timestamp() for t in window_bounds(index, window))
        if bisect_left(any_times, lo) == bisect_left(any_times, hi):
            out.append(frozenset())
            unknown.append(all_items)
            continue
        in_window = servings[bisect_left(times, lo) : bisect_left(times, hi)]
        out.append(measures_exposed(in_window, facts, items))
        unknown.append(frozenset())
    return items, cover, out, unknown
