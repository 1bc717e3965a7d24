"""Koopman's score interval against published values, statsmodels (where it is right), and an
independent brute-force inversion of the score test."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from scipy.stats import chi2
from statsmodels.stats.proportion import confint_proportions_2indep

from analysis.intervals import koopman_interval


def test_koopman_1984_worked_example() -> None:
    # Koopman (1984), Biometrics 40:513, 36/40 vs 16/80: 95 % interval 2.94–7.15
    # (also the example of R's PropCIs::riskscoreci).
    low, high = koopman_interval(36, 40, 16, 80)
    assert low == pytest.approx(2.94, abs=0.005)
    assert high == pytest.approx(7.15, abs=0.005)


@pytest.mark.parametrize(
    ("table", "low", "high"),
    [
        # research/statistics.md: the tables where Katz and statsmodels go wrong
        ((2, 0, 41, 188), 1.86, None),
        ((5, 0, 38, 188), 3.21, 8.00),
    ],
)
def test_score_interval_on_zero_cell_tables(
    table: tuple[int, int, int, int], low: float, high: float | None
) -> None:
    a, b, c, d = table
    lo, hi = koopman_interval(a, a + b, c, c + d)
    assert lo == pytest.approx(low, abs=0.005)
    if high is not None:
        assert hi == pytest.approx(high, abs=0.005)


def _brute_force_interval(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float]:
    """Invert the score test on a fine log grid, with the constrained MLE found numerically
    (no closed form shared with the code under test)."""
    crit = chi2.ppf(0.95, 1)

    def stat(theta: float) -> float:
        def negll(p2: float) -> float:
            p1 = theta * p2
            ll = 0.0
            for x, n, p in ((x1, n1, p1), (x2, n2, p2)):
                p = min(max(p, 1e-300), 1 - 1e-15)
                ll += x * math.log(p) + (n - x) * math.log1p(-p)
            return -ll

        upper = min(1.0, 1.0 / theta) * (1 - 1e-12)
        p2 = float(
            minimize_scalar(
                negll, bounds=(1e-12, upper), method="bounded", options={"xatol": 1e-13}
            ).x
        )
        p1 = theta * p2
        total = 0.0
        for x, n, p in ((x1, n1, p1), (x2, n2, p2)):
            var = n * p * (1 - p)
            resid = x - n * p
            total += 0.0 if var < 1e-12 and abs(resid) < 1e-6 else resid * resid / max(var, 1e-300)
        return total

    grid = np.exp(np.linspace(math.log(0.01), math.log(200), 6000))
    inside = [t for t in grid if stat(t) <= crit]
    low = 0.0 if x1 == 0 else inside[0]
    high = math.inf if x2 == 0 else inside[-1]
    return float(low), float(high)


@pytest.mark.parametrize(
    "table",
    [
        (36, 40, 16, 80),
        (2, 2, 41, 229),
        (5, 5, 38, 226),
        (7, 20, 12, 100),
        (1, 9, 20, 200),
        (0, 12, 30, 150),
        (4, 10, 0, 90),
        (10, 52, 30, 300),
        (17, 37, 26, 197),
    ],
)
def test_matches_brute_force_inversion(table: tuple[int, int, int, int]) -> None:
    x1, n1, x2, n2 = table
    lo, hi = koopman_interval(x1, n1, x2, n2)
    blo, bhi = _brute_force_interval(x1, n1, x2, n2)
    step = math.exp((math.log(200) - math.log(0.01)) / 5999) - 1  # grid spacing, relative
    if x1 == 0:
        assert lo == 0.0
    else:
        assert lo == pytest.approx(blo, rel=2 * step)
    if x2 == 0:
        assert hi == math.inf
    else:
        assert hi == pytest.approx(bhi, rel=2 * step)


@pytest.mark.parametrize(
    "table", [(36, 40, 16, 80), (10, 52, 30, 300), (7, 20, 12, 100), (17, 37, 26, 197)]
)
def test_matches_statsmodels_where_statsmodels_is_right(table: tuple[int, int, int, int]) -> None:
    # statsmodels' ratio score interval without the Miettinen–Nurminen correction is Koopman's,
    # correct on tables without a zero cell.
    lo, hi = koopman_interval(*table)
    slo, shi = confint_proportions_2indep(*table, compare="ratio", method="score", correction=False)
    assert lo == pytest.approx(float(slo), rel=1e-6)
    assert hi == pytest.approx(float(shi), rel=1e-6)


def test_zero_cells_give_open_ends() -> None:
    assert koopman_interval(0, 10, 5, 50)[0] == 0.0
    assert koopman_interval(3, 10, 0, 50)[1] == math.inf
    assert koopman_interval(0, 10, 0, 50) == (0.0, math.inf)
    assert koopman_interval(0, 0, 3, 10) == (0.0, math.inf)


def test_interval_contains_estimate_and_narrows_with_data() -> None:
    lo, hi = koopman_interval(6, 20, 10, 100)
    assert lo < 3.0 < hi
    lo2, hi2 = koopman_interval(60, 200, 100, 1000)
    assert lo < lo2 < 3.0 < hi2 < hi
