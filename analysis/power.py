"""Exact power of the one-sided Fisher test, and how many more exposed days a food needs.

The normal approximation for the log relative risk is far too optimistic on diary-sized tables
(about 42 exposed days for RR 2 at 80 % when the exact power there is only 0.67), so we sum the
binomial probabilities of every table and check which ones Fisher's test would call significant.

Only tables that can actually happen are summed: outcomes whose binomial probability is below
`NEGLIGIBLE` are left out (together they move the power by less than 1e-15), so the work grows
with the spread of the counts (about √n) instead of with n₁·n, and a search over a five-year diary
takes milliseconds rather than seconds.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy.special import gammaln

MAX_DIARY_DAYS = 3650  # beyond ten years of at-risk days the answer is "a lot", not a number
NEGLIGIBLE = 1e-20  # a count with a smaller binomial probability cannot change the power


@lru_cache(maxsize=8)
def _log_factorials_upto(size: int) -> np.ndarray:
    """ln k! for k = 0 … size - 1 (cached; sizes are powers of two, so few tables are built)."""
    return np.asarray(gammaln(np.arange(size) + 1.0), dtype=float)


def log_factorials(n: int) -> np.ndarray:
    """A table of ln k! that covers k = 0 … n (at least)."""
    return _log_factorials_upto(1 << (n + 1).bit_length())


def _log_choose(n: int, k: np.ndarray, lf: np.ndarray) -> np.ndarray:
    """ln C(n, k) from the table, element-wise (k within 0 … n)."""
    return np.asarray(lf[n] - lf[k] - lf[n - k], dtype=float)


def _likely_counts(n: int, p: float, lf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The counts x of Binomial(n, p) with probability above NEGLIGIBLE, and their probabilities.

    The binomial is unimodal, so they form one run of consecutive counts. A risk of 0 or 1
    (possible after rounding) makes one count certain.
    """
    if p <= 0.0 or p >= 1.0:
        return np.array([0 if p <= 0.0 else n]), np.array([1.0])
    # Bernstein: beyond 12 sd + 60 from the mean the whole tail is below e⁻⁷⁰ (≪ NEGLIGIBLE),
    # so only counts inside that band need their probability worked out
    reach = 12 * math.sqrt(n * p * (1 - p)) + 60
    x = np.arange(max(0, math.floor(n * p - reach)), min(n, math.ceil(n * p + reach)) + 1)
    pmf = np.exp(_log_choose(n, x, lf) + x * math.log(p) + (n - x) * math.log1p(-p))
    likely = np.flatnonzero(pmf > NEGLIGIBLE)
    lo, hi = int(likely[0]), int(likely[-1])
    return x[lo : hi + 1], pmf[lo : hi + 1]


def _critical_counts(
    m: np.ndarray, x_lo: int, n1: int, n0: int, alpha: float, lf: np.ndarray
) -> np.ndarray:
    """For each total of onsets m, the fewest exposed onsets x (≥ x_lo) that Fisher calls
    significant: the smallest x with P(X ≥ x | m) ≤ alpha, X hypergeometric.

    The tails are tabulated (log scale) for every x from x_lo up to the largest possible and
    summed from the top, so each is the same sum of the same terms as over the full table. A sum
    of non-negative terms never shrinks as terms are added, so along x the tail only falls and
    "significant" starts at one x: after the tails still above alpha.
    """
    x_down = np.arange(min(n1, int(m[-1])), x_lo - 1, -1)  # from the top: the order of the sums
    # ln C(n0, m - x) for every m - x the table needs, -inf where it is not a possible count
    j = np.arange(int(m[0]) - int(x_down[0]), int(m[-1]) - x_lo + 1)
    possible = (j >= 0) & (j <= n0)
    lc0 = np.full(j.shape, -np.inf)
    lc0[possible] = _log_choose(n0, j[possible], lf)
    # m - x grows by one both down a row and along it (x falls): the table is sliding windows
    # of lc0, a view with no index arithmetic per cell
    lc0_table = sliding_window_view(lc0, len(x_down))[: len(m)]
    logpmf = _log_choose(n1, x_down, lf)[None, :] + lc0_table - _log_choose(n1 + n0, m, lf)[:, None]
    tail = np.cumsum(np.exp(logpmf), axis=1)  # P(X ≥ x | m), x falling along a row
    return np.asarray(x_lo + np.count_nonzero(tail > alpha * (1 + 1e-9), axis=1))


