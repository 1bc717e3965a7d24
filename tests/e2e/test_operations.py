"""Production behaviour end to end, against the fake Bot API server: export and erase in the
chat, a failing handler, Telegram's 429 and 403, per-person flood protection, the webhook's
secret token, and two replicas on one PostgreSQL fed the same update."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import csv
import datetime as dt
import io
import json
import logging
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import text

from bot.config import Settings
from bot.telegram.app import SERVICES_KEY, build_application
from bot.telegram.failures import NOT_SAVED, SAVED
from bot.telegram.webhook import webhook_options
from storage import create_engine
from storage.updates import UpdateLedger
from tests.conftest import POSTGRES_URL
from tests.fake_telegram import FakeTelegram, running

SECRET = "s3cret-token_for-tests"


def settings_for(tg: FakeTelegram, url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": tg.token,
        "telegram_api_base_url": f"{tg.url}/bot",
        "database_url": url,
        "rate_limit": False,
        **overrides,
    }
    return Settings(**values, _env_file=None)  # type: ignore[call-arg]


@contextlib.asynccontextmanager
async def haven(tg: FakeTelegram, tmp_path: Path, **overrides: Any) -> AsyncIterator[Any]:
    """Haven polling the fake server; handler errors go to Haven's own error handler."""
    url = overrides.pop("database_url", f"sqlite+aiosqlite:///{tmp_path}/haven.sqlite3")
    app = build_application(settings_for(tg, url, **overrides))
    async with running(app, raise_errors=False):
        assert app.post_init is not None and app.post_shutdown is not None
        await app.post_init(app)
        try:
            yield app
        finally:
            await app.post_shutdown(app)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def webhook_replica(tg: FakeTelegram, url: str) -> AsyncIterator[tuple[Any, str]]:
    """Haven as `haven run --webhook` starts it (Updater.start_webhook with our options)."""
    port = free_port()
    settings = settings_for(
        tg,
        url,
        webhook_url=f"http://127.0.0.1:{port}/telegram/hook",
        webhook_port=port,
        webhook_secret=SECRET,
    )
    app = build_application(settings)
    async with app:
        assert app.post_init is not None and app.post_shutdown is not None
        await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_webhook(**webhook_options(settings))
        try:
            yield app, settings.webhook_url or ""
        finally:
            await app.updater.stop()
            await app.stop()
            await app.post_shutdown(app)


async def post(url: str, update: dict[str, Any], secret: str | None) -> int:
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=update, headers=headers) as response,
    ):
        return response.status


async def reply_to(tg: FakeTelegram, chat_id: int, action: Any, **wait: Any) -> dict[str, Any]:
    mark = tg.mark()
    action()
    [sent] = await tg.wait_for("sendMessage", chat_id=chat_id, since=mark, **wait)
    return sent


# ---- health-data rights -------------------------------------------------------------------------


async def test_export_sends_the_diary_as_csv_and_json(tg: FakeTelegram, tmp_path: Path) -> None:
    async with haven(tg, tmp_path):
        ann = tg.user(501)
        await reply_to(tg, 501, lambda: ann.send_text("had cheese and red wine"))
        mark = tg.mark()
        ann.send_command("/export")
        await tg.wait_for("sendDocument", chat_id=501, count=2, since=mark)
        csv_file, json_file = [f for f in tg.files if f.method == "sendDocument"]
        assert csv_file.filename and csv_file.filename.endswith(".csv")
        rows = list(csv.DictReader(io.StringIO(csv_file.data.decode())))
        assert [r["name"] for r in rows] == ["cheese", "red wine"]
        assert rows[0]["source_text"] == "had cheese and red wine"
        assert json.loads(json_file.data)["settings"]["timezone"] == "UTC"


