"""Koopman's score interval for a ratio of two proportions (Koopman 1984, Biometrics 40:513).

Hand-written on purpose. The interval is the set of ratios θ that Pearson's score test does not
reject: χ²(θ) = Σ (xᵢ − nᵢp̃ᵢ)² / (nᵢp̃ᵢ(1 − p̃ᵢ)) ≤ χ²₁(1 − α), where p̃ᵢ are the maximum-likelihood
proportions under p₁ = θ·p₂ (closed form: a quadratic, as in Miettinen & Nurminen 1985). Library
versions are unreliable exactly where a personal diary lives, on small tables with zero cells:
scipy offers only the Katz log interval (no zero-cell handling), statsmodels' Table2x2 is Katz with
0.5 added to zero cells, and statsmodels' score interval for the ratio returns a lower limit of 5.37
on [2, 0, 41, 188] where the score interval is 1.86. We find the two roots with brentq.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

from scipy.optimize import brentq
from scipy.stats import chi2

_TINY = 1e-12


def constrained_p2(x1: int, n1: int, x2: int, n2: int, theta: float) -> float:
    """MLE of p₂ under p₁ = θ·p₂ (the smaller root of θN·p² − (θ(n₁+x₂) + x₁ + n₂)·p + x₁+x₂)."""
    n = n1 + n2
    a = theta * n
    b = -(theta * (n1 + x2) + x1 + n2)
    c = x1 + x2
    disc = max(b * b - 4 * a * c, 0.0)
    # numerically stable root of the quadratic (avoid cancellation when b² ≫ 4ac)
    q = -0.5 * (b - math.sqrt(disc))  # b < 0, so q > 0
    if q == 0:
        return 0.0
    return min(c / q, 1.0 / theta if theta > 0 else 1.0)


def score_statistic(x1: int, n1: int, x2: int, n2: int, theta: float) -> float:
    """Koopman's χ² for H0: p₁/p₂ = θ."""
    p2 = constrained_p2(x1, n1, x2, n2, theta)
    p1 = min(theta * p2, 1.0)
    total = 0.0
    for x, n, p in ((x1, n1, p1), (x2, n2, p2)):
        resid = x - n * p
        var = n * p * (1 - p)
        if var <= _TINY:
            if abs(resid) > 1e-9:
                return math.inf
            continue
        total += resid * resid / var
    return total


@lru_cache(maxsize=4096)
def koopman_interval(
    x1: int, n1: int, x2: int, n2: int, confidence: float = 0.95
) -> tuple[float, float]:
    """Score interval for (x1/n1)/(x2/n2). Lower 0 when x1 = 0; upper inf when x2 = 0.

    Cached: rarely eaten foods often share the same counts, and each interval takes two root
    searches.
    """
    if n1 <= 0 or n2 <= 0:
        return 0.0, math.inf
    crit = chi2_critical(confidence)

    def f(theta: float) -> float:
        return score_statistic(x1, n1, x2, n2, theta) - crit

    # a point inside the interval: the estimate, or something finite near it at the edges
    if x1 == 0 and x2 == 0:
        return 0.0, math.inf
    if x1 == 0:
        centre = 0.5 / n1 / (x2 / n2)
    elif x2 == 0:
        centre = (x1 / n1) / (0.5 / n2)
    else:
        centre = (x1 / n1) / (x2 / n2)
    if f(centre) > 0:  # can happen at the capped edges; move towards the bulk of the data
        centre = _inside_point(f, centre)
    low = 0.0 if x1 == 0 else _root(f, centre, down=True)
    high = math.inf if x2 == 0 else _root(f, centre, down=False)
    return low, high


@lru_cache(maxsize=8)
def chi2_critical(confidence: float) -> float:
    """χ²₁ quantile of the interval (cached: scipy's quantile costs more than a whole interval)."""
    return float(chi2.ppf(confidence, 1))


def _inside_point(f: Callable[[float], float], centre: float) -> float:
    for k in range(1, 60):
        for cand in (centre * 1.5**k, centre / 1.5**k):
            if f(cand) <= 0:
                return cand
    return centre


def _root(f: Callable[[float], float], inside: float, *, down: bool) -> float:
    """Walk away from a point inside the interval until the test rejects, then brentq."""
    step = 0.5 if down else 2.0
    hi = inside
    for _ in range(200):
        nxt = hi * step
        if f(nxt) > 0:
            pair = (nxt, hi) if down else (hi, nxt)
            return float(brentq(f, *pair, xtol=1e-10, rtol=1e-10))
        hi = nxt
    return 0.0 if down else math.inf
