"""One-sided Fisher exact p-values and Benjamini–Hochberg q-values."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.stats import false_discovery_control, fisher_exact, hypergeom

from analysis.tables import Table


def fisher_greater(a: int, b: int, c: int, d: int) -> float:
    """P(at least `a` exposed onsets | margins): evidence that the food raises the risk."""
    result = fisher_exact([[a, b], [c, d]], alternative="greater")
    return float(result.pvalue)


def fisher_greater_many(tables: Sequence[Table]) -> list[float]:
    """`fisher_greater` of every table in one vectorised call (hundreds of foods at once).

    The same formula as scipy's `fisher_exact(alternative="greater")`: P(at most b exposed days
    without an onset), hypergeometric given the margins, capped at 1; and 1 for a table with an
    empty row or column.
    """
    return _hypergeometric_tail(tables, lower=False)


def fisher_less_many(tables: Sequence[Table]) -> list[float]:
    """One-sided Fisher p for FEWER exposed onsets than chance (evidence that an item protects).

    P(at most `a` exposed onsets | margins), hypergeometric; 1 for a table with an empty row or
    column, like `fisher_greater_many`.
    """
    return _hypergeometric_tail(tables, lower=True)


def _hypergeometric_tail(tables: Sequence[Table], *, lower: bool) -> list[float]:
    """Both one-sided Fisher tests, vectorised: P(at most `a` exposed onsets) when `lower`, else
    P(at most `b` exposed days without one) — the same distribution seen from the other cell."""
    if not tables:
        return []
    a, b, c, d = np.array([(t.a, t.b, t.c, t.d) for t in tables], dtype=np.int64).T
    degenerate = (a + b == 0) | (c + d == 0) | (a + c == 0) | (b + d == 0)
    with np.errstate(invalid="ignore"):
        if lower:
            p = hypergeom.cdf(a, a + b + c + d, a + b, a + c)
        else:
            p = hypergeom.cdf(b, a + b + c + d, a + b, b + d)
    return [float(x) for x in np.where(degenerate, 1.0, np.minimum(p, 1.0))]


def bh_qvalues(pvalues: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (valid under independence or positive dependence)."""
    if not pvalues:
        return []
    qs = false_discovery_control(np.asarray(pvalues, dtype=float), method="bh")
    return [float(q) for q in qs]
