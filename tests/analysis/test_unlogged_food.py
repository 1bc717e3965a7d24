"""A day whose window has no food logged says nothing about food.

Someone who logs less on bad days (they only tap "Migraine" in the check-in) would otherwise make
every food look protective: on those days nothing was "eaten", and they are the attack days.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from analysis import analyse
from analysis.measures import FERMENTED, FERMENTED_ITEM, FoodFacts
from analysis.model import DiaryEvent

from .diaries import LONDON, ev, food, start


def diary(seed: int, days: int = 500) -> tuple[list[DiaryEvent], int]:
    """Kefir on half the days and bread on most, with no effect on attacks (a fifth of days);
    on half the attack days the person logs no food at all. Returns the events and how many
    attack days had their food logged."""
    rng = random.Random(seed)
    events: list[DiaryEvent] = []
    first = date(2025, 1, 1)
    blocked = first - timedelta(days=1)
    logged_attacks = 0
    for i in range(days):
        day = first + timedelta(days=i)
        attack = day > blocked and rng.random() < 0.2
        quiet = attack and rng.random() < 0.5  # too unwell to log what they ate
        if not quiet:
            if rng.random() < 0.5:
                events.append(food(f"{day} 08:00", "kefir"))
            if rng.random() < 0.9:
                events.append(food(f"{day} 12:30", "bread"))
            events.append(food(f"{day} 13:30", "pasta"))
            # every meal is before 15:00, when attacks start: a quiet day's window is empty
        if attack:
            logged_attacks += not quiet
            events.append(start(f"{day} 15:00"))
            events.append(ev("migraine_end", f"{day} 20:00"))
            blocked = day + timedelta(days=2)
        else:
            events.append(ev("no_migraine", f"{day} 21:30"))
    return events, logged_attacks


FACTS = {
    "kefir": FoodFacts(fiber_g=0.0, tags=frozenset({FERMENTED})),
    "bread": FoodFacts(fiber_g=2.0),
    "pasta": FoodFacts(fiber_g=2.5),
}


def test_unlogged_days_do_not_make_foods_look_protective() -> None:
    for seed in range(1, 6):
        events, _ = diary(seed)
        report = analyse(events, LONDON, {}, food_facts=FACTS)
        for name in ("kefir", "bread", FERMENTED_ITEM):
            r = report.find(name)
            assert r is not None
            assert r.verdict != "protective", (seed, name, r.rr, r.ci_high)
        kefir = report.find("kefir")
        assert kefir is not None and kefir.rr is not None and 0.5 < kefir.rr < 2.0


def test_days_without_food_in_the_window_are_left_out_of_food_tables_only() -> None:
    events, _ = diary(7)
    report = analyse(events, LONDON, {}, food_facts=FACTS)
    kefir = report.find("kefir")
    assert kefir is not None
    counted = kefir.a + kefir.b + kefir.c + kefir.d
    # the quiet attack days are not in the food tables, and only they drop out
    quiet = report.onset_days - (kefir.a + kefir.c)
    assert quiet > 10 and counted == report.at_risk_days - quiet
    # the same days still count for what is not food (here the daily measures are unknown too)
    fiber = report.find("fiber ≥ 25 g")
    assert fiber is None or fiber.a + fiber.b + fiber.c + fiber.d == counted
    # and with every day's food logged, every at-risk day counts
    full = [e for e in events if e.kind != "food"]
    full += [food(f"{date(2025, 1, 1) + timedelta(days=i)} 13:30", "pasta") for i in range(500)]
    everything = analyse(full, LONDON, {})
    pasta = everything.find("pasta")
    assert pasta is not None
    assert pasta.a + pasta.b + pasta.c + pasta.d == everything.at_risk_days
