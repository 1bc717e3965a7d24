"""/food, /foods and "X is a Y", driven through the dialogue core (real parser, real diary)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.core import triggers
from bot.core.dialogue import COMMANDS, Dialogue
from bot.core.replies import TELEGRAM_TEXT_LIMIT
from bot.parsing.vocabulary import default_vocabulary
from storage import Diary, create_engine, session_factory, upgrade
from tests.core.test_dialogue import Person


@pytest.fixture
async def dialogue(tmp_path: Path) -> AsyncIterator[Dialogue]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/d.sqlite3")
    await upgrade(engine)
    yield Dialogue(Diary(session_factory(engine)), default_vocabulary())
    await engine.dispose()


async def known(person: Person) -> list[tuple[str | None, bool]]:
    return [(e.name, e.known) for e in await person.dialogue.diary.events_between(person.user_id)]


async def test_both_commands_are_in_the_menu(dialogue: Dialogue) -> None:
    assert {"food", "foods"} <= {name for name, _ in COMMANDS}
    assert all(len(description) <= 256 for _, description in COMMANDS)


async def test_teaching_an_own_food_refiles_earlier_entries(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    first = await ann.say("had switchel and cheese")
    assert "New to me: switchel" in first.text and "/food" in first.text
    await ann.say("drank 2 switchels")
    reply = await ann.say("/food switchel = soft drink")
    assert "kind of <b>soft drink</b>" in reply.text and "updated 2 earlier entries" in reply.text
    assert await known(ann) == [("switchel", True), ("cheese", True), ("switchel", True)]
    later = await ann.say("had switchel")
    assert "New to me" not in later.text
    assert (await known(ann))[-1] == ("switchel", True)


async def test_a_synonym_renames_earlier_entries_and_is_used_from_then_on(
    dialogue: Dialogue,
) -> None:
    ann = Person(dialogue)
    await ann.say("had a jitterjuice")
    reply = await ann.say("/food jitterjuice = flat white")
    assert "I'll log <b>flat white</b>" in reply.text and "updated 1 earlier entry" in reply.text
    assert await known(ann) == [("flat white", True)]
    await ann.say("/food my usual = flat white")
    assert "flat white" in (await ann.say("had my usual")).text
    assert await known(ann) == [("flat white", True), ("flat white", True)]


async def test_a_persons_words_never_reach_anyone_else(dialogue: Dialogue) -> None:
    ann, bob = Person(dialogue, 100), Person(dialogue, 200)
    await bob.say("had switchel")
    await ann.say("/food switchel = soft drink")
    await ann.say("/food coke = diet cola")
    assert await known(bob) == [("switchel", False)]  # not re-filed: it is Ann's word
    await bob.say("had a coke and switchel")
    assert await known(bob) == [("switchel", False), ("cola", True), ("switchel", False)]
    await ann.say("had a coke")
    assert await known(ann) == [("diet cola", True)]
    assert "haven't taught me any" in (await bob.say("/food")).text


async def test_forget_removes_one_word(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    await ann.say("/food switchel = soft drink")
    await ann.say("/food joey = flat white")
    listing = (await ann.say("/food")).text
    assert "switchel: a kind of soft drink" in listing and "joey → flat white" in listing
    await ann.say("had switchel")
    reply = await ann.say("/food forget Switchel")
    assert "Forgotten" in reply.text and "1 earlier entry" in reply.text
    assert await known(ann) == [("switchel", False)]
    assert "New to me: switchel" in (await ann.say("had switchel")).text
    assert "joey → flat white" in (await ann.say("/food")).text
    assert "haven't taught me" in (await ann.say("/food forget switchel")).text


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/food = coffee", "Tell me both sides"),
        ("/food joey =", "Tell me both sides"),
        ("/food joey coffee", "Teach me your own words"),
        ("/food forget", "Which one?"),
        ("/food joey = fermented drink", "I don't know “fermented drink”"),
        ("/food zog = blorp", "I don't know “blorp”"),
        ("/food joe = coffee", "I already know that"),
        ("/food kombucha = soft drink", "already in my list"),
        ("/food a b c d e f g = coffee", "6 words or fewer"),
    ],
)
async def test_bad_input_changes_nothing_and_says_why(
    dialogue: Dialogue, command: str, expected: str
) -> None:
    ann = Person(dialogue)
    reply = await ann.say(command)
    assert expected in reply.text
    assert await dialogue.teaching.store.entries(ann.user_id) == []


async def test_an_unknown_category_lists_close_ones_it_has(dialogue: Dialogue) -> None:
    reply = await Person(dialogue).say("/food switchel = fermented drink")
    assert "<b>soft drink</b>" in reply.text and "haven't changed anything" in reply.text


async def test_free_text_teaching_confirms_and_can_be_taken_back(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    await ann.say("had tepache")
    reply = await ann.say("Tepache is a soft drink.")
    assert "kind of <b>soft drink</b>" in reply.text and "updated 1 earlier entry" in reply.text
    assert "nothing was logged" in reply.text
    [[button]] = reply.buttons
    assert (await dialogue.handle_button(200, button.data)).toast  # a stranger: nothing to undo
    assert await known(ann) == [("tepache", True)]
    undone = await dialogue.handle_button(ann.user_id, button.data)
    assert undone.edit and "forgotten" in undone.text
    assert await dialogue.teaching.store.entries(ann.user_id) == []


async def test_free_text_with_a_category_it_lacks_lists_close_ones(dialogue: Dialogue) -> None:
    reply = await Person(dialogue).say("tepache is a fermented drink")
    assert "<code>/food tepache = soft drink</code>" not in reply.text
    assert "soft drink" in reply.text and "Nothing was logged" in reply.text


@pytest.mark.parametrize(
    "text",
    [
        "dinner is pasta",
        "my migraine is bad",
        "wine is my weakness",
        "my favourite is cheese",
        "tonight is curry",
        "it is a cake",
        "the kids are a nightmare",
        "work is a nightmare",
        "coffee is coffee",
        "switchel is great",
        "switchel is a soft drink?",
        "my lunch today is a big salad with extra feta cheese",
    ],
)
async def test_ordinary_sentences_are_not_taken_as_teaching(dialogue: Dialogue, text: str) -> None:
    ann = Person(dialogue)
    reply = await ann.say(text)
    assert "Got it" not in reply.text and not reply.buttons
    assert await dialogue.teaching.store.entries(ann.user_id) == []


async def test_ordinary_sentences_still_log_their_food(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    await ann.say("dinner is pasta")
    await ann.say("wine is my weakness")
    assert await known(ann) == [("pasta", True), ("wine", True)]


async def test_foods_groups_by_top_category_with_counts(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    assert "haven't logged any food" in (await ann.say("/foods")).text
    await ann.say("/food switchel = soft drink")
    for text in ("had red wine", "had red wine", "had a beer", "had cheese", "had switchel"):
        await ann.say(text)
    await ann.say("had zogberries")
    text = (await ann.say("/foods")).text
    assert text.index("<b>alcohol</b> 3") < text.index("<b>dairy</b> 1")
    assert "red wine 2 · beer 1" in text
    assert "<b>soft drink</b> 1" in text and "switchel 1" in text
    assert "New to me</b> 1" in text and "zogberry 1" in text and "/food zogberry =" in text


async def test_foods_stays_short_for_a_phone(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    names = [n for n, f in default_vocabulary().foods.items() if not f.is_category][:300]
    for start in range(0, len(names), 30):
        await ann.say("had " + ", ".join(names[start : start + 30]))
    for n in range(40):
        await ann.say(f"ate qqfood{chr(97 + n % 26)}{chr(97 + n // 26)}")
    text = (await ann.say("/foods")).text
    assert len(text) < TELEGRAM_TEXT_LIMIT and "more" in text and "…and" in text


async def test_triggers_gets_the_persons_own_foods_in_its_category_map(
    dialogue: Dialogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}
    real = triggers.analyse

    def spy(events: Any, tz: Any, category_map: dict[str, list[str]], **kw: Any) -> Any:
        seen["map"] = category_map
        return real(events, tz, category_map, **kw)

    monkeypatch.setattr(triggers, "analyse", spy)
    ann, bob = Person(dialogue, 100), Person(dialogue, 200)
    await ann.say("/food switchel = soft drink")
    await ann.say("had switchel")
    await ann.say("/triggers")
    assert seen["map"]["switchel"] == ["soft drink"]
    await bob.say("/triggers")
    assert "switchel" not in seen["map"]


async def test_the_command_also_takes_the_sentence_form(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    reply = await ann.say("/food tepache is a kind of soft drink")
    assert "<b>tepache</b> is a kind of <b>soft drink</b>" in reply.text
    [entry] = await dialogue.teaching.store.entries(ann.user_id)
    assert (entry.phrase, entry.target, entry.kind) == ("tepache", "soft drink", "food")
