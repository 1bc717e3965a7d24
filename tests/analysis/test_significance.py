"""Fisher p-values, Benjamini–Hochberg, exact power and the Mantel–Haenszel RR."""

from __future__ import annotations

import itertools
import math
from datetime import date, timedelta

import numpy as np
import pytest
from scipy.stats import binom, false_discovery_control, fisher_exact
from statsmodels.stats.contingency_tables import StratifiedTable

from analysis.confounding import mantel_haenszel_rr, mh_log_se, most_cooccurring, removes_effect
from analysis.exposure import ExposedDay
from analysis.power import exposed_days_for_power, fisher_power
from analysis.significance import bh_qvalues, fisher_greater
from analysis.tables import Table

from .diaries import at


def test_fisher_lady_tasting_tea() -> None:
    # Fisher (1935): 3 of 4 cups right; one-sided p = 17/70.
    assert fisher_greater(3, 1, 1, 3) == pytest.approx(17 / 70)


@pytest.mark.parametrize(
    "table", [(17, 20, 26, 171), (2, 0, 41, 188), (0, 5, 10, 40), (5, 5, 5, 5)]
)
def test_fisher_matches_scipy(table: tuple[int, int, int, int]) -> None:
    a, b, c, d = table
    expected = fisher_exact([[a, b], [c, d]], alternative="greater").pvalue
    assert fisher_greater(a, b, c, d) == pytest.approx(expected)


def test_bh_by_hand_and_against_scipy() -> None:
    p = [0.01, 0.04, 0.03, 0.005]
    # sorted 0.005, 0.01, 0.03, 0.04 → ×4/rank 0.02, 0.02, 0.04, 0.04
    assert bh_qvalues(p) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    rng = np.random.default_rng(3)
    many = list(rng.uniform(size=40) ** 2)
    assert bh_qvalues(many) == pytest.approx(list(false_discovery_control(many)))
    assert bh_qvalues([]) == []


def test_exact_power_matches_statistics_notes() -> None:
    # statistics.md: p0 0.15, 1 in 7 days exposed, RR 2: 0.67 at 43 exposed days, 0.82 at ~64.
    assert fisher_power(43, 258, 0.30, 0.15) == pytest.approx(0.67, abs=0.01)
    assert fisher_power(64, 384, 0.30, 0.15) == pytest.approx(0.82, abs=0.01)
    n = exposed_days_for_power(0, 0, 0.15)
    assert n is not None and 55 <= n <= 66


def test_exact_power_against_enumeration_with_scipy() -> None:
    n1, n0, p1, p0 = 6, 9, 0.5, 0.2
    total = 0.0
    for x1, x0 in itertools.product(range(n1 + 1), range(n0 + 1)):
        p = fisher_exact([[x1, n1 - x1], [x0, n0 - x0]], alternative="greater").pvalue
        if p <= 0.05:
            total += binom.pmf(x1, n1, p1) * binom.pmf(x0, n0, p0)
    assert fisher_power(n1, n0, p1, p0) == pytest.approx(total)


def test_days_needed_is_the_first_that_reaches_the_target() -> None:
    n = exposed_days_for_power(10, 60, 0.15)
    assert n is not None
    assert fisher_power(n, 6 * n, 0.3, 0.15) >= 0.8
    assert exposed_days_for_power(1, 400, 0.1) is None  # eaten too rarely to ever tell


def test_mantel_haenszel_against_statsmodels() -> None:
    strata = [Table(3, 5, 2, 10), Table(4, 2, 5, 9), Table(1, 7, 0, 12)]
    expected = StratifiedTable(
        [np.array([[t.a, t.b], [t.c, t.d]]) for t in strata]
    ).riskratio_pooled
    assert mantel_haenszel_rr(strata) == pytest.approx(expected)


def test_mantel_haenszel_removes_a_borrowed_effect() -> None:
    # cheese harmless; wine doubles risk; cheese mostly eaten with wine.
    with_wine = Table(a=8, b=12, c=4, d=6)  # 40 % either way
    without_wine = Table(a=2, b=8, c=20, d=80)  # 20 % either way
    crude = Table(10, 20, 24, 86).risk_ratio()
    assert crude is not None and crude > 1.5
    adjusted = mantel_haenszel_rr([with_wine, without_wine])
    assert adjusted == pytest.approx(1.0)
    assert removes_effect(crude, adjusted, 1.5)
    assert not removes_effect(3.0, 2.6, 1.5)
    assert removes_effect(2.0, None, 1.5)  # never apart: cannot separate
    # still trigger-sized, but no longer clearly above 1: too few days apart to tell
    assert removes_effect(3.0, 2.6, 1.5, crude_low=1.8, adjusted_low=0.9)
    assert not removes_effect(3.0, 2.6, 1.5, crude_low=1.8, adjusted_low=1.2)


def test_greenland_robins_se_reduces_to_katz_for_one_stratum() -> None:
    t = Table(8, 12, 10, 70)
    katz = math.sqrt(1 / 8 - 1 / 20 + 1 / 10 - 1 / 80)
    assert mh_log_se([t]) == pytest.approx(katz)
    assert mh_log_se([Table(0, 5, 0, 5)]) is None


def _days(spec: list[tuple[set[str], bool]]) -> list[ExposedDay]:
    return [
        ExposedDay(
            date(2025, 1, 1) + timedelta(days=i),
            at("2025-01-01 08:00"),
            onset,
            frozenset(items),
            frozenset(),
        )
        for i, (items, onset) in enumerate(spec)
    ]


def test_companion_is_the_specific_food_not_the_broad_category() -> None:
    spec: list[tuple[set[str], bool]] = []
    spec += [({"cheddar", "red wine", "alcohol"}, True)] * 8
    spec += [({"beer", "alcohol"}, False)] * 20
    spec += [({"cheddar"}, False)] * 2
    spec += [(set(), False)] * 40
    days = _days(spec)
    ancestors = {"cheddar": ("cheese",), "red wine": ("alcohol",), "beer": ("alcohol",)}
    levels = {"cheddar": "food", "red wine": "food", "beer": "food", "alcohol": "category"}
    flagged = ["red wine", "alcohol", "cheddar"]
    assert most_cooccurring("cheddar", flagged, days, ancestors, levels) == "red wine"
    # never adjusted for its own category
    assert most_cooccurring("red wine", flagged, days, ancestors, levels) == "cheddar"


def test_companion_must_be_eaten_with_it_more_than_usual() -> None:
    # apple on half of all days, with or without toast: no reason to adjust toast for it
    spec = [({"toast", "apple"}, False)] * 5 + [({"toast"}, False)] * 5
    spec += [({"apple"}, False)] * 20 + [(set(), False)] * 20
    days = _days(spec)
    levels = {"toast": "food", "apple": "food"}
    assert most_cooccurring("toast", ["apple"], days, {}, levels, 0.3, 1.0) == "apple"
    assert most_cooccurring("toast", ["apple"], days, {}, levels, 0.3, 2.0) is None
