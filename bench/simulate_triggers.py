"""Simulation study of the trigger analysis: does it find planted triggers, and how often does it
cry wolf?

Each diary is one seeded synthetic year (Europe/London, so two DST changes) of a person with about
four attacks a month. Planted: red wine (RR 3) and skipped meals (RR 2); cheddar, eaten with red
wine most of the time but harmless; chocolate, harmless but craved in the hours before an onset;
and many harmless everyday foods. About 7 % of days nothing is logged, some attacks have no logged
end, and some attacks relapse within a day (to be merged).

    .venv/bin/python -m bench.simulate_triggers --diaries 100
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time as clock
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from analysis import AnalysisSettings, DiaryEvent, TriggerReport, analyse

TZ = ZoneInfo("Europe/London")
START = date(2025, 1, 1)
BASELINE_RISK = 0.14  # per at-risk day, before any trigger

# meal slot → (mean hour, sd hours)
SLOTS = {
    "breakfast": (7.5, 0.6),
    "lunch": (12.75, 0.6),
    "snack": (15.5, 1.5),
    "dinner": (19.0, 0.8),
    "evening": (20.75, 0.9),
}

PLANTED_RR = {"red wine": 3.0, "skipped meal": 2.0}
PAIR_FOOD = "cheddar"  # eaten with red wine, no effect of its own
CRAVING_DECOY = "chocolate"  # no effect, but craved before onsets

# name → (slot, probability per day)
FOODS: dict[str, tuple[str, float]] = {
    "red wine": ("evening", 0.15),
    "cheddar": ("evening", 0.05),  # plus 70 % of red wine evenings
    "chocolate": ("snack", 0.12),  # plus 70 % of onsets, 0.5–2.5 h before
    "coffee": ("breakfast", 0.7),
    "tea": ("snack", 0.5),
    "toast": ("breakfast", 0.5),
    "porridge": ("breakfast", 0.25),
    "banana": ("breakfast", 0.3),
    "yogurt": ("breakfast", 0.2),
    "milk": ("breakfast", 0.45),
    "orange": ("snack", 0.1),
    "apple": ("snack", 0.3),
    "crisps": ("snack", 0.15),
    "biscuits": ("snack", 0.2),
    "sandwich": ("lunch", 0.4),
    "soup": ("lunch", 0.15),
    "ham": ("lunch", 0.15),
    "tuna": ("lunch", 0.08),
    "salad": ("lunch", 0.25),
    "cola": ("lunch", 0.1),
    "pasta": ("dinner", 0.2),
    "rice": ("dinner", 0.2),
    "potato": ("dinner", 0.3),
    "chicken": ("dinner", 0.3),
    "beef": ("dinner", 0.1),
    "salmon": ("dinner", 0.08),
    "bacon": ("breakfast", 0.08),
    "eggs": ("breakfast", 0.2),
    "tomato": ("dinner", 0.25),
    "onion": ("dinner", 0.3),
    "garlic": ("dinner", 0.25),
    "broccoli": ("dinner", 0.15),
    "pizza": ("dinner", 0.06),
    "soy sauce": ("dinner", 0.05),
    "parmesan": ("dinner", 0.07),
    "beer": ("evening", 0.08),
    "white wine": ("evening", 0.06),
    "strawberries": ("snack", 0.06),
    "peanuts": ("snack", 0.06),
    "avocado": ("lunch", 0.06),
}
SKIP_PROB = 0.12  # skipped lunch

CATEGORIES: dict[str, list[str]] = {
    "red wine": ["wine", "alcohol"],
    "white wine": ["wine", "alcohol"],
    "beer": ["alcohol"],
    "cheddar": ["aged cheese", "cheese", "dairy"],
    "parmesan": ["aged cheese", "cheese", "dairy"],
    "milk": ["dairy"],
    "yogurt": ["dairy"],
    "coffee": ["caffeinated drink"],
    "tea": ["caffeinated drink"],
    "cola": ["caffeinated drink"],
    "ham": ["cured meat"],
    "bacon": ["cured meat"],
    "orange": ["citrus"],
    "pizza": ["cheese", "dairy"],
}
# Categories whose members include a planted trigger: not "no-effect" items.
CAUSAL_CATEGORIES = {"wine", "alcohol"}


def _clock(rng: random.Random, day: date, hour: float) -> datetime:
    hour = min(max(hour, 0.0), 23.99)
    naive = datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)
    return naive.replace(tzinfo=TZ).astimezone(UTC)


def _onset_hour(rng: random.Random) -> float:
    """This person's attacks tend to start early morning or mid-afternoon."""
    if rng.random() < 0.55:
        return rng.gauss(7.0, 1.5) % 24
    return rng.gauss(16.0, 3.0) % 24


