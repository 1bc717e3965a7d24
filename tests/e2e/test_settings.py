"""/settings end to end: the real Application against the fake Bot API server. A switch tapped in
/settings puts its row into the next check-in; a tap on that row is in the diary and /history."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.e2e.test_checkins import Clock, say, setup_person, started, sweep_sends, tap
from tests.fake_telegram import FakeTelegram

LONDON = ZoneInfo("Europe/London")


def labels(message: dict[str, object]) -> list[list[str]]:
    return [[text for text, _ in row] for row in FakeTelegram.buttons(message)]


async def test_a_switch_in_settings_adds_its_row_to_the_checkin(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    clock = Clock(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    async with started(tg, tmp_path, clock) as bot:
        ann = await setup_person(bot, 501, "Europe/London", clock)
        shown = await say(tg, ann, "/settings", clock)
        assert "daily check-in is at <b>21:00</b>" in shown["text"]
        assert labels(shown)[1] == ["▫️ Stress 1–5"]

        mark = tg.mark()  # a stranger's tap on Ann's switch changes nothing
        ann.tap(tg.last_message(501), tg.buttons(shown)[1][0][1] or "", by=tg.user(777))
        [refused] = await tg.wait_for("answerCallbackQuery", since=mark)
        assert "isn't yours" in refused["text"]

        mark = tg.mark()
        edit = await tap(tg, ann, tg.last_message(501), "▫️ Stress 1–5")
        [toast] = tg.sent(None, "answerCallbackQuery", since=mark)
        assert toast["text"] == "Stress 1–5: on"
        assert labels(edit)[1] == ["✅ Stress 1–5"] and "Check-in questions" in edit["text"]

        clock.local(LONDON, 2026, 11, 24, 21, 0, 20)
        [checkin] = await sweep_sends(bot, 501)
        assert "😣 Stress today, 1 (calm) to 5 (very)?" in checkin["text"]
        assert labels(checkin) == [["No migraine", "Migraine"], ["1", "2", "3", "4", "5"]]

        edit = await tap(tg, ann, tg.last_message(501), "4")
        assert "\n😣 Stress today: <b>4/5</b>\n" in edit["text"]  # the scale only while asked
        assert labels(edit)[1] == ["1", "2", "3", "✓ 4", "5"]
        [event] = await bot.diary.events_between(501)
        assert (event.kind, event.name, event.value) == ("factor", "stress", 4.0)
        assert f"{event.at.astimezone(LONDON):%Y-%m-%d %H:%M}" == "2026-11-24 21:00"

        edit = await tap(tg, ann, tg.last_message(501), "No migraine")  # still one tap
        assert "✅ No migraine — noted." in edit["text"]
        assert labels(edit) == [["1", "2", "3", "✓ 4", "5"]]
        history = await say(tg, ann, "/history", clock)
        assert "21:00 😣 stress 4/5" in history["text"]
        assert "migraine-free day" in history["text"]
