"""/settings and the optional factor rows of the daily check-in, without Telegram.

Off by default, so the check-in stays the one-tap question; turned on, each row logs the factor
event the analysis reads, dated in the check-in's own local day, and a second tap replaces the
first. Period questions appear only with period tracking on.
"""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.console import Console
from bot.core.dialogue import COMMANDS, Dialogue, Incoming
from bot.core.replies import Reply
from bot.diary_csv import ImportRefused
from bot.diary_json import read_restore, snapshot_json
from bot.parsing.vocabulary import default_vocabulary
from storage import Diary, create_engine, session_factory, upgrade
from storage.rights import Rights

NEW_YORK = ZoneInfo("America/New_York")
NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # Tue
ANN, BOB = 100, 200
ONE_TAP = (
    "Check-in for Tue 24 Nov — any migraine today?\n\n"
    "<i>Anything you ate or drank today that you didn't log? Just type it, "
    "e.g. <code>had pasta and a beer</code>.</i>"
)


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def dialogue(tmp_path: Path) -> AsyncIterator[Dialogue]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/s.sqlite3")
    await upgrade(engine)
    d = Dialogue(Diary(session_factory(engine)), default_vocabulary())
    d.checkins.clock = Clock(NOON)
    yield d
    await engine.dispose()


def clock(d: Dialogue) -> Clock:
    assert isinstance(d.checkins.clock, Clock)
    return d.checkins.clock


async def say(d: Dialogue, text: str, user: int = ANN) -> Reply:
    now = clock(d).now
    reply = await d.handle_text(Incoming(user, user, int(now.timestamp() * 1000), now, text))
    assert reply is not None
    return reply


async def switch_on(d: Dialogue, *codes: str, user: int = ANN) -> Reply:
    reply = await say(d, "/settings", user)
    for code in codes:
        reply = await d.handle_button(user, f"st:{user}:{code}:1")
    return reply


async def checkin_at(d: Dialogue, local: datetime, user: int = ANN) -> Reply:
    """The check-in the sweep would send at `local` (a wall-clock time in New York)."""
    clock(d).now = local.astimezone(UTC)
    reminders = d.checkins.reminders
    await reminders.materialize(clock(d).now)
    [claimed] = [c for c in await reminders.claim(clock(d).now, 10) if c.nudge.user_id == user]
    out = await d.checkins.compose(claimed, clock(d).now)
    await d.checkins.sent(claimed, out, message_id=7)
    assert out.reply is not None
    return out.reply


async def tap(d: Dialogue, reply: Reply, label: str, user: int = ANN) -> Reply:
    [data] = [b.data for row in reply.buttons for b in row if b.label == label]
    return await d.handle_button(user, data)


def labels(reply: Reply) -> list[list[str]]:
    return [[b.label for b in row] for row in reply.buttons]


async def factors(d: Dialogue, user: int = ANN) -> list[tuple[str, float | None, str]]:
    """Factor events as (name, value, New York local time)."""
    return [
        (e.name or "", e.value, f"{e.at.astimezone(NEW_YORK):%a %H:%M}")
        for e in await d.diary.events_between(user)
        if e.kind == "factor"
    ]


async def person(d: Dialogue, user: int = ANN) -> None:
    await say(d, "/timezone America/New_York", user)
    await say(d, "/reminder 21:00", user)


def ny(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, 5, tzinfo=NEW_YORK)


async def test_everything_is_off_by_default_and_the_checkin_stays_one_tap(
    dialogue: Dialogue,
) -> None:
    assert "settings" in {name for name, _ in COMMANDS}
    assert "/settings" in (await say(dialogue, "/help")).text
    shown = await say(dialogue, "/settings")
    assert labels(shown) == [
        ["▫️ Sleep quality"],
        ["▫️ Stress 1–5"],
        ["▫️ Exercise"],
        ["▫️ Period tracking"],
    ]
    assert "<code>/reminder 21:00</code> turns it on" in shown.text  # the check-in is off
    assert "I never ask about it" in shown.text
    await say(dialogue, "/reminder 21:00")
    checkin = await checkin_at(dialogue, datetime(2026, 11, 24, 21, 0, 5, tzinfo=UTC))
    assert checkin.text == ONE_TAP
    assert labels(checkin) == [["No migraine", "Migraine"]]
    done = await tap(dialogue, checkin, "No migraine")
    assert done.edit and labels(done) == [] and "✅ No migraine — noted." in done.text
    assert [e.kind for e in await dialogue.diary.events_between(ANN)] == ["no_migraine"]


