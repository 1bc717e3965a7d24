"""/gut: the weekly gut summary, and how each part relates to attacks, as one reply."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from analysis import render_gut_html, weekly_summary
from bot.core.food_facts import food_facts
from bot.core.replies import Reply, clip
from bot.core.triggers import analyse_with, to_diary
from bot.parsing.vocabulary import Vocabulary
from storage.diary import TimelineEntry


def _gut(
    events: Sequence[TimelineEntry], tz: ZoneInfo, vocabulary: Vocabulary, now: datetime
) -> Reply:
    diary = to_diary(events)
    facts = food_facts(vocabulary)
    summary = weekly_summary(diary, facts, tz, now)
    # exactly /triggers' analysis (same categories and facts, so the same multiple-testing family
    # and verdicts); `now` leaves today out, its outcome is not known yet
    report = analyse_with(diary, tz, vocabulary, "24h", now, facts)
    return Reply(clip(render_gut_html(summary, report)))


async def gut_reply(
    events: Sequence[TimelineEntry], tz: ZoneInfo, vocabulary: Vocabulary, now: datetime
) -> Reply:
    """The summary and the analysis run in a worker thread, like /triggers."""
    return await asyncio.to_thread(_gut, events, tz, vocabulary, now)
