"""Time resolution: DST days, bare hours, "last night" after midnight, "ago" across midnight.

Also proves the cheap gate: a message without an explicit date never reaches dateparser.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.parsing import parse_message, times
from bot.parsing.times import Clock, find_times, resolve
from tests.parsing.small_vocabulary import small_vocabulary

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")


def _at(text: str, now: datetime, tz: ZoneInfo = LONDON) -> datetime:
    result = parse_message(text, now, tz, small_vocabulary())
    assert result.events, f"no event in {text!r}"
    return result.events[0].at


def test_ago_on_spring_forward_day_counts_real_hours() -> None:
    # Clocks went 01:00 GMT → 02:00 BST on 29 March 2026; 10:00 BST is 09:00 UTC.
    now = datetime(2026, 3, 29, 10, 0, tzinfo=LONDON)
    at = _at("migraine started 10 hours ago", now)
    assert at == datetime(2026, 3, 28, 23, 0, tzinfo=ZoneInfo("UTC"))
    assert at.utcoffset() == timedelta(0)  # GMT, not BST


def test_ago_on_fall_back_day_lands_in_the_repeated_hour() -> None:
    # 25 Oct 2026: 02:00 BST → 01:00 GMT, so 01:00–02:00 happens twice.
    now = datetime(2026, 10, 25, 9, 0, tzinfo=LONDON)
    at = _at("migraine started 8 hours ago", now)
    assert at.astimezone(ZoneInfo("UTC")) == datetime(2026, 10, 25, 1, 0, tzinfo=ZoneInfo("UTC"))
    assert at.fold == 1


def test_clock_time_on_dst_day_uses_that_days_offset() -> None:
    now = datetime(2026, 3, 29, 12, 0, tzinfo=LONDON)
    assert _at("coffee at 8am", now).isoformat() == "2026-03-29T08:00:00+01:00"
    assert _at("wine last night", now).isoformat() == "2026-03-28T21:00:00+00:00"


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        (datetime(2026, 11, 24, 17, 30), datetime(2026, 11, 24, 16, 0)),  # after 4pm → 16:00
        (datetime(2026, 11, 24, 10, 0), datetime(2026, 11, 24, 4, 0)),  # before 4pm → 04:00
        (datetime(2026, 11, 24, 3, 0), datetime(2026, 11, 23, 16, 0)),  # before 4am → yesterday
        (datetime(2026, 11, 24, 16, 0), datetime(2026, 11, 24, 16, 0)),  # exactly then
    ],
)
def test_bare_hour_is_the_most_recent_past_occurrence(sent: datetime, expected: datetime) -> None:
    at = _at("took sumatriptan at 4", sent.replace(tzinfo=LONDON))
    assert at == expected.replace(tzinfo=LONDON)


def test_bare_hour_with_a_day_part_takes_its_half_of_the_day() -> None:
    now = datetime(2026, 11, 26, 8, 30, tzinfo=KOLKATA)
    at = _at("migraine last night around 11", now, KOLKATA)
    assert at == datetime(2026, 11, 25, 23, 0, tzinfo=KOLKATA)


@pytest.mark.parametrize("sent_hour", [0, 1, 8, 23])
def test_last_night_is_the_previous_calendar_evening(sent_hour: int) -> None:
    now = datetime(2026, 11, 25, sent_hour, 40, tzinfo=LONDON)
    assert _at("2 glasses of wine last night", now) == datetime(2026, 11, 24, 21, 0, tzinfo=LONDON)


def test_ago_across_midnight_goes_back_a_day() -> None:
    now = datetime(2026, 11, 25, 0, 40, tzinfo=LONDON)
    assert _at("migraine started 2 hours ago", now) == datetime(2026, 11, 24, 22, 40, tzinfo=LONDON)
    assert _at("glass of milk 30 mins ago", now) == datetime(2026, 11, 25, 0, 10, tzinfo=LONDON)


def test_now_in_utc_is_resolved_on_the_users_wall_clock() -> None:
    now = datetime(2026, 7, 11, 2, 45, tzinfo=ZoneInfo("UTC"))  # 22:45 EDT on 10 July
    at = _at("2 margaritas around 7", now, NEW_YORK)
    assert at.isoformat() == "2026-07-10T19:00:00-04:00"


@pytest.mark.parametrize(
    ("text", "hour", "minute", "day_offset"),
    [
        ("had toast for breakfast", 8, 0, 0),
        ("pizza for dinner", 18, 30, 0),  # dinner has begun: now, not 19:00 tomorrow or yesterday
        ("beer at 19:00", 19, 0, -1),  # a later clock time is yesterday's
        ("tea this morning", 8, 0, 0),
    ],
)
def test_times_never_land_after_now(text: str, hour: int, minute: int, day_offset: int) -> None:
    now = datetime(2026, 11, 24, 18, 30, tzinfo=LONDON)
    at = _at(text, now)
    assert at <= now
    assert (at.hour, at.minute, (at.date() - now.date()).days) == (hour, minute, day_offset)


def test_no_time_words_means_now() -> None:
    now = datetime(2026, 11, 24, 18, 30, 42, tzinfo=KOLKATA)
    assert _at("had cheese and wine", now) == now


def test_day_without_clock_is_noon() -> None:
    now = datetime(2026, 11, 24, 18, 30, tzinfo=LONDON)
    assert _at("had pizza on saturday", now) == datetime(2026, 11, 21, 12, 0, tzinfo=LONDON)


def test_resolve_slot_before_its_window_is_yesterdays() -> None:
    now = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
    dinner = Clock(19, 0, "slot", 17)
    assert resolve(now, LONDON, clock=dinner) == datetime(2026, 11, 23, 19, 0, tzinfo=LONDON)


def test_pain_scores_doses_and_month_words_are_not_times() -> None:
    now = datetime(2026, 11, 24, 18, 30, tzinfo=LONDON)
    text = "migraine 7/10, took 400mg ibuprofen, may have had 2 coffees, sat down"
    assert find_times(text, now) == []


def _no_dateparser(text: str, base: datetime, date_order: str = "DMY") -> datetime | None:
    raise AssertionError(f"dateparser reached for {text!r}")


@pytest.mark.parametrize(
    "text",
    [
        "had cheese and wine",
        "migraine 7/10",
        "took 400mg ibuprofen at 4",
        "2 coffees this morning",
        "I may have had chocolate",
        "sat down with a cuppa, sun is out",
        "migraine started 2 hours ago, pretty bad",
        "on monday I had a curry",
    ],
)
def test_messages_without_a_date_never_call_dateparser(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(times, "_dateparser_parse", _no_dateparser)
    parse_message(text, datetime(2026, 11, 24, 18, 30, tzinfo=LONDON), LONDON, small_vocabulary())


def test_an_explicit_date_is_read_by_dateparser(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = times._dateparser_parse

    def spy(text: str, base: datetime, date_order: str = "DMY") -> datetime | None:
        calls.append(text)
        return original(text, base, date_order)

    monkeypatch.setattr(times, "_dateparser_parse", spy)
    at = _at("on 3 November I had a migraine", datetime(2026, 11, 24, 18, 30, tzinfo=LONDON))
    assert calls == ["3 november"]
    assert at.date() == date(2026, 11, 3)


@pytest.mark.parametrize(
    ("tz", "expected"),
    [(LONDON, date(2026, 11, 3)), (KOLKATA, date(2026, 11, 3)), (NEW_YORK, date(2026, 3, 11))],
)
def test_numeric_dates_follow_the_local_convention(tz: ZoneInfo, expected: date) -> None:
    now = datetime(2026, 11, 24, 18, 30, tzinfo=tz)
    assert _at("on 3/11 I had a migraine", now, tz).date() == expected


def test_a_naive_now_is_wall_clock_time_in_the_users_zone() -> None:
    at = _at("migraine started at 4", datetime(2026, 11, 24, 17, 30), KOLKATA)
    assert at == datetime(2026, 11, 24, 16, 0, tzinfo=KOLKATA)


def test_a_range_ends_at_the_first_such_time_after_its_start() -> None:
    now = datetime(2026, 11, 24, 20, 0, tzinfo=LONDON)
    began, ended = times.resolve_range(now, LONDON, day=None, start=Clock(23, 0), end=Clock(3, 0))
    assert began == datetime(2026, 11, 23, 23, 0, tzinfo=LONDON)
    assert ended == datetime(2026, 11, 24, 3, 0, tzinfo=LONDON)


def test_a_range_still_going_has_no_end_and_a_bare_range_prefers_one_that_is_over() -> None:
    now = datetime(2026, 11, 24, 20, 0, tzinfo=LONDON)
    began, ended = times.resolve_range(now, LONDON, day=None, start=Clock(19, 0), end=Clock(22, 0))
    assert (began, ended) == (datetime(2026, 11, 24, 19, 0, tzinfo=LONDON), None)
    bare = times.resolve_range(
        now, LONDON, day=None, start=Clock(6, 0, "bare"), end=Clock(10, 0, "bare")
    )
    assert bare == (
        datetime(2026, 11, 24, 6, 0, tzinfo=LONDON),
        datetime(2026, 11, 24, 10, 0, tzinfo=LONDON),
    )


def test_a_range_across_the_autumn_clock_change() -> None:
    # Clocks went 02:00 BST → 01:00 GMT on 25 October 2026.
    now = datetime(2026, 10, 25, 12, 0, tzinfo=LONDON)
    events = parse_message("migraine from 11pm to 3am", now, LONDON, small_vocabulary()).events
    got = sorted((e.kind, e.at.astimezone(LONDON).isoformat()) for e in events)
    assert got == [
        ("migraine_end", "2026-10-25T03:00:00+00:00"),
        ("migraine_start", "2026-10-24T23:00:00+01:00"),
    ]


@pytest.mark.parametrize(
    "text", ["3-4 coffees", "from 2 to 3 coffees a day", "between 2 and 3 paracetamol", "7-8/10"]
)
def test_numbers_that_are_not_a_range_of_times(text: str) -> None:
    now = datetime(2026, 11, 24, 20, 0, tzinfo=LONDON)
    assert not [m for m in find_times(text, now) if m.until]
