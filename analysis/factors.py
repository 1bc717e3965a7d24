"""Lifestyle factors as exposures: fixed yes/no rules, chosen in advance, on the index window.

The bot logs sleep, stress, exercise, probiotics, antibiotics and periods as events of kind
`factor` with a `name` and a numeric `value`. Each rule below turns them into an item the analysis
tests exactly like a food, in the same window before the index time (the 24 h before it, or
24–48 h before for the "48h" window). The thresholds are fixed here, never searched for: trying
several cut-offs and keeping the best would make chance look like a pattern.

A measured factor (sleep hours, sleep quality, stress) is *unknown* on a day whose window has no
reading: that day is left out of that factor's table rather than counted as "slept well", so a
patient who logs sleep only on bad nights is not read as sleeping badly only before attacks.
Exercise and probiotics are logged when they happen, like food: no entry means none.
A rule is only tested when the diary has at least one event it reads.

Two known limits. Sleep is dated at waking (07:00 unless said), so for someone whose attacks
usually start before then, last night's sleep falls in the next day's window. And the period rule
looks two days ahead, so the last two days of a diary cannot yet know of a coming period. A period
logged only as days "on my period" is dated from the first such day (see `period_starts`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from analysis.exposure import window_bounds
from analysis.model import DiaryEvent, Window

FACTOR_KIND = "factor"

# The event names the bot logs (bot/parsing/factors.py) and what their value means.
SLEEP_HOURS = "sleep_hours"  # hours slept, dated at waking
SLEEP_QUALITY = "sleep_quality"  # 1 poor, 2 ok, 3 good
STRESS = "stress"  # 1 (relaxed) – 5 (very stressed)
EXERCISE = "exercise"  # minutes, or None when not said
PROBIOTIC = "probiotic"  # value unused
ANTIBIOTICS_START = "antibiotics_start"  # value: course length in days, when stated
ANTIBIOTICS_END = "antibiotics_end"
ANTIBIOTICS_DAY = "antibiotics"  # a dose on a day within a course
PERIOD_START = "period_start"
PERIOD_DAY = "period"  # "on my period", or "Ongoing" in the check-in: a day of it, start unknown

SHORT_SLEEP_HOURS = 6.0
POOR_SLEEP_QUALITY = 1.0
HIGH_STRESS = 4.0
DEFAULT_COURSE_DAYS = 7  # an antibiotics course with neither an end nor a stated length
PERIOD_DAYS = (-2, 2)  # ICHD's day −2 to day +3 of menstruation (day 1 is the start; no day 0)
PERIOD_MAX_DAYS = 8  # a day "on my period" this soon after a logged start belongs to that period

SHORT_SLEEP = "short sleep (< 6 h)"
POOR_SLEEP = "poor sleep"
HIGH_STRESS_ITEM = "high stress (4–5)"
EXERCISE_ITEM = "exercise (any)"
PROBIOTIC_ITEM = "probiotic taken"
ANTIBIOTICS_ITEM = "on antibiotics"
PERIOD_ITEM = "period (day −2 to +3)"


@dataclass(frozen=True)
class Reading:
    at: datetime
    value: float | None


@dataclass(frozen=True)
class MeasuredRule:
    """Exposed when any reading of `source` in the window meets `test`; unknown without one."""

    item: str
    source: str
    test: Callable[[float], bool]


@dataclass(frozen=True)
class LoggedRule:
    """Exposed when `source` was logged in the window (no entry means it did not happen)."""

    item: str
    source: str


MEASURED_RULES = (
    MeasuredRule(SHORT_SLEEP, SLEEP_HOURS, lambda v: v < SHORT_SLEEP_HOURS),
    MeasuredRule(POOR_SLEEP, SLEEP_QUALITY, lambda v: v <= POOR_SLEEP_QUALITY),
    MeasuredRule(HIGH_STRESS_ITEM, STRESS, lambda v: v >= HIGH_STRESS),
)
LOGGED_RULES = (LoggedRule(EXERCISE_ITEM, EXERCISE), LoggedRule(PROBIOTIC_ITEM, PROBIOTIC))
FACTOR_ITEMS = (
    *(r.item for r in MEASURED_RULES),
    *(r.item for r in LOGGED_RULES),
    ANTIBIOTICS_ITEM,
    PERIOD_ITEM,
)


@dataclass(frozen=True)
class FactorDay:
    """The factor items one analysed day was exposed to, and those unknown on it."""

    exposed: frozenset[str]
    unknown: frozenset[str]


def readings_by_name(events: Iterable[DiaryEvent]) -> dict[str, list[Reading]]:
    """Factor events grouped by name, in time order."""
    out: dict[str, list[Reading]] = {}
    for e in events:
        if e.kind == FACTOR_KIND and e.name:
            out.setdefault(e.name.strip().lower(), []).append(Reading(e.at, e.value))
    for readings in out.values():
        readings.sort(key=lambda r: r.at)
    return out


def antibiotic_courses(readings: dict[str, list[Reading]]) -> list[tuple[datetime, datetime]]:
    """[start, end) of every course: to the next logged end, else the stated or default length."""
    ends = [r.at for r in readings.get(ANTIBIOTICS_END, [])]
    courses: list[tuple[datetime, datetime]] = []
    for s in readings.get(ANTIBIOTICS_START, []):
        later = [e for e in ends if e > s.at]
        days = s.value if s.value and s.value > 0 else DEFAULT_COURSE_DAYS
        courses.append((s.at, later[0] if later else s.at + timedelta(days=days)))
    return courses


def period_starts(readings: dict[str, list[Reading]], tz: ZoneInfo) -> set[date]:
    """Local start days of periods: those logged as started, and for days logged only as "on my
    period" with no start in the `PERIOD_MAX_DAYS` before, the first day of that run of days.

    The inferred start can be late (the person may have said nothing on day 1), which shifts the
    day −2..+3 window later; it is still closer than ignoring the period altogether.
    """
    logged = {r.at.astimezone(tz).date() for r in readings.get(PERIOD_START, [])}
    starts = set(logged)
    run_start: date | None = None
    previous: date | None = None
    for day in sorted({r.at.astimezone(tz).date() for r in readings.get(PERIOD_DAY, [])}):
        if previous is None or (day - previous).days > 1:
            run_start = day  # a new run of "on my period" days
        previous = day
        if not any(0 <= (day - s).days < PERIOD_MAX_DAYS for s in logged):
            assert run_start is not None
            starts.add(run_start)
    return starts


def factors_in_diary(readings: dict[str, list[Reading]]) -> list[str]:
    """The factor items this diary can say anything about (it logged what they read)."""
    present = set(readings)
    out = [r.item for r in MEASURED_RULES if r.source in present]
    out += [r.item for r in LOGGED_RULES if r.source in present]
    if present & {ANTIBIOTICS_START, ANTIBIOTICS_DAY}:
        out.append(ANTIBIOTICS_ITEM)
    if present & {PERIOD_START, PERIOD_DAY}:
        out.append(PERIOD_ITEM)
    return out


class _Series:
    """One factor's readings in time order, with their times kept for bisecting: building the
    time list on every window made the factor rules most of a 5-year analysis."""

    def __init__(self, readings: Sequence[Reading]) -> None:
        self.readings = readings
        self.times = [r.at.timestamp() for r in readings]

    def between(self, lo: float, hi: float) -> Sequence[Reading]:
        return self.readings[bisect_left(self.times, lo) : bisect_left(self.times, hi)]


_NONE = _Series([])


def factor_day(
    readings: dict[str, _Series],
    courses: Sequence[tuple[datetime, datetime]],
    period_starts: set[date],
    lo: datetime,
    hi: datetime,
    tz: ZoneInfo,
) -> FactorDay:
    """Every factor rule applied to one window [lo, hi)."""
    exposed: set[str] = set()
    unknown: set[str] = set()
    lo_ts, hi_ts = lo.timestamp(), hi.timestamp()
    for m in MEASURED_RULES:
        values = [r.value for r in readings.get(m.source, _NONE).between(lo_ts, hi_ts)]
        known = [v for v in values if v is not None]
        if not known:
            unknown.add(m.item)
        elif any(m.test(v) for v in known):
            exposed.add(m.item)
    for g in LOGGED_RULES:
        logged = readings.get(g.source, _NONE).between(lo_ts, hi_ts)
        if any(r.value is None or r.value > 0 for r in logged):
            exposed.add(g.item)
    if any(s < hi and e > lo for s, e in courses) or readings.get(ANTIBIOTICS_DAY, _NONE).between(
        lo_ts, hi_ts
    ):
        exposed.add(ANTIBIOTICS_ITEM)
    # the period rule is a calendar rule on the local day the window ends in
    day = (hi - timedelta(microseconds=1)).astimezone(tz).date()
    first, last = PERIOD_DAYS
    if any((day - s).days in range(first, last + 1) for s in period_starts):
        exposed.add(PERIOD_ITEM)
    return FactorDay(frozenset(exposed), frozenset(unknown))


def factor_days(
    events: Iterable[DiaryEvent],
    indexes: Sequence[datetime],
    tz: ZoneInfo,
    window: Window,
) -> tuple[list[str], list[FactorDay]]:
    """The factor items to test, and each analysed day's exposure to them (by index time)."""
    readings = readings_by_name(events)
    items = factors_in_diary(readings)
    if not items:
        return [], [FactorDay(frozenset(), frozenset()) for _ in indexes]
    courses = antibiotic_courses(readings)
    starts = period_starts(readings, tz)
    wanted = set(items)
    series = {name: _Series(rs) for name, rs in readings.items()}
    out: list[FactorDay] = []
    for index in indexes:
        lo, hi = window_bounds(index, window)
        fd = factor_day(series, courses, starts, lo, hi, tz)
        out.append(FactorDay(fd.exposed & wanted, fd.unknown & wanted))
    return items, out
