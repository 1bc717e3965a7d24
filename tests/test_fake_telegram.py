"""The fake Bot API server drives a real PTB ``Application`` end to end."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Any

import aiohttp
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fake_telegram import (
    PNG_SIGNATURE,
    TINY_PNG,
    FakeTelegram,
    running,
)
from tests.fake_telegram import tg as tg_fixture

tg = tg_fixture  # the pytest fixture, under the name the tests ask for

UID = 4242


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo text back."""
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(update.effective_message.text)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the command arguments and two inline buttons."""
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Yes", callback_data="yes")],
            [InlineKeyboardButton("No", callback_data="no")],
        ]
    )
    await update.effective_message.reply_text(
        f"Hello! args={' '.join(context.args or [])}", reply_markup=keyboard
    )


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the query and replace the keyboard message by the choice."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"You chose {query.data}")


def build_app(server: FakeTelegram) -> Application[Any, Any, Any, Any, Any, Any]:
    """The echo bot, built explicitly the way production code would."""
    app = (
        ApplicationBuilder()
        .token("123:ABC")
        .base_url(f"{server.url}/bot")
        .base_file_url(f"{server.url}/file/bot")
        .get_updates_read_timeout(2.0)
        .get_updates_connect_timeout(2.0)
        .read_timeout(2.0)
        .connect_timeout(2.0)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(on_button))
    return app


async def test_echo_command_and_button_tap(tg: FakeTelegram) -> None:
    started = time.monotonic()
    app = build_app(tg)
    user = tg.user(UID, "Ada")
    async with running(app):
        user.send_text("hello there")
        [reply] = await tg.wait_for("sendMessage", chat_id=UID)
        assert reply["text"] == "hello there"
        assert reply["chat_id"] == UID

        mark = tg.mark()
        user.send_command("/start from_ad")
        [welcome] = await tg.wait_for("sendMessage", chat_id=UID, since=mark)
        assert welcome["text"] == "Hello! args=from_ad"
        assert tg.buttons(welcome) == [[("Yes", "yes")], [("No", "no")]]

        menu = tg.last_message(UID)
        assert menu["text"] == "Hello! args=from_ad"
        query_id = user.tap(menu, "yes")
        [answer] = await tg.wait_for("answerCallbackQuery")
        assert answer["callback_query_id"] == query_id
        [edit] = await tg.wait_for("editMessageText", chat_id=UID)
        assert edit["message_id"] == menu["message_id"]
        assert tg.last_text(UID) == "You chose yes"
        assert "reply_markup" not in tg.last_message(UID)  # edit without markup drops it

    assert tg.texts(UID) == ["hello there", "Hello! args=from_ad", "You chose yes"]
    assert [m for m, _ in tg.requests][:2] == ["getMe", "deleteWebhook"]
    assert time.monotonic() - started < 3


async def test_send_photo_uploads_png_and_download_roundtrip(tg: FakeTelegram) -> None:
    async with build_app(tg) as app:
        message = await app.bot.send_photo(UID, photo=TINY_PNG, caption="chart")
        assert message.photo and message.photo[-1].width == 1
        assert message.caption == "chart"
        [params] = tg.sent(UID, "sendPhoto")
        assert params["photo"].data.startswith(PNG_SIGNATURE)
        assert tg.files[-1].is_png and tg.files[-1].method == "sendPhoto"

        file = await app.bot.get_file(message.photo[-1].file_id)
        assert bytes(await file.download_as_bytearray()) == TINY_PNG

        doc = await app.bot.send_document(UID, document=b"a,b\n1,2\n", filename="export.csv")
        assert doc.document is not None and doc.document.file_name == "export.csv"
        assert tg.files[-1].data == b"a,b\n1,2\n"


async def test_injected_errors_surface_as_ptb_exceptions(
    tg: FakeTelegram,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # avoid PTB's int/timedelta deprecation warning
    async with build_app(tg) as app:
        tg.fail_next("sendMessage", chat_id=UID)
        with pytest.raises(RetryAfter) as caught:
            await app.bot.send_message(UID, "x")
        assert caught.value.retry_after == dt.timedelta(seconds=1)
        assert tg.sent(UID) == []
        assert len(tg.sent(UID, include_failed=True)) == 1
        await app.bot.send_message(UID, "retried")  # one-shot: the next call succeeds
        assert tg.last_text(UID) == "retried"

        tg.fail_next("sendMessage", status=403)
        with pytest.raises(Forbidden, match="blocked by the user"):
            await app.bot.send_message(UID, "x")

        tg.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await app.bot.send_message(UID, "x")

        tg.block(UID)
        with pytest.raises(Forbidden):
            await app.bot.send_message(UID, "x")
        tg.unblock(UID)

        with pytest.raises(BadRequest, match=r"(?i)can.t parse entities"):
            await app.bot.send_message(UID, "1 < 2 <b>bold", parse_mode=ParseMode.HTML)
        sent = await app.bot.send_message(UID, "<b>5 &lt; 6</b>", parse_mode=ParseMode.HTML)
        assert sent.text == "5 < 6"
        with pytest.raises(BadRequest, match=r"(?i)not modified"):
            await app.bot.edit_message_text(
                "<b>5 &lt; 6</b>", chat_id=UID, message_id=sent.message_id, parse_mode="HTML"
            )
        with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
            await app.bot.edit_message_text("x", chat_id=UID, message_id=999)


async def test_long_polling_offset_and_timeout(tg: FakeTelegram) -> None:
    user = tg.user(UID)
    async with build_app(tg) as app:
        began = time.monotonic()
        assert await app.bot.get_updates(timeout=0.3) == ()
        assert 0.25 < time.monotonic() - began < 1.5

        waiting = asyncio.create_task(app.bot.get_updates(timeout=2))
        await asyncio.sleep(0.1)
        first = user.send_text("one")
        user.send_text("two")
        updates = await asyncio.wait_for(waiting, 1)
        assert updates[0].message is not None and updates[0].message.message_id == first
        ids = [u.update_id for u in updates]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)

        again = await app.bot.get_updates(offset=ids[0] + 1, timeout=0)
        assert [u.update_id for u in again] == ids[1:]
        assert await app.bot.get_updates(offset=ids[-1] + 1, timeout=0) == ()


async def test_updates_edits_duplicates_and_media(tg: FakeTelegram) -> None:
    seen: list[Update] = []

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(update)

    app = tg.builder().build()
    app.add_handler(MessageHandler(filters.ALL, record))
    user = tg.user(UID, "Ada", tz="Europe/Berlin")
    async with running(app):
        breakfast = dt.datetime(2026, 3, 1, 8, 30)  # naive: the user's local time
        mid = user.send_text("coffee", date=breakfast)
        duplicate = user.last_update
        assert duplicate is not None
        tg.enqueue_raw(duplicate)  # same content and message_id, new update_id
        user.edit_text(mid, "coffee and toast")
        user.send_sticker()
        user.send_photo(caption="lunch")
        user.send_voice()
        user.send_location(52.52, 13.405)
        for _ in range(100):
            if len(seen) == 7:
                break
            await asyncio.sleep(0.02)

    assert len(seen) == 7
    first, dup, edited, sticker, photo, voice, location = seen
    assert first.message is not None and dup.message is not None
    assert first.message.message_id == dup.message.message_id == mid
    assert first.update_id < dup.update_id
    assert first.message.date == dt.datetime(2026, 3, 1, 7, 30, tzinfo=dt.UTC)
    assert edited.edited_message is not None
    assert edited.edited_message.text == "coffee and toast"
    assert sticker.message is not None and sticker.message.sticker is not None
    assert photo.message is not None and photo.message.caption == "lunch"
    assert voice.message is not None and voice.message.voice is not None
    assert location.message is not None and location.message.location is not None
    assert location.message.location.latitude == pytest.approx(52.52)


async def test_wire_formats_and_hand_written_requests(tg: FakeTelegram) -> None:
    async with build_app(tg) as app:
        await app.bot.send_message(UID, "form", reply_markup=InlineKeyboardMarkup([]))
        await app.bot.send_photo(UID, photo=TINY_PNG)
    by_method = {call.method: call for call in tg.calls}
    assert by_method["sendMessage"].content_type == "application/x-www-form-urlencoded"
    assert by_method["sendPhoto"].content_type == "multipart/form-data"
    assert by_method["sendMessage"].params["chat_id"] == UID  # JSON-decoded form value

    base = f"{tg.url}/bot{tg.token}"
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{base}/sendMessage", json={"chat_id": 7, "text": "json", "reply_markup": markup}
        ) as resp:
            body = await resp.json()
            assert body["ok"] and body["result"]["reply_markup"] == markup
        async with http.get(f"{base}/sendMessage", params={"chat_id": "7", "text": "12"}) as resp:
            assert (await resp.json())["result"]["text"] == "12"
        async with http.post(f"{base}/noSuchMethod") as resp:
            assert resp.status == 400
            assert (await resp.json())["ok"] is False
    assert tg.texts(7) == ["json", "12"]
    assert tg.buttons(tg.sent(7)[0]) == [[("A", "a")]]
