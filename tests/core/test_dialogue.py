"""The dialogue core, driven as both front ends drive it (real parser, real SQLite diary)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.dialogue import COMMANDS, Dialogue, Incoming
from bot.core.replies import TELEGRAM_TEXT_LIMIT
from bot.parsing.vocabulary import default_vocabulary
from storage import Diary, create_engine, session_factory, upgrade

SENT = datetime(2026, 11, 24, 12, 40, tzinfo=UTC)  # a Tuesday


@pytest.fixture
async def dialogue(tmp_path: Path) -> AsyncIterator[Dialogue]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/d.sqlite3")
    await upgrade(engine)
    yield Dialogue(Diary(session_factory(engine)), default_vocabulary())
    await engine.dispose()


class Person:
    """Sends messages with increasing ids, as one Telegram user would."""

    def __init__(self, dialogue: Dialogue, user_id: int = 100) -> None:
        self.dialogue, self.user_id, self.next_id = dialogue, user_id, 0

    def message(self, text: str, sent_at: datetime = SENT, message_id: int | None = None, **kw):
        if message_id is None:
            self.next_id += 1
            message_id = self.next_id
        return Incoming(self.user_id, self.user_id, message_id, sent_at, text, **kw)

    async def say(self, text: str, sent_at: datetime = SENT, **kw):
        return await self.dialogue.handle_text(self.message(text, sent_at, **kw))

    async def entries(self) -> list[tuple[str, str | None]]:
        return [(e.kind, e.name) for e in await self.dialogue.diary.events_between(self.user_id)]


async def test_food_is_confirmed_with_names_and_local_time(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    reply = await ann.say("had cheese and red wine")
    assert reply.text == "Logged 🧀 cheese and 🍷 red wine at 12:40 today."
    assert await ann.entries() == [("food", "cheese"), ("food", "red wine")]


async def test_times_resolve_in_the_persons_timezone(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    reply = await ann.say("/timezone europe/berlin")
    assert "Europe/Berlin" in reply.text
    reply = await ann.say("coffee at 9am")
    assert "09:00 today" in reply.text
    [event] = await dialogue.diary.events_between(ann.user_id)
    assert event.at == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


async def test_a_bad_timezone_gets_examples_and_changes_nothing(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    reply = await ann.say("/timezone Mars/Olympus")
    assert "isn't a timezone I know" in reply.text and "Europe/London" in reply.text
    assert (await dialogue.diary.ensure_user(ann.user_id)).timezone == "UTC"


async def test_message_sent_two_hours_ago_is_logged_at_its_own_time(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    sent = SENT - timedelta(hours=2)  # the bot was down; it reads the message now
    reply = await ann.say("had a sandwich", sent_at=sent)
    assert "10:40 today" in reply.text
    [event] = await dialogue.diary.events_between(ann.user_id)
    assert event.at == sent


async def test_migraine_without_severity_asks_with_ten_buttons(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    reply = await ann.say("migraine started")
    labels = [[b.label for b in row] for row in reply.buttons]
    assert labels == [["1", "2", "3", "4", "5"], ["6", "7", "8", "9", "10"]]
    tap = reply.buttons[1][1].data
    other = await dialogue.handle_button(999, tap)  # someone else's button
    assert not other.edit and "nothing was changed" in other.toast
    done = await dialogue.handle_button(ann.user_id, tap)
    assert done.edit and "7/10" in done.text
    [attack] = await dialogue.diary.events_between(ann.user_id)
    assert attack.severity == 7


async def test_tapping_a_deleted_entry_changes_nothing(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    reply = await ann.say("migraine started")
    await ann.say("/undo")
    stale = await dialogue.handle_button(ann.user_id, reply.buttons[0][2].data)
    assert not stale.edit and "no longer exists" in stale.toast
    assert await ann.entries() == []
    junk = await dialogue.handle_button(ann.user_id, "sev:abc")
    assert not junk.edit and junk.toast


async def test_migraine_with_severity_asks_nothing(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    reply = await ann.say("migraine started at 11am, 7/10")
    assert reply.buttons == [] and "7/10" in reply.text and "11:00 today" in reply.text


async def test_migraine_end_reports_how_long_it_lasted(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    await ann.say("migraine started at 9am 6/10")
    reply = await ann.say("migraine gone")
    assert "3 h 40 min" in reply.text


async def test_undo_removes_the_last_message_and_says_what(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    await ann.say("had an apple")
    await ann.say("had cheese and red wine")
    reply = await ann.say("/undo")
    assert reply.text == "Removed 🧀 cheese and 🍷 red wine."
    assert await ann.entries() == [("food", "apple")]
    assert (await ann.say("/undo")).text.startswith("Removed")
    assert (await ann.say("/undo")).text == "There is nothing to undo."


async def test_redelivered_message_is_stored_once_and_answered_once(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    first = await ann.say("had cheese", message_id=42)
    again = await ann.say("had cheese", message_id=42)
    assert first is not None and again is None
    assert await ann.entries() == [("food", "cheese")]


async def test_edit_replaces_what_was_logged(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    await ann.say("had cheese", message_id=5)
    reply = await ann.say("had red wine", message_id=5, edited_at=SENT + timedelta(minutes=2))
    assert reply.text.startswith("Updated from your edit") and "red wine" in reply.text
    assert await ann.entries() == [("food", "red wine")]


async def test_negation_and_chatter_log_nothing(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    for text in ("no coffee today", "hi", "thanks!", "how does this work?"):
        reply = await ann.say(text)
        assert reply is not None and reply.text and not reply.buttons
    assert await ann.entries() == []


async def test_nonsense_says_nothing_was_saved_and_shows_examples(dialogue: Dialogue) -> None:
    reply = await Person(dialogue).say("qwzx plonk")
    assert "Nothing was saved" in reply.text and "<code>" in reply.text


async def test_history_lists_entries_by_local_day(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    await ann.say("had cheese", sent_at=SENT - timedelta(days=1))
    await ann.say("had red wine")
    reply = await ann.say("/history")
    assert "Mon 23 Nov" in reply.text and "Tue 24 Nov (today)" in reply.text
    assert reply.text.index("cheese") < reply.text.index("red wine")
    tomorrow = await ann.say("/history 1", sent_at=SENT + timedelta(days=1))
    assert tomorrow.text.startswith("Nothing logged for today")
    assert "number of days" in (await ann.say("/history lots")).text


async def test_long_history_and_long_messages_stay_within_telegram_limits(
    dialogue: Dialogue,
) -> None:
    ann = Person(dialogue)
    for day in range(30):
        await ann.say(
            "had cheese, red wine, coffee, toast, chocolate, an apple and a banana",
            sent_at=SENT - timedelta(days=day),
        )
    reply = await ann.say("/history 30")
    assert len(reply.text) <= TELEGRAM_TEXT_LIMIT and "Tue 24 Nov" in reply.text
    huge = await ann.say(("had cheese and " * 300)[:4096])
    assert huge is not None and len(huge.text) <= TELEGRAM_TEXT_LIMIT


async def test_unknown_command_lists_the_commands(dialogue: Dialogue) -> None:
    reply = await Person(dialogue).say("/frobnicate")
    assert "/frobnicate" in reply.text
    assert all(f"/{name}" in reply.text for name, _ in COMMANDS)


async def test_two_people_never_see_each_other(dialogue: Dialogue) -> None:
    ann, bob = Person(dialogue, 1), Person(dialogue, 2)
    await ann.say("had cheese", message_id=1)
    await bob.say("had red wine", message_id=1)
    assert "red wine" not in (await ann.say("/history")).text
    assert "cheese" not in (await bob.say("/history")).text
    await bob.say("/undo")
    assert await ann.entries() == [("food", "cheese")]


async def test_an_ongoing_attack_is_acknowledged_not_misunderstood(dialogue: Dialogue) -> None:
    ann = Person(dialogue)
    reply = await ann.say("head still pounding", sent_at=SENT)
    assert "no migraine open" in reply.text and "Nothing was saved" not in reply.text
    await ann.say("migraine started at 11am, 6/10")
    reply = await ann.say("head still pounding", sent_at=SENT + timedelta(minutes=5))
    assert "still open" in reply.text and "11:00 today" in reply.text
    assert [k for k, _ in await ann.entries()] == ["migraine_start"]  # nothing new logged
    neutral = await ann.say("no pain today")
    assert "still open" not in neutral.text and "Sorry you're in pain" not in neutral.text


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("stress 7/5", "Stress is 1–5"),
        ("stress 0/5", "Stress is 1–5"),
        ("slept 25 hours", "more hours than one night can have"),
        ("had pasta tomorrow", "I only log what has already happened"),
    ],
)
async def test_out_of_range_and_future_get_a_clear_reply_and_log_nothing(
    dialogue: Dialogue, text: str, says: str
) -> None:
    ann = Person(dialogue)
    reply = await ann.say(text)
    assert says in reply.text and "nothing was saved" in reply.text.lower()
    assert await ann.entries() == []
