"""Check-in time math across daylight-saving changes, and quiet hours."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.schedule import (
    after_quiet_hours,
    checkin_day,
    last_occurrence,
    next_occurrence,
    parse_clock,
    wall_clock,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
NINE_PM = 21 * 60


def fires(minute: int, tz: ZoneInfo, start: datetime, days: int) -> list[datetime]:
    out, at = [], start
    for _ in range(days):
        at = next_occurrence(minute, tz, at)
        out.append(at)
    return out


@pytest.mark.parametrize(
    ("tz", "start"),
    [
        (LONDON, datetime(2027, 3, 25, tzinfo=UTC)),  # BST starts Sun 28 Mar 2027
        (LONDON, datetime(2026, 10, 22, tzinfo=UTC)),  # GMT returns Sun 25 Oct 2026
        (NEW_YORK, datetime(2027, 3, 11, tzinfo=UTC)),  # EDT starts Sun 14 Mar 2027
        (NEW_YORK, datetime(2026, 10, 29, tzinfo=UTC)),  # EST returns Sun 1 Nov 2026
    ],
)
def test_nine_pm_stays_nine_pm_on_both_sides_of_a_change(tz: ZoneInfo, start: datetime) -> None:
    instants = fires(NINE_PM, tz, start, 7)
    assert [i.astimezone(tz).strftime("%H:%M") for i in instants] == ["21:00"] * 7
    days = [i.astimezone(tz).date() for i in instants]
    assert days == [days[0] + timedelta(d) for d in range(7)]  # one a day, none missed
    offsets = {i.astimezone(tz).utcoffset() for i in instants}
    assert len(offsets) == 2  # the week really crosses the change
    gaps = {instants[k + 1] - instants[k] for k in range(6)}
    assert gaps == {timedelta(hours=24), timedelta(hours=23)} or gaps == {
        timedelta(hours=24),
        timedelta(hours=25),
    }


def test_a_skipped_time_fires_once_shifted_by_the_gap() -> None:
    # 01:30 does not exist in London on 28 Mar 2027: fire at 02:30 BST (01:30 UTC), once.
    instants = fires(90, LONDON, datetime(2027, 3, 26, 12, tzinfo=UTC), 4)
    local = [i.astimezone(LONDON) for i in instants]
    assert [d.day for d in local] == [27, 28, 29, 30]
    assert local[1].strftime("%H:%M %Z") == "02:30 BST"
    assert instants[1] == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert [d.strftime("%H:%M") for d in (local[0], local[2], local[3])] == ["01:30"] * 3


def test_a_repeated_time_fires_on_its_first_pass_only() -> None:
    # 01:30 happens twice in New York on 1 Nov 2026 (EDT, then EST): fire once, at EDT.
    instants = fires(90, NEW_YORK, datetime(2026, 10, 31, 12, tzinfo=UTC), 3)
    assert [i.astimezone(NEW_YORK).day for i in instants] == [1, 2, 3]
    assert instants[0] == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    # Asking again from between the two passes must not fire the second pass.
    between = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)  # 01:00 EST, after 01:30 EDT
    assert next_occurrence(90, NEW_YORK, between).astimezone(NEW_YORK).day == 2


def test_lord_howe_half_hour_shift() -> None:
    # Lord Howe moves 30 minutes (UTC+10:30 → +11) on Sun 4 Oct 2026.
    instants = fires(NINE_PM, LORD_HOWE, datetime(2026, 10, 1, tzinfo=UTC), 6)
    assert {i.astimezone(LORD_HOWE).strftime("%H:%M") for i in instants} == {"21:00"}
    assert timedelta(hours=23, minutes=30) in {b - a for a, b in itertools.pairwise(instants)}


def test_last_occurrence_is_the_latest_not_after() -> None:
    at = datetime(2026, 11, 26, 21, 0, tzinfo=UTC)
    assert last_occurrence(NINE_PM, LONDON, at) == at
    assert last_occurrence(NINE_PM, LONDON, at - timedelta(seconds=1)) == at - timedelta(days=1)
    assert next_occurrence(NINE_PM, LONDON, at) == at + timedelta(days=1)


def test_checkin_day_is_the_local_day_or_the_one_before_after_midnight() -> None:
    at = wall_clock(date(2026, 11, 26), NINE_PM, NEW_YORK)
    assert at.date() == date(2026, 11, 27)  # already Friday in UTC
    assert checkin_day(at, NINE_PM, NEW_YORK) == date(2026, 11, 26)
    late = wall_clock(date(2026, 11, 27), 30, LONDON)
    assert checkin_day(late, 30, LONDON) == date(2026, 11, 26)


@pytest.mark.parametrize(
    ("tz", "local", "expected"),
    [
        (LONDON, datetime(2026, 11, 26, 21, 59), datetime(2026, 11, 26, 21, 59)),
        (LONDON, datetime(2026, 11, 26, 22, 0), datetime(2026, 11, 27, 8, 0)),
        (LONDON, datetime(2026, 11, 27, 3, 0), datetime(2026, 11, 27, 8, 0)),
        (LONDON, datetime(2026, 11, 27, 8, 0), datetime(2026, 11, 27, 8, 0)),
        # The night the clocks go back is an hour longer; 08:00 is still 08:00 local.
        (LONDON, datetime(2026, 10, 24, 23, 0), datetime(2026, 10, 25, 8, 0)),
        (NEW_YORK, datetime(2027, 3, 13, 23, 30), datetime(2027, 3, 14, 8, 0)),
    ],
)
def test_quiet_hours_move_a_follow_up_to_eight_am(
    tz: ZoneInfo, local: datetime, expected: datetime
) -> None:
    moved = after_quiet_hours(local.replace(tzinfo=tz).astimezone(UTC), tz)
    assert moved.astimezone(tz).replace(tzinfo=None) == expected


@pytest.mark.parametrize(
    ("text", "minute"),
    [
        ("21:00", 1260),
        ("9:30", 570),
        ("21.15", 1275),
        ("2100", 1260),
        ("9pm", 1260),
        ("9:30 pm", 1290),
        ("12am", 0),
        ("0:05", 5),
    ],
)
def test_parse_clock(text: str, minute: int) -> None:
    assert parse_clock(text) == minute


@pytest.mark.parametrize("text", ["25:00", "21:60", "evening", "", "13pm", "9:5x"])
def test_parse_clock_refuses_nonsense(text: str) -> None:
    assert parse_clock(text) is None