def _power_given_critical(
    x1: np.ndarray, pmf1: np.ndarray, x0: np.ndarray, pmf0: np.ndarray, critical: np.ndarray
) -> float:
    """Σ P(x1)·P(x0) over the tables with x1 ≥ critical[x1 + x0 - m₀] (m₀ the smallest total).

    The critical count never falls as the total grows (more onsets make a given x less
    surprising), so for each x1 the significant x0 are a run from the smallest: one cumulative
    sum of P(x0) gives them all. Should rounding ever break that order, every table is checked.
    """
    if np.any(np.diff(critical) < 0):
        significant = x1[:, None] >= critical[x1[:, None] + x0[None, :] - (x1[0] + x0[0])]
        return float((pmf1[:, None] * pmf0[None, :])[significant].sum())
    # the totals m with critical ≤ x1 are the first `totals_ok`; with x1 fixed, each step of
    # x1 up shifts the totals of the same x0 by one, so the first x0_ok values of x0 are in
    totals_ok = np.searchsorted(critical, x1, side="right")
    x0_ok = np.clip(totals_ok - (x1 - x1[0]), 0, len(x0))
    cumulative0 = np.concatenate(([0.0], np.cumsum(pmf0)))
    return float(np.dot(pmf1, cumulative0[x0_ok]))


@lru_cache(maxsize=4096)
def fisher_power(n1: int, n0: int, p1: float, p0: float, alpha: float = 0.05) -> float:
    """P(one-sided Fisher p ≤ alpha) when exposed days have risk p1 and unexposed days p0."""
    if n1 <= 0 or n0 <= 0:
        return 0.0
    lf = log_factorials(n1 + n0)
    x1, pmf1 = _likely_counts(n1, p1, lf)
    x0, pmf0 = _likely_counts(n0, p0, lf)
    totals = np.arange(int(x1[0] + x0[0]), int(x1[-1] + x0[-1]) + 1)
    critical = _critical_counts(totals, int(x1[0]), n1, n0, alpha, lf)
    return _power_given_critical(x1, pmf1, x0, pmf0, critical)


def exposed_days_for_power(
    n1: int,
    n0: int,
    p0: float,
    *,
    rr: float = 2.0,
    target: float = 0.80,
    alpha: float = 0.05,
    cap: int = 2000,
) -> int | None:
    """Smallest total of exposed days (≥ n1) giving `target` power, keeping the food's frequency.

    Unexposed days grow in proportion (n0/n1 of them per exposed day; 6 when nothing is known yet).
    Returns None beyond `cap` or when the baseline risk makes the question meaningless.
    """
    if not 0 < p0 < 1:
        return None
    p1 = min(rr * p0, 0.999)
    ratio = n0 / n1 if n1 > 0 else 6.0
    ratio = max(ratio, 0.2)

    cap = min(cap, int(MAX_DIARY_DAYS / (1 + ratio)))

    def ok(total1: int) -> bool:
        total0 = max(n0, math.ceil(total1 * ratio))
        return fisher_power(total1, total0, round(p1, 4), round(p0, 4), alpha) >= target

    lo = max(n1, 1)
    if lo > cap:
        return None
    if ok(lo):
        return lo
    hi = lo
    while not ok(hi):
        if hi >= cap:
            return None
        lo, hi = hi, min(hi * 2, cap)
    while hi - lo > 1:  # power grows with n apart from small saw-teeth; bisection is good enough
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


def extra_exposed_days(
    n1: int, n0: int, p0: float, *, rr: float, target: float, alpha: float, cap: int
) -> int | None:
    """How many more exposed at-risk days before RR `rr` would be found with `target` power."""
    total = exposed_days_for_power(n1, n0, p0, rr=rr, target=target, alpha=alpha, cap=cap)
    return None if total is None else max(total - n1, 0)