async def test_a_switch_turns_on_and_off_in_the_same_message(dialogue: Dialogue) -> None:
    await say(dialogue, "/reminder 21:00")
    on = await switch_on(dialogue, "s")
    assert on.edit and on.toast == "Sleep quality: on"
    assert labels(on)[0] == ["✅ Sleep quality"] and "daily check-in is at <b>21:00</b>" in on.text
    again = await dialogue.handle_button(ANN, f"st:{ANN}:s:1")  # an old message's "turn on"
    assert labels(again)[0] == ["✅ Sleep quality"]  # does what it showed: still on
    off = await tap(dialogue, on, "✅ Sleep quality")
    assert labels(off)[0] == ["▫️ Sleep quality"] and off.toast == "Sleep quality: off"
    period_off = await dialogue.handle_button(ANN, f"st:{ANN}:p:0")
    assert period_off.toast == "Period tracking off — I won't ask about it"
    assert (await dialogue.checkins.settings.rows(ANN)).enabled == ()


async def test_stranger_and_junk_settings_taps_change_nothing(dialogue: Dialogue) -> None:
    await say(dialogue, "/settings")
    stranger = await dialogue.handle_button(BOB, f"st:{ANN}:p:1")
    assert not stranger.edit and "isn't yours" in (stranger.toast or "")
    for junk in ("st", "st:x:s:1", f"st:{ANN}:q:1", f"st:{ANN}:s:2", f"st:{ANN}:s"):
        reply = await dialogue.handle_button(ANN, junk)
        assert not reply.edit and "expired" in (reply.toast or "")
    assert (await dialogue.checkins.settings.rows(ANN)).enabled == ()
    assert (await dialogue.checkins.settings.rows(BOB)).enabled == ()


async def test_rows_appear_below_the_migraine_buttons_and_taps_log_in_the_local_day(
    dialogue: Dialogue,
) -> None:
    """New York is UTC−5: the check-in at 21:00 on Tue is 02:00 UTC on Wed, yet every answer
    belongs to Tuesday; sleep is dated at waking, like the parser's "slept badly"."""
    await person(dialogue)
    await switch_on(dialogue, "s", "t", "x", "p")
    checkin = await checkin_at(dialogue, ny(24, 21))
    assert checkin.text.startswith("Check-in for Tue 24 Nov — any migraine today?\n\n")
    for line in (
        "😴 Sleep last night?",
        "😣 Stress today, 1 (calm) to 5 (very)?",
        "🏃 Exercise today?",
        "🩸 Period today?",
    ):
        assert f"\n{line}\n" in checkin.text
    assert labels(checkin) == [
        ["No migraine", "Migraine"],
        ["😴 Poor", "😴 OK", "😴 Good"],
        ["1", "2", "3", "4", "5"],
        ["🏃 Yes", "🏃 No"],
        ["🩸 Started", "🩸 Ongoing", "🩸 No"],
    ]
    assert all(len(b.data.encode()) <= 64 for row in checkin.buttons for b in row)
    assert max(len(row) for row in checkin.buttons) <= 5

    slept = await tap(dialogue, checkin, "😴 Poor")
    assert slept.edit and slept.toast == "Sleep: poor ✓"
    assert "😴 Sleep last night: <b>poor</b>" in slept.text
    assert labels(slept)[1] == ["✓ 😴 Poor", "😴 OK", "😴 Good"]
    clock(dialogue).now = ny(25, 8).astimezone(UTC)  # the rest answered next morning
    stressed = await tap(dialogue, slept, "4")
    assert "😣 Stress yesterday: <b>4/5</b>" in stressed.text
    assert "😴 Sleep the night before Tuesday: <b>poor</b>" in stressed.text
    moved = await tap(dialogue, stressed, "🏃 Yes")
    period = await tap(dialogue, moved, "🩸 Started")
    assert labels(period)[3:] == [["✓ 🏃 Yes", "🏃 No"], ["✓ 🩸 Started", "🩸 Ongoing", "🩸 No"]]
    assert labels(period)[0] == ["No migraine", "Migraine"]  # the migraine question still open
    assert await factors(dialogue) == [
        ("sleep_quality", 1.0, "Tue 07:00"),
        ("stress", 4.0, "Tue 21:00"),
        ("exercise", None, "Tue 21:00"),
        ("period_start", None, "Tue 21:00"),
    ]
    free = await tap(dialogue, period, "No migraine")  # unchanged by the rows around it
    assert "✅ No migraine — noted." in free.text
    assert labels(free)[0] == ["✓ 😴 Poor", "😴 OK", "😴 Good"]  # the answered rows stay
    history = await say(dialogue, "/history 2")
    for entry in ("07:00 😴 poor night's sleep", "21:00 😣 stress 4/5", "21:00 🏃 exercise"):
        assert entry in history.text
    assert "🩸 period started" in history.text


