"""Accents and lookalikes: the parser and the vocabulary fold them the same way."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.parsing import parse_message
from bot.parsing.fold import fold
from bot.parsing.vocabulary import default_vocabulary, words_of

TZ = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 24, 18, 30, tzinfo=TZ)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("pâté", "pate"),
        ("Crème Brûlée", "Creme Brulee"),
        ("cafe\u0301", "cafe"),  # a combining accent, as some phones send it
        ("rugbrød", "rugbrod"),
        ("weißwurst", "weisswurst"),
        ("nước mắm", "nuoc mam"),
        ("coffee ×3", "coffee x3"),
        ("I’m", "I'm"),
        ("борщ", "борщ"),  # other scripts are kept
        ("ガ", "ガ"),
        ("½", "½"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_accented_synonyms_in_the_data_match_plain_and_accented_input() -> None:
    vocab = default_vocabulary()
    for accented, plain in [
        ("crème fraîche", "creme fraiche"),
        ("rugbrød", "rugbrod"),
        ("nước mắm", "nuoc mam"),
        ("weißwurst", "weisswurst"),
    ]:
        food = vocab.lookup(accented)
        assert food is not None, accented
        assert vocab.lookup(plain) == food


def test_words_of_keeps_other_scripts_whole() -> None:
    assert words_of("Борщ and pâté") == ["борщ", "and", "pate"]


@pytest.mark.parametrize(
    ("text", "name"),
    [("had génépi", "genepi"), ("had борщ", "борщ"), ("ate some kōji", "koji")],
)
def test_unknown_accented_food_is_one_folded_name(text: str, name: str) -> None:
    events = parse_message(text, NOW, TZ).events
    assert [(e.name, e.known) for e in events] == [(name, False)]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("stress 7/5", "stress_out_of_range"),
        ("stress 0/5", "stress_out_of_range"),
        ("stress 11/10", "stress_out_of_range"),
        ("slept 25 hours", "sleep_out_of_range"),
        ("having pasta tomorrow", "future"),
    ],
)
def test_intents_for_what_cannot_be_logged(text: str, intent: str) -> None:
    result = parse_message(text, NOW, TZ)
    assert result.events == []
    assert result.intent == intent


def test_whole_day_fast_logs_only_the_meals_already_due() -> None:
    morning = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)
    names = [e.name for e in parse_message("haven't eaten today", morning, TZ).events]
    assert names == ["breakfast"]
    assert parse_message("fasting today", datetime(2026, 11, 24, 6, 0, tzinfo=TZ), TZ).events == []
