"""The message parser: free text as written to a friend → dated events.

Pure: no telegram and no storage, so it can be tested and benchmarked on its own.

Pipeline, each step masking the words it used so the next does not misread them:
skipped meals → factors (sleep, stress, exercise...) → times → migraine → medication → foods;
then each event gets the time of its clause. Food, exercise and skipped meals that "tomorrow" is
about are plans, not a diary: they are dropped (the intent says "future"). "tomorrow" is about
what shares its comma/"and" piece ("pasta tomorrow", "had pasta tomorrow"), and about the rest of
its sentence unless a verb in the past tense comes first: "pizza and wine tomorrow" and "having a
curry and a beer tomorrow" are plans, "had pasta for lunch, gym tomorrow" logs the pasta.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.parsing import clauses
from bot.parsing.dating import date_events
from bot.parsing.events import Intent, ParsedEvent, ParseResult
from bot.parsing.factors import find_factors, out_of_range
from bot.parsing.foods import EATING_VERBS, find_foods
from bot.parsing.found import MASK, Found, mask
from bot.parsing.intent import chatter_intent, chatter_span
from bot.parsing.meals import find_skipped_meals
from bot.parsing.medication import find_medication
from bot.parsing.migraine import about_an_attack, find_migraine
from bot.parsing.normalise import normalise
from bot.parsing.times import find_times, warm_dateparser
from bot.parsing.vocabulary import Vocabulary, default_vocabulary

__all__ = ["ParseResult", "ParsedEvent", "parse_message", "warm_up"]

# "head still pounding": an attack going on, not a new one; "no pain still" is not one.
_STILL = re.compile(r"\bstill\b")
_NOT = re.compile(r"\b(?:no|not|never|free|gone|over|better)\b|n't")
# A sentence about tomorrow: what it eats or does has not happened yet.
_FUTURE = re.compile(
    r"\b(?:tomorrow|tomorow|tommorow|tommorrow|tmrw|tmrow|tmr|tomoz|2moro|2morrow|next\s+week)\b"
)
_PLANNED_KINDS = frozenset({"food", "skipped_meal"})
# Verbs that say whether the food or exercise after them is done or still to come; the nearest
# one before it decides. Past forms are the ones in `_DONE_VERBS`.
_DONE_VERBS = (EATING_VERBS - {"have", "having", "eat", "eating", "drink", "drinking"}) | {
    "skipped",
    "missed",
    "went",
    "ran",
    "walked",
    "swam",
    "cycled",
    "did",
    "done",
    "played",
}
_VERB = re.compile(
    r"\b(?:"
    + "|".join(sorted(map(re.escape, _DONE_VERBS | EATING_VERBS), key=len, reverse=True))
    + r"|go|going|gonna|will|skip|skipping)\b"
)


def warm_up() -> None:
    """Load the vocabulary and dateparser once at start-up, so the first message is not slow."""
    default_vocabulary()
    warm_dateparser()


def parse_message(
    text: str, now: datetime, tz: ZoneInfo, vocabulary: Vocabulary | None = None
) -> ParseResult:
    """Events in `text`, sent at `now`; times resolved in `tz`, returned tz-aware in `tz`.

    `now` should be tz-aware; a naive `now` is read as wall-clock time in `tz`.
    """
    vocab = vocabulary if vocabulary is not None else default_vocabulary()
    local = now.replace(tzinfo=tz) if now.tzinfo is None else now.astimezone(tz)
    norm = normalise(text)
    chatter = chatter_span(norm)
    masked = mask(norm, [chatter]) if chatter else norm
    segments = clauses.split(masked)

    found: list[Found] = []
    for k, seg in enumerate(segments):
        meals, spans = find_skipped_meals(masked, seg.start, seg.end, local)
        found += meals
        masked = mask(masked, spans)
        after = segments[k + 1] if k + 1 < len(segments) else None
        follow = (after.start, after.end) if after is not None else None
        factors, spans = find_factors(masked, seg.start, seg.end, follow)
        found += factors
        masked = mask(masked, spans)
    mentions = find_times(masked, local)
    masked = mask(masked, [(m.start, m.end) for m in mentions], MASK)
    negated = 0
    about_attack = about_an_attack(norm)
    for seg in segments:
        migraine, spans = find_migraine(masked, seg.start, seg.end, about_attack)
        found += migraine
        masked = mask(masked, spans)
        starts = [c.start for c in seg.chunks]
        meds, spans, n = find_medication(masked, seg.start, seg.end, starts)
        found += meds
        negated += n
        masked = mask(masked, spans)
        questions = [(c.start, c.end) for c in seg.chunks if c.question]
        foods, n = find_foods(masked, seg.start, seg.end, vocab, questions)
        found += foods
        negated += n

    planned = [f for f in found if _planned(f, segments, norm)]
    if planned:
        found = [f for f in found if f not in planned]
    events = date_events(segments, found, mentions, masked, local, tz)

    intent: Intent
    scale = None if events else out_of_range(norm)
    if events:
        intent = "log"
    elif scale is not None:
        intent = "stress_out_of_range" if scale == "stress" else "sleep_out_of_range"
    elif planned:
        intent = "future"
    else:
        intent = chatter_intent(norm)
        if negated and intent != "question":
            intent = "negation_only"
        elif intent == "unknown" and about_attack and _STILL.search(norm) and not _NOT.search(norm):
            intent = "attack_ongoing"
    return ParseResult(events=events, intent=intent)


def _planned(found: Found, segments: list[clauses.Segment], text: str) -> bool:
    """Whether a food, exercise or skipped meal is a plan for tomorrow, not something done.

    A future word in its own comma/"and" piece makes it a plan ("pasta tomorrow", "pizza for
    dinner tomorrow"; "had pasta tomorrow" too, as before: the words contradict themselves). One
    elsewhere in the sentence does unless the nearest verb before it is in the past: "pizza and
    wine tomorrow" is a plan, "had pasta for lunch, gym tomorrow" logs the pasta.
    """
    if found.kind not in _PLANNED_KINDS and not (
        found.kind == "factor" and found.name == "exercise"
    ):
        return False
    for seg in segments:
        if seg.start <= found.pos < seg.end:
            chunk = seg.chunks[seg.chunk_index(found.pos)]
            if _FUTURE.search(text, chunk.start, chunk.end) is not None:
                return True
            if _FUTURE.search(text, seg.start, seg.end) is None:
                return False
            return not _done(found.pos, seg.start, text)
    return False


def _done(pos: int, start: int, text: str) -> bool:
    """Whether the nearest eating or exercise verb from `start` up to the word at `pos` is past."""
    word = re.match(r"\S*", text[pos:])
    limit = pos + (word.end() if word else 0)
    verbs = [m.group(0) for m in _VERB.finditer(text, start, limit)]
    return bool(verbs) and verbs[-1] in _DONE_VERBS
