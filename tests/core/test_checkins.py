"""Check-in conversation without Telegram: the offer, /reminder, taps that must change nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.dialogue import Dialogue, Incoming
from bot.parsing.vocabulary import default_vocabulary
from storage import Claimed, Diary, create_engine, session_factory, upgrade

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # Tue


@pytest.fixture
async def dialogue(tmp_path: Path) -> AsyncIterator[Dialogue]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/c.sqlite3")
    await upgrade(engine)
    d = Dialogue(Diary(session_factory(engine)), default_vocabulary())
    d.checkins.clock = lambda: NOW
    yield d
    await engine.dispose()


async def cmd(d: Dialogue, text: str, user: int = 100) -> str:
    reply = await d.handle_text(Incoming(user, user, int(NOW.timestamp()), NOW, text))
    assert reply is not None
    return reply.text


async def test_offer_another_time_and_no_thanks(dialogue: Dialogue) -> None:
    start = await dialogue.handle_text(Incoming(100, 100, 1, NOW, "/start"))
    assert start is not None and start.follow_up is not None
    other = await dialogue.handle_button(100, "rm:other")
    assert [b.label for b in other.buttons[0]] == ["19:00", "20:00", "21:30", "22:00"]
    chosen = await dialogue.handle_button(100, "rm:on:1290")
    assert chosen.edit and "<b>21:30</b>" in chosen.text and "still UTC" in chosen.text
    # Someone else declines: the offer is not repeated on their next /start.
    declined = await dialogue.handle_button(200, "rm:no")
    assert "No check-ins" in declined.text
    again = await dialogue.handle_text(Incoming(200, 200, 2, NOW, "/start"))
    assert again is not None and again.follow_up is None
    # Someone who had blocked the bot and comes back is offered it again.
    await dialogue.checkins.reminders.blocked(100, NOW)
    back = await dialogue.handle_text(Incoming(100, 100, 3, NOW, "/start"))
    assert back is not None and back.follow_up is not None


async def test_reminder_command_sets_shows_and_stops(dialogue: Dialogue) -> None:
    assert "off" in await cmd(dialogue, "/reminder")
    await cmd(dialogue, "/timezone Europe/Berlin")
    text = await cmd(dialogue, "/reminder 9pm")
    assert "<b>21:00</b> (Europe/Berlin)" in text and "Next: Tue 24 Nov at 21:00" in text
    assert "isn't a time" in await cmd(dialogue, "/reminder teatime")
    assert "Next: Tue 24 Nov at 21:00" in await cmd(dialogue, "/reminder")
    assert "are off" in await cmd(dialogue, "/reminder off")
    assert "are off" in await cmd(dialogue, "/reminder")


async def test_a_timezone_change_keeps_the_wall_clock_time(dialogue: Dialogue) -> None:
    await cmd(dialogue, "/reminder 21:00")
    reminders = dialogue.checkins.reminders
    assert (await reminders.get(100)).next_due == datetime(2026, 11, 24, 21, tzinfo=UTC)
    await cmd(dialogue, "/timezone America/New_York")
    reminder = await reminders.get(100)
    assert reminder.timezone == "America/New_York"
    assert reminder.next_due == datetime(2026, 11, 25, 2, tzinfo=UTC)  # 21:00 EST


async def test_foreign_stale_and_repeated_taps_change_nothing(dialogue: Dialogue) -> None:
    await cmd(dialogue, "/reminder 21:00")
    reminders = dialogue.checkins.reminders
    later = NOW + timedelta(hours=9, seconds=5)
    dialogue.checkins.clock = lambda: later
    await reminders.materialize(later)
    [claimed] = await reminders.claim(later, 10)
    out = await dialogue.checkins.compose(claimed, later)
    assert out.reply is not None
    [[no, _yes]] = out.reply.buttons
    stranger = await dialogue.handle_button(999, no.data)
    assert "isn't yours" in (stranger.toast or "")
    assert (await dialogue.handle_button(100, no.data)).edit
    again = await dialogue.handle_button(100, no.data)
    assert not again.edit and "Already answered" in (again.toast or "")
    for junk in ("ci:1", "ci:x:y:n", "fe:0:999:now", "fu:1:great", "rm:on:9999"):
        assert not (await dialogue.handle_button(100, junk)).edit
    assert [e.kind for e in await dialogue.diary.events_between(100)] == ["no_migraine"]
    assert isinstance(claimed, Claimed)
