"""Food-derived daily measures at fixed thresholds, their coverage, and one BH family for all."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from statsmodels.stats.multitest import multipletests

from analysis import DiaryEvent, analyse
from analysis.exposure import Intake
from analysis.measures import (
    CAFFEINE_ITEM,
    FERMENTED,
    FERMENTED_ITEM,
    FIBER_ITEM,
    MEASURES,
    ULTRA_PROCESSED_ITEM,
    FoodFacts,
    measure_days,
)
from analysis.report import render_food_detail_html
from bench import simulate_triggers

from .diaries import LONDON, at, ev, food, start

INDEX = at("2025-03-10 15:00")


def window_of(*foods: str, facts: dict[str, FoodFacts]) -> frozenset[str]:
    intakes = [Intake(at(f"2025-03-10 0{k}:00"), f) for k, f in enumerate(foods)]
    items, _, days, _ = measure_days(intakes, [INDEX], facts, "24h")
    assert set(items) == {m.item for m in MEASURES}
    return days[0]


FACTS = {
    "lentils": FoodFacts(fiber_g=12.5),
    "oats": FoodFacts(fiber_g=12.4),
    "kimchi": FoodFacts(fiber_g=2.0, tags=frozenset({FERMENTED})),
    "crisps": FoodFacts(fiber_g=1.0, tags=frozenset({"ultra-processed"})),
    "coffee": FoodFacts(fiber_g=0.0, caffeine_mg=100.0),
}


def test_fiber_threshold_is_25_grams_summed_over_the_window() -> None:
    assert FIBER_ITEM in window_of("lentils", "lentils", facts=FACTS)  # 25.0 g
    assert FIBER_ITEM not in window_of("lentils", "oats", facts=FACTS)  # 24.9 g


def test_fermented_ultra_processed_and_caffeine_thresholds() -> None:
    assert FERMENTED_ITEM in window_of("kimchi", facts=FACTS)
    assert FERMENTED_ITEM not in window_of("oats", facts=FACTS)
    assert ULTRA_PROCESSED_ITEM not in window_of("crisps", facts=FACTS)
    assert ULTRA_PROCESSED_ITEM in window_of("crisps", "crisps", facts=FACTS)
    assert CAFFEINE_ITEM not in window_of("coffee", facts=FACTS)
    assert CAFFEINE_ITEM in window_of("coffee", "coffee", facts=FACTS)


def test_stated_counts_are_servings_and_implausible_counts_are_one() -> None:
    from analysis.exposure import MAX_SERVINGS, intakes, servings_of

    def coffee(quantity: float | None) -> DiaryEvent:
        return DiaryEvent("food", at("2025-03-10 08:00"), "coffee", quantity=quantity)

    assert [servings_of(coffee(q)) for q in (None, 2.0, 0.5, 0.0, -1.0, 30.0, float("nan"))] == [
        1.0, 2.0, 0.5, 1.0, 1.0, 1.0, 1.0
    ]  # fmt: skip
    assert servings_of(coffee(MAX_SERVINGS)) == MAX_SERVINGS
    # "3 coffees" (100 mg each) in one entry reaches 200 mg; one coffee does not
    for quantity, reached in ((3.0, True), (None, False), (30.0, False)):
        _, _, days, _ = measure_days(intakes([coffee(quantity)]), [INDEX], FACTS, "24h")
        assert (CAFFEINE_ITEM in days[0]) is reached
    # "2 bags of crisps" are two ultra-processed servings
    crisps = DiaryEvent("food", at("2025-03-10 11:00"), "crisps", quantity=2.0)
    _, _, days, _ = measure_days(intakes([crisps]), [INDEX], FACTS, "24h")
    assert ULTRA_PROCESSED_ITEM in days[0]


def test_measures_are_not_tested_without_enough_data() -> None:
    facts = {"oats": FoodFacts(fiber_g=12.0), "toast": FoodFacts()}
    intakes = [Intake(at("2025-03-10 08:00"), f) for f in ("oats", "toast", "toast", "mystery")]
    items, cover, _, _ = measure_days(intakes, [INDEX], facts, "24h")
    assert cover[FIBER_ITEM] == pytest.approx(0.25)  # one serving of four has a fiber value
    assert cover[CAFFEINE_ITEM] == pytest.approx(0.75)  # three of four are known foods
    assert FIBER_ITEM not in items and CAFFEINE_ITEM in items
    assert measure_days(intakes, [INDEX], None, "24h")[0] == []


def fiber_diary(days: int = 150) -> list[DiaryEvent]:
    events: list[DiaryEvent] = []
    first = date(2025, 1, 1)
    blocked = first - timedelta(days=1)
    for i in range(days):
        day = first + timedelta(days=i)
        events.append(food(f"{day} 08:00", "oats"))
        if i % 3 == 0:
            events.append(food(f"{day} 12:30", "lentils"))
        if i % 4 == 0:
            events.append(food(f"{day} 13:00", "crisps"))
        if day > blocked and i % 5 == 1:
            events.append(start(f"{day} 15:00"))
            events.append(ev("migraine_end", f"{day} 20:00"))
            blocked = day + timedelta(days=2)
        else:
            events.append(ev("no_migraine", f"{day} 21:30"))
    return events


def test_measures_in_the_report_with_level_and_coverage() -> None:
    report = analyse(fiber_diary(), LONDON, {}, food_facts=FACTS)
    r = report.find(FIBER_ITEM)
    assert r is not None and r.level == "measure" and r.coverage == 1.0
    row = r.to_json()
    assert row["level"] == "measure" and row["coverage"] == 1.0
    assert set(report.measure_coverage) == {m.item for m in MEASURES}
    assert "I know the amounts of all of it" in render_food_detail_html(report, FIBER_ITEM)
    # not given food facts: no measures at all, and food results unchanged
    plain = analyse(fiber_diary(), LONDON, {})
    assert plain.find(FIBER_ITEM) is None
    assert plain.find("oats") is not None


def test_one_bh_family_covers_foods_categories_factors_and_measures() -> None:
    from bench.simulate_protective import analyse_diary

    report = analyse_diary(3)
    tested = [r for r in report.results if r.q is not None]
    assert {r.level for r in tested} == {"food", "category", "factor", "measure"}
    # each direction ("raises", "lowers") is one BH family over every tested item, at half the
    # level, so that all claims together stay within it; checked against statsmodels' BH
    m = len(tested)
    _, raise_q, _, _ = multipletests([r.p for r in tested], method="fdr_bh")
    _, lower_q, _, _ = multipletests([r.p_lower for r in tested], method="fdr_bh")
    assert [r.q for r in tested] == pytest.approx([min(1.0, 2 * q) for q in raise_q])
    assert [r.q_lower for r in tested] == pytest.approx([min(1.0, 2 * q) for q in lower_q])
    assert m > 20


GOLDEN = Path(__file__).parent / "data" / "food_only_before_factors.json"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_food_only_results_match_before_except_the_two_direction_correction(seed: int) -> None:
    """Golden made with the analysis before protective verdicts, factors and measures existed.

    Since then only one thing may differ for a food-only diary: each direction's q is BH at half
    the level (twice the old q, capped at 1), so a "likely" trigger whose doubled q reaches the
    threshold becomes "possible". Everything else is byte-identical.
    """
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))[str(seed)]
    events = simulate_triggers.simulate_diary(seed)
    report = analyse(events, simulate_triggers.TZ, simulate_triggers.CATEGORIES)
    now = {r["name"]: r for r in (x.to_json() for x in report.results)}
    assert set(now) == {r["name"] for r in golden}
    likely_q = report.settings.likely_q
    for old in golden:
        new = now[old["name"]]
        if old["q"] is None:
            assert new["q"] is None
        else:
            assert new["q"] == pytest.approx(min(1.0, 2 * old["q"]))
        demoted = (
            old["verdict"] == "likely_trigger" and new["q"] is not None and new["q"] >= likely_q
        )
        if demoted:
            assert new["verdict"] == "possible_trigger"
        else:
            assert new["verdict"] == old["verdict"]
        same = {k: v for k, v in old.items() if k not in {"q", "verdict"}}
        assert {k: new[k] for k in same} == same


def test_factor_and_measure_names_read_as_days_in_the_counts_sentence() -> None:
    from analysis.factors import ANTIBIOTICS_ITEM, PROBIOTIC_ITEM
    from analysis.model import FoodResult
    from analysis.wording import counts_sentence

    def sentence(name: str, level: str, window: str = "24h") -> str:
        r = FoodResult(
            name=name,
            level=level,
            a=3,
            b=7,
            c=9,
            d=81,
            rr=3.0,
            ci_low=1.0,
            ci_high=9.0,
            p=0.01,
            q=0.05,
            verdict="likely_trigger",
        )
        return counts_sentence(r, window)  # type: ignore[arg-type]

    assert "of 10 days on antibiotics you had" in sentence(ANTIBIOTICS_ITEM, "factor")
    assert "days with a probiotic the day before" in sentence(PROBIOTIC_ITEM, "factor", "48h")
    assert "of 10 days with any live-culture food you" in sentence(FERMENTED_ITEM, "measure")
    assert "of 10 days after red wine you" in sentence("red wine", "food")


def test_thin_factors_get_no_more_days_advice_and_one_thin_food_is_singular() -> None:
    from dataclasses import replace

    from analysis.report import render_food_detail_html, render_report_html
    from bench.simulate_protective import analyse_diary

    report = analyse_diary(3)
    thin = [r for r in report.results if r.too_few_days]
    assert [(r.name, r.level) for r in thin] == [("on antibiotics", "factor")]  # this seed
    html = render_report_html(report)
    # never "a few more days on antibiotics would tell"
    assert "antibiotics" not in html.split("What would sharpen")[-1]
    assert "too few days to judge" not in html
    detail = render_food_detail_html(report, "on antibiotics")
    assert "Days with it: 3" in detail and "more days with it" not in detail
    assert "planned test" not in detail and "food in the" not in detail
    # the same result as a food: counted, in the singular
    as_food = replace(thin[0], level="food")
    foods = replace(report, results=[as_food if r is thin[0] else r for r in report.results])
    assert "1 food has too few days to judge yet." in render_report_html(foods)


def test_a_factor_that_looks_safe_reads_as_no_link_in_its_detail() -> None:
    from analysis.factors import HIGH_STRESS_ITEM
    from analysis.report import render_food_detail_html
    from bench.simulate_protective import analyse_diary

    report = analyse_diary(5)
    stress = report.find(HIGH_STRESS_ITEM)
    assert stress is not None and stress.verdict == "looks_safe"  # this seed
    detail = render_food_detail_html(report, HIGH_STRESS_ITEM)
    assert detail.startswith("<b>High stress (4–5)</b> — no link so far\n")
