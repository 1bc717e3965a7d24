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
