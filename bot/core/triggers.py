"""/triggers: hand the diary to `analysis` as plain data and turn its report into a reply."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape
from typing import Literal
from zoneinfo import ZoneInfo

from analysis import (
    DiaryEvent,
    FoodFacts,
    TriggerReport,
    analyse,
    render_chart_png,
    render_food_detail_html,
    render_report_html,
)
from analysis.factors import FACTOR_ITEMS
from analysis.measures import MEASURES
from bot.core.food_facts import food_facts
from bot.core.replies import Reply, clip
from bot.parsing.vocabulary import Vocabulary
from storage.diary import TimelineEntry

USAGE = (
    "Use <code>/triggers</code> (the 24 hours before attacks), <code>/triggers 48h</code> "
    "(24–48 hours before), or <code>/triggers food red wine</code> for one food."
)


def to_diary(events: Sequence[TimelineEntry]) -> list[DiaryEvent]:
    """Timeline rows as the analysis reads them; a factor keeps its number (hours, 1–5, minutes)."""
    return [
        DiaryEvent(
            kind=e.kind,
            at=e.at,
            name=e.name,
            severity=e.severity,
            value=e.value,
            quantity=e.quantity,
        )
        for e in events
    ]


def report_for(
    events: Sequence[TimelineEntry],
    tz: ZoneInfo,
    vocabulary: Vocabulary,
    window: Literal["24h", "48h"],
    now: datetime,
) -> TriggerReport:
    """The one way the bot and `haven triggers` run the analysis: the person's own vocabulary
    gives the categories and the per-food facts (fiber, caffeine, tags) for the daily measures.
    `now` leaves today out: its outcome is not known yet."""
    return analyse_with(to_diary(events), tz, vocabulary, window, now, food_facts(vocabulary))


def analyse_with(
    diary: Sequence[DiaryEvent],
    tz: ZoneInfo,
    vocabulary: Vocabulary,
    window: Literal["24h", "48h"],
    now: datetime,
    facts: Mapping[str, FoodFacts],
) -> TriggerReport:
    """`report_for` on a diary already converted, with facts already built (/gut has both)."""
    return analyse(diary, tz, vocabulary.category_map(), window=window, now=now, food_facts=facts)


def _analyse(
    events: Sequence[TimelineEntry], tz: ZoneInfo, vocabulary: Vocabulary, args: str, now: datetime
) -> Reply:
    words = args.split()
    window: Literal["24h", "48h"] = "24h"
    if words and words[0].lower() in {"48h", "48"}:
        window, words = "48h", words[1:]
    elif words and words[0].lower() in {"24h", "24"}:
        words = words[1:]
    asked = None
    if words and words[0].lower() == "food":
        asked = " ".join(words[1:]).strip().lower()
        if not asked:
            return Reply(USAGE)
    elif words:
        return Reply(USAGE)
    report = report_for(events, tz, vocabulary, window, now)
    if asked is not None:
        return _detail(report, vocabulary, asked)
    chart = render_chart_png(report) if report.enough_data else None
    return Reply(clip(render_report_html(report)), photo=chart)


# Words people use for a factor or measure that are not part of its name.
ITEM_WORDS = {"fibre": "fiber", "fermented": "live-culture", "probiotics": "probiotic"}


def _detail(report: TriggerReport, vocabulary: Vocabulary, asked: str) -> Reply:
    """One item's numbers: a food by any of its words (misspelt too), or a factor or daily
    amount by part of its name ("antibiotics" → "on antibiotics"; "sleep" asks which one)."""
    if report.find(asked) is None:
        part = " ".join(ITEM_WORDS.get(w, w) for w in asked.split())
        items = [*FACTOR_ITEMS, *(m.item for m in MEASURES)]
        factors = [i for i in items if part in i]
        if len(factors) == 1:
            asked = factors[0]
        elif len(factors) > 1:
            choices = "\n".join(f"<code>/triggers food {escape(f)}</code>" for f in factors)
            return Reply(f"Which one?\n{choices}")
        elif (known := vocabulary.lookup(asked)) is not None:
            asked = known.name
        else:
            words = asked.split()
            match = vocabulary.match_at(words, 0) if words else None
            if match is not None and match.length == len(words):  # "coffe" is coffee
                asked = match.food.name
    return Reply(clip(render_food_detail_html(report, asked)))


async def triggers_reply(
    events: Sequence[TimelineEntry], tz: ZoneInfo, vocabulary: Vocabulary, args: str, now: datetime
) -> Reply:
    """The analysis runs in a worker thread so one person's long diary never stalls the others."""
    return await asyncio.to_thread(_analyse, events, tz, vocabulary, args, now)
