"""One migraine is logged once, however often the person mentions it.

A start while an attack is still open (begun within 24 h, not ended) or up to 2 h before a logged
start is that attack: nothing is added, the reply says it is logged (and fills in a missing
severity; an earlier start moves the logged one to it). An end within 2 h of the end already
logged is not logged twice. The message is stored either way. New York (UTC−5); Tuesday 24 Nov 2026.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.dialogue import Dialogue, Incoming
from bot.core.replies import Reply
from bot.parsing.vocabulary import default_vocabulary
from storage import Diary, create_engine, session_factory, upgrade
from tests.core.test_settings import ANN, NEW_YORK, NOON, Clock, clock, ny


@pytest.fixture
async def dialogue(tmp_path: Path) -> AsyncIterator[Dialogue]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/a.sqlite3")
    await upgrade(engine)
    d = Dialogue(Diary(session_factory(engine)), default_vocabulary())
    d.checkins.clock = Clock(NOON)
    await d.handle_text(Incoming(ANN, ANN, 1, NOON, "/timezone America/New_York"))
    yield d
    await engine.dispose()


async def at(d: Dialogue, local: datetime, text: str) -> Reply:
    clock(d).now = now = local.astimezone(UTC)
    reply = await d.handle_text(Incoming(ANN, ANN, int(now.timestamp()), now, text))
    assert reply is not None
    return reply


async def attacks(d: Dialogue) -> list[tuple[str, str, int | None]]:
    return [
        (e.kind, f"{e.at.astimezone(NEW_YORK):%a %H:%M}", e.severity)
        for e in await d.diary.events_between(ANN)
        if e.kind.startswith("migraine")
    ]


async def test_the_same_start_twice_is_one_attack_and_the_message_is_kept(
    dialogue: Dialogue,
) -> None:
    await at(dialogue, ny(24, 16), "migrane at 3 pm 8/10")
    reply = await at(dialogue, ny(24, 16, 5), "migraine started 3pm")
    assert reply.text == "That migraine is already logged (15:00, 8/10)."
    assert reply.buttons == []
    assert await attacks(dialogue) == [("migraine_start", "Tue 15:00", 8)]
    # Nothing the person sent is lost: both messages are stored, with their words.
    kept = ny(24, 16, 5).astimezone(UTC)
    assert await dialogue.diary.message_stored(ANN, int(kept.timestamp()))


async def test_an_earlier_start_for_the_same_attack_moves_its_start(dialogue: Dialogue) -> None:
    """A start up to 2 h before the one logged is a correction of it: still one attack, now
    begun at the earlier time (not a second attack, and not thrown away)."""
    await at(dialogue, ny(24, 16), "migrane at 3 pm 8/10")
    earlier = await at(dialogue, ny(24, 16, 6), "migraine started at 2pm")  # an hour before it
    assert earlier.text == "That migraine is already logged: I've moved its start to 14:00."
    assert earlier.buttons == []
    assert await attacks(dialogue) == [("migraine_start", "Tue 14:00", 8)]
    again = await at(dialogue, ny(24, 16, 7), "migraine started at 2pm")  # said once more
    assert again.text == "That migraine is already logged (14:00, 8/10)."
    assert await attacks(dialogue) == [("migraine_start", "Tue 14:00", 8)]


async def test_an_earlier_start_can_also_give_the_missing_severity(dialogue: Dialogue) -> None:
    await at(dialogue, ny(24, 16), "migraine started at 3pm")
    reply = await at(dialogue, ny(24, 16, 6), "migraine started at 2pm, 6/10")
    assert reply.text == (
        "That migraine is already logged: I've moved its start to 14:00 and set its severity "
        "to <b>6/10</b>."
    )
    assert await attacks(dialogue) == [("migraine_start", "Tue 14:00", 6)]


async def test_a_start_more_than_2_h_before_the_logged_one_is_another_attack(
    dialogue: Dialogue,
) -> None:
    await at(dialogue, ny(24, 16), "migraine started at 3pm")
    reply = await at(dialogue, ny(24, 16, 6), "migraine started at 12pm")
    assert reply.text.startswith("Logged 🤕 migraine at 12:00 today.")
    assert [when for _, when, _ in await attacks(dialogue)] == ["Tue 12:00", "Tue 15:00"]


async def test_a_quick_second_mention_asks_no_second_severity_and_can_give_it(
    dialogue: Dialogue,
) -> None:
    first = await at(dialogue, ny(24, 9), "🤕")
    assert "How bad is it" in first.text and first.buttons
    second = await at(dialogue, ny(24, 9, 1), "headache")
    assert second.text == "That migraine is already logged (09:00)."
    assert second.buttons == []
    rated = await at(dialogue, ny(24, 9, 2), "migraine 7/10")
    assert rated.text == (
        "That migraine is already logged (09:00): I've set its severity to <b>7/10</b>."
    )
    again = await at(dialogue, ny(24, 9, 3), "migraine 4/10")  # a severity is never overwritten
    assert again.text == "That migraine is already logged (09:00, 7/10)."
    assert await attacks(dialogue) == [("migraine_start", "Tue 09:00", 7)]


async def test_the_rest_of_the_message_is_logged_with_the_note(dialogue: Dialogue) -> None:
    await at(dialogue, ny(24, 16), "migraine at 3pm 8/10")
    reply = await at(dialogue, ny(24, 16, 7), "migraine started 3pm, took ibuprofen")
    assert reply.text == (
        "Logged 💊 ibuprofen at 16:07 today.\nThat migraine is already logged (15:00, 8/10)."
    )
    assert [k for k, *_ in await attacks(dialogue)] == ["migraine_start"]


async def test_a_new_attack_after_the_last_one_ended_or_a_day_later_is_logged(
    dialogue: Dialogue,
) -> None:
    await at(dialogue, ny(24, 13), "migraine started at 1pm, 6/10")
    await at(dialogue, ny(24, 14), "migraine gone")
    back = await at(dialogue, ny(24, 14, 30), "migraine started again")  # a return: 1.5 h on
    assert back.text.startswith("Logged 🤕 migraine at 14:30 today.")
    await at(dialogue, ny(24, 15), "migraine gone")
    await at(dialogue, ny(24, 20), "migraine started at 8pm 5/10")  # never ended...
    later = await at(dialogue, ny(25, 21), "migraine started at 9pm 4/10")  # ...25 h on: new
    assert later.text.startswith("Logged 🤕 migraine 4/10 at 21:00 today.")
    assert [when for _, when, _ in await attacks(dialogue)] == [
        "Tue 13:00",
        "Tue 14:00",
        "Tue 14:30",
        "Tue 15:00",
        "Tue 20:00",
        "Wed 21:00",
    ]


async def test_an_end_already_noted_by_the_button_is_not_logged_twice(
    dialogue: Dialogue,
) -> None:
    await at(dialogue, ny(24, 12), "migraine started at noon, 6/10")
    [start] = await dialogue.diary.events_between(ANN)
    clock(dialogue).now = ny(24, 16).astimezone(UTC)
    tapped = await dialogue.handle_button(ANN, f"fe:0:{start.id}:now")  # "Yes, just now"
    assert tapped.text.startswith("Logged 🙂 migraine over at 16:00")
    typed = await at(dialogue, ny(24, 16, 1), "migraine gone")
    assert typed.text == "Already noted: your migraine ended at 16:00."
    assert await attacks(dialogue) == [
        ("migraine_start", "Tue 12:00", 6),
        ("migraine_end", "Tue 16:00", None),
    ]


async def test_an_end_with_no_attack_going_says_so_and_is_kept(dialogue: Dialogue) -> None:
    lone = await at(dialogue, ny(24, 10), "migraine gone")
    assert lone.text == (
        "Logged 🙂 migraine over at 10:00 today.\n<i>I don't have a migraine still going to "
        "end — if you know when this one began, tell me, e.g. "
        "<code>migraine started at 9am</code>.</i>"
    )
    await at(dialogue, ny(24, 12), "migraine started at noon")
    await at(dialogue, ny(24, 13), "migraine gone")
    late = await at(dialogue, ny(24, 16), "migraine gone")  # 3 h after the end: a new end
    assert "I don't have a migraine still going to end" in late.text
    assert "I had no start logged" not in late.text
    assert [k for k, *_ in await attacks(dialogue)].count("migraine_end") == 3


async def test_a_whole_attack_in_one_message_keeps_its_end(dialogue: Dialogue) -> None:
    await at(dialogue, ny(24, 15), "migraine started at 3pm")
    await at(dialogue, ny(24, 17, 30), "migraine gone")
    # A new attack with its own end, 1.5 h after the last end: the end is this attack's.
    reply = await at(dialogue, ny(24, 20), "migraine started at 6pm, gone by 7pm")
    assert "already" not in reply.text.lower()
    assert [when for _, when, _ in await attacks(dialogue)] == [
        "Tue 15:00",
        "Tue 17:30",
        "Tue 18:00",
        "Tue 19:00",
    ]
