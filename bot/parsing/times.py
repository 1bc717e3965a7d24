"""Times people write ("at 4", "2 hours ago", "for lunch yesterday") resolved against the message.

Small hand rules cover almost everything people type; dateparser is only asked about explicit
calendar dates ("on 3 March"), because on whole messages it misreads pain scores ("7/10"), doses
("400mg"), bare hours ("at 4") and words such as "may", "sat" or "sun". A cheap regex gate keeps
it off the path entirely for messages without such a date.

Conventions (documented because a reader could choose differently):
- A bare hour 1–11 ("at 4") is the most recent past 4:00 or 16:00. With an explicit past day
  ("yesterday at 4") 7–11 read as morning and 1–6 as afternoon.
- Meal and day-part slots: breakfast/morning 08:00, woke up 07:00, brunch 11:00, lunch 12:30,
  afternoon 15:00, dinner/evening 19:00, tonight 20:00, last night 21:00, bed 22:30. When the slot
  is later than `now` but its window has begun ("for dinner" sent at 18:30), the time is `now`;
  before the window it is yesterday's slot.
- A day without a clock ("yesterday", "on monday") is noon of that day (today: now); weekday
  names mean the most recent such day, today included ("friday drinks" sent on a Friday), except
  "last friday", which is at least a day back. A day word alone ("yesterday I had...") dates its
  whole sentence; a day with a day part ("last night") only its own clause.
- Nothing lands after `now`: a clock time later than now means yesterday.
- A range ("from 5pm to 7pm", "5-7pm", "between 3 and 5", "11pm to 3am") ends at the first such
  time after its start, so it may run past midnight; a bare start takes the latest reading that is
  already over. An end still to come ("from 7pm to 10pm" sent at 20:00) is not logged: the start is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.parsing.numbers import NUMBER_WORDS

NOON = time(12, 0)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_ABBREV = {
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "weds": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)


@dataclass(frozen=True, slots=True)
class Clock:
    """A time of day. `rule`: exact (3pm, 15:00), bare (at 4: am or pm) or slot (for lunch)."""

    hour: int
    minute: int = 0
    rule: str = "exact"
    window_start: int = 0  # slots only: hour from which "later today" means "now"


@dataclass(frozen=True, slots=True)
class TimeMention:
    """One time expression found in the text, with its character span."""

    start: int
    end: int
    day: date | None = None
    clock: Clock | None = None
    ago: timedelta | None = None
    until: bool = False  # "till 5": when something stopped
    anchor: int | None = None  # a range's end: where its start is ("between 3 and 5")


SLOTS: dict[str, Clock] = {
    "breakfast": Clock(8, 0, "slot", 5),
    "morning": Clock(8, 0, "slot", 5),
    "woke": Clock(7, 0, "slot", 5),
    "brunch": Clock(11, 0, "slot", 10),
    "lunch": Clock(12, 30, "slot", 11),
    "after lunch": Clock(13, 30, "slot", 13),
    "afternoon": Clock(15, 0, "slot", 12),
    "dinner": Clock(19, 0, "slot", 17),
    "after dinner": Clock(20, 0, "slot", 19),
    "after breakfast": Clock(9, 0, "slot", 8),
    "evening": Clock(19, 0, "slot", 17),
    "tonight": Clock(20, 0, "slot", 17),
    "night": Clock(21, 0, "slot", 19),
    "bed": Clock(22, 30, "slot", 21),
}
_MEAL_WORD = {
    "breakfast": "breakfast",
    "brekkie": "breakfast",
    "brekky": "breakfast",
    "brunch": "brunch",
    "lunch": "lunch",
    "lunchtime": "lunch",
    "dinner": "dinner",
    "dinnertime": "dinner",
    "supper": "dinner",
    "tea": "dinner",  # "pizza for tea": the evening meal (UK)
    "bed": "bed",
    "bedtime": "bed",
}
_PART_WORD = {
    "morning": "morning",
    "afternoon": "afternoon",
    "arvo": "afternoon",
    "evening": "evening",
    "night": "night",
    **_MEAL_WORD,
}

_AMOUNT = (
    r"(?P<n>\d+(?:\.\d+)?|an?|one|two|three|four|five|six|ten|fifteen|twenty|thirty"
    r"|forty(?: five)?|a couple(?: of)?|couple(?: of)?|a few|few|half an?)"
)
_AGO = re.compile(
    _AMOUNT + r"\s*(?P<u>hours?|hrs?|h|minutes?|mins?|m)\b(?P<half>\s+and\s+a\s+half)?\s+ago\b"
)
_JUST_NOW = re.compile(r"\b(?:just now|right now|earlier|a moment ago)\b")
_DAY_BEFORE = re.compile(r"\b(?:the\s+)?day\s+before\s+yesterday\b")
_YESTERDAY = re.compile(r"\b(?:yesterday|yday|yest)\b")
_TODAY = re.compile(r"\btoday\b")
_LAST_NIGHT = re.compile(r"\blast\s+(?:night|nite)\b|\bovernight\b|\bin\s+the\s+night\b")
_WEEKDAY = re.compile(
    r"\b(?:on\s+|last\s+)?(?P<wd>" + "|".join(WEEKDAYS) + r")(?:'s)?\b"
    r"|\b(?:on|last)\s+(?P<ab>" + "|".join(_WEEKDAY_ABBREV) + r")\b"
)
_PART = re.compile(
    r"\b(?P<lead>this|yesterday|last|in\s+the|since|since\s+the|(?:on\s+)?(?:"
    + "|".join(WEEKDAYS)
    + r"))\s+(?P<part>morning|afternoon|arvo|evening|night|lunchtime|lunch|breakfast|dinner)\b"
)
_TONIGHT = re.compile(r"\b(?:tonight|tonite|this\s+evening)\b")
_MEAL = re.compile(
    r"\b(?P<prep>for|at|with|over|during|after|before|around|by|since|from)\s+(?:my\s+|the\s+|our\s+)?"
    r"(?P<meal>breakfast|brekkie|brekky|brunch|lunch|lunchtime|dinner|dinnertime|supper|bedtime|bed)\b"
    r"|\b(?:for|at|after)\s+(?:my\s+|our\s+)?(?P<tea>tea)\b"
    r"(?=\s*(?:$|[,.!;)]|tonight|today|yesterday|last))"
    r"|(?:^|(?<=[.!?;])|(?<=[.!?;]\s))\s*(?P<lead>breakfast|brekkie|brunch|lunch|dinner|supper)\b"
    r"(?=\s*(?::|-|was|were|is))",
    re.MULTILINE,  # a meal label at the start of any line or sentence: "Lunch: sandwich"
)
_WOKE = re.compile(
    r"\b(?:since|when|after|as\s+soon\s+as)?\s*(?:i\s+)?woke\s+up\b(?:\s+with)?"
    r"|\bon\s+waking\b|\bfirst\s+thing(?:\s+this\s+morning)?\b"
)
# "Morning coffee", "morning run then...": a day part at the start of a sentence, before a noun.
_MORNING_THING = re.compile(r"(?:^|(?<=[.!?;\n])\s*)morning(?=\s+[a-z])", re.MULTILINE)
_HALF_PAST = re.compile(
    r"\b(?:at\s+|around\s+|about\s+)?half\s+(?P<h>[1-9]|1[0-2])\b(?!\s*(?:a|an)\b)"
)
_NOON = re.compile(r"\b(?:at\s+|around\s+|about\s+)?(?P<w>noon|midday|midnight)\b")
_CLOCK = re.compile(
    r"(?:\b(?P<prep>at|around|about|arround|by|from|since|till|until|til|approx|circa)\s*|@\s*|~\s*)?"
    r"(?<![\d/.])\b(?P<h>\d{1,2})(?:[:.](?P<m>[0-5]\d))?\s*"
    r"(?P<ap>a\.?m\.?|p\.?m\.?)?(?P<tail>\s*-?ish|\s*o'?clock)?(?![\w/])"
)
# A range of clock times: "from 5pm to 7pm", "5-7pm", "11:30-14:00", "between 3 and 5", "from
# 8pm to midnight". Read as a start and an end ("until"); see _range_clocks for when it counts.
_RANGE = re.compile(
    r"(?:\b(?P<prep>from|between)\s+(?:about\s+|around\s+)?)?"
    r"(?<![\d/.:])\b(?:(?P<h1>\d{1,2})(?:[:.](?P<m1>[0-5]\d))?\s*(?P<ap1>a\.?m\.?|p\.?m\.?)?"
    r"|(?P<w1>noon|midday))"
    r"\s*(?P<sep>-|–|—|\bto\b|\btill\b|\buntil\b|\btil\b|\band\b)\s*(?:about\s+|around\s+)?"
    r"(?:(?P<h2>\d{1,2})(?:[:.](?P<m2>[0-5]\d))?\s*(?P<ap2>a\.?m\.?|p\.?m\.?)?"
    r"|(?P<w2>noon|midday|midnight))"
    r"(?P<tail>\s*-?ish|\s*o'?clock)?(?![\w/])(?![:.]\d)"
)
# What may follow a bare "at 4" so that it is a time and not "about 4 coffees".
_AFTER_BARE = re.compile(
    r"\s*(?:$|[,.;!?)\-|]|(?:today|yesterday|tonight|this|last|and|then|i|i'm|im|my|the|but|so|"
    r"with|when|it|for|on|in|after|before|while|until|till|or|had|ate|took|started|got|"
    r"migraine|headache|at|a|an|pm|am|ish|o'?clock)\b)"
)
_DATE = re.compile(
    r"\b(?:on\s+)?(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>" + MONTHS + r")\b"
    r"|\b(?:on\s+)?(?P<mon2>" + MONTHS + r")\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?\b"
    r"|\bon\s+(?:the\s+)?(?P<d3>\d{1,2})(?:st|nd|rd|th)\b"
    r"|\bon\s+(?P<dd>\d{1,2}/\d{1,2}(?:/\d{2,4})?)\b"
)
# The gate: only messages matching this ever reach dateparser.
_DATE_GATE = _DATE


def _amount(text: str) -> float:
    text = " ".join(text.split())
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    return float(text)


def at_local(day: date, hour: int, minute: int, tz: ZoneInfo) -> datetime:
    """A wall-clock time in `tz`, normalised so that times skipped by DST still exist."""
    wall = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
    return wall.astimezone(UTC).astimezone(tz)


def _later(a: datetime, b: datetime) -> bool:
    return a.timestamp() > b.timestamp()


def _weekday_date(today: date, weekday: int, last: bool = False) -> date:
    """The most recent such day, today included ("friday drinks" on a Friday), unless "last"."""
    back = (today.weekday() - weekday) % 7
    return today - timedelta(days=back or (7 if last else 0))


def _dateparser_parse(text: str, base: datetime, date_order: str = "DMY") -> datetime | None:
    """The one place dateparser is called (tests replace it to prove it is not reached)."""
    import dateparser

    settings: Any = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": date_order,
    }
    found: datetime | None = dateparser.parse(text, languages=["en"], settings=settings)
    return found


def warm_dateparser() -> None:
    """Import dateparser and build its English data once (about a second), before any message."""
    _dateparser_parse("3 March 2026", datetime(2026, 3, 4))


def _explicit_date(match: re.Match[str], now: datetime) -> date | None:
    base = now.replace(tzinfo=None)
    # "on 3/11": the 3rd of November, except in the Americas where it is the 11th of March.
    zone = getattr(now.tzinfo, "key", "")
    order = "MDY" if zone.startswith("America/") else "DMY"
    found = _dateparser_parse(match.group(0).removeprefix("on ").strip(), base, order)
    if found is None:
        return None
    day = found.date()
    if day > now.date():  # "on 3 December" sent in November means last year's
        try:
            day = day.replace(year=day.year - 1)
        except ValueError:
            return None
    return day


def find_times(text: str, now: datetime) -> list[TimeMention]:
    """Every time expression in `text` (lowercase), non-overlapping, in order of position."""
    today = now.date()
    found: list[TimeMention] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], **kw: Any) -> None:
        start, end = m.span()
        while start < end and text[start].isspace():
            start += 1
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(TimeMention(start, end, **kw))

    for m in _AGO.finditer(text):
        amount = _amount(m.group("n"))
        if m.group("half"):
            amount += 0.5
        unit = m.group("u")
        minutes = amount * 60 if unit.startswith("h") else amount
        add(m, ago=timedelta(minutes=minutes))
    for m in _DAY_BEFORE.finditer(text):
        add(m, day=today - timedelta(days=2))
    for m in _PART.finditer(text):
        lead, part = m.group("lead"), _PART_WORD[m.group("part")]
        clock = SLOTS[part]
        day: date | None = None
        if lead in ("yesterday", "last"):
            day = today - timedelta(days=1)
        elif lead.removeprefix("on ").strip() in WEEKDAYS:
            day = _weekday_date(today, WEEKDAYS.index(lead.removeprefix("on ").strip()))
        elif lead.startswith("in") and part == "night":
            day = today if now.hour >= 21 else today - timedelta(days=1)
        add(m, day=day, clock=clock)
    for m in _LAST_NIGHT.finditer(text):
        add(m, day=today - timedelta(days=1), clock=SLOTS["night"])
    for m in _TONIGHT.finditer(text):
        add(m, clock=SLOTS["tonight"] if "night" in m.group(0) else SLOTS["evening"])
    if _DATE_GATE.search(text):
        for m in _DATE.finditer(text):
            explicit = _explicit_date(m, now)
            if explicit is not None:
                add(m, day=explicit)
    for m in _MEAL.finditer(text):
        meal = _MEAL_WORD[m.group("meal") or m.group("lead") or m.group("tea")]
        if m.group("prep") == "after" and meal in ("breakfast", "lunch", "dinner"):
            meal = "after " + meal
        add(m, clock=SLOTS[meal])
    for m in _WOKE.finditer(text):
        add(m, clock=SLOTS["woke"])
    for m in _MORNING_THING.finditer(text):
        add(m, clock=SLOTS["morning"])
    for m in _RANGE.finditer(text):
        clocks = _range_clocks(m, text)
        if clocks is None or any(m.start() < e and s < m.end() for s, e in taken):
            continue
        taken.append(m.span())
        found.append(TimeMention(m.start(), m.start("sep"), clock=clocks[0]))
        found.append(
            TimeMention(m.start("sep"), m.end(), clock=clocks[1], until=True, anchor=m.start())
        )
    for m in _HALF_PAST.finditer(text):
        add(m, clock=Clock(int(m.group("h")), 30, "bare"))
    for m in _NOON.finditer(text):
        add(m, clock=Clock(0 if m.group("w") == "midnight" else 12, 0))
    for m in _CLOCK.finditer(text):
        read = _clock_of(m, text)
        if read is not None:
            add(m, clock=read, until=m.group("prep") in ("till", "until", "til"))
    for m in _YESTERDAY.finditer(text):
        add(m, day=today - timedelta(days=1))
    for m in _TODAY.finditer(text):
        add(m, day=today)
    for m in _WEEKDAY.finditer(text):
        wd = WEEKDAYS.index(m.group("wd")) if m.group("wd") else _WEEKDAY_ABBREV[m.group("ab")]
        add(m, day=_weekday_date(today, wd, last=m.group(0).startswith("last")))
    for m in _JUST_NOW.finditer(text):
        add(m, ago=timedelta(0))
    return sorted(found, key=lambda t: t.start)


def _clock_of(m: re.Match[str], text: str) -> Clock | None:
    hour, minute = int(m.group("h")), int(m.group("m") or 0)
    ap, prep, tail = m.group("ap"), m.group("prep"), m.group("tail")
    if ap:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ap.startswith("p") else 0)
        return Clock(hour, minute)
    if m.group("m") and (":" in m.group(0) or 13 <= hour <= 23) and hour <= 23:
        return Clock(hour, minute, "exact" if hour >= 13 or hour == 0 else "bare")
    if not (prep or tail or m.group(0).lstrip().startswith(("@", "~"))):
        return None
    if m.group("m") and not prep:
        return None
    if not tail and not _AFTER_BARE.match(text, m.end()):
        return None
    if hour > 23:
        return None
    if hour >= 13 or hour == 0:
        return Clock(hour, minute)
    return Clock(hour, minute, "bare")


def _range_clocks(m: re.Match[str], text: str) -> tuple[Clock, Clock] | None:
    """The start and end of "5-7pm", "from 2 till 6", "between 3 and 5"; None if not a time range.

    Without "from"/"between", only times that are clearly times ("5-7pm", "11:30-14:00") count, so
    "3-4 coffees" is not one; "and" only after "between"; bare hours need what `_AFTER_BARE`
    allows after them ("from 2 to 6 coffees a day" is not a range). An "am"/"pm" on the end
    alone also tells the start's: "5-7pm" is 17:00–19:00, "11-2pm" 11:00–14:00.
    """
    prep, sep = m.group("prep"), m.group("sep")
    if sep == "and" and prep != "between":
        return None
    colon = ":" in m.group(0)
    clear = bool(m.group("ap1") or m.group("ap2") or colon or m.group("w1") or m.group("w2"))
    if not prep and not clear:
        return None
    if not (m.group("ap2") or m.group("w2") or m.group("tail")) and not _AFTER_BARE.match(
        text, m.end()
    ):
        return None
    end = _one_clock(m.group("h2"), m.group("m2"), m.group("ap2"), m.group("w2"))
    start = _one_clock(m.group("h1"), m.group("m1"), m.group("ap1"), m.group("w1"))
    if start is None or end is None:
        return None
    ap2 = m.group("ap2")
    if start.rule == "bare" and ap2 and start.hour <= 12:
        pm = ap2.startswith("p")
        same_half = start.hour % 12 < end.hour % 12
        start = Clock(start.hour % 12 + (12 if pm == same_half else 0), start.minute)
    return start, end


def _one_clock(h: str | None, m: str | None, ap: str | None, word: str | None) -> Clock | None:
    if word:
        return Clock(0 if word == "midnight" else 12, 0)
    if h is None:
        return None
    hour, minute = int(h), int(m or 0)
    if ap:
        if not 1 <= hour <= 12:
            return None
        return Clock(hour % 12 + (12 if ap.startswith("p") else 0), minute)
    if hour > 23:
        return None
    return Clock(hour, minute) if hour >= 13 or hour == 0 else Clock(hour, minute, "bare")


def with_day_part(clock: Clock, part: Clock) -> Clock:
    """A bare hour read in the light of a day part: "last night around 11" is 23:00."""
    if clock.rule != "bare" or part.rule != "slot":
        return clock
    hour = clock.hour % 12 + (12 if part.hour >= 12 else 0)
    return Clock(hour, clock.minute)


def resolve_range(
    now: datetime, tz: ZoneInfo, *, day: date | None, start: Clock, end: Clock
) -> tuple[datetime, datetime | None]:
    """When a range of clock times ("from 2 till 6", "11pm to 3am") began and ended.

    The end is the first such time after the start (so "11pm to 3am" ends the next day). A bare
    start hour takes the latest reading whose end has already come ("from 6 till 10" sent at 20:00
    is 06:00–10:00). When every reading ends after `now` ("from 7pm to 10pm" sent at 20:00), the
    end has not happened: the end is None and only the start counts.
    """
    today = now.date()
    if start.rule == "bare" and (day is None or day >= today):
        base = start.hour % 12
        starts = sorted(
            (
                c
                for c in (
                    at_local(d, h, start.minute, tz)
                    for d in (today, today - timedelta(days=1))
                    for h in (base, base + 12)
                )
                if not _later(c, now)
            ),
            key=lambda c: c.timestamp(),
            reverse=True,
        )
    else:
        starts = [resolve(now, tz, day=day, clock=start)]
    for began in starts:
        ended = _next_clock(began, end, tz)
        if not _later(ended, now):
            return began, ended
    return starts[0], None


def _next_clock(after: datetime, clock: Clock, tz: ZoneInfo) -> datetime:
    """The first time after `after` that shows `clock` (either half of the day if bare)."""
    hours = (clock.hour % 12, clock.hour % 12 + 12) if clock.rule == "bare" else (clock.hour,)
    first = after.astimezone(tz).date()
    return min(
        (
            c
            for c in (
                at_local(d, h, clock.minute, tz)
                for d in (first, first + timedelta(days=1))
                for h in hours
            )
            if _later(c, after)
        ),
        key=lambda c: c.timestamp(),
    )


def resolve(
    now: datetime,
    tz: ZoneInfo,
    *,
    day: date | None = None,
    clock: Clock | None = None,
    ago: timedelta | None = None,
) -> datetime:
    """The moment meant by a day, a clock time or an "ago", never after `now` (local)."""
    if ago is not None:
        return (now.astimezone(UTC) - ago).astimezone(tz)
    if clock is None:
        if day is None or day >= now.date():
            return now
        return at_local(day, NOON.hour, NOON.minute, tz)
    if day is not None and day < now.date():
        hour = clock.hour
        if clock.rule == "bare" and hour < 12:
            hour = hour if hour >= 7 else hour + 12
        return at_local(day, hour, clock.minute, tz)
    today = now.date()
    if clock.rule == "bare":
        base = clock.hour % 12
        candidates = [
            at_local(d, h, clock.minute, tz)
            for d in (today, today - timedelta(days=1))
            for h in (base, base + 12)
        ]
        return max(c for c in candidates if not _later(c, now))
    moment = at_local(today, clock.hour, clock.minute, tz)
    if not _later(moment, now):
        return moment
    if clock.rule == "slot" and now.hour >= clock.window_start:
        return now
    return at_local(today - timedelta(days=1), clock.hour, clock.minute, tz)