def simulate_diary(seed: int, days: int = 365) -> list[DiaryEvent]:
    """One synthetic year of diary events with the planted effects above."""
    rng = random.Random(seed)
    intakes: list[tuple[datetime, str]] = []
    for i in range(days):
        day = START + timedelta(days=i)
        wine_tonight = False
        for food, (slot, prob) in FOODS.items():
            extra = food == PAIR_FOOD and wine_tonight and rng.random() < 0.7
            if rng.random() < prob or extra:
                mean, sd = SLOTS[slot]
                at = _clock(rng, day, rng.gauss(mean, sd))
                if food == "red wine":
                    wine_tonight = True
                    intakes.append((at, food))
                    continue
                intakes.append((at, food))
        if rng.random() < SKIP_PROB:
            intakes.append((_clock(rng, day, rng.gauss(13.0, 0.5)), "skipped meal"))
    intakes.sort()

    events: list[DiaryEvent] = []
    migraine_days: set[date] = set()
    blocked_until = datetime.min.replace(tzinfo=UTC)
    for i in range(days):
        day = START + timedelta(days=i)
        onset = _clock(rng, day, _onset_hour(rng))
        if onset < blocked_until:
            continue
        lo = onset - timedelta(hours=24)
        recent = {f for at, f in intakes if lo <= at < onset}
        risk = BASELINE_RISK
        for food, rr in PLANTED_RR.items():
            if food in recent:
                risk *= rr
        if rng.random() >= min(risk, 0.95):
            continue
        if rng.random() < 0.7:  # premonitory craving
            intakes.append((onset - timedelta(hours=rng.uniform(0.5, 2.5)), CRAVING_DECOY))
        hours = min(max(rng.lognormvariate(math.log(14), 0.6), 4.0), 72.0)
        end = onset + timedelta(hours=hours)
        events.append(DiaryEvent("migraine_start", onset, severity=rng.randint(1, 3)))
        events.append(DiaryEvent("medication", onset + timedelta(minutes=40), name="ibuprofen"))
        if rng.random() < 0.85:
            events.append(DiaryEvent("migraine_end", end))
        else:
            end = onset + timedelta(hours=24)  # what the analysis will assume
        migraine_days.update({onset.astimezone(TZ).date(), end.astimezone(TZ).date()})
        if rng.random() < 0.1:  # relapse the next day: the same attack
            again = end + timedelta(hours=rng.uniform(6, 40))
            events.append(DiaryEvent("migraine_start", again, severity=1))
            events.append(DiaryEvent("migraine_end", again + timedelta(hours=6)))
            migraine_days.add(again.astimezone(TZ).date())
            end = again + timedelta(hours=6)
        blocked_until = end + timedelta(hours=48)
    intakes.sort()

    missing = {
        START + timedelta(days=i)
        for i in range(days)
        if rng.random() < 0.07 and START + timedelta(days=i) not in migraine_days
    }
    for at, food in intakes:
        if at.astimezone(TZ).date() in missing:
            continue
        if food == "skipped meal":
            events.append(DiaryEvent("skipped_meal", at, name="lunch"))
        else:
            events.append(DiaryEvent("food", at, name=food))
    for i in range(days):
        day = START + timedelta(days=i)
        if day not in missing and day not in migraine_days and rng.random() < 0.8:
            events.append(DiaryEvent("no_migraine", _clock(rng, day, 21.5)))
    events.sort(key=lambda e: e.at)
    return events


@dataclass
class Tally:
    likely: int = 0
    possible: int = 0
    separated: int = 0  # flagged but "can't separate"
    craving: int = 0  # flagged with a craving warning
    rrs: list[float] = field(default_factory=list)
    rrs_early: list[float] = field(default_factory=list)  # craving suspects: early intake only

    def add(self, report: TriggerReport, name: str) -> None:
        r = report.find(name)
        if r is None:
            return
        if r.rr is not None and math.isfinite(r.rr):
            self.rrs.append(r.rr)
        if r.rr_without_late is not None and math.isfinite(r.rr_without_late):
            self.rrs_early.append(r.rr_without_late)
        flagged = r.verdict in ("likely_trigger", "possible_trigger")
        self.likely += r.verdict == "likely_trigger"
        self.possible += r.verdict == "possible_trigger"
        self.separated += flagged and r.confounded_with is not None
        self.craving += flagged and r.craving_suspect