async def test_erase_after_confirmation_leaves_nothing(tg: FakeTelegram, tmp_path: Path) -> None:
    async with haven(tg, tmp_path) as app:
        ann, bob = tg.user(501), tg.user(502)
        await reply_to(tg, 501, lambda: ann.send_text("had cheese"))
        await reply_to(tg, 502, lambda: bob.send_text("had an apple"))
        ask = await reply_to(tg, 501, lambda: ann.send_command("/erase"))
        [[(yes_label, yes), _cancel]] = tg.buttons(ask)
        assert "can't be undone" in ask["text"] and yes_label.startswith("Yes")
        message = tg.last_message(501)
        mark = tg.mark()
        ann.tap(message, yes, by=bob)  # someone else's tap erases nothing
        [answer] = await tg.wait_for("answerCallbackQuery", since=mark)
        assert "isn't yours" in answer["text"]
        diary = app.bot_data[SERVICES_KEY].diary
        assert len(await diary.events_between(501)) == 1
        mark = tg.mark()
        ann.tap(message, yes)
        [edit] = await tg.wait_for("editMessageText", chat_id=501, since=mark)
        assert "Nothing of yours is left" in edit["text"]
        assert await diary.get_user(501) is None and await diary.events_between(501) == []
        assert [e.name for e in await diary.events_between(502)] == ["apple"]


# ---- failures -----------------------------------------------------------------------------------


