"""An event found in the text before its time is known, and the masking that claims its words.

Extractors run one after another on the same text; each masks what it consumed with `MASK` so that
later ones do not read "lunch" in "skipped lunch" as a time or "7" in "7/10" as a food quantity.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.parsing.events import EventKind
from bot.parsing.times import Clock

MASK = "|"  # words used by a time expression: a food list may go on after it
EVENT_MASK = "#"  # words used by another event: a food list ends there


@dataclass(slots=True)
class Found:
    """An event at a character position; `own_clock` is a time it implies (skipped lunch)."""

    kind: EventKind
    pos: int
    name: str | None = None
    quantity: float | None = None
    severity: int | None = None
    dose: str | None = None
    known: bool = True
    value: float | None = None  # factors: hours, 1–5, minutes... (see factors.py)
    detail: str | None = None
    own_clock: Clock | None = None
    score_only: bool = False  # a migraine start read from a bare "7/10"


def mask(text: str, spans: list[tuple[int, int]], char: str = EVENT_MASK) -> str:
    """`text` with each span replaced by `char` (positions are kept)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = char * (end - start)
    return "".join(chars)