async def test_a_second_tap_replaces_the_answer_and_no_logs_nothing(dialogue: Dialogue) -> None:
    await person(dialogue)
    await switch_on(dialogue, "t", "x", "p")
    checkin = await checkin_at(dialogue, ny(24, 21))
    reply = await tap(dialogue, checkin, "2")
    reply = await tap(dialogue, reply, "5")
    assert labels(reply)[1] == ["1", "2", "3", "4", "✓ 5"]
    same = await tap(dialogue, reply, "✓ 5")
    assert not same.edit and "Already saved" in (same.toast or "")
    reply = await tap(dialogue, reply, "🏃 Yes")
    reply = await tap(dialogue, reply, "🏃 No")
    assert "🏃 Exercise today: <b>no</b>" in reply.text
    assert labels(reply)[2] == ["🏃 Yes", "✓ 🏃 No"]
    reply = await tap(dialogue, reply, "🩸 Ongoing")
    assert await factors(dialogue) == [("stress", 5.0, "Tue 21:00"), ("period", None, "Tue 21:00")]
    reply = await tap(dialogue, reply, "🩸 Started")
    reply = await tap(dialogue, reply, "🩸 No")
    assert "🩸 Period today: <b>no</b>" in reply.text
    assert await factors(dialogue) == [("stress", 5.0, "Tue 21:00")]


async def test_period_is_never_asked_unless_tracking_is_on(dialogue: Dialogue) -> None:
    await person(dialogue)
    await switch_on(dialogue, "s", "t", "x")
    checkin = await checkin_at(dialogue, ny(24, 21))
    shown = checkin.text + repr(checkin.buttons)
    assert "🩸" not in shown and "eriod" not in shown and ":p:" not in shown
    [nudge_id] = {b.data.split(":")[1] for row in checkin.buttons for b in row if "cf:" in b.data}
    forged = await dialogue.handle_button(ANN, f"cf:{nudge_id}:p:s")
    assert "off" in (forged.toast or "") and "🩸" not in forged.text
    assert await factors(dialogue) == []
    # Switched off after the check-in was sent: a tap on the old row logs nothing and drops it.
    await switch_on(dialogue, "p")
    with_period = await checkin_at(dialogue, ny(25, 21))
    await dialogue.handle_button(ANN, f"st:{ANN}:p:0")
    dropped = await tap(dialogue, with_period, "🩸 Started")
    assert "🩸" not in dropped.text + repr(dropped.buttons)
    assert await factors(dialogue) == []


