"""Daily check-ins and follow-ups end to end: the real Application against the fake Bot API server,
with a controllable clock (sweeps are called directly instead of waiting real minutes)."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.core.checkins import CheckIns
from bot.telegram.app import SERVICES_KEY
from bot.telegram.reminders import SWEEPER_KEY, Pacer, Sweeper, SweepStats
from storage import Diary
from tests.e2e.test_telegram import haven, reply_to
from tests.fake_telegram import FakeTelegram

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def db_dir(tmp_path: Path) -> Iterator[Path]:
    """The SQLite diary in memory-backed /dev/shm when there is one: these tests commit often,
    and on a busy disk each commit's journal unlink costs milliseconds."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(dir=shm, prefix="haven-test-") as path:
        yield Path(path)


class Clock:
    """The bot's 'now'; tests move it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def local(self, tz: ZoneInfo, *args: int) -> datetime:
        self.now = datetime(*args, tzinfo=tz).astimezone(UTC)  # type: ignore[misc]
        return self.now


@dataclass
class Bot:
    app: Any
    sweeper: Sweeper
    checkins: CheckIns
    diary: Diary
    tg: FakeTelegram

    async def events(self, uid: int) -> list[tuple[str, str, int | None]]:
        return [
            (e.kind, f"{e.at:%Y-%m-%d %H:%M}", e.severity)
            for e in await self.diary.events_between(uid)
        ]


@contextlib.asynccontextmanager
async def started(tg: FakeTelegram, db_dir: Path, clock: Clock) -> AsyncIterator[Bot]:
    async with haven(tg, db_dir) as app:
        for job in app.job_queue.get_jobs_by_name("checkin-sweep"):
            job.schedule_removal()  # the test sweeps by hand, on its own clock
        services = app.bot_data[SERVICES_KEY]
        checkins: CheckIns = services.dialogue.checkins
        checkins.clock = clock
        sweeper: Sweeper = app.bot_data[SWEEPER_KEY]
        sweeper.pacer = Pacer(per_second=1000, chat_gap=0)
        yield Bot(app, sweeper, checkins, services.diary, tg)


async def say(tg: FakeTelegram, user: Any, text: str, clock: Clock) -> dict[str, Any]:
    if text.startswith("/"):
        return await reply_to(tg, user.id, lambda: user.send_command(text, clock.now))
    return await reply_to(tg, user.id, lambda: user.send_text(text, clock.now))


async def tap(tg: FakeTelegram, user: Any, message: dict[str, Any], label: str) -> dict[str, Any]:
    """Tap the button with this label; returns the edited message's request."""
    [data] = [d for row in tg.buttons(message) for text, d in row if text == label]
    mark = tg.mark()
    user.tap(message, data)
    await tg.wait_for("answerCallbackQuery", since=mark)
    edits = await tg.wait_for("editMessageText", chat_id=user.id, since=mark)
    return edits[-1]


async def setup_person(bot: Bot, uid: int, zone: str, clock: Clock, at: str = "21:00") -> Any:
    user = bot.tg.user(uid)
    await say(bot.tg, user, f"/timezone {zone}", clock)
    sent = await say(bot.tg, user, f"/reminder {at}", clock)
    assert f"<b>{at}</b>" in sent["text"]
    return user


async def sweep_sends(bot: Bot, uid: int | None = None) -> list[dict[str, Any]]:
    mark = bot.tg.mark()
    await bot.sweeper.sweep()
    return bot.tg.sent(uid, since=mark)


