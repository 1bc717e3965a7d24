"""Lifestyle factor rules: each fixed rule on hand-built events, unknown days, and the pipeline."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from analysis import AnalysisSettings, DiaryEvent, analyse
from analysis.factors import (
    ANTIBIOTICS_ITEM,
    EXERCISE_ITEM,
    HIGH_STRESS_ITEM,
    PERIOD_ITEM,
    POOR_SLEEP,
    PROBIOTIC_ITEM,
    SHORT_SLEEP,
    FactorDay,
    factor_days,
)

from .diaries import LONDON, at, ev, food, start

INDEX = "2025-03-10 15:00"  # every window below: 2025-03-09 15:00 to 2025-03-10 15:00


def factor(local: str, name: str, value: float | None = None) -> DiaryEvent:
    return DiaryEvent("factor", at(local), name=name, value=value)


def day_of(events: list[DiaryEvent], index: str = INDEX, window: str = "24h") -> FactorDay:
    items, days = factor_days(events, [at(index)], LONDON, window)  # type: ignore[arg-type]
    (d,) = days
    assert d.exposed <= set(items) and d.unknown <= set(items)
    return d


@pytest.mark.parametrize(
    ("hours", "short"), [(5.5, True), (5.99, True), (6.0, False), (8.0, False)]
)
def test_short_sleep_is_under_six_hours(hours: float, short: bool) -> None:
    d = day_of([factor("2025-03-10 07:00", "sleep_hours", hours)])
    assert (SHORT_SLEEP in d.exposed) is short and SHORT_SLEEP not in d.unknown


def test_a_reading_outside_the_window_leaves_the_day_unknown() -> None:
    # slept 5 h, but logged after the index time: it belongs to the next day's window
    d = day_of([factor("2025-03-10 16:00", "sleep_hours", 5.0)])
    assert SHORT_SLEEP not in d.exposed and SHORT_SLEEP in d.unknown
    # ...and for the 48h window a reading in the last 24 h does not count either
    d48 = day_of([factor("2025-03-10 07:00", "sleep_hours", 5.0)], window="48h")
    assert SHORT_SLEEP in d48.unknown
    assert (
        SHORT_SLEEP
        in day_of([factor("2025-03-09 07:00", "sleep_hours", 5.0)], window="48h").exposed
    )


@pytest.mark.parametrize(("quality", "poor"), [(1, True), (2, False), (3, False)])
def test_poor_sleep_is_quality_one(quality: int, poor: bool) -> None:
    d = day_of([factor("2025-03-10 07:00", "sleep_quality", quality)])
    assert (POOR_SLEEP in d.exposed) is poor


@pytest.mark.parametrize(("level", "high"), [(1, False), (3, False), (4, True), (5, True)])
def test_high_stress_is_four_or_five(level: int, high: bool) -> None:
    d = day_of([factor("2025-03-09 21:00", "stress", level)])
    assert (HIGH_STRESS_ITEM in d.exposed) is high


def test_exercise_any_and_none_logged_means_none() -> None:
    assert EXERCISE_ITEM in day_of([factor("2025-03-09 18:00", "exercise", 30)]).exposed
    assert EXERCISE_ITEM in day_of([factor("2025-03-09 18:00", "exercise", None)]).exposed
    assert EXERCISE_ITEM not in day_of([factor("2025-03-09 18:00", "exercise", 0)]).exposed
    # a day without an entry is "no exercise", not unknown
    d = day_of([factor("2025-03-01 18:00", "exercise", 30)])
    assert EXERCISE_ITEM not in d.exposed and EXERCISE_ITEM not in d.unknown


def test_probiotic_taken() -> None:
    assert PROBIOTIC_ITEM in day_of([factor("2025-03-10 08:00", "probiotic")]).exposed
    assert PROBIOTIC_ITEM not in day_of([factor("2025-03-08 08:00", "probiotic")]).exposed


def test_on_antibiotics_between_start_and_end() -> None:
    course = [
        factor("2025-03-05 09:00", "antibiotics_start"),
        factor("2025-03-09 09:00", "antibiotics_end"),
    ]
    assert ANTIBIOTICS_ITEM not in day_of(course).exposed  # ended before the window
    assert ANTIBIOTICS_ITEM in day_of(course, index="2025-03-09 15:00").exposed
    assert ANTIBIOTICS_ITEM not in day_of(course, index="2025-03-05 08:00").exposed  # not yet
    # no end: the stated course length, else 7 days
    stated = [factor("2025-03-01 09:00", "antibiotics_start", 10)]
    assert ANTIBIOTICS_ITEM in day_of(stated).exposed
    unstated = [factor("2025-03-01 09:00", "antibiotics_start")]
    assert ANTIBIOTICS_ITEM not in day_of(unstated).exposed
    assert ANTIBIOTICS_ITEM in day_of(unstated, index="2025-03-08 08:00").exposed
    # a dose logged without start or end words marks its own window
    assert ANTIBIOTICS_ITEM in day_of([factor("2025-03-10 08:00", "antibiotics")]).exposed


@pytest.mark.parametrize(
    ("offset", "inside"), [(-3, False), (-2, True), (0, True), (2, True), (3, False)]
)
def test_period_day_minus_two_to_plus_three(offset: int, inside: bool) -> None:
    # ICHD counts day 1 as the first day (no day 0): day -2..+3 is the start date -2..+2 days
    started = date(2025, 3, 10) - timedelta(days=offset)
    d = day_of([factor(f"{started} 10:00", "period_start")])
    assert (PERIOD_ITEM in d.exposed) is inside


def test_days_on_a_period_without_a_logged_start_date_it_from_the_first_such_day() -> None:
    from analysis.factors import period_starts, readings_by_name

    def starts(*events: DiaryEvent) -> set[date]:
        return period_starts(readings_by_name(events), LONDON)

    ongoing = [factor(f"2025-03-0{d} 21:00", "period") for d in (4, 5, 6)]
    assert starts(*ongoing) == {date(2025, 3, 4)}  # one run of days: its first day
    # a logged start a few days before explains the run: nothing is inferred
    assert starts(factor("2025-03-02 08:00", "period_start"), *ongoing) == {date(2025, 3, 2)}
    # a start long before does not: the run is a new period
    old = factor("2025-02-01 08:00", "period_start")
    assert starts(old, *ongoing) == {date(2025, 2, 1), date(2025, 3, 4)}
    # two runs a month apart are two periods
    later = [factor(f"2025-04-0{d} 21:00", "period") for d in (1, 2)]
    assert starts(*ongoing, *later) == {date(2025, 3, 4), date(2025, 4, 1)}
    # and the item is tested, with day -2..+3 counted from the inferred start
    assert PERIOD_ITEM in day_of(ongoing, index="2025-03-06 15:00").exposed
    assert PERIOD_ITEM not in day_of(ongoing, index="2025-03-08 15:00").exposed
    # a local day: 23:30 in London on the 3rd is still the 3rd
    assert starts(factor("2025-03-03 23:30", "period")) == {date(2025, 3, 3)}


def test_rules_only_tested_when_the_diary_logs_them() -> None:
    items, days = factor_days([food("2025-03-10 08:00", "toast")], [at(INDEX)], LONDON, "24h")
    assert items == [] and days == [FactorDay(frozenset(), frozenset())]
    items, _ = factor_days([factor("2025-03-10 07:00", "stress", 2)], [at(INDEX)], LONDON, "24h")
    assert items == [HIGH_STRESS_ITEM]


def short_sleep_diary(days: int = 160, log_sleep_every: int = 1) -> list[DiaryEvent]:
    """Sleep logged each morning; a 15:00 onset on most short-sleep days and few others."""
    events: list[DiaryEvent] = []
    first = date(2025, 1, 1)
    blocked = first - timedelta(days=1)
    for i in range(days):
        day = first + timedelta(days=i)
        short = i % 4 == 0
        if i % log_sleep_every == 0:
            events.append(factor(f"{day} 07:00", "sleep_hours", 5.0 if short else 7.5))
        events.append(food(f"{day} 12:30", "bread"))
        if day > blocked and ((short and i % 8 == 0) or (not short and i % 13 == 0)):
            events.append(start(f"{day} 15:00"))
            events.append(ev("migraine_end", f"{day} 20:00"))
            blocked = day + timedelta(days=2)
        else:
            events.append(ev("no_migraine", f"{day} 21:30"))
    return events


def test_short_sleep_found_as_a_trigger_with_level_factor() -> None:
    report = analyse(short_sleep_diary(), LONDON, {})
    r = report.find(SHORT_SLEEP)
    assert r is not None and r.level == "factor"
    assert r.to_json()["level"] == "factor"
    assert r.rr is not None and r.rr > 2 and r.verdict == "likely_trigger"
    assert r.exposed + r.unexposed == report.at_risk_days  # sleep logged on every day


def test_days_without_a_sleep_reading_are_left_out_of_its_table() -> None:
    report = analyse(short_sleep_diary(log_sleep_every=2), LONDON, {})
    r = report.find(SHORT_SLEEP)
    assert r is not None
    assert 0 < r.exposed + r.unexposed < report.at_risk_days
    bread = report.find("bread")
    assert bread is None or bread.exposed + bread.unexposed == report.at_risk_days


def test_factor_events_need_no_categories_and_keep_old_callers_working() -> None:
    events = short_sleep_diary()
    plain = analyse(
        events, LONDON, {}, settings=AnalysisSettings(), now=datetime(2030, 1, 1, tzinfo=LONDON)
    )
    assert plain.find(SHORT_SLEEP) is not None and plain.measure_coverage == {}
