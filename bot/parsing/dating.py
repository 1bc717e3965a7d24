"""Giving each event its time: the time words of its own clause, or of a neighbouring one.

"coffee at 8 and a sandwich at 1pm": each chunk has its own time. "2 coffees and a croissant this
morning": the chunk without one borrows its neighbour's, but only from a chunk that lists the same
kind of event or is a pure time ("migraine since 10am, took rizatriptan": the pill is dated now).
A follow-on sentence ("Migraine. Started an hour ago. Maybe a 6") dates the one before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.parsing.clauses import Segment
from bot.parsing.events import ParsedEvent
from bot.parsing.found import Found
from bot.parsing.migraine import continues_report, severity_in
from bot.parsing.times import Clock, TimeMention, resolve, resolve_range, with_day_part


def date_events(
    segments: list[Segment],
    found: list[Found],
    mentions: list[TimeMention],
    masked: str,
    now: datetime,
    tz: ZoneInfo,
) -> list[ParsedEvent]:
    """Every event found, dated; events in question clauses are dropped."""
    owner = _join_follow_ons(segments, found, mentions, masked)
    events: list[tuple[int, ParsedEvent]] = []
    for index, seg in enumerate(segments):
        in_segment = sorted((f for f in found if seg.start <= f.pos < seg.end), key=lambda f: f.pos)
        kept = [f for f in in_segment if not seg.chunks[seg.chunk_index(f.pos)].question]
        seg_mentions = [m for m, o in zip(mentions, owner, strict=True) if o == index]
        events += _dated(seg, kept, seg_mentions, now, tz)
    return _without_ends_before_starts(events)


def _without_ends_before_starts(events: list[tuple[int, ParsedEvent]]) -> list[ParsedEvent]:
    """Drops an end written after a start but dated before it: "migraine started at 5pm and
    ended at 9pm" sent at 20:00 would put the end at yesterday's 21:00; it has not happened.
    """
    kept = []
    for pos, event in events:
        if event.kind == "migraine_end" and any(
            other.kind == "migraine_start" and p < pos and other.at > event.at
            for p, other in events
        ):
            continue
        kept.append(event)
    return kept


@dataclass(slots=True)
class _ClauseTime:
    """The time words of one chunk."""

    day: date | None = None
    clock: Clock | None = None
    ago: timedelta | None = None
    at: int | None = None  # position of the first clock/ago mention
    until: TimeMention | None = None  # "migraine from 2 till 5": when it ended
    pure_day: date | None = None  # a day word without a clock of its own

    @property
    def timed(self) -> bool:
        return self.clock is not None or self.ago is not None

    def add(self, mention: TimeMention) -> None:
        if mention.until:
            self.until = self.until or mention
            return
        if mention.day is not None and self.day is None:
            self.day = mention.day
        if mention.day is not None and mention.clock is None and self.pure_day is None:
            self.pure_day = mention.day  # "yesterday": dates the whole sentence
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


def _join_follow_ons(
    segments: list[Segment],
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
        # The segment it starts in (or, inside a break such as "later on", the one before).
        i = max((k for k, s in enumerate(segments) if s.start <= mention.start), default=0)
        owners.append(owner_of_segment[i] if segments else 0)
    return owners


def _dated(
    seg: Segment,
    found: list[Found],
    mentions: list[TimeMention],
    now: datetime,
    tz: ZoneInfo,
) -> list[tuple[int, ParsedEvent]]:
    """Events of one segment and their positions, each dated by its chunk's time words or a
    neighbour's."""
    own = [_ClauseTime() for _ in seg.chunks]
    for mention in mentions:
        pos = mention.anchor if mention.anchor is not None else mention.start
        own[seg.chunk_index(pos)].add(mention)
    seg_day = next((c.pure_day for c in own if c.pure_day is not None), None)
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
        if before and after:  # a step in a story: "at 4am, took sumatriptan, gone by 9"
            return own[before[-1]]
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
            ended: datetime | None
            if clock is not None and ago is None:
                at, ended = resolve_range(now, tz, day=day, start=clock, end=until.clock)
            else:
                ended = resolve(now, tz, day=day, clock=until.clock)
            if ended is not None:  # an end still to come is not logged
                events.append((f.pos, ParsedEvent(kind="migraine_end", at=ended)))
        events.append(
            (
                f.pos,
                ParsedEvent(
                    kind=f.kind,
                    at=at,
                    name=f.name,
                    quantity=f.quantity,
                    severity=f.severity,
                    dose=f.dose,
                    known=f.known,
                    value=f.value,
                    detail=f.detail,
                ),
            )
        )
    return events
