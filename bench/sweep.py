"""How long the check-in sweep takes to find the due reminders among many people, and the proof
that it uses the index on `reminders.next_due` rather than scanning the table.

    .venv/bin/python -m bench.sweep [--users 100000] [--runs 31] [--drain 2000] [--no-postgres]

Each person has a daily check-in at a random minute, so about users/1440 are due in any minute.
The timed statement is exactly the one `Reminders.materialize` runs (with `FOR UPDATE SKIP LOCKED`
on PostgreSQL), inside a transaction that is rolled back; the figure is the median of `--runs`.
The same goes for the claim's selection of due nudges, next to 100,000 finished ones. Then
`--drain` check-ins are made due at once and swept to the end against a bot that answers
instantly, with pacing off: our own cost per check-in, which must stay far below Telegram's
1/25 s so that a backlog goes out at the pace Telegram allows.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Select, insert, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.checkins import CheckIns
from bot.core.schedule import CALENDAR
from bot.telegram.reminders import Pacer, Sweeper
from storage import (
    Diary,
    Nudge,
    Reminder,
    Reminders,
    User,
    create_engine,
    session_factory,
    upgrade,
)

NOW = datetime(2026, 11, 26, 21, 0, 30, tzinfo=UTC)
BATCH = 250
POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
PLANS: list[str] = []


async def fill(engine: AsyncEngine, users: int) -> int:
    """`users` people with reminders due over the next 24 hours; returns how many are due now."""
    rng = random.Random(4)
    start = NOW.replace(second=0) - timedelta(minutes=1)
    dues = [
        start + timedelta(minutes=rng.randrange(24 * 60), seconds=rng.randrange(60))
        for _ in range(users)
    ]
    async with engine.begin() as conn:
        for lo in range(0, users, 10_000):
            ids = range(lo + 1, min(users, lo + 10_000) + 1)
            await conn.execute(
                insert(User),
                [{"id": i, "chat_id": i, "timezone": "UTC", "created_at": NOW} for i in ids],
            )
            await conn.execute(
                insert(Reminder),
                [
                    {
                        "user_id": i,
                        "minute": 21 * 60,
                        "timezone": "UTC",
                        "enabled": True,
                        "next_due": dues[i - 1],
                        "updated_at": NOW,
                    }
                    for i in ids
                ],
            )
            await conn.execute(  # yesterday's check-ins, answered: history the claim must skip
                insert(Nudge),
                [
                    {
                        "user_id": i,
                        "kind": "checkin",
                        "key": "checkin:2026-11-25",
                        "day": date(2026, 11, 25),
                        "due_at": None,
                        "state": "answered",
                        "attempts": 1,
                        "created_at": NOW,
                    }
                    for i in ids
                ],
            )
        await conn.execute(text("ANALYZE"))
    return sum(due <= NOW for due in dues)


async def timed(
    engine: AsyncEngine, query: Select[*tuple[Any, ...]], runs: int
) -> tuple[float, int, list[str]]:
    """Median time of `query` (rolled back each run), rows found, and its plan."""
    if engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    timings: list[float] = []
    found = 0
    async with engine.connect() as conn:
        for _ in range(runs):
            async with conn.begin() as tx:
                begun = time.perf_counter()
                found = len((await conn.execute(query)).all())
                timings.append(time.perf_counter() - begun)
                await tx.rollback()
        compiled = query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
        sql = str(compiled)
        if engine.dialect.name == "postgresql":
            plan = [r[0] for r in await conn.execute(text("EXPLAIN " + sql))]
        else:
            plan = [r[-1] for r in await conn.execute(text("EXPLAIN QUERY PLAN " + sql))]
    return statistics.median(timings) * 1000, found, plan


def plan_step(label: str, plan: list[str], index: str) -> str:
    """The plan line that uses `index`; fails loudly on a table scan."""
    scan = any(("Seq Scan" in line) or line.startswith("SCAN ") for line in plan)
    steps = [line.strip() for line in plan if index in line]
    assert steps and not scan, f"{label}: the query does not use {index}: {plan}"
    PLANS.extend([f"{label}, {index}:", *(f"    {line}" for line in plan)])
    return steps[0]


class _Sent:
    def __init__(self, message_id: int) -> None:
        self.message_id = message_id


class _NullBot:
    """Answers every send at once: what is left is our own cost per check-in."""

    def __init__(self) -> None:
        self.sent = 0

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> _Sent:
        self.sent += 1
        return _Sent(self.sent)


async def drain_backlog(engine: AsyncEngine, label: str, users: int, due: int) -> str:
    """`due` check-ins due in the same minute, swept to the end with sends answered instantly
    and pacing off: the database work per check-in must be well under Telegram's 1/25 s."""
    async with engine.begin() as conn:
        await conn.execute(
            update(Reminder)
            .where(Reminder.user_id <= due)
            .values(next_due=NOW - timedelta(seconds=1))
        )
    bot = _NullBot()
    checkins = CheckIns(Diary(session_factory(engine)), clock=lambda: NOW)
    sweeper = Sweeper(
        bot,  # type: ignore[arg-type]
        checkins,
        pacer=Pacer(per_second=1e9, chat_gap=0),
    )
    begun = time.perf_counter()
    sweeps = 0
    while True:
        stats = await sweeper.sweep()
        sweeps += 1
        if not stats.claimed and not stats.checkins:
            break
    took = time.perf_counter() - begun
    return (
        f"| {users:,} | {label} | drain {due:,} due at once ({sweeps} sweeps of {sweeper.batch}) "
        f"| {bot.sent:,} sent | {took * 1000 / max(bot.sent, 1):.1f} ms per check-in "
        f"({bot.sent / took:.0f}/s; Telegram allows 25–30/s) | |"
    )


