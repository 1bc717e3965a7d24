"""Skipped meals ("skipped lunch", "didn't have breakfast", "no dinner tonight").

Fasting is one of the most reported triggers, so a missed meal is an event of its own, named
breakfast, lunch or dinner and dated at that meal's usual time unless the message says otherwise.
"Tea" is left out on purpose: "no tea" is about the drink far more often than the meal.
"""

from __future__ import annotations

import re

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


def find_skipped_meals(
    text: str, start: int, end: int
) -> tuple[list[Found], list[tuple[int, int]]]:
    """Skipped-meal events in text[start:end], each with its meal's usual time."""
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
    return found, spans
