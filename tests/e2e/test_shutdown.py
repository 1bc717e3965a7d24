"""`haven run` as a real process against the fake Bot API server: SIGTERM while a reply is on
the wire lets the update finish, then the process exits 0; and the log lines it wrote."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

from storage import Diary, create_engine, session_factory
from tests.fake_telegram import FakeTelegram


async def test_sigterm_during_an_update_finishes_it_and_exits_0(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    original = tg._dispatch
    in_flight = asyncio.Event()

    async def slow_send(method: str, params: dict[str, Any]) -> Any:
        if method == "sendmessage" and params.get("chat_id") == 501:
            in_flight.set()
            await asyncio.sleep(1.5)  # Telegram is slow to answer; SIGTERM arrives meanwhile
        return await original(method, params)

    tg._dispatch = slow_send  # type: ignore[method-assign]
    database = f"sqlite+aiosqlite:///{tmp_path}/haven.sqlite3"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": f"{tg.url}/bot",
        "DATABASE_URL": database,
        "RATE_LIMIT": "false",
        "LOG_LEVEL": "INFO",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await tg.wait_for("setMyCommands", timeout=60)
        ann = tg.user(501)
        ann.send_text("had cheese and red wine")
        update_id = ann.last_update["update_id"]  # type: ignore[index]
        await asyncio.wait_for(in_flight.wait(), 30)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = stderr.decode()
    assert process.returncode == 0, log
    [reply] = tg.matching("sendMessage", 501)
    assert reply.status == 200 and "cheese" in reply.params["text"]

    engine = create_engine(database)
    try:
        events = await Diary(session_factory(engine)).events_between(501)
    finally:
        await engine.dispose()
    assert [e.name for e in events] == ["cheese", "red wine"]

    # One INFO line per update; never the token; the message text only at DEBUG.
    assert f"update {update_id} user 501 handler on_text ok in" in log
    assert tg.token not in log
    assert "cheese" not in log
