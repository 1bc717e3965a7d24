"""Wall-clock time math for check-ins and follow-ups: pure, no storage, no Telegram.

A check-in at 21:00 means 21:00 on the person's own clock, whatever the UTC offset that day. Each
local day maps to exactly one instant: a time the clock skips (01:30 on the spring-forward night in
London) fires when the clock resumes, shifted by the gap (02:30 BST); a time the clock repeats
(01:30 on the autumn night) fires on its first pass only (fold=0).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

QUIET_START = time(22, 0)
QUIET_END = time(8, 0)
# A check-in before this local hour asks about the day that has just ended.
EARLY_MORNING = time(4, 0)


def wall_clock(day: date, minute: int, tz: ZoneInfo) -> datetime:
    """The UTC instant at which the clock in `tz` shows `minute` on `day` (see module doc)."""
    local = datetime.combine(day, time(minute // 60, minute % 60), tz).replace(fold=0)
    # A skipped time keeps the pre-transition offset; round-tripping through UTC normalises it.
    return local.astimezone(UTC)


def checkin_day(fire_at: datetime, minute: int, tz: ZoneInfo) -> date:
    """The local day a check-in firing at `fire_at` asks about."""
    local = fire_at.astimezone(tz)
    day = local.date()
    # A skipped time fires after midnight only if the gap straddles midnight; use the
    # scheduled day, not the shifted one.
    if wall_clock(day, minute, tz) != fire_at and wall_clock(day - timedelta(1), minute, tz) == (
        fire_at
    ):
        day -= timedelta(1)
    if time(minute // 60, minute % 60) < EARLY_MORNING:
        day -= timedelta(1)
    return day


def next_occurrence(minute: int, tz: ZoneInfo, after: datetime) -> datetime:
    """The first instant strictly after `after` at which the check-in fires."""
    start = after.astimezone(tz).date() - timedelta(days=1)
    for offset in range(4):
        candidate = wall_clock(start + timedelta(days=offset), minute, tz)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: a day always has the time")  # pragma: no cover


def last_occurrence(minute: int, tz: ZoneInfo, at: datetime) -> datetime:
    """The latest instant at or before `at` at which the check-in fires."""
    start = at.astimezone(tz).date() + timedelta(days=1)
    for offset in range(4):
        candidate = wall_clock(start - timedelta(days=offset), minute, tz)
        if candidate <= at:
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def in_quiet_hours(at: datetime, tz: ZoneInfo) -> bool:
    local = at.astimezone(tz).time()
    return local >= QUIET_START or local < QUIET_END


def after_quiet_hours(at: datetime, tz: ZoneInfo) -> datetime:
    """`at`, or 08:00 local after it when `at` falls between 22:00 and 08:00 local."""
    if not in_quiet_hours(at, tz):
        return at
    local = at.astimezone(tz)
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return wall_clock(day, QUIET_END.hour * 60 + QUIET_END.minute, tz)


def parse_clock(text: str) -> int | None:
    """'21:00', '9:30', '21.00', '2100', '9pm', '9:30 pm' → minutes after midnight; else None."""
    raw = text.strip().lower().replace(" ", "")
    suffix = None
    for mark in ("am", "pm"):
        if raw.endswith(mark):
            suffix, raw = mark, raw[: -len(mark)]
    for sep in (":", ".", "h"):
        if sep in raw:
            hours, _, minutes = raw.partition(sep)
            break
    else:
        hours, minutes = (raw[:-2], raw[-2:]) if len(raw) in (3, 4) else (raw, "0")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) <= 2 and hours):
        return None
    h, m = int(hours), int(minutes or "0")
    if suffix is not None:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if suffix == "pm" else 0)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        return None
    return h * 60 + m


def format_clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


class WallClockCalendar:
    """`storage.reminders.Calendar` over this module, with zones named as stored."""

    def last_fire(self, minute: int, timezone: str, at: datetime) -> tuple[datetime, date]:
        tz = ZoneInfo(timezone)
        fire_at = last_occurrence(minute, tz, at)
        return fire_at, checkin_day(fire_at, minute, tz)

    def next_fire(self, minute: int, timezone: str, after: datetime) -> datetime:
        return next_occurrence(minute, ZoneInfo(timezone), after)


CALENDAR = WallClockCalendar()
