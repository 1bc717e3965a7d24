"""The analysed days as boolean arrays: one row per food or category, one column per day.

Every count the method needs (2×2 tables, days two foods share, late intake before onsets) is then
a vectorised sum over a row instead of a Python loop over all days for every item, which is what
keeps a five-year diary with hundreds of foods interactive.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from analysis.exposure import ExposedDay

BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class DayMatrix:
    """Which items each analysed day was exposed to, and which days had a new onset.

    `exposed[row[item], k]` is true when `item` was in day k's window; `late` and `early` split
    that by whether the intake was within the craving hours before the index time or earlier
    (a day can have both).
    """

    items: tuple[str, ...]
    row: dict[str, int]
    onset: BoolArray  # (days,)
    exposed: BoolArray  # (items, days)
    late: BoolArray  # (items, days)
    early: BoolArray  # (items, days)
    unknown: BoolArray | None = None  # (items, days): no reading, left out of that item's table

    @property
    def n_days(self) -> int:
        return int(self.onset.shape[0])

    @property
    def n_onsets(self) -> int:
        return int(np.count_nonzero(self.onset))

    def days_with(self, item: str) -> BoolArray:
        """The days `item` was in the window (none for an item the matrix does not know)."""
        k = self.row.get(item)
        if k is None:
            return np.zeros(self.n_days, dtype=bool)
        days: BoolArray = self.exposed[k]
        return days

    def known_days(self, item: str) -> BoolArray:
        """The days on which `item` is known: all of them, but for a factor with no reading or a
        food on a day whose window has no food logged at all."""
        k = self.row.get(item)
        if self.unknown is None or k is None:
            return np.ones(self.n_days, dtype=bool)
        known: BoolArray = ~self.unknown[k]
        return known

    def early_days_with(self, item: str) -> BoolArray:
        """The days with intake of `item` before the craving hours (none for an unknown item)."""
        k = self.row.get(item)
        if k is None:
            return np.zeros(self.n_days, dtype=bool)
        days: BoolArray = self.early[k]
        return days


def day_matrix(days: Sequence[ExposedDay], items: Iterable[str] | None = None) -> DayMatrix:
    """The matrix of `days`, with a row for each of `items` (default: every item in `days`).

    Rows keep the order of `items`; an item of a day that is not in `items` is left out.
    """
    if items is None:
        names = tuple(dict.fromkeys(i for d in days for i in sorted(d.items)))
    else:
        names = tuple(dict.fromkeys(items))
    row = {name: k for k, name in enumerate(names)}
    shape = (len(names), len(days))
    onset = np.fromiter((d.onset for d in days), dtype=bool, count=len(days))
    unknown = None
    if any(d.unknown_items for d in days):
        unknown = _marks([d.unknown_items for d in days], row, shape)
    return DayMatrix(
        names,
        row,
        onset,
        exposed=_marks([d.items for d in days], row, shape),
        late=_marks([d.late_items for d in days], row, shape),
        early=_marks([d.early_items for d in days], row, shape),
        unknown=unknown,
    )


def _marks(per_day: list[frozenset[str]], row: dict[str, int], shape: tuple[int, int]) -> BoolArray:
    """A boolean matrix with (row of item, day) set for every item of every day's set."""
    marks = np.zeros(shape, dtype=bool)
    rows: list[int] = []
    columns: list[int] = []
    for column, names in enumerate(per_day):
        known = [k for n in names if (k := row.get(n)) is not None]
        rows += known
        columns += [column] * len(known)
    marks[rows, columns] = True
    return marks


def count_true(rows: BoolArray) -> IntArray:
    """Days per row of a boolean matrix (or the count of a single row, as a 0-d array)."""
    return np.asarray(np.count_nonzero(rows, axis=-1), dtype=np.int64)
