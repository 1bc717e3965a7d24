"""Whatever people type, the parser answers: no exception, no event after the message, no
severity off the scale. Random word salad from the parser's own trigger words finds the corners
(empty clauses, time words inside clause breaks) that hand-written cases miss.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.parsing import parse_message
from tests.parsing.small_vocabulary import small_vocabulary

WORD_LIST = """
    had ate drank took no not didn't skipped lunch breakfast dinner tea tonight last night later on
    monday at 4 around 11 3pm 15:30 14.30 2 hours ago yesterday this morning then and , . ! ? - :
    7/10 sev 6 mild bad migraine headache gone over pain free cheese wine coffee 2 coffees a glass
    of red sumatriptan 50mg ibuprofen x2 half bar chocolate 🧀 🍷 🍺🍺 thanks hi morning mate from
    till until since woke up with 3 november on the 3rd may sat sun 🤕 g&t w/ it's after before
    bed noon midnight 0 99 12 24:00 13pm
"""
ZONES = [ZoneInfo(z) for z in ("Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Apia")]


def _messages(count: int, seed: int) -> list[tuple[str, datetime, ZoneInfo]]:
    rng = random.Random(seed)
    words = WORD_LIST.split()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        (
            " ".join(rng.choice(words) for _ in range(rng.randint(1, 14))),
            start + timedelta(minutes=rng.randint(0, 366 * 24 * 60)),
            rng.choice(ZONES),
        )
        for _ in range(count)
    ]


@pytest.mark.parametrize("text", ["", " ", "?", "...", ",,,", "🙂", "-", "at", "|#|", "\n\n"])
def test_empty_and_punctuation_only_messages(text: str) -> None:
    now = datetime(2026, 11, 24, 18, 30, tzinfo=UTC)
    result = parse_message(text, now, ZONES[0], small_vocabulary())
    assert result.events == []


def test_word_salad_never_breaks_the_parser() -> None:
    for text, now, tz in _messages(3000, seed=7):
        result = parse_message(text, now, tz, small_vocabulary())
        for event in result.events:
            assert event.at <= now, (text, now, tz, event)
            assert event.at.utcoffset() == event.at.astimezone(tz).utcoffset(), (text, event)
            assert event.severity is None or 1 <= event.severity <= 10, (text, event)
            assert event.quantity is None or event.quantity > 0, (text, event)
