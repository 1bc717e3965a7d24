"""How long /triggers and /gut take, from the database to the finished reply (and chart).

Run: .venv/bin/python -m bench.triggers_latency [--repeats 5] [--no-postgres]

For diaries of 1 month, 1 year and 5 years with 300 distinct foods, on SQLite and PostgreSQL, it
times the real path of the command (`Dialogue.handle_text("/triggers")`: load the events, analyse,
write the reply, draw the chart) and, separately, the load alone, so the table shows where the time
goes, and `/gut` (the weekly summary plus the same analysis). Medians of several runs; the
machine is noisy, so compare rows of the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.dialogue import Dialogue, Incoming
from bot.parsing.events import ParsedEvent
from bot.parsing.vocabulary import default_vocabulary
from storage import Diary, create_engine, session_factory, upgrade

POSTGRES_URL = os.environ.get(
    "HAVEN_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
TZ = ZoneInfo("Europe/London")
SIZES = (("1 month", 30), ("1 year", 365), ("5 years", 5 * 365))
DISTINCT_FOODS = 300
USER = 7


def synthetic_diary(days: int, seed: int = 1) -> list[ParsedEvent]:
    """Three meals a day from 300 real vocabulary foods, ~4 attacks a month with ends, and the
    lifestyle factors a /settings user logs: sleep every morning, stress most evenings, a
    probiotic some days."""
    rng = random.Random(seed)
    vocabulary = default_vocabulary()
    names = sorted(n for n, f in vocabulary.foods.items() if f.kind != "category")
    foods = rng.sample(names, DISTINCT_FOODS)
    weights = [1 / (rank + 1) for rank in range(DISTINCT_FOODS)]  # a few staples, a long tail
    start = date(2026, 11, 25) - timedelta(days=days)
    items: list[ParsedEvent] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        for hour in (8, 13, 19):
            at = datetime(day.year, day.month, day.day, hour, rng.randrange(60), tzinfo=TZ)
            for name in set(rng.choices(foods, weights, k=rng.randint(2, 4))):
                items.append(ParsedEvent("food", at, name))
        waking = datetime(day.year, day.month, day.day, 7, tzinfo=TZ)
        items.append(ParsedEvent("factor", waking, "sleep_quality", value=rng.randint(1, 3)))
        if rng.random() < 0.7:
            evening = waking + timedelta(hours=14)
            items.append(ParsedEvent("factor", evening, "stress", value=rng.randint(1, 5)))
        if rng.random() < 0.3:
            items.append(ParsedEvent("factor", waking + timedelta(hours=1), "probiotic"))
        if rng.random() < 0.13:
            onset = datetime(day.year, day.month, day.day, rng.randrange(6, 22), tzinfo=TZ)
            items.append(ParsedEvent("migraine_start", onset, severity=rng.randint(3, 9)))
            items.append(ParsedEvent("migraine_end", onset + timedelta(hours=rng.randint(4, 30))))
    return items


async def fresh_engine(backend: str, tmp: str, days: int) -> tuple[AsyncEngine, str | None]:
    """An empty, migrated database per diary size: an SQLite file or a PostgreSQL schema."""
    schema = None
    if backend == "SQLite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp}/bench-{days}.sqlite3")
    else:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        await run_admin(f'CREATE SCHEMA "{schema}"')
        engine = create_engine(
            POSTGRES_URL, connect_args={"server_settings": {"search_path": schema}}
        )
    await upgrade(engine)
    return engine, schema


async def run_admin(statement: str) -> None:
    admin = create_engine(POSTGRES_URL)
    async with admin.begin() as conn:
        await conn.execute(text(statement))
    await admin.dispose()


async def measure(backend: str, tmp: str, size: str, days: int, repeats: int) -> str:
    engine, schema = await fresh_engine(backend, tmp, days)
    try:
        diary = Diary(session_factory(engine))
        await diary.set_timezone(USER, TZ.key)
        events = synthetic_diary(days)
        await diary.add_events(USER, events)
        dialogue = Dialogue(diary, default_vocabulary())
        ask = Incoming(USER, USER, 1, datetime(2026, 11, 25, 21, tzinfo=UTC), "/triggers")
        await dialogue.handle_text(ask)  # warm: imports and caches, as a running bot would be
        gut_ask = Incoming(USER, USER, 2, ask.sent_at, "/gut")
        loads, totals, guts, chart = [], [], [], 0
        for _ in range(repeats):
            t0 = time.perf_counter()
            await diary.timeline(USER)
            loads.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            reply = await dialogue.handle_text(ask)
            totals.append(time.perf_counter() - t0)
            chart = len(reply.photo or b"") if reply else 0
            t0 = time.perf_counter()
            await dialogue.handle_text(gut_ask)
            guts.append(time.perf_counter() - t0)
    finally:
        await engine.dispose()
        if schema:
            await run_admin(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    return (
        f"| {backend:10} | {size:8} | {len(events):7,} | {statistics.median(loads) * 1000:7.0f} "
        f"| {statistics.median(totals) * 1000:12.0f} | {chart / 1024:9.0f} "
        f"| {statistics.median(guts) * 1000:7.0f} |"
    )


async def main_async(repeats: int, postgres: bool) -> None:
    print(
        "| backend    | diary    |  events | load ms | /triggers ms | chart KiB | /gut ms |\n"
        "|------------|----------|---------|---------|--------------|-----------|---------|"
    )
    backends = ["SQLite", "PostgreSQL"] if postgres else ["SQLite"]
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            for size, days in SIZES:
                print(await measure(backend, tmp, size, days, repeats), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    asyncio.run(main_async(args.repeats, not args.no_postgres))


if __name__ == "__main__":
    main()
