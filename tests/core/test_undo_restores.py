"""Taking back a migraine puts back the "no migraine" it had ruled out.

A migraine logged for a day marked "no migraine" removes that mark; /undo of that message, or an
edit that takes the migraine out of it, restores the mark (still the message that said it), unless
another migraine still holds for the day. New York (UTC−5); Tuesday 24 Nov 2026.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.dialogue import Dialogue, Incoming
from bot.core.replies import Reply
from bot.parsing.vocabulary import default_vocabulary
from storage import Diary, create_engine, session_factory, upgrade
from tests.core.test_checkin_typed import kinds
from tests.core.test_settings import ANN, NOON, Clock, checkin_at, clock, ny, person, tap


@pytest.fixture
async def dialogue(tmp_path: Path) -> AsyncIterator[Dialogue]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/u.sqlite3")
    await upgrade(engine)
    d = Dialogue(Diary(session_factory(engine)), default_vocabulary())
    d.checkins.clock = Clock(NOON)
    yield d
    await engine.dispose()


async def at(d: Dialogue, local: datetime, text: str, *, edits: datetime | None = None) -> Reply:
    """`text` sent at `local`; or, with `edits`, the message sent at `edits` edited to `text`."""
    clock(d).now = now = local.astimezone(UTC)
    sent = (edits or local).astimezone(UTC)
    incoming = Incoming(
        ANN, ANN, int(sent.timestamp()), sent, text, edited_at=now if edits else None
    )
    reply = await d.handle_text(incoming)
    assert reply is not None
    return reply


async def test_undo_puts_back_the_no_migraine_the_migraine_removed(dialogue: Dialogue) -> None:
    await person(dialogue)
    await at(dialogue, ny(24, 12), "no migraine today")
    removed = await at(dialogue, ny(24, 22), "migraine started at 9pm 6/10")
    assert removed.text.endswith("\n…and removed today's “no migraine”.")
    assert await kinds(dialogue) == [("migraine_start", "Tue 21:00")]

    undone = await at(dialogue, ny(24, 22, 5), "/undo")
    assert undone.text == "Removed 🤕 migraine 6/10.\n…and put back today's “no migraine”."
    assert await kinds(dialogue) == [("no_migraine", "Tue 12:00")]
    history = await at(dialogue, ny(24, 22, 6), "/history 1")
    assert "12:00 ✅ migraine-free day" in history.text
    # It is still the message that said it: the next /undo takes it back, with nothing to restore.
    again = await at(dialogue, ny(24, 22, 7), "/undo")
    assert again.text == "Removed ✅ migraine-free day."
    assert await kinds(dialogue) == []


async def test_undo_puts_back_the_checkins_no_migraine_by_its_day(dialogue: Dialogue) -> None:
    await person(dialogue)
    checkin = await checkin_at(dialogue, ny(24, 21))
    await tap(dialogue, checkin, "No migraine")
    await at(dialogue, ny(25, 10), "migraine started at 4pm yesterday, 7/10")
    assert await kinds(dialogue) == [("migraine_start", "Tue 16:00")]
    undone = await at(dialogue, ny(25, 10, 5), "/undo")
    assert undone.text == "Removed 🤕 migraine 7/10.\n…and put back Tuesday's “no migraine”."
    assert await kinds(dialogue) == [("no_migraine", "Tue 21:00")]
    # The check-in shows the day as migraine-free again.
    redrawn = await dialogue.checkins._rerender(
        await dialogue.checkins.reminders.nudge(int(checkin.buttons[0][0].data.split(":")[1])),
        ny(25, 10).tzinfo,  # type: ignore[arg-type]
        clock(dialogue).now,
        "",
    )
    assert "✅ No migraine — noted." in redrawn.text


async def test_editing_the_migraine_away_puts_it_back(dialogue: Dialogue) -> None:
    await person(dialogue)
    await at(dialogue, ny(24, 12), "no migraine today")
    await at(dialogue, ny(24, 22), "migraine started at 9pm 6/10")
    kept = await at(dialogue, ny(24, 22, 1), "migraine started at 9pm 7/10", edits=ny(24, 22))
    assert (
        kept.text == "Updated from your edit: 🤕 migraine 7/10 at 21:00 today."
    )  # still ruled out
    assert await kinds(dialogue) == [("migraine_start", "Tue 21:00")]
    edited = await at(dialogue, ny(24, 22, 2), "had a coffee at 9pm", edits=ny(24, 22))
    assert edited.text == (
        "Updated from your edit: ☕ coffee at 21:00 today.\n…and put back today's “no migraine”."
    )
    assert await kinds(dialogue) == [("no_migraine", "Tue 12:00"), ("food", "Tue 21:00")]
    emptied = await at(dialogue, ny(24, 22, 3), "never mind", edits=ny(24, 22))
    assert "put back" not in emptied.text  # nothing left aside to put back
    assert await kinds(dialogue) == [("no_migraine", "Tue 12:00")]


async def test_another_migraine_that_day_keeps_it_out_until_that_one_goes_too(
    dialogue: Dialogue,
) -> None:
    await person(dialogue)
    await at(dialogue, ny(24, 12), "no migraine today")
    await at(dialogue, ny(24, 22), "migraine started at 9pm 6/10")  # removes it
    await at(dialogue, ny(24, 22, 5), "migraine started at 1pm, 4/10")  # another, same day
    edited = await at(dialogue, ny(24, 22, 10), "had a coffee at 9pm", edits=ny(24, 22))
    assert "put back" not in edited.text  # 13:00's migraine still rules the day out
    assert [k for k, _ in await kinds(dialogue)] == ["migraine_start", "food"]
    undone = await at(dialogue, ny(24, 22, 15), "/undo")  # takes back 13:00's
    assert undone.text == "Removed 🤕 migraine 4/10.\n…and put back today's “no migraine”."
    assert await kinds(dialogue) == [("no_migraine", "Tue 12:00"), ("food", "Tue 21:00")]


async def test_an_edit_of_the_no_migraine_message_replaces_what_waits_aside(
    dialogue: Dialogue,
) -> None:
    await person(dialogue)
    await at(dialogue, ny(24, 12), "no migraine today")
    await at(dialogue, ny(24, 22), "migraine started at 9pm 6/10")
    await at(dialogue, ny(24, 22, 1), "had toast at noon", edits=ny(24, 12))
    undone = await at(dialogue, ny(24, 22, 5) + timedelta(minutes=1), "/undo")
    assert undone.text == "Removed 🤕 migraine 6/10."  # its 'no migraine' no longer stands
    assert await kinds(dialogue) == [("food", "Tue 12:00")]
