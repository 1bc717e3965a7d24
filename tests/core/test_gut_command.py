"""/gut through the dialogue: what was typed in plain words reaches the weekly summary."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.dialogue import COMMAND_HANDLERS, COMMANDS, Dialogue
from bot.parsing.vocabulary import default_vocabulary
from storage import Diary, create_engine, session_factory, upgrade

from .test_dialogue import SENT, Person


@pytest.fixture
async def dialogue(tmp_path: Path) -> AsyncIterator[Dialogue]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/g.sqlite3")
    await upgrade(engine)
    yield Dialogue(Diary(session_factory(engine)), default_vocabulary())
    await engine.dispose()


def test_every_command_in_the_menu_has_a_handler_and_back() -> None:
    assert {name for name, _ in COMMANDS} == set(COMMAND_HANDLERS)


async def test_gut_summarises_the_week_from_plain_words(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    for back in range(3):  # three days of yoghurt, lentils and a probiotic; one apple a day
        day = SENT - timedelta(days=back)
        await ann.say("had yoghurt and lentil soup for lunch", day)
        await ann.say("apple", day)
        await ann.say("took my probiotic", day)
    await ann.say("slept 5 hours", SENT)
    reply = await ann.say("/gut", SENT)
    text = re.sub(r"</?[bi]>", "", reply.text)
    assert reply.text.startswith("<b>Your gut week</b>")
    assert "Probiotic: 3 of 3 days" in text
    assert "Live-culture foods: 3 of 3 days" in text
    # fiber per day = lentil soup + apple, as the vocabulary gives them for a serving
    vocabulary = default_vocabulary()
    per_day = sum(
        f.fiber_g or 0.0
        for f in (vocabulary.lookup("lentil soup"), vocabulary.lookup("apple"))
        if f
    )
    assert per_day > 5
    assert f"Fiber: about {per_day:.0f} g a day" in text
    assert "not medical advice" in text
    # too few days for the analysis: it says how much more is needed instead of verdicts
    assert "more days" in text


async def test_gut_on_an_empty_diary_is_a_friendly_reply(dialogue: Dialogue) -> None:
    reply = await Person(dialogue, user_id=7).say("/gut", SENT)
    assert "not medical advice" in reply.text and len(reply.text) < 4096


async def test_stated_counts_are_servings_in_the_weekly_numbers(dialogue: Dialogue) -> None:
    ann = Person(dialogue, user_id=55)
    await ann.say("3 apples", SENT)
    await ann.say("2 bags of crisps", SENT)
    await ann.say("a banana", SENT)
    text = re.sub(r"</?[bi]>", "", (await ann.say("/gut", SENT)).text)
    v = default_vocabulary()
    apple, crisps, banana = (v.lookup(n) for n in ("apple", "crisps", "banana"))
    assert apple and crisps and banana and apple.fiber_g and crisps.fiber_g and banana.fiber_g
    fiber = 3 * apple.fiber_g + 2 * crisps.fiber_g + banana.fiber_g
    assert f"Fiber: about {fiber:.0f} g a day" in text
    assert "Ultra-processed: 2 of 6 servings" in text


async def test_someone_who_only_answers_the_check_in_gets_one_line_about_food(
    dialogue: Dialogue,
) -> None:
    ann = Person(dialogue, user_id=77)
    for back in range(20):
        await ann.say("no migraine today", SENT - timedelta(days=back))
    await ann.say("slept 7 hours", SENT)
    text = re.sub(r"</?[bi]>", "", (await ann.say("/gut", SENT)).text)
    assert text.count("Not checked yet") == 1
    assert "log what you eat to see these" in text
    assert "for the foods you logged" not in text


async def test_a_sparse_diary_says_its_fiber_figure_is_likely_short(dialogue: Dialogue) -> None:
    sparse, full = Person(dialogue, user_id=81), Person(dialogue, user_id=82)
    for back in range(3):
        day = SENT - timedelta(days=back)
        await sparse.say("had toast", day)
        await full.say("porridge for breakfast", day)
        await full.say("lentil soup and an apple for lunch", day)
        await full.say("pasta and broccoli for dinner", day)
    sparse_gut = (await sparse.say("/gut", SENT)).text
    assert "From what you logged — about 1 a day, so the real figure is likely higher" in sparse_gut
    assert "likely higher" not in (await full.say("/gut", SENT)).text


async def test_one_day_is_singular(dialogue: Dialogue) -> None:
    ann = Person(dialogue, user_id=90)
    await ann.say("had kefir", SENT)
    text = re.sub(r"</?[bi]>", "", (await ann.say("/gut", SENT)).text)
    assert "Live-culture foods: 1 of 1 day\n" in text
