"""The `haven parse` contract for factors: kind, at, name, value (or null), detail when known."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.parsing import parse_message

NOW = datetime(2026, 11, 24, 18, 30, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")


def as_json(text: str) -> list[dict[str, object]]:
    return [e.to_json() for e in parse_message(text, NOW, LONDON).events]


def test_a_factor_has_name_and_value_or_null() -> None:
    assert as_json("slept 5 hours") == [
        {"kind": "factor", "at": "2026-11-24T07:00:00+00:00", "name": "sleep_hours", "value": 5.0}
    ]
    [probiotic] = as_json("took my probiotic")
    assert probiotic["value"] is None and "detail" not in probiotic


def test_detail_carries_the_words_a_number_cannot() -> None:
    [strain] = as_json("took Lactobacillus rhamnosus")
    assert strain["detail"] == "lactobacillus rhamnosus"
    [course] = as_json("started a 7 day course of amoxicillin")
    assert (course["name"], course["value"], course["detail"]) == (
        "antibiotics_start",
        7.0,
        "amoxicillin",
    )
    [run] = as_json("ran 5k this morning")
    assert (run["value"], run["detail"]) == (None, "run")


def test_exercise_details_are_one_word_per_activity() -> None:
    for text, detail, minutes in [
        ("did 45 minutes of cycling", "cycle", 45.0),
        ("30 mins on the bike", "cycle", 30.0),
        ("went swimming", "swim", None),
        ("walked the dog for an hour", "walk", 60.0),
        ("10k steps today", "steps", None),  # a step count is not turned into minutes
        ("played squash for 45 mins", "squash", 45.0),
    ]:
        [event] = as_json(text)
        assert (event["value"], event["detail"]) == (minutes, detail), text


def test_exercise_that_did_not_happen_logs_nothing() -> None:
    for text in (
        "swimming pool was closed so no swim",
        "skipped the gym",
        "too tired for yoga",
        "gym was closed",
        "didn't go swimming",
        "my bike got stolen",
    ):
        assert as_json(text) == [], text


def test_bed_and_waking_times_give_hours_dated_at_waking() -> None:
    assert as_json("slept from 11 to 6") == [
        {"kind": "factor", "at": "2026-11-24T06:00:00+00:00", "name": "sleep_hours", "value": 7.0}
    ]
    [night] = as_json("in bed by 10pm, up at 6:30am")
    assert (night["value"], night["at"]) == (8.5, "2026-11-24T06:30:00+00:00")
    # a range of hours is not a bedtime of 5 and a waking time of 6
    assert not any(e["value"] in (1.0, 13.0) for e in as_json("slept 5-6 hours"))
    [poor] = as_json("couldn't sleep from 11 to 6")  # awake all that time: a poor night
    assert (poor["name"], poor["value"]) == ("sleep_quality", 1.0)


def test_a_period_that_has_not_come_logs_nothing() -> None:
    for text in ("no period yet", "my period is late", "missed my period", "period due tomorrow"):
        assert as_json(text) == [], text
    assert [e["name"] for e in as_json("period day 2")] == ["period"]
    assert [e["name"] for e in as_json("period day 1")] == ["period_start"]
