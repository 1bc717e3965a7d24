"""The message parser: free text as written to a friend → dated events.

Pure: no telegram and no storage, so it can be tested and benchmarked on its own.

Pipeline, each step masking the words it used so the next does not misread them:
skipped meals → times → migraine → medication → foods; then each event gets the time of its clause.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.parsing import clauses
from bot.parsing.events import Intent, ParsedEvent, ParseResult
from bot.parsing.foods import find_foods
from bot.parsing.found import MASK, Found, mask
from bot.parsing.intent import chatter_intent, chatter_span
from bot.parsing.meals import find_skipped_meals
from bot.parsing.medication import find_medication
from bot.parsing.migraine import about_an_attack, continues_report, find_migraine, severity_in
from bot.parsing.normalise import normalise
from bot.parsing.times import (
    Clock,
    TimeMention,
    find_times,
    resolve,
    warm_dateparser,
    with_day_part,
)
from bot.parsing.vocabulary import Vocabulary, default_vocabulary

__all__ = ["ParseResult", "ParsedEvent", "parse_message", "warm_up"]


def warm_up() -> None:
    """Load the vocabulary and dateparser once at start-up, so the first message is not slow."""
    default_vocabulary()
    warm_dateparser()


@dataclass(slots=True)
class _ClauseTime:
    """The time words of one chunk."""

    day: date | None = None
    clock: Clock | None = None
    ago: timedelta | None = None
    at: int | None = None  # position of the first clock/ago mention
    until: TimeMention | None = None  # "migraine from 2 till 5": when it ended

    @property
    def timed(self) -> bool:
        return self.clock is not None or self.ago is not None

    def add(self, mention: TimeMention) -> None:
        if mention.until:
            self.until = self.until or mention
            return
        if mention.day is not None and self.day is None:
            self.day = mention.day
        if mention.ago is not None and not self.timed:
            self.ago, self.at = mention.ago, mention.start
        new = mention.clock
        if new is None or self.ago is not None:
            return
        if self.clock is None:
            self.clock, self.at = new, mention.start
        elif self.clock.rule == "slot" and new.rule != "slot":
            self.clock = with_day_part(new, self.clock)
        elif new.rule == "slot" and self.clock.rule == "bare":
            self.clock = with_day_part(self.clock, new)


def parse_message(
    text: str, now: datetime, tz: ZoneInfo, vocabulary: Vocabulary | None = None
) -> ParseResult:
    """Events in `text`, sent at `now`; times resolved in `tz`, returned tz-aware in `tz`."""
    vocab = vocabulary if vocabulary is not None else default_vocabulary()
    local = now.astimezone(tz)
    norm = normalise(text)
    chatter = chatter_span(norm)
    masked = mask(norm, [chatter]) if chatter else norm
    segments = clauses.split(masked)

    found: list[Found] = []
    for seg in segments:
        meals, spans = find_skipped_meals(masked, seg.start, seg.end)
        found += meals
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

    events: list[ParsedEvent] = []
    owner = _join_follow_ons(segments, found, mentions, masked)
    for index, seg in enumerate(segments):
        in_segment = sorted((f for f in found if seg.start <= f.pos < seg.end), key=lambda f: f.pos)
        kept = [f for f in in_segment if not seg.chunks[seg.chunk_index(f.pos)].question]
        seg_mentions = [m for m, o in zip(mentions, owner, strict=True) if o == index]
        events += _dated(seg, kept, seg_mentions, local, tz)

    intent: Intent
    if events:
        intent = "log"
    else:
        intent = chatter_intent(norm)
        if negated and intent != "question":
            intent = "negation_only"
    return ParseResult(events=events, intent=intent)


def _join_follow_ons(
    segments: list[clauses.Segment],
    found: list[Found],
    mentions: list[TimeMention],
    masked: str,
) -> list[int]:
    """Which segment each time mention dates, joining follow-on sentences to the one before.

    A sentence that only adds detail ("Migraine. Started an hour ago. Maybe a 6", "Migraine.
    Again. 7/10") gives its time and severity to the previous sentence's migraine instead of
    logging anything itself. `found` loses the bare-score starts that were such details.
    """
    owner_of_segment = list(range(len(segments)))
    for i, seg in enumerate(segments):
        mine = [f for f in found if seg.start <= f.pos < seg.end]
        if not i or not (
            (not mine and continues_report(masked, seg.start, seg.end))
            or (mine and all(f.score_only for f in mine))
        ):
            continue
        owner_of_segment[i] = owner_of_segment[i - 1]
        previous: list[Found] = []
        for earlier in reversed(segments[:i]):  # "Migraine. Again. 7/10": skip the chatter
            previous = [f for f in found if earlier.start <= f.pos < earlier.end]
            if previous:
                break
        previous = [f for f in previous if f.kind == "migraine_start"]
        if mine and not previous:
            owner_of_segment[i] = i  # a score on its own line is a report of its own
            continue
        for f in mine:
            found.remove(f)
        stated = (
            mine[0].severity if mine else severity_in(masked, seg.start, seg.end, loose=True)[0]
        )
        for f in previous:
            f.severity = f.severity if f.severity is not None else stated
    owners = []
    for mention in mentions:
        i = next(k for k, s in enumerate(segments) if s.start <= mention.start < s.end)
        owners.append(owner_of_segment[i])
    return owners


def _dated(
    seg: clauses.Segment,
    found: list[Found],
    mentions: list[TimeMention],
    now: datetime,
    tz: ZoneInfo,
) -> list[ParsedEvent]:
    """Events of one segment, each dated by its own chunk's time words or a neighbour's."""
    own = [_ClauseTime() for _ in seg.chunks]
    for mention in mentions:
        own[seg.chunk_index(mention.start)].add(mention)
    seg_day = next((c.day for c in own if c.day is not None), None)
    timed = [i for i, c in enumerate(own) if c.timed]
    leading = False
    if timed:
        first = timed[0]
        first_event = min((f.pos for f in found if seg.chunk_index(f.pos) == first), default=None)
        said_at = own[first].at
        leading = first_event is None or (said_at is not None and said_at < first_event)

    kinds = [{f.kind for f in found if seg.chunk_index(f.pos) == i} for i in range(len(own))]

    def inherited(i: int, kind: str) -> _ClauseTime:
        """A neighbour's time, if that neighbour is a pure time or lists the same kind of event."""
        if own[i].timed or not timed:
            return own[i]
        before = [t for t in timed if t < i]
        after = [t for t in timed if t > i]
        order = (before[::-1] + after) if leading else (after + before[::-1])
        for t in order:
            if not kinds[t] or kind in kinds[t]:
                return own[t]
        return own[i]

    events = []
    for f in found:
        i = seg.chunk_index(f.pos)
        spec = inherited(i, f.kind)
        day = own[i].day or spec.day or seg_day
        clock, ago = spec.clock, spec.ago
        stated = own[i].clock
        if f.own_clock is not None and (
            not own[i].timed or (stated is not None and stated.rule == "slot")
        ):
            clock, ago = f.own_clock, None
        at = resolve(now, tz, day=day, clock=clock, ago=ago)
        until = own[i].until
        if f.kind == "migraine_start" and until is not None and until.clock is not None:
            ended = resolve(now, tz, day=day, clock=until.clock)
            events.append(ParsedEvent(kind="migraine_end", at=ended))
        events.append(
            ParsedEvent(
                kind=f.kind,
                at=at,
                name=f.name,
                quantity=f.quantity,
                severity=f.severity,
                dose=f.dose,
                known=f.known,
            )
        )
    return events
