"""Reverse causation: foods craved in the hours before an attack look like triggers.

Food cravings are a premonitory symptom (Karsan et al. 2021), so chocolate eaten an hour before an
onset may be a consequence of the coming attack, not its cause. We flag a food when most of the
onsets it preceded had it within `craving_hours` before the onset, clearly more often than on
exposed days without an onset. The reply then suggests a deliberate test on a good day.
"""

from __future__ import annotations

from typing import NamedTuple

from analysis.matrix import DayMatrix, IntArray, count_true
from analysis.tables import table_of


class LateCounts(NamedTuple):
    """Per item (in the matrix's row order): exposed onsets and non-onsets, and how many of
    each had intake within the craving hours before the index time."""

    late_a: IntArray
    a: IntArray
    late_b: IntArray
    b: IntArray

    def of_row(self, k: int) -> tuple[int, int, int, int]:
        """The four counts of the item in row `k`."""
        return int(self.late_a[k]), int(self.a[k]), int(self.late_b[k]), int(self.b[k])


def late_counts(matrix: DayMatrix) -> LateCounts:
    """(late onsets, exposed onsets, late non-onsets, exposed non-onsets) of every item."""
    late = matrix.late & matrix.exposed
    no_onset = ~matrix.onset
    return LateCounts(
        late_a=count_true(late & matrix.onset),
        a=count_true(matrix.exposed & matrix.onset),
        late_b=count_true(late & no_onset),
        b=count_true(matrix.exposed & no_onset),
    )


def rr_without_late_intake(item: str, matrix: DayMatrix) -> float | None:
    """The RR when intake in the last `craving_hours` before the index is not counted.

    Exposure is intake earlier in the window only; a day with only late intake counts as
    unexposed (leaving such days out would select onset days by the craving itself). A craved food
    falls towards 1; a real trigger eaten earlier keeps its effect.
    """
    known = matrix.known_days(item)
    return table_of(matrix.early_days_with(item)[known], matrix.onset[known]).risk_ratio()


def is_craving_suspect(late_a: int, a: int, late_b: int, b: int, share: float) -> bool:
    """Most exposed onsets had late intake, and late intake is at least twice as common there."""
    if a < 3 or late_a / a < share:
        return False
    other = late_b / b if b else 0.0
    return late_a / a >= 2 * other
