"""The check-in and what the person typed the same day.

A factor typed that day answers its row ("(you wrote it)", its button ticked); a tap on another
value replaces the typed entry instead of adding a second one; a migraine logged for a day with a
'no migraine' removes that entry; a day an attack went on into is never offered 'No migraine'.
New York (UTC−5): every day below is a New York day.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.dialogue import Dialogue, Incoming
from bot.core.replies import Reply
from bot.parsing.vocabulary import default_vocabulary
from storage import Diary, NewEvent, create_engine, session_factory, upgrade
from tests.core.test_settings import (
    ANN,
    NEW_YORK,
    NOON,
    ONE_TAP,
    Clock,
    checkin_at,
    clock,
    factors,
    labels,
    ny,
    person,
    say,
    switch_on,
    tap,
)


@pytest.fixture
async def dialogue(tmp_path: Path) -> AsyncIterator[Dialogue]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/t.sqlite3")
    await upgrade(engine)
    d = Dialogue(Diary(session_factory(engine)), default_vocabulary())
    d.checkins.clock = Clock(NOON)
    yield d
    await engine.dispose()


async def at(d: Dialogue, local: datetime, text: str) -> Reply:
    clock(d).now = local.astimezone(UTC)
    return await say(d, text)


async def kinds(d: Dialogue) -> list[tuple[str, str]]:
    return [
        (e.kind if e.kind != "factor" else e.name or "", f"{e.at.astimezone(NEW_YORK):%a %H:%M}")
        for e in await d.diary.events_between(ANN)
    ]


async def test_typed_factors_answer_their_rows(dialogue: Dialogue) -> None:
    await person(dialogue)
    await switch_on(dialogue, "s", "t", "x", "p")
    for n, text in enumerate(
        ("slept badly", "stress 2/5", "went for a 30 min run", "on my period")
    ):
        await at(dialogue, ny(24, 10, n), text)
    checkin = await checkin_at(dialogue, ny(24, 21))
    for line in (
        "😴 Sleep last night: <b>poor</b> (you wrote it)",
        "😣 Stress today: <b>2/5</b> (you wrote it)",
        "🏃 Exercise today: <b>yes (run, 30 min)</b> (you wrote it)",
        "🩸 Period today: <b>ongoing</b> (you wrote it)",
    ):
        assert f"\n{line}\n" in checkin.text
    assert "?" not in checkin.text.split("\n\n")[1]  # no row is asked again
    assert labels(checkin) == [
        ["No migraine", "Migraine"],  # the migraine question is still asked
        ["✓ 😴 Poor", "😴 OK", "😴 Good"],
        ["1", "✓ 2", "3", "4", "5"],
        ["✓ 🏃 Yes", "🏃 No"],
        ["🩸 Started", "✓ 🩸 Ongoing", "🩸 No"],
    ]


async def test_a_tap_replaces_what_was_typed_that_day(dialogue: Dialogue) -> None:
    await person(dialogue)
    await switch_on(dialogue, "s", "t", "p")
    for n, text in enumerate(("slept badly", "stress 2/5", "on my period")):
        await at(dialogue, ny(24, 10, n), text)
    checkin = await checkin_at(dialogue, ny(24, 21))

    same = await tap(dialogue, checkin, "✓ 😴 Poor")  # what they wrote: nothing added
    assert same.toast == "Already in your diary — you wrote it ✓"
    assert "😴 Sleep last night: <b>poor</b> (you wrote it)" in same.text

    reply = await tap(dialogue, same, "4")
    assert reply.toast == "Stress: 4/5 ✓ (replaces 😣 stress 2/5)"
    assert "\n😣 Stress today: <b>4/5</b>\n" in reply.text
    assert labels(reply)[2] == ["1", "2", "3", "✓ 4", "5"]
    reply = await tap(dialogue, reply, "😴 Good")
    assert "\n😴 Sleep last night: <b>good</b>\n" in reply.text
    reply = await tap(dialogue, reply, "🩸 Started")
    assert labels(reply)[3] == ["✓ 🩸 Started", "🩸 Ongoing", "🩸 No"]
    reply = await tap(dialogue, reply, "5")  # a second tap still replaces the first
    assert await factors(dialogue) == [
        ("sleep_quality", 3.0, "Tue 07:00"),
        ("period_start", None, "Tue 21:00"),
        ("stress", 5.0, "Tue 21:00"),
    ]
    history = (await say(dialogue, "/history 1")).text
    assert history.count("😴") == 1 and history.count("😣") == 1 and history.count("🩸") == 1
    assert "poor night's sleep" not in history and "stress 2/5" not in history
    # Every typed entry was replaced: no message has anything left to undo.
    assert (await say(dialogue, "/undo")).text == "There is nothing to undo."


async def test_an_edit_of_the_replaced_message_leaves_the_answer_alone(dialogue: Dialogue) -> None:
    """The tap keeps the typed stress aside (with its message), not just deleted: editing that
    message afterwards logs the rest of it again, but not the stress beside the check-in's
    answer, which stands; /undo of it then takes back what it still logged."""
    await person(dialogue)
    await switch_on(dialogue, "t")
    clock(dialogue).now = sent = ny(24, 10).astimezone(UTC)
    typed = Incoming(ANN, ANN, 777, sent, "stress 2/5, had a coffee")
    assert await dialogue.handle_text(typed) is not None
    checkin = await checkin_at(dialogue, ny(24, 21))
    tapped = await tap(dialogue, checkin, "4")
    assert tapped.toast == "Stress: 4/5 ✓ (replaces 😣 stress 2/5)"

    clock(dialogue).now = ny(24, 21, 5).astimezone(UTC)
    edit = Incoming(ANN, ANN, 777, sent, "stress 3/5, had a coffee", edited_at=clock(dialogue).now)
    edited = await dialogue.handle_text(edit)
    assert edited is not None and edited.text == (
        "Updated from your edit: ☕ coffee at 10:00 today.\n"
        "Your check-in answer stands, so I left out 😣 stress 3/5."
    )
    assert await factors(dialogue) == [("stress", 4.0, "Tue 21:00")]
    nudge = await dialogue.checkins.reminders.nudge(int(checkin.buttons[0][0].data.split(":")[1]))
    assert nudge is not None
    redrawn = await dialogue.checkins._rerender(nudge, NEW_YORK, clock(dialogue).now, "")
    assert "\n😣 Stress today: <b>4/5</b>\n" in redrawn.text  # no "you also wrote"

    undone = await say(dialogue, "/undo")
    assert undone.text == "Removed ☕ coffee."
    assert await factors(dialogue) == [("stress", 4.0, "Tue 21:00")]


async def test_exercise_typed_is_neither_doubled_nor_silently_removed(dialogue: Dialogue) -> None:
    await person(dialogue)
    await switch_on(dialogue, "x", "p")
    checkin = await checkin_at(dialogue, ny(24, 21))
    answered_no = await tap(dialogue, checkin, "🏃 No")
    assert "🏃 Exercise today: <b>no</b>" in answered_no.text
    # Typed after the check-in's "no" (which logs nothing): the entry wins.
    await at(dialogue, ny(24, 21, 30), "went for a 30 min run")
    await at(dialogue, ny(24, 21, 31), "period started")
    yes = await tap(dialogue, answered_no, "🏃 Yes")
    assert yes.toast == "Already in your diary — you wrote it ✓"
    assert "🏃 Exercise today: <b>yes (run, 30 min)</b> (you wrote it)" in yes.text
    assert labels(yes)[1] == ["✓ 🏃 Yes", "🏃 No"]
    # "No" against what they wrote is refused: the entry has their words, a tap can't undo it.
    no = await tap(dialogue, yes, "🏃 No")
    assert no.toast == (
        "You logged 🏃 run 30 min today — edit that message (or /undo if it was your last) "
        "to change it"
    )
    assert labels(no)[1] == ["✓ 🏃 Yes", "🏃 No"]
    period_no = await tap(dialogue, no, "🩸 No")
    assert (period_no.toast or "").startswith("You logged 🩸 period started today")
    assert await factors(dialogue) == [
        ("exercise", 30.0, "Tue 21:30"),
        ("period_start", None, "Tue 21:31"),
    ]


async def test_hours_slept_answer_the_sleep_row_and_a_tap_adds_the_quality(
    dialogue: Dialogue,
) -> None:
    await person(dialogue)
    await switch_on(dialogue, "s")
    await at(dialogue, ny(24, 9), "slept 5 hours")
    checkin = await checkin_at(dialogue, ny(24, 21))
    assert "\n😴 Sleep last night: <b>5 h</b> (you wrote it)\n" in checkin.text
    assert labels(checkin)[1] == ["😴 Poor", "😴 OK", "😴 Good"]  # hours are no button
    reply = await tap(dialogue, checkin, "😴 Poor")
    assert reply.toast == "Sleep: poor ✓"  # nothing replaced
    assert "\n😴 Sleep last night: <b>poor</b> (you also wrote 5 h)\n" in reply.text
    assert await factors(dialogue) == [
        ("sleep_hours", 5.0, "Tue 07:00"),
        ("sleep_quality", 1.0, "Tue 07:00"),
    ]


async def test_the_local_day_decides_what_a_row_reads_and_replaces(dialogue: Dialogue) -> None:
    """23:30 in New York is 04:30 UTC the next day, yet it belongs to Tuesday's check-in;
    00:30 on Wednesday does not."""
    await person(dialogue)
    await switch_on(dialogue, "t", "x")
    checkin = await checkin_at(dialogue, ny(24, 21))
    assert "😣 Stress today, 1 (calm) to 5 (very)?" in checkin.text
    await at(dialogue, ny(24, 23, 30), "stress 2/5")
    await at(dialogue, ny(25, 0, 30), "stress 3/5")
    clock(dialogue).now = ny(25, 8).astimezone(UTC)
    moved = await tap(dialogue, checkin, "🏃 Yes")
    assert "\n😣 Stress yesterday: <b>2/5</b> (you wrote it)\n" in moved.text
    await tap(dialogue, moved, "4")
    assert await factors(dialogue) == [
        ("exercise", None, "Tue 21:00"),
        ("stress", 4.0, "Tue 21:00"),  # the 23:30 one replaced
        ("stress", 3.0, "Wed 00:30"),
    ]


async def test_an_entry_typed_after_the_tap_shows_and_a_tap_keeps_one(dialogue: Dialogue) -> None:
    await person(dialogue)
    await switch_on(dialogue, "t", "x")
    checkin = await checkin_at(dialogue, ny(24, 21))
    reply = await tap(dialogue, checkin, "4")
    await at(dialogue, ny(24, 21, 30), "stress 2/5")
    reply = await tap(dialogue, reply, "🏃 No")
    assert "\n😣 Stress today: <b>4/5</b> (you also wrote 2/5)\n" in reply.text
    again = await tap(dialogue, reply, "✓ 4")  # the same answer again: now the only one
    assert again.toast == "Stress: 4/5 ✓ (replaces 😣 stress 2/5)"
    assert await factors(dialogue) == [("stress", 4.0, "Tue 21:00")]


async def test_with_every_row_off_typed_factors_change_nothing(dialogue: Dialogue) -> None:
    await say(dialogue, "/reminder 21:00")  # UTC, as ONE_TAP is
    for n, text in enumerate(("slept badly", "stress 2/5", "went for a run", "on my period")):
        clock(dialogue).now = datetime(2026, 11, 24, 10, n, tzinfo=UTC)
        await say(dialogue, text)
    checkin = await checkin_at(dialogue, datetime(2026, 11, 24, 21, 0, 5, tzinfo=UTC))
    assert checkin.text == ONE_TAP
    assert labels(checkin) == [["No migraine", "Migraine"]]


# ---- B: a migraine and a 'no migraine' on one day ----------------------------------------------


async def test_a_migraine_logged_later_removes_the_checkins_no_migraine(
    dialogue: Dialogue,
) -> None:
    await person(dialogue)
    checkin = await checkin_at(dialogue, ny(24, 21))
    await tap(dialogue, checkin, "No migraine")
    await at(dialogue, ny(23, 12), "no migraine today")  # Monday's stays
    reply = await at(dialogue, ny(25, 10), "migraine started at 4pm yesterday, 7/10")
    assert reply.text.endswith("\n…and removed Tuesday's “no migraine”.")
    assert await kinds(dialogue) == [("no_migraine", "Mon 12:00"), ("migraine_start", "Tue 16:00")]
    history = (await say(dialogue, "/history 3")).text
    assert "16:00 🤕 migraine 7/10" in history
    assert history.count("migraine-free day") == 1  # Monday's
    # Tuesday's check-in, re-rendered, now shows the attack.
    redrawn = await dialogue.checkins._rerender(
        await dialogue.checkins.reminders.nudge(int(checkin.buttons[0][0].data.split(":")[1])),
        NEW_YORK,
        clock(dialogue).now,
        "",
    )
    assert "🤕 Migraine at 16:00, 7/10." in redrawn.text and "No migraine" not in redrawn.text


async def test_a_migraine_typed_the_same_day_removes_a_typed_no_migraine(
    dialogue: Dialogue,
) -> None:
    await person(dialogue)
    await at(dialogue, ny(24, 12), "no migraine today")
    reply = await at(dialogue, ny(24, 22), "migraine started at 9pm, 6/10")
    assert reply.text.endswith("\n…and removed today's “no migraine”.")
    assert await kinds(dialogue) == [("migraine_start", "Tue 21:00")]
    plain = await at(dialogue, ny(24, 22, 5), "had a coffee")  # nothing to remove: no note
    assert "removed" not in plain.text


async def test_a_crash_after_storing_the_migraine_never_leaves_the_no_migraine(
    dialogue: Dialogue,
) -> None:
    """The 'no migraine' goes in the transaction that logs the migraine: a process that dies
    right after (the redelivered update is then a duplicate, and returns early) cannot leave the
    day with both."""
    await person(dialogue)
    await at(dialogue, ny(24, 12), "no migraine today")
    clock(dialogue).now = now = ny(24, 22).astimezone(UTC)
    message = Incoming(ANN, ANN, 4242, now, "migraine started at 9pm, 6/10")

    async def dies(*args: object, **kwargs: object) -> None:
        raise RuntimeError("process killed")

    dialogue.checkins.on_logged = dies  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        await dialogue.handle_text(message)
    del dialogue.checkins.on_logged
    assert await dialogue.handle_text(message) is None  # redelivered: a duplicate
    assert await kinds(dialogue) == [("migraine_start", "Tue 21:00")]


async def test_the_checkins_migraine_answer_removes_a_typed_no_migraine(
    dialogue: Dialogue,
) -> None:
    await person(dialogue)
    checkin = await checkin_at(dialogue, ny(24, 21))
    await at(dialogue, ny(24, 21, 10), "no migraine today")
    when = await tap(dialogue, checkin, "Migraine")  # the message still showed the question
    how_bad = await tap(dialogue, when, "Evening")
    await tap(dialogue, how_bad, "5")
    assert [k for k, _ in await kinds(dialogue)] == ["migraine_start"]


async def test_a_day_an_attack_went_on_into_is_not_offered_no_migraine(
    dialogue: Dialogue,
) -> None:
    """Monday's check-in went unanswered; then an attack from Sunday 22:00 was logged (an
    import, say). Monday's old message must not offer 'no migraine' for it. Tuesday begins 26 h
    after that start with no end logged: past the 24 h an unended attack lasts (as in the
    analysis), so Tuesday is asked about, while 'Is the migraine over?' may still be asked."""
    clock(dialogue).now = ny(23, 12).astimezone(UTC)
    await person(dialogue)
    monday = await checkin_at(dialogue, ny(23, 21))
    await dialogue.diary.add_events(
        ANN, [NewEvent("migraine_start", ny(22, 22).astimezone(UTC), severity=7)]
    )
    stale = await tap(dialogue, monday, "No migraine")  # the old message's button
    assert stale.toast == "Already in your diary — see /history"
    assert "🤕 Migraine at 22:00 on Sunday, 7/10." in stale.text
    tuesday = await checkin_at(dialogue, ny(24, 21))
    assert tuesday.text.startswith("Check-in for Tue 24 Nov — any migraine today?")
    assert labels(tuesday) == [["No migraine", "Migraine"]]
    assert [k for k, _ in await kinds(dialogue)] == ["migraine_start"]


async def test_the_day_after_an_unended_attack_within_24_hours_is_inside_it(
    dialogue: Dialogue,
) -> None:
    await person(dialogue)
    await dialogue.diary.add_events(
        ANN, [NewEvent("migraine_start", ny(23, 20).astimezone(UTC), severity=7)]
    )
    tuesday = await checkin_at(dialogue, ny(24, 21))  # midnight: 4 h after Monday 20:00
    assert tuesday.text.startswith(
        "Check-in for Tue 24 Nov — you logged a migraine at 20:00 on Monday. Is it over?"
    )
    assert labels(tuesday) == [["Yes, just now", "Earlier today", "Still going"]]


async def test_a_catch_up_day_inside_an_attack_shows_the_attack(dialogue: Dialogue) -> None:
    clock(dialogue).now = ny(23, 12).astimezone(UTC)
    await person(dialogue)
    await checkin_at(dialogue, ny(23, 21))  # Monday's, unanswered
    await dialogue.diary.add_events(
        ANN,
        [
            NewEvent("migraine_start", ny(22, 22).astimezone(UTC), severity=7),
            NewEvent("migraine_end", ny(23, 10).astimezone(UTC)),
        ],
    )
    tuesday = await checkin_at(dialogue, ny(24, 21))
    assert "\n🤕 Monday: migraine at 22:00 on Sunday, 7/10.\n" in tuesday.text
    assert "And Monday?" not in tuesday.text
    assert labels(tuesday) == [["No migraine", "Migraine"]]  # Tuesday itself is asked


async def test_an_attack_never_marked_over_stops_counting_after_24_hours(
    dialogue: Dialogue,
) -> None:
    await person(dialogue)
    await dialogue.diary.add_events(
        ANN, [NewEvent("migraine_start", ny(22, 23).astimezone(UTC), severity=5)]
    )
    checkin = await checkin_at(dialogue, ny(24, 21))  # 25 h after Sunday 23:00 at midnight
    assert checkin.text.startswith("Check-in for Tue 24 Nov — any migraine today?")
    assert labels(checkin) == [["No migraine", "Migraine"]]


async def test_an_unended_attack_is_given_up_by_its_own_age_whatever_came_after(
    dialogue: Dialogue,
) -> None:
    """Thursday's attack was never marked over; a later one (Tuesday, with its end) does not
    keep it going: Monday, four days on, is asked about, not shown as inside Thursday's attack."""
    clock(dialogue).now = ny(23, 12).astimezone(UTC)
    await person(dialogue)
    await checkin_at(dialogue, ny(23, 21))  # Monday's, unanswered
    await dialogue.diary.add_events(
        ANN,
        [
            NewEvent("migraine_start", ny(19, 22).astimezone(UTC), severity=5),  # never ended
            NewEvent("migraine_start", ny(24, 9).astimezone(UTC), severity=6),
            NewEvent("migraine_end", ny(24, 10).astimezone(UTC)),
        ],
    )
    tuesday = await checkin_at(dialogue, ny(24, 21))
    assert "🤕 Migraine at 09:00, 6/10." in tuesday.text
    assert "\nAnd Monday?\n" in tuesday.text and "Thursday" not in tuesday.text
    assert labels(tuesday) == [["Mon: no migraine", "Mon: migraine"]]