async def test_stale_stranger_and_junk_factor_taps_change_nothing(dialogue: Dialogue) -> None:
    await person(dialogue)
    await person(dialogue, BOB)
    await switch_on(dialogue, "t")
    checkin = await checkin_at(dialogue, ny(24, 21))
    [[_, data]] = [[b.label, b.data] for b in checkin.buttons[1] if b.label == "3"]
    stranger = await dialogue.handle_button(BOB, data)
    assert not stranger.edit and "isn't yours" in (stranger.toast or "")
    nudge_id = int(data.split(":")[1])
    for junk in (f"cf:{nudge_id + 50}:t:3", f"cf:{nudge_id}:t:9", f"cf:{nudge_id}:q:1", "cf:x"):
        reply = await dialogue.handle_button(ANN, junk)
        assert not reply.edit and "expired" in (reply.toast or "")
    assert await factors(dialogue) == [] and await factors(dialogue, BOB) == []


async def test_export_carries_the_rows_and_the_answers(dialogue: Dialogue) -> None:
    await person(dialogue)
    await switch_on(dialogue, "x", "p")
    checkin = await checkin_at(dialogue, ny(24, 21))
    await tap(dialogue, await tap(dialogue, checkin, "🏃 No"), "🩸 Ongoing")
    snapshot = await Rights(dialogue.diary.sessions).snapshot(ANN)
    assert snapshot is not None
    document = json.loads(snapshot_json(snapshot))
    assert document["settings"]["checkin_rows"] == {
        "sleep_quality": False,
        "stress": False,
        "exercise": True,
        "period": True,
    }
    [answered] = [c for c in document["checkins"] if c["factors"]]
    assert answered["day"] == "2026-11-24" and answered["factors"] == {
        "exercise": "n",
        "period": "o",
    }
    restored, _ = read_restore(snapshot_json(snapshot))
    assert restored.checkin_rows.enabled == ("exercise", "period")
    del document["settings"]["checkin_rows"]  # an export from before /settings: all off
    assert read_restore(json.dumps(document))[0].checkin_rows.enabled == ()
    document["settings"]["checkin_rows"] = {"period": "yes"}
    with pytest.raises(ImportRefused):
        read_restore(json.dumps(document))


async def test_checkin_dates_hold_across_a_timezone_ahead_of_utc(dialogue: Dialogue) -> None:
    """Auckland (UTC+13 in November): 07:00 on Wed is 18:00 UTC on Tue."""
    await say(dialogue, "/timezone Pacific/Auckland")
    await say(dialogue, "/reminder 21:00")
    await switch_on(dialogue, "s", "t")
    auckland = ZoneInfo("Pacific/Auckland")
    clock(dialogue).now = datetime(2026, 11, 25, 21, 0, 5, tzinfo=auckland).astimezone(UTC)
    await dialogue.checkins.reminders.materialize(clock(dialogue).now)
    [claimed] = await dialogue.checkins.reminders.claim(clock(dialogue).now, 10)
    out = await dialogue.checkins.compose(claimed, clock(dialogue).now)
    assert out.reply is not None and out.reply.text.startswith("Check-in for Wed 25 Nov")
    reply = await tap(dialogue, out.reply, "😴 Good")
    await tap(dialogue, reply, "1")
    events = await dialogue.diary.events_between(ANN)
    assert [(e.name, f"{e.at.astimezone(auckland):%a %d %H:%M}") for e in events] == [
        ("sleep_quality", "Wed 25 07:00"),
        ("stress", "Wed 25 21:00"),
    ]
    assert [e.at.date().day for e in events] == [24, 25]  # in UTC, Tuesday and Wednesday
    assert timedelta(0) < clock(dialogue).now - events[1].at < timedelta(minutes=1)


async def test_the_terminal_chat_taps_the_switches_by_number(dialogue: Dialogue) -> None:
    out = io.StringIO()
    console = Console(dialogue, ANN, out=out, clock=lambda: NOON)
    console.show(await console.handle("/settings"))
    assert "[#4] ▫️ Period tracking" in out.getvalue()
    console.show(await console.handle("#4"))
    shown = out.getvalue()
    assert "(Period tracking: on)" in shown and "[#4] ✅ Period tracking" in shown
    assert "haven (edited)> Check-in questions" in shown
    assert (await dialogue.checkins.settings.rows(ANN)).enabled == ("period",)