async def test_start_offers_a_daily_checkin_and_yes_sets_it(tg: FakeTelegram, db_dir: Path) -> None:
    clock = Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    async with started(tg, db_dir, clock) as bot:
        ann = tg.user(501)
        mark = tg.mark()
        ann.send_command("/start", clock.now)
        welcome, offer = await tg.wait_for("sendMessage", chat_id=501, count=2, since=mark)
        assert "Haven" in welcome["text"]
        assert [[t for t, _ in row] for row in tg.buttons(offer)] == [
            ["Yes, at 21:00"],
            ["Another time", "No thanks"],
        ]
        edit = await tap(tg, ann, tg.last_message(501), "Yes, at 21:00")
        assert "21:00" in edit["text"] and "Tue 24 Nov at 21:00" in edit["text"]
        shown = await say(tg, ann, "/reminder", clock)
        assert "<b>21:00</b>" in shown["text"] and "Next: Tue 24 Nov at 21:00" in shown["text"]
        # Once answered, /start does not offer it again.
        mark = tg.mark()
        ann.send_command("/start", clock.now)
        await tg.wait_for("sendMessage", chat_id=501, since=mark)
        await say(tg, ann, "/reminder off", clock)
        assert len(tg.sent(501, since=mark)) == 2  # welcome and the /reminder off answer
        assert "off" in (await say(tg, ann, "/reminder", clock))["text"]
        assert await bot.checkins.reminders.claim(clock.now + timedelta(days=2), 10) == []


async def test_no_migraine_is_a_confirmed_free_day(tg: FakeTelegram, db_dir: Path) -> None:
    clock = Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    async with started(tg, db_dir, clock) as bot:
        ann = await setup_person(bot, 501, "Europe/London", clock)
        clock.local(LONDON, 2026, 11, 24, 20, 59)
        assert await sweep_sends(bot) == []
        clock.local(LONDON, 2026, 11, 24, 21, 0, 20)
        [checkin] = await sweep_sends(bot, 501)
        assert checkin["text"].startswith("Check-in for Tue 24 Nov — any migraine today?")
        assert "didn't log" in checkin["text"]
        assert [t for row in tg.buttons(checkin) for t, _ in row] == ["No migraine", "Migraine"]
        assert await sweep_sends(bot) == []  # sent once
        edit = await tap(tg, ann, tg.last_message(501), "No migraine")
        assert "✅ No migraine — noted." in edit["text"]
        assert await bot.events(501) == [("no_migraine", "2026-11-24 21:00", None)]
        [event] = await bot.diary.events_between(501)
        assert event.source_id is None
        history = await say(tg, ann, "/history", clock)
        assert "migraine-free day" in history["text"]


async def test_migraine_asks_when_and_how_bad_then_whether_it_is_over(
    tg: FakeTelegram, db_dir: Path
) -> None:
    clock = Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    async with started(tg, db_dir, clock) as bot:
        ann = await setup_person(bot, 501, "America/New_York", clock)
        clock.local(NEW_YORK, 2026, 11, 24, 21, 0, 10)
        await sweep_sends(bot, 501)
        edit = await tap(tg, ann, tg.last_message(501), "Migraine")
        assert [t for row in tg.buttons(edit) for t, _ in row] == [
            "Morning",
            "Afternoon",
            "Evening",
        ]
        edit = await tap(tg, ann, tg.last_message(501), "Afternoon")
        assert "1 (mild) to 10" in edit["text"]
        edit = await tap(tg, ann, tg.last_message(501), "6")
        assert "Migraine at 14:00, 6/10" in edit["text"] and "Is it over?" in edit["text"]
        assert await bot.events(501) == [("migraine_start", "2026-11-24 19:00", 6)]
        edit = await tap(tg, ann, tg.last_message(501), "Earlier today")
        assert await bot.events(501) == [
            ("migraine_start", "2026-11-24 19:00", 6),
            ("migraine_end", "2026-11-24 22:30", None),  # halfway from 14:00 to 21:00 local
        ]
        # Answered in the check-in: no 'is it over?' follow-up comes later.
        clock.local(NEW_YORK, 2026, 11, 25, 9, 0)
        assert await sweep_sends(bot, 501) == []