def run(n: int, seed: int, window: str, possible_max_p: float = 1.0) -> None:
    settings = AnalysisSettings(possible_max_p=possible_max_p)
    named = [*PLANTED_RR, PAIR_FOOD, CRAVING_DECOY]
    tallies = {name: Tally() for name in named}
    null_food_likely: list[int] = []
    null_food_possible: list[int] = []
    null_cat_likely: list[int] = []
    null_cat_possible: list[int] = []
    null_rrs: list[float] = []
    null_protective: list[int] = []  # no planted protector here: every protective call is false
    attacks_per_month: list[float] = []
    at_risk: list[int] = []
    tested_null: list[int] = []
    started = clock.perf_counter()
    for k in range(n):
        events = simulate_diary(seed + k)
        report = analyse(events, TZ, CATEGORIES, window=window, settings=settings)  # type: ignore[arg-type]
        attacks_per_month.append(report.attacks / 12)
        at_risk.append(report.at_risk_days)
        for name in named:
            tallies[name].add(report, name)
        fl = fp = cl = cp = t = pr = 0
        for r in report.results:
            if r.name in named or r.name in CAUSAL_CATEGORIES:
                continue
            # categories made only of the pair food or decoy are not "no-effect" in a clean sense
            if r.level == "category" and r.name in {"aged cheese"}:
                continue
            if r.q is not None:
                t += r.level == "food"
                if r.level == "food" and r.rr is not None and math.isfinite(r.rr):
                    null_rrs.append(r.rr)
            pr += r.verdict == "protective"
            if r.level == "food":
                fl += r.verdict == "likely_trigger"
                fp += r.verdict == "possible_trigger"
            else:
                cl += r.verdict == "likely_trigger"
                cp += r.verdict == "possible_trigger"
        null_food_likely.append(fl)
        null_food_possible.append(fp)
        null_cat_likely.append(cl)
        null_cat_possible.append(cp)
        tested_null.append(t)
        null_protective.append(pr)
    elapsed = clock.perf_counter() - started

    def pct(x: int) -> str:
        return f"{100 * x / n:5.1f} %"

    print(
        f"{n} diaries × 1 year, window {window}, seeds {seed}..{seed + n - 1}, "
        f"possible needs p < {possible_max_p:g}, {elapsed:.1f} s"
    )
    print(
        f"attacks/month median {statistics.median(attacks_per_month):.1f}; "
        f"analysed at-risk days median {statistics.median(at_risk):.0f}"
    )
    print()
    print(
        f"{'food':<14}{'planted':>9}{'likely':>9}{'possible':>10}{'either':>9}"
        f"{'cant-sep':>10}{'craving':>9}{'median RR':>11}"
    )
    labels = {
        "red wine": "RR 3",
        "skipped meal": "RR 2",
        PAIR_FOOD: "with wine",
        CRAVING_DECOY: "craving",
    }
    for name in named:
        t = tallies[name]
        med = statistics.median(t.rrs) if t.rrs else float("nan")
        print(
            f"{name:<14}{labels[name]:>9}{pct(t.likely):>9}{pct(t.possible):>10}"
            f"{pct(t.likely + t.possible):>9}{pct(t.separated):>10}{pct(t.craving):>9}{med:>11.2f}"
        )
    early = tallies[CRAVING_DECOY].rrs_early
    if early:
        print(
            f"{CRAVING_DECOY}: median RR counting only intake > 3 h before onset "
            f"{statistics.median(early):.2f} (n = {len(early)})"
        )
    print()
    nf = statistics.mean(tested_null)
    print(f"no-effect foods tested per diary (mean): {nf:.1f} of {len(FOODS) - 3}")
    print(
        "no-effect foods falsely flagged per diary: "
        f"likely {statistics.mean(null_food_likely):.2f}, "
        f"possible {statistics.mean(null_food_possible):.2f}"
    )
    print(
        "no-effect categories falsely flagged per diary: "
        f"likely {statistics.mean(null_cat_likely):.2f}, "
        f"possible {statistics.mean(null_cat_possible):.2f}"
    )
    print(
        "no-effect foods and categories falsely called protective per diary: "
        f"{statistics.mean(null_protective):.2f}"
    )
    if null_rrs:
        qs = statistics.quantiles(null_rrs, n=20)
        print(
            f"no-effect food RR: median {statistics.median(null_rrs):.2f}, "
            f"5–95 % range {qs[0]:.2f}–{qs[-1]:.2f} (n = {len(null_rrs)})"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--diaries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--window", choices=["24h", "48h"], default="24h")
    parser.add_argument(
        "--possible-max-p",
        type=float,
        default=1.0,
        help="also require Fisher p below this for a possible trigger (1 = as specified)",
    )
    args = parser.parse_args(argv)
    run(args.diaries, args.seed, args.window, args.possible_max_p)


if __name__ == "__main__":
    main()