async def test_a_failing_handler_gets_an_honest_reply_and_the_bot_goes_on(
    tg: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with haven(tg, tmp_path) as app:
        dialogue = app.bot_data[SERVICES_KEY].dialogue
        ann = tg.user(501)

        async def broken(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("injected failure")

        # Fails after the message was stored: it is saved, and we say so.
        original_on_logged = dialogue.checkins.on_logged
        dialogue.checkins.on_logged = broken
        sent = await reply_to(tg, 501, lambda: ann.send_text("had cheese"))
        assert sent["text"] == SAVED
        failed_update = ann.last_update["update_id"]  # type: ignore[index]
        dialogue.checkins.on_logged = original_on_logged

        # Fails before anything was stored: we say it wasn't saved.
        original_record = dialogue.diary.record_message
        dialogue.diary.record_message = broken
        sent = await reply_to(tg, 501, lambda: ann.send_text("had an apple"))
        assert sent["text"] == NOT_SAVED
        dialogue.diary.record_message = original_record

        sent = await reply_to(tg, 501, lambda: ann.send_text("had a pear"))
        assert sent["text"].startswith("Logged")
        names = [e.name for e in await dialogue.diary.events_between(501)]
        assert names == ["cheese", "pear"]
    failures = [r for r in caplog.records if r.levelno == logging.ERROR and r.exc_info]
    assert any(f"update {failed_update} from user 501 failed" in r.getMessage() for r in failures)


async def test_429_is_retried_after_retry_after(tg: FakeTelegram, tmp_path: Path) -> None:
    async with haven(tg, tmp_path, rate_limit=True):
        ann = tg.user(501)
        tg.fail_next("sendMessage", 501, 429, parameters={"retry_after": 1})
        start = time.monotonic()
        sent = await reply_to(tg, 501, lambda: ann.send_text("had cheese"), timeout=10)
        assert sent["text"].startswith("Logged") and time.monotonic() - start >= 1.0
        assert [c.status for c in tg.matching("sendMessage", 501, include_failed=True)] == [
            429,
            200,
        ]


async def test_a_blocked_chat_does_not_stop_anyone_else(tg: FakeTelegram, tmp_path: Path) -> None:
    async with haven(tg, tmp_path) as app:
        ann, bob = tg.user(501), tg.user(502)
        tg.block(502)
        mark = tg.mark()
        bob.send_text("had cheese")
        await tg.wait_for("sendMessage", chat_id=502, since=mark, include_failed=True)
        await reply_to(tg, 501, lambda: ann.send_text("had an apple"))
        await reply_to(tg, 501, lambda: ann.send_command("/history"))
        # one attempt to reach Bob, refused, and no apology sent after it
        attempts = tg.matching("sendMessage", 502, since=mark, include_failed=True)
        assert [c.status for c in attempts] == [403]
        diary = app.bot_data[SERVICES_KEY].diary
        assert [e.name for e in await diary.events_between(502)] == ["cheese"]  # still logged


async def test_a_flood_from_one_person_slows_only_them(tg: FakeTelegram, tmp_path: Path) -> None:
    async with haven(tg, tmp_path, flood_burst=5, flood_per_minute=1200, max_concurrent_updates=2):
        flooder, ann = tg.user(666), tg.user(501)
        mark = tg.mark()
        for n in range(40):
            flooder.send_text(f"had {n} cups of tea")
        await tg.wait_for("sendMessage", chat_id=666, since=mark)
        await reply_to(tg, 501, lambda: ann.send_text("had cheese"), timeout=1.0)
        assert len(tg.sent(666, since=mark)) < 40  # Ann was served while the flood waits
        await tg.wait_for("sendMessage", chat_id=666, count=40, since=mark, timeout=10)


async def test_an_update_claimed_by_a_process_that_died_is_handled(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    async with haven(tg, tmp_path) as app:
        ann = tg.user(501)
        await reply_to(tg, 501, lambda: ann.send_text("had cheese"))
        update = copy.deepcopy(ann.last_update)
        assert update is not None
        update["update_id"] = 99_999
        update["message"]["message_id"] = 777
        update["message"]["text"] = "had an apple"
        # Another process claimed it three minutes ago and was killed before finishing it.
        diary = app.bot_data[SERVICES_KEY].diary
        ledger = UpdateLedger(diary.sessions)
        assert await ledger.claim(99_999, now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=3))
        sent = await reply_to(tg, 501, lambda: tg.enqueue_raw(update, keep_update_id=True))
        assert "apple" in sent["text"]
        for _ in range(50):  # marked done just after the reply
            if await ledger.done(99_999):
                break
            await asyncio.sleep(0.05)
        assert await ledger.done(99_999)


# ---- webhooks and replicas ----------------------------------------------------------------------


async def test_webhook_refuses_requests_without_the_secret(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    async with webhook_replica(tg, f"sqlite+aiosqlite:///{tmp_path}/haven.sqlite3") as (_, url):
        assert tg.webhook_url == url
        ann = tg.user(501)
        ann.send_text("had cheese")
        update = ann.last_update
        assert update is not None
        assert await post(url, update, None) == 403
        assert await post(url, update, "wrong") == 403
        await asyncio.sleep(0.2)
        assert tg.sent(501) == []
        mark = tg.mark()
        assert await post(url, update, SECRET) == 200
        await tg.wait_for("sendMessage", chat_id=501, since=mark)


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A fresh PostgreSQL database for the replicas (they migrate and share it)."""
    if os.environ.get("HAVEN_SKIP_POSTGRES") == "1":
        pytest.skip("HAVEN_SKIP_POSTGRES=1")
    name = f"haven_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OSError as exc:
        await admin.dispose()
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and unreachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.mark.postgres
async def test_two_replicas_handle_a_twice_delivered_update_once(
    tg: FakeTelegram, postgres_url: str
) -> None:
    async with (
        webhook_replica(tg, postgres_url) as (one, one_url),
        webhook_replica(tg, postgres_url) as (_, two_url),
    ):
        ann = tg.user(501)
        # Messages are also unique in the diary; commands are guarded by the update ledger alone.
        for n, words in enumerate(["had cheese", "/history", "had red wine", "/help"]):
            if words.startswith("/"):
                ann.send_command(words)
            else:
                ann.send_text(words)
            update = ann.last_update
            assert update is not None
            mark = tg.mark()
            statuses = await asyncio.gather(
                post(one_url, update, SECRET),
                post(two_url, update, SECRET),
                post(one_url, update, SECRET),  # and again to the same replica
            )
            assert statuses == [200, 200, 200]
            await tg.wait_for("sendMessage", chat_id=501, since=mark)
            await asyncio.sleep(0.3)  # time for any second answer to show up
            assert len(tg.sent(501, since=mark)) == 1, f"update {n} answered twice"
        diary = one.bot_data[SERVICES_KEY].diary
        assert [e.name for e in await diary.events_between(501)] == ["cheese", "red wine"]
