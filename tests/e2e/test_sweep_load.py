"""Many check-ins due at once: paced within Telegram's limits, none lost, none sent twice."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.checkins import CheckIns
from bot.telegram.reminders import Pacer, Sweeper
from storage import Diary, Reminder, User, create_engine, session_factory
from tests.conftest import POSTGRES_URL

NOW = datetime(2026, 11, 26, 21, 0, 5, tzinfo=UTC)


class VirtualTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def test_ten_thousand_due_in_one_minute_are_spread_within_limits() -> None:
    time = VirtualTime()
    pacer = Pacer(per_second=25, chat_gap=1.0, clock=time.clock, sleep=time.sleep)
    sends: list[tuple[float, int]] = []
    chats = [n % 9_000 for n in range(10_000)]  # some people get two messages
    for chat in chats:
        await pacer.wait(chat)
        sends.append((time.now, chat))
    # Any 26 consecutive sends span at least a second: never more than 25 in one second.
    assert all(sends[i + 25][0] - sends[i][0] >= 1.0 - 1e-9 for i in range(len(sends) - 25))
    assert len(sends) == 10_000 and sends[-1][0] < 10_000 / 25 + 1
    last: dict[int, float] = {}
    for at, chat in sends:
        assert at - last.get(chat, -10.0) >= 1.0 - 1e-9
        last[chat] = at


@dataclass
class Sent:
    message_id: int


class FakeBot:
    def __init__(self) -> None:
        self.chats: list[int] = []

    async def send_message(self, chat_id: int, text: str, **kw: Any) -> Sent:
        await asyncio.sleep(0)
        self.chats.append(chat_id)
        return Sent(len(self.chats))


async def test_a_backlog_goes_out_over_several_sweeps_exactly_once(engine: AsyncEngine) -> None:
    count = 40
    async with session_factory(engine).begin() as session:
        session.add_all(User(id=u, chat_id=u, timezone="UTC") for u in range(1, count + 1))
        await session.flush()
        session.add_all(
            Reminder(user_id=u, minute=21 * 60, timezone="UTC", next_due=NOW - timedelta(seconds=5))
            for u in range(1, count + 1)
        )
    checkins = CheckIns(Diary(session_factory(engine)), clock=lambda: NOW)
    bot = FakeBot()
    time = VirtualTime()
    sweeper = Sweeper(
        bot,  # type: ignore[arg-type]
        checkins,
        pacer=Pacer(per_second=25, clock=time.clock, sleep=time.sleep),
        batch=15,
    )
    sizes = [(await sweeper.sweep()).sent for _ in range(4)]
    assert sizes == [15, 15, 10, 0]
    assert sorted(bot.chats) == list(range(1, count + 1))


async def test_two_bot_processes_on_one_postgresql_send_each_checkin_once(
    engine: AsyncEngine,
) -> None:
    if engine.dialect.name != "postgresql":
        return
    async with engine.connect() as conn:
        schema = (await conn.execute(text("select current_schema()"))).scalar_one()
    other = create_engine(POSTGRES_URL, connect_args={"server_settings": {"search_path": schema}})
    count = 60
    async with session_factory(engine).begin() as session:
        session.add_all(User(id=u, chat_id=u, timezone="UTC") for u in range(1, count + 1))
        await session.flush()
        session.add_all(
            Reminder(user_id=u, minute=21 * 60, timezone="UTC", next_due=NOW - timedelta(seconds=5))
            for u in range(1, count + 1)
        )
    bots = [FakeBot(), FakeBot()]
    sweepers = [
        Sweeper(
            bot,  # type: ignore[arg-type]
            CheckIns(Diary(session_factory(eng)), clock=lambda: NOW),
            pacer=Pacer(per_second=10_000, chat_gap=0),
            batch=15,
        )
        for bot, eng in zip(bots, (engine, other), strict=True)
    ]
    try:
        for _ in range(4):
            await asyncio.gather(*(s.sweep() for s in sweepers))
    finally:
        await other.dispose()
    a, b = bots[0].chats, bots[1].chats
    assert a and b and not set(a) & set(b)
    assert sorted(a + b) == list(range(1, count + 1))
