"""Lifestyle factors through the dialogue: confirmation, /history, and on to the analysis."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.dialogue import Dialogue, Incoming
from bot.core.factor_words import describe_factor
from bot.core.triggers import to_diary
from bot.parsing.vocabulary import default_vocabulary
from storage import Diary, create_engine, session_factory, upgrade

SENT = datetime(2026, 11, 24, 12, 40, tzinfo=UTC)


@pytest.fixture
async def dialogue(tmp_path: Path) -> AsyncIterator[Dialogue]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/d.sqlite3")
    await upgrade(engine)
    yield Dialogue(Diary(session_factory(engine)), default_vocabulary())
    await engine.dispose()


async def say(dialogue: Dialogue, text: str, message_id: int) -> str:
    return (await dialogue.handle_text(Incoming(7, 7, message_id, SENT, text))).text


async def test_sleep_is_confirmed_at_waking_and_stored_with_its_value(dialogue: Dialogue) -> None:
    reply = await say(dialogue, "slept 5 hours", 1)
    assert reply == "Logged 😴 slept 5 h at 07:00 today."
    [event] = await dialogue.diary.events_between(7)
    assert (event.kind, event.name, event.value) == ("factor", "sleep_hours", 5.0)


async def test_a_factor_message_logs_no_food_or_medication(dialogue: Dialogue) -> None:
    reply = await say(dialogue, "went for a 30 min run and took my probiotic", 1)
    assert reply == "Logged 🏃 run 30 min and 🦠 probiotic at 12:40 today."
    reply = await say(dialogue, "started amoxicillin", 2)
    assert reply == "Logged 🧫 started antibiotics (amoxicillin) at 12:40 today."
    kinds = {e.kind for e in await dialogue.diary.events_between(7)}
    assert kinds == {"factor"}


async def test_history_shows_factors(dialogue: Dialogue) -> None:
    await say(dialogue, "stress 4/5", 1)
    await say(dialogue, "yoga this morning", 2)
    history = await say(dialogue, "/history", 3)
    assert "08:00 🧘 yoga" in history and "12:40 😣 stress 4/5" in history


async def test_factor_values_reach_the_analysis(dialogue: Dialogue) -> None:
    await say(dialogue, "bad night, stress 5/5", 1)
    diary = to_diary(await dialogue.diary.timeline(7))
    assert sorted((e.name, e.value) for e in diary) == [("sleep_quality", 1.0), ("stress", 5.0)]


@pytest.mark.parametrize(
    ("name", "value", "detail", "text"),
    [
        ("sleep_quality", 3.0, None, "😴 good night's sleep"),
        ("sleep_quality", 1.0, None, "😴 poor night's sleep"),
        ("stress", None, None, "😣 stress"),
        ("exercise", None, None, "🏃 exercise"),
        ("probiotic", None, "lactobacillus rhamnosus", "🦠 probiotic (lactobacillus rhamnosus)"),
        ("antibiotics_start", 7.0, None, "🧫 started antibiotics (7 days)"),
        ("antibiotics_end", None, None, "🧫 finished antibiotics"),
        ("period_start", None, None, "🩸 period started"),
        ("mood", 2.0, "<b>", "mood 2"),
    ],
)
def test_factor_wording(name: str, value: float | None, detail: str | None, text: str) -> None:
    assert describe_factor(name, value, detail) == text
