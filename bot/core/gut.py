"""/gut: the weekly gut summary, and how each part relates to attacks, as one reply."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from analysis import FoodFacts, analyse, render_gut_html, weekly_summary
from bot.core.replies import Reply, clip
from bot.core.triggers import to_diary
from storage.diary import TimelineEntry


def _gut(
    events: Sequence[TimelineEntry],
    tz: ZoneInfo,
    food_facts: Mapping[str, FoodFacts],
    now: datetime,
    categories: Mapping[str, Sequence[str]],
) -> Reply:
    diary = to_diary(events)
    summary = weekly_summary(diary, food_facts, tz, now)
    # `now` leaves today out of the analysis (its outcome is not known yet), as /triggers does
    report = analyse(diary, tz, categories, now=now, food_facts=food_facts)
    return Reply(clip(render_gut_html(summary, report)))


async def gut_reply(
    events: Sequence[TimelineEntry],
    tz: ZoneInfo,
    food_facts: Mapping[str, FoodFacts],
    now: datetime,
    *,
    categories: Mapping[str, Sequence[str]] | None = None,
) -> Reply:
    """The summary and the analysis run in a worker thread, like /triggers.

    Pass the vocabulary's `category_map()` as `categories` to test exactly the family /triggers
    tests: the multiple-testing allowance counts every food and category, so without them the
    verdicts of borderline items can differ slightly from /triggers'.
    """
    return await asyncio.to_thread(_gut, events, tz, food_facts, now, categories or {})
