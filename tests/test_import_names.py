"""Imported foods are logged under the bot's own canonical names, unknown ones as written."""

from __future__ import annotations

import io

from bot.diary_csv import read_events, with_canonical_food_names
from bot.parsing.vocabulary import default_vocabulary

CSV = (
    "at,kind,name,quantity,severity,dose\n"
    "2026-11-01T08:00:00+00:00,food,eggs,2,,\n"
    "2026-11-01T12:00:00+00:00,food,Coke,,,\n"
    "2026-11-01T12:00:00+00:00,food,grandma's stew,,,\n"
    "2026-11-01T13:00:00+00:00,medication,ibuprofen,,,400mg\n"
)


def test_food_names_become_canonical_and_unknown_ones_stay() -> None:
    events = with_canonical_food_names(read_events(io.StringIO(CSV)), default_vocabulary())
    assert [(e.kind, e.name, e.known) for e in events] == [
        ("food", "egg", True),
        ("food", "cola", True),
        ("food", "grandma's stew", False),
        ("medication", "ibuprofen", True),
    ]
    assert events[0].quantity == 2
