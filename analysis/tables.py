"""2×2 tables of at-risk days: exposed/unexposed × onset/no onset."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.matrix import BoolArray, DayMatrix, count_true


@dataclass(frozen=True)
class Table:
    """a: exposed with onset, b: exposed without, c: unexposed with, d: unexposed without."""

    a: int
    b: int
    c: int
    d: int

    @property
    def exposed(self) -> int:
        return self.a + self.b

    @property
    def unexposed(self) -> int:
        return self.c + self.d

    @property
    def total(self) -> int:
        return self.a + self.b + self.c + self.d

    def risk_ratio(self) -> float | None:
        """a/(a+b) ÷ c/(c+d); inf when only exposed days had onsets; None when undefined."""
        if self.exposed == 0 or self.unexposed == 0:
            return None
        p1 = self.a / self.exposed
        p0 = self.c / self.unexposed
        if p0 == 0:
            return float("inf") if p1 > 0 else None
        return p1 / p0


def table_of(exposed: BoolArray, onset: BoolArray) -> Table:
    """The table of one item, from the days it was in the window and the days with an onset."""
    n1 = int(np.count_nonzero(exposed))
    a = int(np.count_nonzero(exposed & onset))
    c = int(np.count_nonzero(onset)) - a
    return Table(a, n1 - a, c, len(onset) - n1 - c)


def tables_of(matrix: DayMatrix) -> list[Table]:
    """The table of every item of the matrix, in its row order, counted in one pass.

    Days on which an item is unknown (a factor with no reading) are in neither of its rows.
    """
    n1 = count_true(matrix.exposed)
    a = count_true(matrix.exposed & matrix.onset)
    if matrix.unknown is None:
        c = matrix.n_onsets - a
        d = matrix.n_days - n1 - c
    else:
        known = ~matrix.unknown
        c = count_true(known & matrix.onset) - a
        d = count_true(known) - n1 - c
    return [
        Table(int(ai), int(bi), int(ci), int(di))
        for ai, bi, ci, di in zip(a, n1 - a, c, d, strict=True)
    ]
