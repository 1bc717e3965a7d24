"""/gut in the dialogue core: timeline rows in, one Telegram HTML reply out, off the event loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from analysis import FoodFacts, analyse, render_gut_html, weekly_summary
from analysis.measures import FERMENTED
from bot.core import gut
from bot.core.gut import gut_reply
from bot.core.replies import Reply
from bot.core.triggers import to_diary
from storage.diary import TimelineEntry

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)  # Tue 24 Nov, 20:00 in Berlin
FACTS = {
    "kefir": FoodFacts(fiber_g=0.0, tags=frozenset({FERMENTED})),
    "lentil soup": FoodFacts(fiber_g=9.0),
    "oats": FoodFacts(fiber_g=8.0),
}


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A Berlin wall time in November 2026, as the UTC instant storage keeps."""
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ).astimezone(UTC)


def timeline() -> list[TimelineEntry]:
    """Two weeks: oats every morning, lentil soup on even days, kefir and a probiotic on some,
    sleep every morning, one migraine this week."""
    rows: list[TimelineEntry] = []
    for day in range(11, 25):
        rows.append(TimelineEntry("food", local(day, 8), "oats", None))
        if day % 2 == 0:
            rows.append(TimelineEntry("food", local(day, 13), "lentil soup", None))
        if day in (18, 20, 22):
            rows.append(TimelineEntry("food", local(day, 9), "kefir", None))
            rows.append(TimelineEntry("factor", local(day, 9), "probiotic", None))
        rows.append(TimelineEntry("factor", local(day, 7), "sleep_hours", None, 6.5))
        rows.append(TimelineEntry("no_migraine", local(day, 21), None, None))
    rows.append(TimelineEntry("migraine_start", local(21, 15), None, 6))
    rows.sort(key=lambda r: r.at)
    return rows


async def test_gut_reply_is_the_rendered_summary_and_analysis() -> None:
    rows = timeline()
    reply = await gut_reply(rows, TZ, FACTS, NOW)
    assert isinstance(reply, Reply) and reply.photo is None and not reply.buttons
    diary = to_diary(rows)
    expected = render_gut_html(
        weekly_summary(diary, FACTS, TZ, NOW),
        analyse(diary, TZ, {}, now=NOW, food_facts=FACTS),
    )
    assert reply.text == expected
    # the week is Wed 18 – Tue 24 Nov in Berlin: oats 7 × 8 g + soup on 4 even days × 9 g
    assert "about 13 g a day" in reply.text  # (56 + 36) / 7 = 13.1
    assert "🥛 <b>Live-culture foods</b>: 3 of 7 days" in reply.text
    assert "🦠 <b>Probiotic</b>: 3 of 7 days, up from 0 of 7 last week" in reply.text
    # a factor's value comes through the timeline (6.5 h every night)
    assert "😴 <b>Sleep</b>: 6.5 h a night on average, same as last week" in reply.text
    assert "🤕 <b>Migraines</b>: 1 started this week, up from 0 last week" in reply.text
    assert reply.text.endswith("not medical advice.</i>")


async def test_the_work_runs_in_a_worker_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[int] = []
    real = gut._gut

    def spy(*args: Any) -> Reply:
        threads.append(threading.get_ident())
        return real(*args)

    monkeypatch.setattr(gut, "_gut", spy)
    await gut_reply(timeline(), TZ, FACTS, NOW)
    assert threads and threads[0] != threading.get_ident()


async def test_categories_reach_the_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    real: Callable[..., Any] = gut.analyse

    def spy(*args: Any, **kw: Any) -> Any:
        seen.append(args[2])
        return real(*args, **kw)

    monkeypatch.setattr(gut, "analyse", spy)
    await gut_reply(timeline(), TZ, FACTS, NOW, categories={"kefir": ["dairy"]})
    await gut_reply(timeline(), TZ, FACTS, NOW)
    assert seen == [{"kefir": ["dairy"]}, {}]


async def test_an_empty_diary_and_concurrent_calls() -> None:
    empty, full = await asyncio.gather(
        gut_reply([], TZ, {}, NOW), gut_reply(timeline(), TZ, FACTS, NOW)
    )
    assert "Nothing logged yet" in empty.text
    assert "Your gut week" in full.text and "Nothing logged yet" not in full.text
