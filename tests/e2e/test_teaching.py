"""End to end through the fake Bot API: teach a word, see earlier entries re-filed, list foods."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.telegram.app import SERVICES_KEY
from tests.e2e.test_telegram import haven, reply_to
from tests.fake_telegram import FakeTelegram

WHEN = dt.datetime(2026, 11, 24, 12, 40, tzinfo=dt.UTC)


async def test_teach_a_food_then_list_foods(tg: FakeTelegram, tmp_path: Path) -> None:
    async with haven(tg, tmp_path) as app:
        ann, bob = tg.user(501), tg.user(502)
        first = await reply_to(tg, 501, lambda: ann.send_text("had switchel and cheese", WHEN))
        assert "New to me: switchel" in first["text"]
        await reply_to(tg, 502, lambda: bob.send_text("had switchel", WHEN))
        taught = await reply_to(tg, 501, lambda: ann.send_command("/food switchel = soft drink"))
        assert "soft drink" in taught["text"] and "updated 1 earlier entry" in taught["text"]
        listed = await reply_to(tg, 501, lambda: ann.send_command("/foods"))
        assert "<b>soft drink</b> 1" in listed["text"] and "switchel 1" in listed["text"]
        assert "New to me" not in listed["text"]
        diary = app.bot_data[SERVICES_KEY].diary
        assert [(e.name, e.known) for e in await diary.events_between(501)] == [
            ("switchel", True),
            ("cheese", True),
        ]
        assert [(e.name, e.known) for e in await diary.events_between(502)] == [("switchel", False)]
        free = await reply_to(tg, 502, lambda: bob.send_text("switchel is a soft drink", WHEN))
        assert "Got it" in free["text"] and tg.buttons(free)
