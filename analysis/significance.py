"""One-sided Fisher exact p-values and Benjamini–Hochberg q-values."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.stats import false_discovery_control, fisher_exact


def fisher_greater(a: int, b: int, c: int, d: int) -> float:
    """P(at least `a` exposed onsets | margins): evidence that the food raises the risk."""
    result = fisher_exact([[a, b], [c, d]], alternative="greater")
    return float(result.pvalue)


def bh_qvalues(pvalues: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (valid under independence or positive dependence)."""
    if not pvalues:
        return []
    qs = false_discovery_control(np.asarray(pvalues, dtype=float), method="bh")
    return [float(q) for q in qs]
