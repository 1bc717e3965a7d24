"""Attacks, at-risk days, index times and exposure windows on hand-built diaries."""

from __future__ import annotations

from datetime import date, time, timedelta

from analysis import AnalysisSettings
from analysis.attacks import find_attacks
from analysis.days import at_risk_days, drawn_index_time, observed_days, window_days
from analysis.exposure import catalogue, exposed_days, intakes

from .diaries import LONDON, at, checkins, end, food, start

S = AnalysisSettings()


def _risk_days(events: list, until=None) -> dict[date, tuple[bool, object]]:  # type: ignore[type-arg]
    attacks = find_attacks(events, S)
    days = at_risk_days(observed_days(events, LONDON), attacks, LONDON, S.relapse_hours, until)
    return {d.day: (d.onset, d.index) for d in days}


def test_relapse_within_48h_is_the_same_attack() -> None:
    events = [
        start("2025-03-01 08:00"),
        end("2025-03-01 20:00"),
        start("2025-03-03 19:59"),
        end("2025-03-03 23:00"),  # 47 h 59 min after: relapse
        start("2025-03-06 00:00"),  # 49 h after 03-03 23:00: a new onset, open (24 h)
        start("2025-03-08 23:00"),  # 47 h after the open attack's assumed end: relapse
    ]
    attacks = find_attacks(events, S)
    assert [a.onset for a in attacks] == [at("2025-03-01 08:00"), at("2025-03-06 00:00")]
    assert attacks[0].end == at("2025-03-03 23:00")
    assert attacks[0].relapses == 1
    assert attacks[1].end == at("2025-03-09 23:00")  # the relapse's own 24 h


def test_open_attack_lasts_24h_and_end_without_start_is_ignored() -> None:
    events = [end("2025-03-01 06:00"), start("2025-03-02 10:00"), start("2025-03-05 10:01")]
    attacks = find_attacks(events, S)
    assert len(attacks) == 2  # 03-05 10:01 is 48 h 1 min after 03-03 10:00
    assert attacks[0].end == at("2025-03-03 10:00")


def test_attack_spanning_midnight_blocks_the_following_days() -> None:
    events = [
        *checkins("2025-03-01", "2025-03-08"),
        start("2025-03-03 22:00"),
        end("2025-03-04 06:00"),
    ]
    days = _risk_days(events)
    assert days[date(2025, 3, 3)][0] is True  # the onset day, indexed at the onset
    assert days[date(2025, 3, 3)][1] == at("2025-03-03 22:00")
    for d in (4, 5):
        assert date(2025, 3, d) not in days  # inside the attack or the 48 h after
    # 03-06: the only onset clock time is 22:00, which is after 06:00 + 48 h
    assert days[date(2025, 3, 6)] == (False, at("2025-03-06 22:00"))
    assert date(2025, 3, 2) in days and date(2025, 3, 1) in days


def test_index_times_come_from_own_onsets_and_are_reproducible() -> None:
    clock_times = [time(7, 15), time(16, 40)]
    day = date(2025, 5, 14)
    first = drawn_index_time(day, LONDON, clock_times)
    assert first == drawn_index_time(day, LONDON, list(clock_times))
    drawn = {
        drawn_index_time(date(2025, 5, 1) + timedelta(days=i), LONDON, clock_times)
        .astimezone(LONDON)
        .time()
        for i in range(60)
    }
    assert drawn == set(clock_times)  # both used, nothing else (never a fixed noon)
    # whole analysis twice: same days, same index times
    events = [
        *checkins("2025-05-01", "2025-05-31"),
        start("2025-05-10 07:15"),
        end("2025-05-10 12:00"),
        start("2025-05-20 16:40"),
    ]
    assert _risk_days(events) == _risk_days(list(reversed(events)))


def test_index_time_on_dst_days_stays_on_that_local_day() -> None:
    # Europe/London: clocks go forward 2025-03-30 01:00 GMT, back 2025-10-26 02:00 BST.
    for day in (date(2025, 3, 30), date(2025, 10, 26)):
        for clock in (time(0, 30), time(1, 30), time(2, 30), time(23, 30)):
            assert drawn_index_time(day, LONDON, [clock]).astimezone(LONDON).date() == day


