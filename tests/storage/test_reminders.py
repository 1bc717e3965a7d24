"""Reminder settings and nudge claims, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.schedule import CALENDAR
from storage import (
    Diary,
    NewEvent,
    Reminder,
    Reminders,
    User,
    create_engine,
    session_factory,
)
from tests.conftest import POSTGRES_URL

NOW = datetime(2026, 11, 26, 21, 0, 30, tzinfo=UTC)  # Thu, just after 21:00 in London
NINE_PM = 21 * 60


def reminders_on(engine: AsyncEngine) -> Reminders:
    return Reminders(session_factory(engine), CALENDAR)


async def people(engine: AsyncEngine, count: int, zone: str = "Europe/London") -> Reminders:
    """`count` people with a 21:00 check-in, set up the evening before (in one transaction)."""
    reminders = reminders_on(engine)
    due = CALENDAR.next_fire(NINE_PM, zone, NOW - timedelta(days=1))
    async with session_factory(engine).begin() as session:
        session.add_all(User(id=uid, chat_id=uid, timezone=zone) for uid in range(1, count + 1))
        await session.flush()
        session.add_all(
            Reminder(user_id=uid, minute=NINE_PM, timezone=zone, next_due=due)
            for uid in range(1, count + 1)
        )
    return reminders


async def test_migration_creates_the_tables_and_the_due_indexes(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        indexes = await conn.run_sync(
            lambda c: {
                i["name"] for t in ("reminders", "nudges") for i in inspect(c).get_indexes(t)
            }
        )
    assert {"ix_reminders_next_due", "ix_nudges_due_at"} <= indexes


async def test_one_checkin_per_day_and_the_reminder_moves_on(engine: AsyncEngine) -> None:
    reminders = await people(engine, 1)
    assert (await reminders.get(1)).next_due == datetime(2026, 11, 26, 21, tzinfo=UTC)
    assert await reminders.materialize(NOW - timedelta(minutes=1)) == 0
    assert await reminders.materialize(NOW) == 1
    assert await reminders.materialize(NOW) == 0
    assert (await reminders.get(1)).next_due == datetime(2026, 11, 27, 21, tzinfo=UTC)
    [checkin] = await reminders.checkins(1, date(2026, 11, 20), date(2026, 11, 30))
    assert (checkin.day, checkin.key, checkin.state) == (
        date(2026, 11, 26),
        "checkin:2026-11-26",
        "pending",
    )
    # Moving the time later the same day does not ask about the same day twice.
    await reminders.set_time(1, 22 * 60, NOW)
    await reminders.materialize(NOW + timedelta(hours=1, minutes=1))
    assert len(await reminders.checkins(1, date(2026, 11, 20), date(2026, 11, 30))) == 1


async def test_concurrent_claims_share_out_every_nudge_once(engine: AsyncEngine) -> None:
    reminders = await people(engine, 60)
    assert await reminders.materialize(NOW) == 60
    batches = await asyncio.gather(*(reminders.claim(NOW, 25) for _ in range(4)))
    batches += [await reminders.claim(NOW, 100)]
    ids = [c.nudge.id for batch in batches for c in batch]
    assert len(ids) == len(set(ids)) == 60


async def test_two_processes_on_one_postgresql_never_claim_the_same(engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        return  # two processes on one SQLite file are not a supported deployment
    async with engine.connect() as conn:
        schema = (await conn.execute(text("select current_schema()"))).scalar_one()
    other = create_engine(POSTGRES_URL, connect_args={"server_settings": {"search_path": schema}})
    try:
        first = await people(engine, 200)
        second = reminders_on(other)

        async def sweeper(reminders: Reminders) -> list[int]:
            got: list[int] = []
            for _ in range(20):
                await reminders.materialize(NOW, limit=20)
                got += [c.nudge.id for c in await reminders.claim(NOW, 15)]
            return got

        a, b = await asyncio.gather(sweeper(first), sweeper(second))
        assert not set(a) & set(b) and len(a) + len(b) == len(set(a) | set(b)) == 200
        assert a and b  # both really took part
    finally:
        await other.dispose()


async def test_a_crash_after_claiming_resends_at_most_once(engine: AsyncEngine) -> None:
    reminders = await people(engine, 1)
    await reminders.materialize(NOW)
    [first] = await reminders.claim(NOW, 10)  # ... and the process dies before sending
    assert await reminders.claim(NOW + timedelta(minutes=1), 10) == []  # still leased
    [again] = await reminders.claim(NOW + timedelta(minutes=3), 10)  # after restart
    assert again.nudge.id == first.nudge.id and again.nudge.attempts == 2
    # It dies again: the nudge is given up, never sent a third time.
    assert await reminders.claim(NOW + timedelta(minutes=10), 10) == []
    assert (await reminders.nudge(first.nudge.id)).state == "failed"


async def test_a_sent_nudge_is_never_claimed_again(engine: AsyncEngine) -> None:
    reminders = await people(engine, 1)
    await reminders.materialize(NOW)
    [claimed] = await reminders.claim(NOW, 10)
    await reminders.mark_sent(claimed.nudge.id, 77, NOW)
    assert await reminders.claim(NOW + timedelta(hours=1), 10) == []
    assert (await reminders.nudge(claimed.nudge.id)).message_id == 77


async def test_a_released_claim_comes_back_without_counting(engine: AsyncEngine) -> None:
    reminders = await people(engine, 1)
    await reminders.materialize(NOW)
    for _ in range(3):  # 429s and network errors do not use up the re-send
        [claimed] = await reminders.claim(NOW, 10)
        await reminders.release(claimed.nudge.id, NOW)
    assert (await reminders.nudge(claimed.nudge.id)).attempts == 0


async def test_blocked_switches_off_once(engine: AsyncEngine) -> None:
    reminders = await people(engine, 1)
    await reminders.materialize(NOW)
    assert await reminders.blocked(1, NOW) is True
    assert await reminders.blocked(1, NOW) is False
    reminder = await reminders.get(1)
    assert (reminder.enabled, reminder.next_due, reminder.off_reason) == (False, None, "blocked")
    assert await reminders.claim(NOW + timedelta(days=2), 10) == []


async def test_an_answer_is_stored_once(engine: AsyncEngine) -> None:
    reminders = await people(engine, 2)
    await reminders.materialize(NOW)
    [nudge] = await reminders.checkins(1, date(2026, 11, 26), date(2026, 11, 26))
    free = NewEvent("no_migraine", NOW)
    assert await reminders.answer(nudge.id, 2, "no_migraine", NOW, [free]) is None  # not theirs
    [event] = await reminders.answer(nudge.id, 1, "no_migraine", NOW, [free])
    assert event.source_id is None and event.kind == "no_migraine"
    assert await reminders.answer(nudge.id, 1, "no_migraine", NOW, [free]) is None
    diary = Diary(session_factory(engine))
    assert [e.kind for e in await diary.events_between(1)] == ["no_migraine"]


async def test_follow_ups_go_with_their_event(engine: AsyncEngine) -> None:
    reminders = await people(engine, 1)
    diary = Diary(session_factory(engine))
    [med] = await diary.add_events(1, [NewEvent("medication", NOW, name="sumatriptan")])
    await reminders.add(
        user_id=1, kind="medication", key=f"med:{med.id}", due_at=NOW, event_id=med.id
    )
    await reminders.add(
        user_id=1, kind="medication", key=f"med:{med.id}", due_at=NOW, event_id=med.id
    )
    async with engine.begin() as conn:
        assert (await conn.execute(text("select count(*) from nudges"))).scalar_one() == 1
        await conn.execute(text("delete from events"))
        assert (await conn.execute(text("select count(*) from nudges"))).scalar_one() == 0


async def test_end_attack_once_and_only_for_the_owner(engine: AsyncEngine) -> None:
    await people(engine, 2)
    reminders, diary = reminders_on(engine), Diary(session_factory(engine))
    [start] = await diary.add_events(1, [NewEvent("migraine_start", NOW - timedelta(hours=5))])
    assert await reminders.end_attack(2, start.id, "now", NOW, NOW) is None
    end = await reminders.end_attack(1, start.id, "now", NOW, NOW)
    assert end is not None and end.kind == "migraine_end" and end.at == NOW
    assert await reminders.end_attack(1, start.id, "now", NOW, NOW) is None


@pytest.mark.parametrize(
    ("zone", "first", "shifted"),
    [
        ("Europe/London", datetime(2027, 3, 26, 12, tzinfo=UTC), 1),  # no 01:30 on 28 Mar
        ("America/New_York", datetime(2026, 10, 30, 12, tzinfo=UTC), 0),  # 01:30 twice on 1 Nov
    ],
)
async def test_a_skipped_or_repeated_time_still_gets_one_checkin_a_day(
    engine: AsyncEngine, zone: str, first: datetime, shifted: int
) -> None:
    days = 4
    reminders = reminders_on(engine)
    async with session_factory(engine).begin() as session:
        session.add(User(id=1, chat_id=1, timezone=zone))
    await reminders.set_time(1, 90, first)  # 01:30: asks about the day before
    for step in range(days * 24 * 2):  # every 30 minutes
        await reminders.materialize(first + timedelta(minutes=30 * step, seconds=5))
    checkins = await reminders.checkins(1, date(2026, 1, 1), date(2027, 12, 31))
    tz = ZoneInfo(zone)
    assert [n.day for n in checkins] == [first.date() + timedelta(d) for d in range(days)]
    fired = [n.scheduled_at.astimezone(tz) for n in checkins]
    clock = [f.strftime("%H:%M") for f in fired]
    assert clock.count("02:30") == shifted and clock.count("01:30") == days - shifted
