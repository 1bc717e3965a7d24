"""Local days: which are observed, their index times, and which are at risk of a new onset.

The index time of a day is the onset on attack days. On attack-free days it is a clock time drawn
from the person's own onset times, seeded by the date, so a re-run gives the same answer. A fixed
clock time (say noon) would compare evening food before morning onsets with evening food before
noon on good days, and foods eaten at particular times of day would look like triggers.
"""

from __future__ import annotations

import hashlib
import random
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from analysis.attacks import Attack
from analysis.model import DiaryEvent

# Used only when there is no onset at all to draw from (then nothing can be estimated anyway).
FALLBACK_CLOCK_TIMES: tuple[time, ...] = tuple(time(h, 0) for h in range(6, 23))


@dataclass(frozen=True)
class AtRiskDay:
    """A local day on which a new attack could have started, and its index time (UTC)."""

    day: date
    index: datetime
    onset: bool


def local_date(at: datetime, tz: ZoneInfo) -> date:
    return at.astimezone(tz).date()


def observed_days(events: Iterable[DiaryEvent], tz: ZoneInfo) -> set[date]:
    """Local days on which the person logged anything, including answering the check-in."""
    return {local_date(e.at, tz) for e in events}


def onset_clock_times(attacks: Sequence[Attack], tz: ZoneInfo) -> list[time]:
    """The person's own onset clock times (local wall time), sorted."""
    return sorted(a.onset.astimezone(tz).time().replace(tzinfo=None) for a in attacks)


def date_seed(day: date) -> int:
    """A seed that depends only on the date (stable across runs and Python versions)."""
    return int.from_bytes(hashlib.sha256(day.isoformat().encode()).digest()[:8], "big")


def drawn_index_time(day: date, tz: ZoneInfo, clock_times: Sequence[time]) -> datetime:
    """The index time of an attack-free day: one of the person's onset clock times, in UTC.

    A wall time that does not exist (the hour skipped when clocks go forward) is read with the
    offset before the change, so it still falls on the same local day.
    """
    choices = clock_times or FALLBACK_CLOCK_TIMES
    clock = random.Random(date_seed(day)).choice(list(choices))
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def at_risk_days(
    observed: Iterable[date],
    attacks: Sequence[Attack],
    tz: ZoneInfo,
    relapse_hours: float,
    until: datetime | None = None,
) -> list[AtRiskDay]:
    """Observed days whose index time is not inside an attack or the `relapse_hours` after one.

    Days that have not ended by `until` are left out (their outcome is not known yet).
    """
    gap = timedelta(hours=relapse_hours)
    onsets = {local_date(a.onset, tz): a.onset.astimezone(UTC) for a in attacks}
    starts = [a.onset for a in attacks]
    clock_times = onset_clock_times(attacks, tz)
    out: list[AtRiskDay] = []
    for day in sorted(set(observed)):
        if until is not None and day_end(day, tz) > until:
            continue
        if day in onsets:
            out.append(AtRiskDay(day, onsets[day], True))
            continue
        index = drawn_index_time(day, tz, clock_times)
        i = bisect_right(starts, index) - 1  # the last attack starting at or before the index
        if i >= 0 and index < attacks[i].end + gap:
            continue
        out.append(AtRiskDay(day, index, False))
    return out


def day_end(day: date, tz: ZoneInfo) -> datetime:
    """The next local midnight, in UTC."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)


def window_days(start: datetime, end: datetime, tz: ZoneInfo) -> list[date]:
    """The local days that the half-open interval [start, end) touches."""
    first = local_date(start, tz)
    last = local_date(end - timedelta(microseconds=1), tz)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