def test_dst_windows_use_elapsed_hours_not_wall_clock() -> None:
    cat = catalogue({"red wine"}, {})
    spring = [
        *checkins("2025-03-27", "2025-03-29"),
        food("2025-03-29 08:30", "red wine"),  # 23.5 h before the onset (wall clock 24.5 h)
        start("2025-03-30 09:00"),
    ]
    autumn = [
        *checkins("2025-10-23", "2025-10-25"),
        food("2025-10-25 09:30", "red wine"),  # 24.5 h before the onset (wall clock 23.5 h)
        start("2025-10-26 09:00"),
    ]
    for events, exposed in ((spring, True), (autumn, False)):
        attacks = find_attacks(events, S)
        observed = observed_days(events, LONDON)
        days = at_risk_days(observed, attacks, LONDON, S.relapse_hours)
        out, _ = exposed_days(days, intakes(events), observed, cat, LONDON, "24h", 3.0)
        onset_day = next(d for d in out if d.onset)
        assert ("red wine" in onset_day.items) is exposed


def test_window_days_across_dst_and_midnight() -> None:
    assert window_days(at("2025-03-29 09:00"), at("2025-03-30 09:00"), LONDON) == [
        date(2025, 3, 29),
        date(2025, 3, 30),
    ]
    # ends exactly at midnight: the next day is not touched
    assert window_days(at("2025-03-01 00:00"), at("2025-03-02 00:00"), LONDON) == [date(2025, 3, 1)]


def test_a_day_with_no_entries_is_missing_not_ate_nothing() -> None:
    events = [
        *checkins("2025-04-01", "2025-04-04"),
        *checkins("2025-04-06", "2025-04-10"),  # nothing at all on 04-05
        food("2025-04-02 19:00", "cheese"),
    ]
    attacks = find_attacks(events, S)
    observed = observed_days(events, LONDON)
    assert date(2025, 4, 5) not in observed
    days = at_risk_days(observed, attacks, LONDON, S.relapse_hours)
    cat = catalogue({"cheese"}, {})
    used24, gaps24 = exposed_days(days, intakes(events), observed, cat, LONDON, "24h", 3.0)
    used48, gaps48 = exposed_days(days, intakes(events), observed, cat, LONDON, "48h", 3.0)
    d24 = {d.day for d in used24}
    d48 = {d.day for d in used48}
    # 24 h window: 04-06 looks back into 04-05; 04-01 looks back into unlogged 03-31
    assert date(2025, 4, 6) not in d24 and date(2025, 4, 1) not in d24
    assert date(2025, 4, 7) in d24 and date(2025, 4, 4) in d24
    assert gaps24 == 1  # 04-01 reaches before the diary: left out, but not a gap
    # 24–48 h window: 04-06 and 04-07 look back into 04-05; 04-01 and 04-02 before the diary
    for d in (1, 2, 6, 7):
        assert date(2025, 4, d) not in d48
    assert date(2025, 4, 8) in d48 and date(2025, 4, 3) in d48
    assert gaps48 == 2


def test_unfinished_day_is_left_out_when_now_is_given() -> None:
    events = [*checkins("2025-06-01", "2025-06-03"), food("2025-06-04 08:00", "toast")]
    assert date(2025, 6, 4) in _risk_days(events)
    assert date(2025, 6, 4) not in _risk_days(events, until=at("2025-06-04 12:00"))
    assert date(2025, 6, 3) in _risk_days(events, until=at("2025-06-04 12:00"))


def test_craving_window_marks_late_intake() -> None:
    events = [
        *checkins("2025-03-01", "2025-03-02"),
        food("2025-03-03 13:00", "chocolate"),  # 2 h before onset: late
        food("2025-03-02 19:00", "cheese"),  # 20 h before: not late
        start("2025-03-03 15:00"),
    ]
    attacks = find_attacks(events, S)
    observed = observed_days(events, LONDON)
    days = at_risk_days(observed, attacks, LONDON, S.relapse_hours)
    cat = catalogue({"chocolate", "cheese"}, {"cheese": ["dairy"]})
    out, _ = exposed_days(days, intakes(events), observed, cat, LONDON, "24h", 3.0)
    onset = next(d for d in out if d.onset)
    assert onset.items == {"chocolate", "cheese", "dairy"}
    assert onset.late_items == {"chocolate"}
