"""Foods eaten together: the Mantel–Haenszel relative risk stratified on a companion food.

If cheese is only ever eaten with red wine, cheese's crude RR borrows red wine's effect. Splitting
the days by whether red wine was in the window and pooling the two tables (Mantel–Haenszel)
separates them when there are days with one and not the other; when it removes the effect we say
"can't separate from red wine yet" rather than calling cheese a trigger.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

from analysis.exposure import ExposedDay
from analysis.tables import Table, table_for


def mantel_haenszel_rr(strata: Sequence[Table]) -> float | None:
    """Σ aₖ(cₖ+dₖ)/Nₖ ÷ Σ cₖ(aₖ+bₖ)/Nₖ; inf when only the numerator is positive, None if 0/0."""
    num = sum(t.a * t.unexposed / t.total for t in strata if t.total > 0)
    den = sum(t.c * t.exposed / t.total for t in strata if t.total > 0)
    if den == 0:
        return float("inf") if num > 0 else None
    return num / den


def removes_effect(crude: float | None, adjusted: float | None, threshold: float) -> bool:
    """Adjustment leaves no trigger-sized effect and takes away at least half of it (log scale).

    Undefined (0/0) adjusted RR means the two were never apart: they cannot be separated.
    """
    if adjusted is None:
        return True
    if crude is None or adjusted > threshold:
        return False
    if adjusted <= 1.0 or not math.isfinite(crude):
        return True
    return math.log(adjusted) <= 0.5 * math.log(crude)


def stratified_rr(item: str, companion: str, days: Sequence[ExposedDay]) -> float | None:
    """MH RR of `item`, stratified on whether `companion` was in the same window."""
    with_c = [d for d in days if companion in d.items]
    without_c = [d for d in days if companion not in d.items]
    return mantel_haenszel_rr([table_for(item, with_c), table_for(item, without_c)])


def most_cooccurring(
    item: str,
    flagged: Collection[str],
    days: Sequence[ExposedDay],
    ancestors: Mapping[str, Sequence[str]],
    levels: Mapping[str, str],
) -> str | None:
    """The flagged item most often eaten together with `item`, not nested with it.

    Co-occurrence is the Jaccard index of the two sets of exposed days (shared ÷ either), so a
    specific companion (red wine) wins over a broad category that contains it (alcohol), whose
    extra days have nothing to do with `item`. Ties go to a food, then to the name.
    """
    own = set(ancestors.get(item, ()))
    mine = {i for i, d in enumerate(days) if item in d.items}
    candidates: list[tuple[float, int, str]] = []
    for other in flagged:
        if other == item or other in own or item in ancestors.get(other, ()):
            continue
        theirs = {i for i, d in enumerate(days) if other in d.items}
        shared = len(mine & theirs)
        if shared > 0:
            jaccard = shared / len(mine | theirs)
            candidates.append((-jaccard, 0 if levels.get(other) == "food" else 1, other))
    return min(candidates)[2] if candidates else None
