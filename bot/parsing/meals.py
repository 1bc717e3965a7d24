"""Skipped meals ("skipped lunch", "didn't have breakfast", "no dinner tonight").

Fasting is one of the most reported triggers, so a missed meal is an event of its own, named
breakfast, lunch or dinner and dated at that meal's usual time unless the message says otherwise.
"Tea" is left out on purpose: "no tea" is about the drink far more often than the meal.

A whole day without food ("ate nothing today", "haven't eaten all day", "fasting today",
"didn't eat anything yesterday") is a skipped breakfast, lunch and dinner: for today only the
meals whose usual time (08:00, 12:30, 19:00) has passed when the message is sent, so "haven't
eaten all day" at 15:00 logs breakfast and lunch; for yesterday all three. The names stay
breakfast/lunch/dinner because that is what the diary export and import accept and what the
analysis reads as "skipped meal" (each counts as one). "didn't eat much" logs nothing.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.parsing.found import Found
from bot.parsing.times import SLOTS

MEALS = {
    "breakfast": "breakfast",
    "brekkie": "breakfast",
    "brekky": "breakfast",
    "brunch": "breakfast",
    "lunch": "lunch",
    "dinner": "dinner",
    "supper": "dinner",
    "tea": "dinner",
}
_MEAL = r"(?:breakfast|brekkie|brekky|brunch|lunch|dinner|supper)"
_MEAL_LIST = _MEAL + r"(?:\s*(?:,|and|&|\+|or|nor)\s*(?:my\s+|also\s+)?" + _MEAL + r")*"
_SKIPPED = re.compile(
    r"\b(?:skipped|skip|skipping|skiped|missed|miss|missing|forgot|forgot\s+to\s+(?:eat|have)|"
    r"no\s+time\s+for|didn'?t\s+(?:have|eat|get)|did\s+not\s+(?:have|eat|get)|"
    r"haven'?t\s+(?:had|eaten)|have\s+not\s+(?:had|eaten)|never\s+(?:had|ate)|"
    r"couldn'?t\s+(?:eat|face)|no|without|nothing\s+for|didn'?t\s+(?:have|eat)\s+anything\s+for|"
    r"had\s+nothing\s+for|ate\s+nothing\s+(?:for|at|until))\s+"
    r"(?:any\s+|my\s+|a\s+|the\s+|proper\s+|real\s+|much\s+)*(?P<meals>" + _MEAL_LIST + r")\b"
)
_ONE_MEAL = re.compile(r"\b" + _MEAL + r"\b")
_ANYTHING = r"(?:\s+(?:anything|a\s+thing|any\s+food|food|a\s+bite|a\s+morsel))?"
_NOT_EATEN = (
    r"(?:i\s+)?(?:ate|eaten|had)\s+nothing|nothing\s+to\s+eat|no\s+food"
    r"|(?:haven'?t|have\s+not|hav\s+not|not|didn'?t|did\s+not|couldn'?t|could\s+not|never)\s+"
    r"(?:eaten|eat|ate|had\s+anything\s+to\s+eat|had\s+a\s+bite|managed\s+to\s+eat)" + _ANYTHING
)
_WHOLE_DAY = re.compile(
    r"\b(?:(?:" + _NOT_EATEN + r")\s+(?:(?:at\s+)?all\s+day|(?:since|all)\s+(?:last\s+night|"
    r"this\s+morning)|today|(?P<y>yesterday)|all\s+day\s+(?:today|(?P<y2>yesterday)))"
    r"|(?:(?:i'?m|i\s+am|been|was)\s+)?(?:fasting|fasted)(?:\s+(?:today|all\s+day|(?P<y3>yesterday)))?"
    r"|(?:water|fast)\s+day|(?:on\s+a|doing\s+a)\s+fast(?:\s+(?:today|(?P<y4>yesterday)))?)\b"
)
_WHOLE_DAY_MEALS = ("breakfast", "lunch", "dinner")


def find_skipped_meals(
    text: str, start: int, end: int, now: datetime | None = None
) -> tuple[list[Found], list[tuple[int, int]]]:
    """Skipped-meal events in text[start:end], each with its meal's usual time.

    `now` (the message's local time) says which of today's meals a whole day without food has
    skipped so far; without it, all three.
    """
    found: list[Found] = []
    spans: list[tuple[int, int]] = []
    for m in _SKIPPED.finditer(text, start, end):
        spans.append(m.span())
        for meal in _ONE_MEAL.finditer(m.group("meals")):
            name = MEALS[meal.group(0)]
            if any(f.name == name for f in found):
                continue
            slot = SLOTS["lunch" if name == "lunch" else name]
            found.append(Found("skipped_meal", m.start(), name=name, own_clock=slot))
    for m in _WHOLE_DAY.finditer(text, start, end):
        if any(m.start() < e and s < m.end() for s, e in spans):
            continue
        said = [m.start(g) for g in ("y", "y2", "y3", "y4") if m.group(g)]
        yesterday = bool(said)
        # "yesterday" stays in the text, so the time step dates the meals on that day.
        spans.append((m.start(), said[0] if said else m.end()))
        for name in _WHOLE_DAY_MEALS:
            slot = SLOTS[name]
            passed = now is None or (now.hour, now.minute) >= (slot.hour, slot.minute)
            if any(f.name == name for f in found) or not (yesterday or passed):
                continue
            found.append(Found("skipped_meal", m.start(), name=name, own_clock=slot))
    return found, spans
