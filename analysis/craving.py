"""Reverse causation: foods craved in the hours before an attack look like triggers.

Food cravings are a premonitory symptom (Karsan et al. 2021), so chocolate eaten an hour before an
onset may be a consequence of the coming attack, not its cause. We flag a food when most of the
onsets it preceded had it within `craving_hours` before the onset, clearly more often than on
exposed days without an onset. The reply then suggests a deliberate test on a good day.
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.exposure import ExposedDay
from analysis.tables import Table


def late_counts(item: str, days: Sequence[ExposedDay]) -> tuple[int, int, int, int]:
    """(late onsets, exposed onsets, late non-onsets, exposed non-onsets) for `item`."""
    late_a = a = late_b = b = 0
    for d in days:
        if item not in d.items:
            continue
        late = item in d.late_items
        if d.onset:
            a += 1
            late_a += late
        else:
            b += 1
            late_b += late
    return late_a, a, late_b, b


def rr_without_late_intake(item: str, days: Sequence[ExposedDay]) -> float | None:
    """The RR when intake in the last `craving_hours` before the index is not counted.

    Exposure is intake earlier in the window only; a day with only late intake counts as
    unexposed (leaving such days out would select onset days by the craving itself). A craved food
    falls towards 1; a real trigger eaten earlier keeps its effect.
    """
    a = sum(1 for d in days if d.onset and item in d.early_items)
    n1 = sum(1 for d in days if item in d.early_items)
    c = sum(1 for d in days if d.onset and item not in d.early_items)
    n0 = len(days) - n1
    return Table(a, n1 - a, c, n0 - c).risk_ratio()


def is_craving_suspect(late_a: int, a: int, late_b: int, b: int, share: float) -> bool:
    """Most exposed onsets had late intake, and late intake is at least twice as common there."""
    if a < 3 or late_a / a < share:
        return False
    other = late_b / b if b else 0.0
    return late_a / a >= 2 * other