async def bench(
    label: str, url: str, users: int, runs: int, schema: str | None = None, drain: int = 0
) -> list[str]:
    kwargs = {"connect_args": {"server_settings": {"search_path": schema}}} if schema else {}
    engine = create_engine(url, **kwargs)
    reminders = Reminders(session_factory(engine), CALENDAR)
    try:
        await upgrade(engine)
        due = await fill(engine, users)
        ms, found, plan = await timed(engine, reminders.due_reminders_query(NOW, BATCH), runs)
        step = plan_step(label, plan, "ix_reminders_next_due")
        rows = [
            f"| {users:,} | {label} | due reminders | {due} due, {found} selected "
            f"| {ms:.2f} ms | `{step}` |"
        ]
        begun = time.perf_counter()
        made = await reminders.materialize(NOW, limit=BATCH)
        made_ms = (time.perf_counter() - begun) * 1000
        rows.append(
            f"| {users:,} | {label} | materialize (one sweep, once) | {made} check-ins "
            f"| {made_ms:.0f} ms | |"
        )
        ms, found, plan = await timed(engine, reminders.due_nudges_query(NOW, BATCH), runs)
        step = plan_step(label, plan, "ix_nudges_due_at")
        rows.append(
            f"| {users:,} | {label} | due nudges (with {users:,} done) | {found} selected "
            f"| {ms:.2f} ms | `{step}` |"
        )
        if drain:
            rows.append(await drain_backlog(engine, label, users, drain))
        return rows
    finally:
        await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--postgres", default=POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--drain", type=int, default=2_000, help="then sweep this many due at once to the end"
    )
    args = parser.parse_args()
    rows = [
        "| users | backend | query | rows | median | plan |",
        "|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        rows += await bench("SQLite", url, args.users, args.runs, drain=args.drain)
    if not args.no_postgres:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(args.postgres)
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            rows += await bench(
                "PostgreSQL", args.postgres, args.users, args.runs, schema, drain=args.drain
            )
        finally:
            async with admin.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            await admin.dispose()
    print("\n".join([*rows, "", *PLANS]))


if __name__ == "__main__":
    asyncio.run(main())
