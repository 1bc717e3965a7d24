"""/gut in the dialogue core: timeline rows in, one Telegram HTML reply out, off the event loop."""

from __future__ import annotations

import asyncio
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from analysis import analyse, render_gut_html, weekly_summary
from bot.core import gut
from bot.core.food_facts import food_facts
from bot.core.gut import gut_reply
from bot.core.replies import Reply
from bot.core.triggers import report_for, to_diary
from bot.parsing.vocabulary import Vocabulary
from storage.diary import TimelineEntry

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)  # Tue 24 Nov, 20:00 in Berlin
# A pinned vocabulary, so the figures below do not move with the shipped food data.
FOODS = """\
name,kind,parents,synonyms,brands,tags,caffeine_mg,source,plurals,serving,fiber_g
dairy,category,,,,,,haven,,,
kefir,drink,dairy,,,fermented|live-cultures,,haven,,1 cup,0
lentil soup,food,,,,,,haven,,1 bowl,9
oats,food,,porridge,,,,haven,,1 bowl,8
"""


def pinned_vocabulary() -> Vocabulary:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "foods.csv"
        path.write_text(FOODS, encoding="utf-8")
        return Vocabulary.from_csv(path)


VOCABULARY = pinned_vocabulary()
FACTS = food_facts(VOCABULARY)


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
    reply = await gut_reply(rows, TZ, VOCABULARY, NOW)
    assert isinstance(reply, Reply) and reply.photo is None and not reply.buttons
    diary = to_diary(rows)
    expected = render_gut_html(
        weekly_summary(diary, FACTS, TZ, NOW),
        analyse(diary, TZ, VOCABULARY.category_map(), now=NOW, food_facts=FACTS),
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
    await gut_reply(timeline(), TZ, VOCABULARY, NOW)
    assert threads and threads[0] != threading.get_ident()


async def test_the_analysis_is_exactly_the_one_triggers_runs() -> None:
    """The same categories and facts, so the same multiple-testing family and verdicts."""
    rows = timeline()
    mine = gut.analyse_with(to_diary(rows), TZ, VOCABULARY, "24h", NOW, FACTS)
    theirs = report_for(rows, TZ, VOCABULARY, "24h", NOW)
    assert [r.to_json() for r in mine.results] == [r.to_json() for r in theirs.results]
    # the category is in the family (the same days as kefir, so reported with it)
    kefir = theirs.find("dairy")
    assert kefir is not None and kefir.name == "kefir" and "dairy" in kefir.same_as


async def test_an_empty_diary_and_concurrent_calls() -> None:
    empty, full = await asyncio.gather(
        gut_reply([], TZ, VOCABULARY, NOW), gut_reply(timeline(), TZ, VOCABULARY, NOW)
    )
    assert "Nothing logged yet" in empty.text
    assert "Your gut week" in full.text and "Nothing logged yet" not in full.text
