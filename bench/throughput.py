"""Updates per second through the real PTB stack, against the fake Bot API server: Haven and a
bare PTB echo bot in the same run, on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.throughput [--users 100] [--messages 20] [--runs 3]
                                         [--postgres URL | --no-postgres]

Each run queues users × messages text updates at once and times until every one has been
answered (a `sendMessage` the fake server accepted). Both bots poll the same way, handle up to
64 updates at once, and have PTB's AIORateLimiter switched off (`RATE_LIMIT=false`): with it on,
sending is capped at Telegram's own 30 requests/s and both bots would measure that cap, not
their processing ceiling. Haven runs exactly as `haven run` builds it (update ledger, per-chat
ordering, flood protection with its defaults, the parser, the diary writes); the echo bot only
copies the text back. The fake server runs in the same process and event loop, so its own cost
is in both figures. Each figure is the median of `--runs` fresh runs (a fresh database each).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.telegram.app import build_application
from storage import create_engine
from tests.fake_telegram import FakeTelegram, running

POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
TEXTS = (
    "had cheese and red wine",
    "2 coffees this morning",
    "a banana and some yoghurt",
    "migraine started at 3pm, 6/10",
    "took 400mg ibuprofen",
    "chocolate bar after lunch",
    "no migraine today",
    "skipped breakfast",
    "pasta with tomato sauce and parmesan",
    "migraine gone",
)


def echo_app(tg: FakeTelegram) -> Application:  # type: ignore[type-arg]
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(update.message.text)

    # Built like `build_application` builds Haven (PTB's default timeouts, 64 at once), so the
    # two differ only in what their handlers do.
    app = (
        ApplicationBuilder()
        .token(tg.token)
        .base_url(f"{tg.url}/bot")
        .base_file_url(f"{tg.url}/file/bot")
        .concurrent_updates(64)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


def haven_app(tg: FakeTelegram, database_url: str) -> Application:  # type: ignore[type-arg]
    settings = Settings(
        telegram_bot_token=tg.token,
        telegram_api_base_url=f"{tg.url}/bot",
        database_url=database_url,
        rate_limit=False,
        log_level="WARNING",
        _env_file=None,  # type: ignore[call-arg]
    )
    return build_application(settings)


async def one_run(make: Callable[[FakeTelegram], Application], users: int, messages: int) -> float:  # type: ignore[type-arg]
    """Seconds from queueing every update to the last reply."""
    async with FakeTelegram() as tg:
        app = make(tg)
        async with running(app, raise_errors=False):
            if app.post_init is not None:
                await app.post_init(app)
            try:
                people = [tg.user(1000 + n) for n in range(users)]
                mark = tg.mark()
                start = time.perf_counter()
                for m in range(messages):
                    for n, person in enumerate(people):
                        person.send_text(TEXTS[(n + m) % len(TEXTS)])
                await tg.wait_for("sendMessage", count=users * messages, since=mark, timeout=600)
                seconds = time.perf_counter() - start
                await asyncio.sleep(0.5)
                answers = len(tg.sent(since=mark))
                if answers != users * messages:  # e.g. updates fetched twice after a timeout
                    raise RuntimeError(f"{answers} answers to {users * messages} updates")
                return seconds
            finally:
                if app.post_shutdown is not None:
                    await app.post_shutdown(app)


async def fresh_postgres(url: str) -> tuple[str, Callable[[], Awaitable[None]]]:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))

    async def drop() -> None:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()

    return url.rsplit("/", 1)[0] + f"/{name}", drop


async def haven_run(backend: str, postgres: str, users: int, messages: int) -> float:
    """One Haven run on a fresh database."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
            return await one_run(lambda tg: haven_app(tg, url), users, messages)
    url, drop = await fresh_postgres(postgres)
    try:
        return await one_run(lambda tg: haven_app(tg, url), users, messages)
    finally:
        await drop()


async def measure(backend: str, postgres: str, args: argparse.Namespace) -> list[tuple[Any, ...]]:
    """Echo and Haven runs alternate, so both see the same machine load."""
    total = args.users * args.messages
    echo_times, haven_times = [], []
    for _ in range(args.runs):
        echo_times.append(await one_run(echo_app, args.users, args.messages))
        haven_times.append(await haven_run(backend, postgres, args.users, args.messages))
    echo_s, haven_s = statistics.median(echo_times), statistics.median(haven_times)
    return [
        (backend, "echo (bare PTB)", total, echo_s, total / echo_s, ""),
        (backend, "haven", total, haven_s, total / haven_s, f"{echo_s / haven_s:.2f}"),
    ]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default=POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    backends = ["sqlite"] if args.no_postgres else ["sqlite", "postgresql"]
    rows = []
    for backend in backends:
        try:
            rows += await measure(backend, args.postgres, args)
        except OSError as exc:
            print(f"{backend}: skipped ({exc})")
    print(
        f"{args.users} users x {args.messages} messages, AIORateLimiter off, "
        f"median of {args.runs} runs"
    )
    print(
        f"{'backend':<11} {'bot':<16} {'updates':>7} {'seconds':>8} {'updates/s':>10} "
        f"{'haven/echo':>10}"
    )
    for backend, bot, updates, seconds, rate, ratio in rows:
        print(f"{backend:<11} {bot:<16} {updates:>7} {seconds:>8.2f} {rate:>10.0f} {ratio:>10}")


if __name__ == "__main__":
    asyncio.run(main())
