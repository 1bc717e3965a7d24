"""End to end: the real PTB Application built by `build_application`, talking to a fake Bot API
server over HTTP (through TELEGRAM_API_BASE_URL), with a real SQLite diary."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.core.dialogue import COMMANDS
from bot.parsing.events import ParsedEvent
from bot.telegram.app import SERVICES_KEY, build_application
from tests.fake_telegram import FakeTelegram, running

UTC = dt.UTC


@contextlib.asynccontextmanager
async def haven(tg: FakeTelegram, tmp_path: Path) -> AsyncIterator[Any]:
    """Haven as `haven run` builds it; post_init/post_shutdown run as run_polling would run them."""
    settings = Settings(
        telegram_bot_token=tg.token,
        telegram_api_base_url=f"{tg.url}/bot",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/haven.sqlite3",
        rate_limit=False,
        _env_file=None,  # type: ignore[call-arg]
    )
    app = build_application(settings)
    async with running(app) as started:
        assert app.post_init is not None and app.post_shutdown is not None
        await app.post_init(app)
        try:
            yield started
        finally:
            await app.post_shutdown(app)


async def reply_to(tg: FakeTelegram, chat_id: int, action: Any) -> dict[str, Any]:
    mark = tg.mark()
    action()
    [sent] = await tg.wait_for("sendMessage", chat_id=chat_id, since=mark)
    return sent


async def test_start_greets_offers_timezone_and_sets_the_command_menu(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    async with haven(tg, tmp_path):
        ann = tg.user(501, "Ann")
        mark = tg.mark()
        ann.send_command("/start")  # the welcome, then the daily check-in offer
        sent, _offer = await tg.wait_for("sendMessage", chat_id=501, count=2, since=mark)
        assert "Haven" in sent["text"] and "/timezone" in sent["text"]
        keyboard = sent["reply_markup"]
        keyboard = keyboard if isinstance(keyboard, dict) else __import__("json").loads(keyboard)
        assert keyboard["keyboard"][0][0]["request_location"] is True
        assert [(c["command"], c["description"]) for c in tg.my_commands()] == list(COMMANDS)


async def test_food_message_is_logged_and_confirmed(tg: FakeTelegram, tmp_path: Path) -> None:
    async with haven(tg, tmp_path):
        ann = tg.user(501)
        when = dt.datetime(2026, 11, 24, 12, 40, tzinfo=UTC)
        sent = await reply_to(tg, 501, lambda: ann.send_text("had cheese and red wine", when))
        assert tg.last_text(501) == "Logged 🧀 cheese and 🍷 red wine at 12:40 today."
        assert sent["parse_mode"] == "HTML"


async def test_migraine_severity_button_tap_is_stored(tg: FakeTelegram, tmp_path: Path) -> None:
    async with haven(tg, tmp_path) as app:
        ann = tg.user(501)
        sent = await reply_to(tg, 501, lambda: ann.send_text("migraine just started"))
        rows = tg.buttons(sent)
        assert [[label for label, _ in row] for row in rows] == [
            ["1", "2", "3", "4", "5"],
            ["6", "7", "8", "9", "10"],
        ]
        message = tg.last_message(501)
        mark = tg.mark()
        ann.tap(message, rows[0][1][1], by=tg.user(777))  # a stranger's tap
        [answer] = await tg.wait_for("answerCallbackQuery", since=mark)
        assert "nothing was changed" in answer["text"]
        mark = tg.mark()
        ann.tap(message, rows[1][2][1])  # "8"
        await tg.wait_for("answerCallbackQuery", since=mark)
        [edit] = await tg.wait_for("editMessageText", chat_id=501, since=mark)
        assert "8/10" in edit["text"]
        diary = app.bot_data[SERVICES_KEY].diary
        [attack] = await diary.events_between(501)
        assert (attack.kind, attack.severity) == ("migraine_start", 8)


async def test_history_undo_and_edit(tg: FakeTelegram, tmp_path: Path) -> None:
    async with haven(tg, tmp_path):
        ann = tg.user(501)
        now = dt.datetime.now(UTC)
        await reply_to(tg, 501, lambda: ann.send_text("had an apple", now))
        holder: dict[str, int] = {}

        def send_wine() -> None:
            holder["id"] = ann.send_text("had red wine", now)

        await reply_to(tg, 501, send_wine)
        edited = await reply_to(
            tg, 501, lambda: ann.edit_text(holder["id"], "had a beer", now, now)
        )
        assert "beer" in edited["text"] and "Updated" in edited["text"]
        history = await reply_to(tg, 501, lambda: ann.send_command("/history"))
        assert "apple" in history["text"] and "beer" in history["text"]
        assert "red wine" not in history["text"]
        undo = await reply_to(tg, 501, lambda: ann.send_command("/undo"))
        assert "beer" in undo["text"]
        history = await reply_to(tg, 501, lambda: ann.send_command("/history"))
        assert "beer" not in history["text"] and "apple" in history["text"]


async def test_duplicate_update_is_stored_and_answered_once(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    async with haven(tg, tmp_path) as app:
        ann = tg.user(501)
        await reply_to(tg, 501, lambda: ann.send_text("had cheese"))
        mark = tg.mark()
        tg.enqueue_raw(ann.last_update)  # Telegram delivers the same message again
        await reply_to(tg, 501, lambda: ann.send_text("had an apple"))
        assert len(tg.sent(501, since=mark)) == 1  # only the apple was answered
        names = [e.name for e in await app.bot_data[SERVICES_KEY].diary.events_between(501)]
        assert names == ["cheese", "apple"]


async def test_message_sent_two_hours_ago_is_logged_then(tg: FakeTelegram, tmp_path: Path) -> None:
    async with haven(tg, tmp_path) as app:
        ann = tg.user(501)
        sent_at = dt.datetime.now(UTC).replace(microsecond=0) - dt.timedelta(hours=2)
        await reply_to(tg, 501, lambda: ann.send_text("coffee", sent_at))
        [event] = await app.bot_data[SERVICES_KEY].diary.events_between(501)
        assert event.at == sent_at


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice"])
async def test_non_text_gets_a_friendly_reply(tg: FakeTelegram, tmp_path: Path, kind: str) -> None:
    async with haven(tg, tmp_path):
        ann = tg.user(501)
        sent = await reply_to(tg, 501, getattr(ann, f"send_{kind}"))
        assert "nothing was logged" in sent["text"]


async def test_a_4096_character_message_is_answered_within_limits(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    async with haven(tg, tmp_path):
        ann = tg.user(501)
        text = ("had cheese and red wine, then " * 200)[:4096]
        sent = await reply_to(tg, 501, lambda: ann.send_text(text))
        assert 0 < len(sent["text"]) <= 4096


async def test_two_people_never_see_each_others_entries(tg: FakeTelegram, tmp_path: Path) -> None:
    async with haven(tg, tmp_path):
        ann, bob = tg.user(501), tg.user(502)
        await reply_to(tg, 501, lambda: ann.send_text("had cheese", message_id=1))
        await reply_to(tg, 502, lambda: bob.send_text("had red wine", message_id=1))
        ann_history = await reply_to(tg, 501, lambda: ann.send_command("/history"))
        bob_history = await reply_to(tg, 502, lambda: bob.send_command("/history"))
        assert "cheese" in ann_history["text"] and "red wine" not in ann_history["text"]
        assert "red wine" in bob_history["text"] and "cheese" not in bob_history["text"]
        await reply_to(tg, 502, lambda: bob.send_command("/undo"))
        ann_history = await reply_to(tg, 501, lambda: ann.send_command("/history"))
        assert "cheese" in ann_history["text"]


async def test_timezone_by_location(tg: FakeTelegram, tmp_path: Path) -> None:
    async with haven(tg, tmp_path):
        ann = tg.user(501)
        sent = await reply_to(tg, 501, lambda: ann.send_location(52.52, 13.405))
        assert "Europe/Berlin" in sent["text"]


async def test_a_blocked_reply_switches_check_ins_off(tg: FakeTelegram, tmp_path: Path) -> None:
    async with haven(tg, tmp_path) as app:
        ann = tg.user(501)
        await reply_to(tg, 501, lambda: ann.send_command("/reminder 21:00"))
        reminders = app.bot_data[SERVICES_KEY].dialogue.checkins.reminders
        assert (await reminders.get(501)).enabled
        tg.block(501)
        mark = tg.mark()
        ann.send_text("had cheese")
        await tg.wait_for("sendMessage", chat_id=501, since=mark, include_failed=True)
        for _ in range(50):  # the switch-off follows the refused reply
            if not (await reminders.get(501)).enabled:
                break
            await asyncio.sleep(0.02)
        reminder = await reminders.get(501)
        assert not reminder.enabled and reminder.off_reason == "blocked"
        names = [e.name for e in await app.bot_data[SERVICES_KEY].diary.events_between(501)]
        assert names == ["cheese"]  # what they sent is kept even though the reply failed


async def test_triggers_reply_and_chart(tg: FakeTelegram, tmp_path: Path) -> None:
    from bench.simulate_triggers import simulate_diary

    async with haven(tg, tmp_path) as app:
        diary = app.bot_data[SERVICES_KEY].diary
        await diary.add_events(
            501,
            [
                ParsedEvent(kind=e.kind, at=e.at, name=e.name, severity=e.severity)  # type: ignore[arg-type]
                for e in simulate_diary(3, days=365)
            ],
        )
        ann, bob = tg.user(501), tg.user(502)
        mark = tg.mark()
        ann.send_command("/triggers")
        [text] = await tg.wait_for("sendMessage", chat_id=501, since=mark)
        [photo] = await tg.wait_for("sendPhoto", chat_id=501, since=mark)
        assert "Likely triggers" in text["text"] and "Red wine" in text["text"]
        assert len(text["text"]) <= 4096 and photo["photo"].is_png
        detail = await reply_to(tg, 501, lambda: ann.send_command("/triggers food red wine"))
        assert detail["text"].startswith("<b>Red wine</b> — likely trigger")
        later = await reply_to(tg, 501, lambda: ann.send_command("/triggers 48h"))
        assert "24–48 hours" in later["text"]
        usage = await reply_to(tg, 501, lambda: ann.send_command("/triggers sometimes"))
        assert "/triggers 48h" in usage["text"]
        mark = tg.mark()
        new = await reply_to(tg, 502, lambda: bob.send_command("/triggers"))
        assert "Not enough days yet" in new["text"] and "Red wine" not in new["text"]
        assert tg.sent(502, method="sendPhoto", since=mark) == []


async def test_gut_weekly_summary_through_telegram(tg: FakeTelegram, tmp_path: Path) -> None:
    """/gut on a two-year diary with a planted protector, as HTML a phone can show."""
    from bench.simulate_protective import simulate_diary

    async with haven(tg, tmp_path) as app:
        diary = app.bot_data[SERVICES_KEY].diary
        events = simulate_diary(3)
        await diary.add_events(
            501,
            [
                ParsedEvent(kind=e.kind, at=e.at, name=e.name, severity=e.severity, value=e.value)  # type: ignore[arg-type]
                for e in events
            ],
        )
        ann, bob = tg.user(501), tg.user(502)
        reply = await reply_to(tg, 501, lambda: ann.send_command("/gut"))
        assert reply["text"].startswith("<b>Your gut week</b>")
        assert reply["parse_mode"] == "HTML" and len(reply["text"]) <= 4096
        assert "• <b>Kefir</b>: seems to protect you" in reply["text"]
        assert reply["text"].endswith("not medical advice.</i>")
        # another person's /gut knows nothing of Ann's diary
        other = await reply_to(tg, 502, lambda: bob.send_command("/gut"))
        assert "Kefir" not in other["text"] and "not medical advice" in other["text"]
