"""Protective verdicts: the rule itself, the lower-risk test, and a hand-built diary with one."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from scipy.stats import fisher_exact

from analysis import AnalysisSettings, DiaryEvent, analyse
from analysis.chart import chart_rows, render_chart_png
from analysis.model import TriggerReport
from analysis.report import render_food_detail_html, render_report_html
from analysis.significance import fisher_less_many
from analysis.tables import Table
from analysis.verdicts import verdict_for

from .diaries import LONDON, ev, food, start

S = AnalysisSettings()


def test_protective_needs_size_interval_and_q() -> None:
    assert verdict_for(0.5, 0.9, 0.99, 0.99, S, q_lower=0.01) == "protective"
    # each condition alone keeps it from being called protective
    assert verdict_for(0.7, 0.9, 0.99, 0.99, S, q_lower=0.01) != "protective"  # RR not < 0.67
    assert verdict_for(0.5, 1.1, 0.99, 0.99, S, q_lower=0.01) == "looks_safe"  # interval to 1
    assert verdict_for(0.5, 0.9, 0.99, 0.99, S, q_lower=0.2) == "looks_safe"  # could be chance
    assert verdict_for(0.5, 0.9, 0.99, None, S, q_lower=None) == "not_enough_data"  # untested
    # the threshold is a setting
    loose = AnalysisSettings(protective_rr=0.8)
    assert verdict_for(0.7, 0.9, 0.99, 0.99, loose, q_lower=0.01) == "protective"


@pytest.mark.parametrize("table", [(3, 37, 30, 120), (0, 10, 8, 30), (5, 5, 5, 5), (0, 0, 3, 4)])
def test_lower_risk_p_matches_scipy(table: tuple[int, int, int, int]) -> None:
    a, b, c, d = table
    (p,) = fisher_less_many([Table(a, b, c, d)])
    expected = (
        1.0
        if 0 in (a + b, c + d, a + c, b + d)
        else fisher_exact([[a, b], [c, d]], alternative="less").pvalue
    )
    assert p == pytest.approx(expected)


def yoghurt_diary(days: int = 200) -> list[DiaryEvent]:
    """Yoghurt every other morning; onsets at 15:00 on 1 in 3 other days, none after yoghurt."""
    events: list[DiaryEvent] = []
    first = date(2025, 1, 1)
    blocked = first - timedelta(days=1)
    for i in range(days):
        day = first + timedelta(days=i)
        events.append(food(f"{day} 12:30", "bread"))
        yoghurt = i % 2 == 0
        if yoghurt:
            events.append(food(f"{day} 08:00", "yoghurt"))
        if day > blocked and not yoghurt and i % 3 == 0:
            events.append(start(f"{day} 15:00"))
            events.append(ev("migraine_end", f"{day} 20:00"))
            blocked = day + timedelta(days=2)
        else:
            events.append(ev("no_migraine", f"{day} 21:30"))
    return events


@pytest.fixture(scope="module")
def yoghurt_report() -> TriggerReport:
    return analyse(yoghurt_diary(), LONDON, {"yoghurt": ["dairy"]})


def test_hand_built_protector_is_protective(yoghurt_report: TriggerReport) -> None:
    r = yoghurt_report.find("yoghurt")
    assert r is not None and r.verdict == "protective"
    assert r.rr is not None and r.rr < S.protective_rr and r.ci_high < 1
    assert r.q_lower is not None and r.q_lower < S.likely_q
    row = json.loads(json.dumps(r.to_json()))
    assert row["verdict"] == "protective" and row["q_lower"] == pytest.approx(r.q_lower)
    # a harmless food in the same diary is not protective
    bread = yoghurt_report.find("bread")
    assert bread is None or bread.verdict != "protective"


def test_protective_in_replies_and_chart(yoghurt_report: TriggerReport) -> None:
    html = render_report_html(yoghurt_report)
    assert "<b>Seems to protect you</b>" in html
    assert "Yoghurt</b>: on 0 of" in html and "no migraine started after it yet" in html
    detail = render_food_detail_html(yoghurt_report, "yoghurt")
    assert "seems to protect you" in detail and "not medical advice" in detail
    assert any(r.verdict == "protective" for r in chart_rows(yoghurt_report))
    png = render_chart_png(yoghurt_report)
    assert png is not None and png.startswith(b"\x89PNG")


def test_planted_protector_found_and_no_effect_items_rarely_called_protective() -> None:
    """50 simulated two-year diaries with kefir at RR 0.5 and ~25 no-effect items each."""
    from bench.simulate_protective import CONTAINS_PROTECTOR, PROTECTOR, analyse_diary

    found = false = tested = 0
    for seed in range(50):
        report = analyse_diary(seed)
        r = report.find(PROTECTOR)
        found += r is not None and r.verdict == "protective"
        for x in report.results:
            if x.name in CONTAINS_PROTECTOR or CONTAINS_PROTECTOR & set(x.same_as):
                continue
            tested += x.q is not None
            false += x.verdict == "protective"
    assert found >= 40  # most diaries (measured: 46 of 50)
    assert false / tested < 0.02  # rare per tested no-effect item (measured: about 1 %)
