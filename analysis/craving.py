"""Reverse causation: foods craved in the hours before an attack look like triggers.

Food cravings are a premonitory symptom (Karsan et al. 2021), so chocolate eaten an hour before an
onset may be a consequence of the coming attack, not its cause. We flag a food when most of the
onsets it preceded had it within `craving_hours` before the onset, clearly more often than on
exposed days without an onset. The reply then suggests a deliberate test on a good day.
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.exposure import ExposedDay


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


def is_craving_suspect(late_a: int, a: int, late_b: int, b: int, share: float) -> bool:
    """Most exposed onsets had late intake, and late intake is at least twice as common there."""
    if a < 2 or late_a / a < share:
        return False
    other = late_b / b if b else 0.0
    return late_a / a >= 2 * other
