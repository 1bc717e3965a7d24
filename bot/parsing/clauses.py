"""Splitting a message into clauses, so that each clause's time applies to its own events.

Two levels: *segments* end at sentence punctuation or "but"/"then" and bound negations and
questions; *chunks* are the comma/"and" parts of a segment and carry times
("coffee at 8 and a sandwich at 1pm").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEGMENT_BREAK = re.compile(
    r"\.(?!\d)|[!?;\n]+|\.\.+|\s-\s|\b(?:but|then|and then|after that|afterwards|later on)\b"
)
_CHUNK_BREAK = re.compile(r",|&|\+|\band\b|\bplus\b")
QUESTION_START = re.compile(
    r"\s*(?:how|what|what's|whats|why|when|where|which|who|can|could|do|does|is|are|should|"
    r"did(?!\s+(?:(?:a|an|some|my|\d+\s*(?:mins?|minutes?|hours?|hrs?|k))\s+)?(?:yoga|pilates|"
    r"workout|run|walk|swim|gym|hiit|spin|stretch|stretching|exercise|exercises|weights|cycling|"
    r"swimming|running|walking|hiking|rowing|dancing|circuits|crossfit|zumba|barre|boxing|parkrun|"
    r"class|session|\d+\s*(?:mins?|minutes?|hours?|hrs?|k)|\d{1,3}(?:,\d{3})+\s+steps)\b)|"
    r"would|will|am|any|help|tell\s+me|explain|show\s+me)\b"
)


@dataclass(frozen=True, slots=True)
class Chunk:
    start: int
    end: int
    question: bool


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int
    chunks: tuple[Chunk, ...]

    def chunk_index(self, pos: int) -> int:
        """Which chunk a position (in message coordinates) falls into."""
        for i, chunk in enumerate(self.chunks):
            if pos < chunk.end:
                return i
        return len(self.chunks) - 1


def _pieces(text: str, breaks: re.Pattern[str], start: int, end: int) -> list[tuple[int, int, str]]:
    """Spans between break matches in text[start:end], each with the break text that ends it."""
    out: list[tuple[int, int, str]] = []
    pos = start
    for m in breaks.finditer(text, start, end):
        out.append((pos, m.start(), m.group(0)))
        pos = m.end()
    out.append((pos, end, ""))
    return [p for p in out if text[p[0] : p[1]].strip()]


def chunk_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The comma/"and" pieces of text[start:end], as the chunks of `split` would have them."""
    return [(s, e) for s, e, _ in _pieces(text, _CHUNK_BREAK, start, end)]


def split(text: str) -> list[Segment]:
    """Segments and their chunks; a chunk is a question when its clause asks something."""
    segments: list[Segment] = []
    for s_start, s_end, terminator in _pieces(text, _SEGMENT_BREAK, 0, len(text)):
        parts = _pieces(text, _CHUNK_BREAK, s_start, s_end) or [(s_start, s_end, "")]
        asks = "?" in terminator
        whole_question = bool(QUESTION_START.match(text, s_start)) and (asks or len(parts) == 1)
        chunks = []
        for i, (c_start, c_end, _) in enumerate(parts):
            question = (
                whole_question
                or bool(QUESTION_START.match(text, c_start))
                or (asks and i == len(parts) - 1)
            )
            chunks.append(Chunk(c_start, c_end, question))
        segments.append(Segment(s_start, s_end, tuple(chunks)))
    return segments