async def test_a_day_with_an_attack_only_asks_whether_it_has_ended(
    tg: FakeTelegram, db_dir: Path
) -> None:
    clock = Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    async with started(tg, db_dir, clock) as bot:
        ann = await setup_person(bot, 501, "Europe/London", clock)
        clock.local(LONDON, 2026, 11, 24, 19, 30)
        await say(tg, ann, "migraine started at 7pm, 5/10", clock)
        clock.local(LONDON, 2026, 11, 24, 21, 0, 5)
        [checkin] = await sweep_sends(bot, 501)
        assert "you logged a migraine at 19:00. Is it over?" in checkin["text"]
        assert [t for row in tg.buttons(checkin) for t, _ in row] == [
            "Yes, just now",
            "Earlier today",
            "Still going",
        ]
        await tap(tg, ann, tg.last_message(501), "Yes, just now")
        kinds = [k for k, _, _ in await bot.events(501)]
        assert kinds == ["migraine_start", "migraine_end"]


async def test_an_unanswered_day_is_asked_again_with_the_next(
    tg: FakeTelegram, db_dir: Path
) -> None:
    clock = Clock(datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    async with started(tg, db_dir, clock) as bot:
        ann = await setup_person(bot, 501, "Europe/London", clock)
        for day in (22, 23, 24, 25):  # Sun..Wed, none answered
            clock.local(LONDON, 2026, 11, day, 21, 0, 5)
            [last] = await sweep_sends(bot, 501)
        assert "And Monday?" in last["text"] and "And Tuesday?" in last["text"]
        assert "Sunday" not in last["text"]  # at most two days back
        labels = [t for row in tg.buttons(last) for t, _ in row]
        assert labels == [
            "No migraine",
            "Migraine",
            "Mon: no migraine",
            "Mon: migraine",
            "Tue: no migraine",
            "Tue: migraine",
        ]
        edit = await tap(tg, ann, tg.last_message(501), "Mon: no migraine")
        assert "✅ Monday: no migraine — noted." in edit["text"] and "And Tuesday?" in edit["text"]
        assert await bot.events(501) == [("no_migraine", "2026-11-23 12:00", None)]
        clock.local(LONDON, 2026, 11, 26, 21, 0, 5)
        [thursday] = await sweep_sends(bot, 501)
        assert "And Tuesday?" in thursday["text"] and "And Wednesday?" in thursday["text"]
        assert "Monday" not in thursday["text"]


async def test_dst_changes_in_two_zones_keep_the_local_time(tg: FakeTelegram, db_dir: Path) -> None:
    clock = Clock(datetime(2027, 3, 12, 12, 0, tzinfo=UTC))
    async with started(tg, db_dir, clock) as bot:
        await setup_person(bot, 501, "Europe/London", clock)  # BST from Sun 28 Mar
        await setup_person(bot, 502, "America/New_York", clock)  # EDT from Sun 14 Mar
        texts: dict[int, list[str]] = {501: [], 502: []}
        start = datetime(2027, 3, 13, 12, 0, 30, tzinfo=UTC)
        for step in range(18):  # once a day for 18 days, across both changes
            clock.now = start + timedelta(days=step)
            mark = tg.mark()
            await bot.sweeper.sweep()
            for uid in texts:
                texts[uid] += [s["text"].split(" — ")[0] for s in tg.sent(uid, since=mark)]
        for uid, tz in ((501, LONDON), (502, NEW_YORK)):
            checkins = await bot.checkins.reminders.checkins(
                uid, date(2027, 3, 1), date(2027, 4, 30)
            )
            local = [n.scheduled_at.astimezone(tz) for n in checkins]
            assert [t.strftime("%H:%M") for t in local] == ["21:00"] * len(local)
            days = [n.day for n in checkins]
            assert days == [date(2027, 3, 12) + timedelta(d) for d in range(18)]
            assert texts[uid] == [f"Check-in for {d:%a %-d %b}" for d in days]
            assert len({t.utcoffset() for t in local}) == 2


async def test_blocked_user_is_switched_off_and_logged_once(
    tg: FakeTelegram, db_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    async with started(tg, db_dir, clock) as bot:
        await setup_person(bot, 501, "Europe/London", clock)
        bob = await setup_person(bot, 502, "Europe/London", clock)
        await say(tg, bob, "took sumatriptan", clock)
        tg.block(502)
        caplog.set_level(logging.WARNING, "bot.telegram.reminders")
        for hour in (14, 21, 21, 22):
            clock.local(LONDON, 2026, 11, 24, hour, 0, 30)
            await bot.sweeper.sweep()
        clock.local(LONDON, 2026, 11, 25, 21, 0, 30)
        await bot.sweeper.sweep()
        blocked_logs = [r for r in caplog.records if "blocked" in r.getMessage()]
        assert len(blocked_logs) == 1
        assert len(tg.sent(501)) == 2 + 2  # setup replies and two check-ins
        attempts = tg.matching("sendMessage", 502, include_failed=True)
        assert len([c for c in attempts if c.status == 403]) == 1
        reminder = await bot.checkins.reminders.get(502)
        assert (reminder.enabled, reminder.off_reason) == (False, "blocked")


async def test_flood_control_429_is_retried_later(tg: FakeTelegram, db_dir: Path) -> None:
    clock = Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    async with started(tg, db_dir, clock) as bot:
        await setup_person(bot, 501, "Europe/London", clock)
        bot.sweeper.pacer = Pacer(per_second=1000, chat_gap=0, sleep=_no_sleep)
        tg.fail_next("sendMessage", 501, status=429)
        clock.local(LONDON, 2026, 11, 24, 21, 0, 5)
        assert await sweep_sends(bot, 501) == []
        assert await sweep_sends(bot, 501) == []  # not before Telegram's retry_after
        clock.now += timedelta(seconds=2)
        [checkin] = await sweep_sends(bot, 501)
        assert checkin["text"].startswith("Check-in for Tue 24 Nov")
        clock.now += timedelta(minutes=5)
        assert await sweep_sends(bot, 501) == []


async def _no_sleep(seconds: float) -> None:
    return None


async def test_restart_in_the_middle_of_a_sweep_sends_once(tg: FakeTelegram, db_dir: Path) -> None:
    clock = Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    async with started(tg, db_dir, clock) as bot:
        for uid in (501, 502, 503):
            await setup_person(bot, uid, "Europe/London", clock)
        clock.local(LONDON, 2026, 11, 24, 21, 0, 5)
        await bot.checkins.reminders.materialize(clock.now)
        claimed = await bot.checkins.reminders.claim(clock.now, 10)
        assert len(claimed) == 3
        # The process sends one of them, then dies before sending the others.
        outgoing = await bot.checkins.compose(claimed[0], clock.now)
        await bot.sweeper._deliver(claimed[0], SweepStats())
    mark = tg.mark()
    async with started(tg, db_dir, clock) as bot:
        assert await sweep_sends(bot) == []  # the dead process's claims are still leased
        clock.now += timedelta(minutes=3)
        resent = await sweep_sends(bot)
        assert sorted(s["chat_id"] for s in resent) == sorted(c.chat_id for c in claimed[1:])
        clock.now += timedelta(minutes=10)
        assert await sweep_sends(bot) == []
        assert all(len(tg.sent(uid, since=0)) == 3 for uid in (501, 502, 503))
    assert outgoing.reply is not None and len(tg.sent(since=mark)) == 2


async def test_follow_ups_respect_quiet_hours_and_answers_show_in_history(
    tg: FakeTelegram, db_dir: Path
) -> None:
    clock = Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    async with started(tg, db_dir, clock) as bot:
        ann = tg.user(501)
        await say(tg, ann, "/timezone Europe/London", clock)
        clock.local(LONDON, 2026, 11, 24, 12, 0)
        await say(tg, ann, "took sumatriptan", clock)
        clock.local(LONDON, 2026, 11, 24, 13, 59)
        assert await sweep_sends(bot, 501) == []
        clock.local(LONDON, 2026, 11, 24, 14, 0, 10)
        [question] = await sweep_sends(bot, 501)
        assert question["text"].startswith("Did sumatriptan help?")
        assert [t for row in tg.buttons(question) for t, _ in row] == [
            "Pain-free",
            "Better",
            "No change",
        ]
        await tap(tg, ann, tg.last_message(501), "Pain-free")
        clock.local(LONDON, 2026, 11, 24, 19, 30)
        await say(tg, ann, "migraine just started, 6/10", clock)
        for hour in (22, 23):  # 4 h after the start is 23:30: quiet hours
            clock.local(LONDON, 2026, 11, 24, hour, 59)
            assert await sweep_sends(bot, 501) == []
        for hour in (0, 3, 7):
            clock.local(LONDON, 2026, 11, 25, hour, 59)
            assert await sweep_sends(bot, 501) == []
        clock.local(LONDON, 2026, 11, 25, 8, 0, 10)
        [over] = await sweep_sends(bot, 501)
        assert over["text"].startswith("Is the migraine over?")
        await tap(tg, ann, tg.last_message(501), "Still going")
        clock.local(LONDON, 2026, 11, 25, 12, 0, 10)
        [again] = await sweep_sends(bot, 501)
        assert again["text"].startswith("Is the migraine over?")
        await tap(tg, ann, tg.last_message(501), "Yes, just now")
        clock.local(LONDON, 2026, 11, 25, 18, 0)
        assert await sweep_sends(bot, 501) == []
        history = await say(tg, ann, "/history", clock)
        assert "sumatriptan — pain-free at 2 h" in history["text"]
        assert "migraine over" in history["text"]


async def test_a_network_error_is_retried_later_without_losing_the_checkin(
    tg: FakeTelegram, db_dir: Path
) -> None:
    clock = Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    async with started(tg, db_dir, clock) as bot:
        await setup_person(bot, 501, "Europe/London", clock)
        tg.fail_next("sendMessage", 501, status=502, description="Bad Gateway", times=3)
        clock.local(LONDON, 2026, 11, 24, 21, 0, 5)
        for _ in range(3):  # three failures in a row do not use up the one re-send
            assert await sweep_sends(bot, 501) == []
            clock.now += timedelta(seconds=31)
        [checkin] = await sweep_sends(bot, 501)
        assert checkin["text"].startswith("Check-in for Tue 24 Nov")
        [nudge] = await bot.checkins.reminders.checkins(501, date(2026, 11, 24), date(2026, 11, 24))
        assert (nudge.state, nudge.attempts) == ("sent", 1)


async def test_still_going_from_the_checkin_then_a_second_tap_changes_nothing(
    tg: FakeTelegram, db_dir: Path
) -> None:
    clock = Clock(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    async with started(tg, db_dir, clock) as bot:
        ann = await setup_person(bot, 501, "Europe/London", clock)
        clock.local(LONDON, 2026, 11, 23, 21, 0, 5)
        await sweep_sends(bot, 501)  # Monday, left unanswered
        clock.local(LONDON, 2026, 11, 24, 19, 0)
        await say(tg, ann, "migraine started at 6pm, 4/10", clock)
        clock.local(LONDON, 2026, 11, 24, 21, 0, 5)
        [checkin] = await sweep_sends(bot, 501)
        assert "Is it over?" in checkin["text"] and "And Monday?" in checkin["text"]
        edit = await tap(tg, ann, tg.last_message(501), "Still going")
        assert "And Monday?" in edit["text"] and "Is it over?" in edit["text"]
        mark = tg.mark()
        [data] = [d for row in tg.buttons(edit) for t, d in row if t == "Still going"]
        ann.tap(tg.last_message(501), data)
        [answer] = await tg.wait_for("answerCallbackQuery", since=mark)
        assert "ask again later" in answer["text"]
        assert tg.sent(501, "editMessageText", since=mark) == []
        clock.local(LONDON, 2026, 11, 25, 8, 0, 5)  # 4 h after 21:00 is night: asked at 08:00
        [again] = await sweep_sends(bot, 501)
        assert again["text"].startswith("Is the migraine over?")
