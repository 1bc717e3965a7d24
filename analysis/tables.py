"""2×2 tables of at-risk days: exposed/unexposed × onset/no onset."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.exposure import ExposedDay


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


def table_for(item: str, days: Sequence[ExposedDay]) -> Table:
    a = b = c = d = 0
    for day in days:
        if item in day.items:
            if day.onset:
                a += 1
            else:
                b += 1
        elif day.onset:
            c += 1
        else:
            d += 1
    return Table(a, b, c, d)
