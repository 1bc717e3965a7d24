"""Foods eaten together: the Mantel–Haenszel relative risk stratified on a companion food.

If cheese is only ever eaten with red wine, cheese's crude RR borrows red wine's effect. Splitting
the days by whether red wine was in the window and pooling the two tables (Mantel–Haenszel)
separates them when there are days with one and not the other; when it removes the effect we say
"can't separate from red wine yet" rather than calling cheese a trigger.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from functools import lru_cache

import numpy as np
from scipy.stats import norm

from analysis.exposure import ExposedDay
from analysis.matrix import DayMatrix, count_true, day_matrix
from analysis.tables import Table, table_of


def mantel_haenszel_rr(strata: Sequence[Table]) -> float | None:
    """Σ aₖ(cₖ+dₖ)/Nₖ ÷ Σ cₖ(aₖ+bₖ)/Nₖ; inf when only the numerator is positive, None if 0/0."""
    num = sum(t.a * t.unexposed / t.total for t in strata if t.total > 0)
    den = sum(t.c * t.exposed / t.total for t in strata if t.total > 0)
    if den == 0:
        return float("inf") if num > 0 else None
    return num / den


def mh_log_se(strata: Sequence[Table]) -> float | None:
    """Greenland–Robins (1985) standard error of ln RR_MH (cumulative incidence).

    With one stratum it reduces to Katz's √(1/a − 1/n₁ + 1/c − 1/n₀).
    """
    num = sum(
        (t.exposed * t.unexposed * (t.a + t.c) - t.a * t.c * t.total) / t.total**2
        for t in strata
        if t.total > 0
    )
    r = sum(t.a * t.unexposed / t.total for t in strata if t.total > 0)
    s = sum(t.c * t.exposed / t.total for t in strata if t.total > 0)
    if r <= 0 or s <= 0 or num < 0:
        return None
    return math.sqrt(num / (r * s))


def removes_effect(
    crude: float | None,
    adjusted: float | None,
    threshold: float,
    *,
    crude_low: float = 0.0,
    adjusted_low: float | None = None,
) -> bool:
    """Whether, after adjusting for the companion, the food's own effect is gone or unclear.

    Gone: the adjusted RR is not trigger-sized and adjustment took away at least half of the
    effect (log scale). Unclear: the crude interval excluded 1 but the adjusted one does not —
    the days with one food and not the other are too few to tell them apart. An undefined (0/0)
    adjusted RR means the two were never apart.
    """
    if adjusted is None:
        return True
    if crude is None:
        return False
    if crude_low > 1.0 and adjusted_low is not None and adjusted_low <= 1.0:
        return True
    if adjusted > threshold:
        return False
    if adjusted <= 1.0 or not math.isfinite(crude):
        return True
    return math.log(adjusted) <= 0.5 * math.log(crude)


def stratified_rr(
    item: str, companion: str, matrix: DayMatrix, confidence: float = 0.95
) -> tuple[float | None, float | None]:
    """MH RR of `item` stratified on whether `companion` was in the same window, and the lower
    limit of its Greenland–Robins interval (None when it cannot be computed)."""
    known = matrix.known_days(item)
    mine = matrix.days_with(item)[known]
    onset = matrix.onset[known]
    with_c = matrix.days_with(companion)[known]
    without_c = ~with_c
    strata = [
        table_of(mine[with_c], onset[with_c]),
        table_of(mine[without_c], onset[without_c]),
    ]
    rr = mantel_haenszel_rr(strata)
    se = mh_log_se(strata)
    if rr is None or se is None or not 0 < rr < math.inf:
        return rr, None
    return rr, rr * math.exp(-normal_quantile(0.5 + confidence / 2) * se)


@lru_cache(maxsize=8)
def normal_quantile(p: float) -> float:
    """Standard normal quantile (cached: scipy's costs more than the whole adjustment)."""
    return float(norm.ppf(p))


def most_cooccurring(
    item: str,
    flagged: Collection[str],
    days: Sequence[ExposedDay],
    ancestors: Mapping[str, Sequence[str]],
    levels: Mapping[str, str],
    min_share: float = 0.0,
    min_lift: float = 1.0,
) -> str | None:
    """`most_cooccurring_in` over a list of analysed days."""
    matrix = day_matrix(days)
    return most_cooccurring_in(item, flagged, matrix, ancestors, levels, min_share, min_lift)


def most_cooccurring_in(
    item: str,
    flagged: Collection[str],
    matrix: DayMatrix,
    ancestors: Mapping[str, Sequence[str]],
    levels: Mapping[str, str],
    min_share: float = 0.0,
    min_lift: float = 1.0,
) -> str | None:
    """The flagged item most often eaten together with `item`, not nested with it.

    Co-occurrence is the Jaccard index of the two sets of exposed days (shared ÷ either), so a
    specific companion (red wine) wins over a broad category that contains it (alcohol), whose
    extra days have nothing to do with `item`. Ties go to a food, then to the name. A companion
    present on fewer than `min_share` of the item's exposed days, or not at least `min_lift`
    times as often as on the other days, is not considered: a food eaten with it no more than
    usual cannot explain its effect, and adjusting for it only costs precision.
    """
    own = set(ancestors.get(item, ()))
    others = [
        other
        for other in flagged
        if other != item
        and other not in own
        and item not in ancestors.get(other, ())
        and other in matrix.row  # an item never in a window shares no day with anything
    ]
    if not others:
        return None
    mine = matrix.days_with(item)
    n_mine = int(np.count_nonzero(mine))
    n_rest = matrix.n_days - n_mine
    their_days = matrix.exposed[[matrix.row[o] for o in others]]
    shared_counts = count_true(their_days & mine)
    their_counts = count_true(their_days)
    candidates: list[tuple[float, int, str]] = []
    for other, shared_np, theirs_np in zip(others, shared_counts, their_counts, strict=True):
        shared, theirs = int(shared_np), int(theirs_np)
        share_in = shared / n_mine if n_mine else 0.0
        share_out = (theirs - shared) / n_rest if n_rest else 0.0
        if shared > 0 and share_in >= min_share and share_in >= min_lift * share_out:
            jaccard = shared / (n_mine + theirs - shared)
            candidates.append((-jaccard, 0 if levels.get(other) == "food" else 1, other))
    return min(candidates)[2] if candidates else None
