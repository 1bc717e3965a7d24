"""Simulation study of protective verdicts: is a planted protector found, and how often is a
harmless food, factor or measure wrongly called protective?

Each diary is two seeded synthetic years (Europe/London) of a person with frequent migraine (a new
attack on about a quarter of the days it could start): a protector is harder to see than a
trigger, because it can only remove attacks from a risk that is already small, and one year of
such a diary finds an RR of 0.5 only about 40 % of the time. Planted: kefir, which halves the risk
of an onset in the 24 h after it (RR 0.5). Everything else has no effect: a dozen everyday foods,
and lifestyle factors logged as `factor` events (sleep hours and quality every morning, stress every
evening, exercise some days, a probiotic some days, one course of antibiotics, a period every 28
days), plus per-food facts (fiber, caffeine, fermented and ultra-processed tags) for the measures.

    .venv/bin/python -m bench.simulate_protective --diaries 100
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time as clock
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from analysis import AnalysisSettings, DiaryEvent, TriggerReport, analyse
from analysis.measures import FERMENTED, FERMENTED_ITEM, FoodFacts

TZ = ZoneInfo("Europe/London")
START = date(2025, 1, 1)
BASELINE_RISK = 0.25  # per at-risk day: frequent migraine, where a protector matters most
PROTECTOR = "kefir"
PROTECTOR_RR = 0.5

# name → (mean hour, probability per day)
FOODS: dict[str, tuple[float, float]] = {
    PROTECTOR: (8.0, 0.4),
    "coffee": (7.5, 0.7),
    "toast": (7.7, 0.5),
    "porridge": (7.7, 0.3),
    "apple": (15.5, 0.4),
    "crisps": (15.5, 0.25),
    "sandwich": (12.75, 0.5),
    "lentil soup": (12.75, 0.3),
    "sauerkraut": (12.75, 0.15),
    "pasta": (19.0, 0.3),
    "chicken": (19.0, 0.35),
    "broccoli": (19.0, 0.3),
    "frozen pizza": (19.0, 0.15),
    "cola": (13.0, 0.2),
    "energy drink": (10.5, 0.1),
}
CATEGORIES: dict[str, list[str]] = {
    PROTECTOR: ["fermented dairy", "dairy"],
    "coffee": ["caffeinated drink"],
    "cola": ["caffeinated drink"],
    "energy drink": ["caffeinated drink"],
}
# Items made (partly) of the protector: not "no-effect" items.
CONTAINS_PROTECTOR = {PROTECTOR, "fermented dairy", "dairy", FERMENTED_ITEM}
FOOD_FACTS: dict[str, FoodFacts] = {
    PROTECTOR: FoodFacts(fiber_g=0.0, tags=frozenset({FERMENTED})),
    "coffee": FoodFacts(fiber_g=0.0, caffeine_mg=95.0),
    "toast": FoodFacts(fiber_g=2.5, tags=frozenset({"ultra-processed"})),
    "porridge": FoodFacts(fiber_g=4.0),
    "apple": FoodFacts(fiber_g=4.5),
    "crisps": FoodFacts(fiber_g=1.5, tags=frozenset({"ultra-processed"})),
    "sandwich": FoodFacts(fiber_g=4.0, tags=frozenset({"ultra-processed"})),
    "lentil soup": FoodFacts(fiber_g=9.0),
    "sauerkraut": FoodFacts(fiber_g=4.0, tags=frozenset({FERMENTED})),
    "pasta": FoodFacts(fiber_g=3.0),
    "chicken": FoodFacts(fiber_g=0.0),
    "broccoli": FoodFacts(fiber_g=5.0),
    "frozen pizza": FoodFacts(fiber_g=3.0, tags=frozenset({"ultra-processed"})),
    "cola": FoodFacts(fiber_g=0.0, caffeine_mg=35.0, tags=frozenset({"ultra-processed"})),
    "energy drink": FoodFacts(fiber_g=0.0, caffeine_mg=160.0, tags=frozenset({"ultra-processed"})),
}


def _clock(day: date, hour: float) -> datetime:
    hour = min(max(hour, 0.0), 23.99)
    naive = datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)
    return naive.replace(tzinfo=TZ).astimezone(UTC)


def _factor(at: datetime, name: str, value: float | None = None) -> DiaryEvent:
    return DiaryEvent("factor", at, name=name, value=value)


def simulate_diary(
    seed: int, days: int = 730, protector_rr: float = PROTECTOR_RR
) -> list[DiaryEvent]:
    """Synthetic days (two years by default): foods, factor events and attacks.

    Only `PROTECTOR` changes the risk.
    """
    rng = random.Random(seed)
    events: list[DiaryEvent] = []
    protector_times: list[datetime] = []
    period_offset = rng.randrange(28)
    antibiotics_day = rng.randrange(30, days - 30)
    for i in range(days):
        day = START + timedelta(days=i)
        for name, (hour, prob) in FOODS.items():
            if rng.random() < prob:
                at = _clock(day, rng.gauss(hour, 0.6))
                events.append(DiaryEvent("food", at, name=name))
                if name == PROTECTOR:
                    protector_times.append(at)
        morning = _clock(day, 7.25)
        events.append(_factor(morning, "sleep_hours", round(rng.gauss(7.0, 1.1) * 2) / 2))
        events.append(_factor(morning, "sleep_quality", float(rng.choice((1, 2, 2, 3, 3)))))
        events.append(_factor(_clock(day, 21.0), "stress", float(rng.randint(1, 5))))
        if rng.random() < 0.3:
            events.append(_factor(_clock(day, 18.0), "exercise", float(rng.choice((20, 45)))))
        if rng.random() < 0.2:
            events.append(_factor(_clock(day, 8.5), "probiotic"))
        if i == antibiotics_day:
            events.append(_factor(_clock(day, 9.0), "antibiotics_start"))
        if i == antibiotics_day + 7:
            events.append(_factor(_clock(day, 9.0), "antibiotics_end"))
        if (i + period_offset) % 28 == 0:
            events.append(_factor(_clock(day, 10.0), "period_start"))
        if (i + period_offset) % 28 == 5:
            events.append(_factor(_clock(day, 10.0), "period_end"))

    events += planted_attacks(rng, START, days, protector_times, BASELINE_RISK, protector_rr)
    events.sort(key=lambda e: e.at)
    return events


def planted_attacks(
    rng: random.Random,
    first: date,
    days: int,
    protector_times: Sequence[datetime],
    baseline: float,
    protector_rr: float,
) -> list[DiaryEvent]:
    """Attacks (onsets around 15:00, 4–48 h long, none within 48 h of the last one's end) whose
    risk is `protector_rr` times `baseline` in the 24 h after a protector, and a check-in
    "no migraine" on every other day. Shared with the /gut tests' diary."""
    events: list[DiaryEvent] = []
    blocked_until = datetime.min.replace(tzinfo=UTC)
    migraine_days: set[date] = set()
    for i in range(days):
        day = first + timedelta(days=i)
        onset = _clock(day, rng.gauss(15.0, 2.0))
        if onset < blocked_until:
            continue
        protected = any(onset - timedelta(hours=24) <= t < onset for t in protector_times)
        if rng.random() >= baseline * (protector_rr if protected else 1.0):
            continue
        end = onset + timedelta(hours=min(max(rng.lognormvariate(math.log(12), 0.5), 4), 48))
        events.append(DiaryEvent("migraine_start", onset, severity=rng.randint(1, 3)))
        events.append(DiaryEvent("migraine_end", end))
        migraine_days.update({day, end.astimezone(TZ).date()})
        blocked_until = end + timedelta(hours=48)
    for i in range(days):
        day = first + timedelta(days=i)
        if day not in migraine_days:
            events.append(DiaryEvent("no_migraine", _clock(day, 21.5)))
    return events


def analyse_diary(seed: int, settings: AnalysisSettings = AnalysisSettings()) -> TriggerReport:  # noqa: B008
    """The report of one simulated diary, with its per-food facts."""
    return analyse(simulate_diary(seed), TZ, CATEGORIES, settings=settings, food_facts=FOOD_FACTS)


def run(n: int, seed: int) -> None:
    found = 0
    rrs: list[float] = []
    false_protective: list[int] = []
    false_trigger: list[int] = []
    tested: list[int] = []
    started = clock.perf_counter()
    for k in range(n):
        report = analyse_diary(seed + k)
        r = report.find(PROTECTOR)
        if r is not None:
            found += r.verdict == "protective"
            if r.rr is not None and math.isfinite(r.rr):
                rrs.append(r.rr)
        others = [
            x
            for x in report.results
            if x.name not in CONTAINS_PROTECTOR and not CONTAINS_PROTECTOR & set(x.same_as)
        ]
        false_protective.append(sum(x.verdict == "protective" for x in others))
        false_trigger.append(sum(x.verdict == "likely_trigger" for x in others))
        tested.append(sum(x.q is not None for x in others))
    elapsed = clock.perf_counter() - started
    print(f"{n} diaries × 2 years, seeds {seed}..{seed + n - 1}, {elapsed:.1f} s")
    print(
        f"planted protector {PROTECTOR} (RR {PROTECTOR_RR}): called protective in "
        f"{100 * found / n:.1f} % of diaries; median RR {statistics.median(rrs):.2f}"
    )
    print(f"no-effect items tested per diary (mean): {statistics.mean(tested):.1f}")
    print(
        "no-effect items falsely called protective per diary: "
        f"mean {statistics.mean(false_protective):.3f}, "
        f"in {100 * sum(x > 0 for x in false_protective) / n:.1f} % of diaries"
    )
    print(
        "no-effect items falsely called likely triggers per diary: "
        f"mean {statistics.mean(false_trigger):.3f}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--diaries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    run(args.diaries, args.seed)


if __name__ == "__main__":
    main()
