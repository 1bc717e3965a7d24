"""Lifestyle factors: sleep, stress, exercise, probiotics, antibiotics and periods.

Each is an event of kind `factor` with a `name`, a numeric `value` or None, and an optional text
`detail`. The names and what their value means (documented because a reader could choose
differently):

- `sleep_hours`: hours slept ("slept 5 hours", "6.5 hrs sleep", "got seven hours of sleep"), or
  from bed and waking times ("slept from 11 to 6", "slept 11pm-6am", "in bed at midnight, up at
  7" → 7), dated at the waking time; a bare bed hour 7–12 is evening, 1–6 after midnight, a bare
  waking hour is morning. "couldn't sleep from 11 to 6" is a poor night, not 7 hours. Both times
  must be in one sentence ("bed at 11. up at 6" and "bed at 11 then up at 6" log nothing).
- `sleep_quality`: 1 poor ("bad night", "slept badly", "didn't sleep well", "barely slept"),
  2 ok ("slept ok", "so-so night"), 3 good ("slept great", "good night's sleep").
  Sleep is dated at waking (07:00, the "woke up" slot) unless the clause gives a clock time, so
  "slept badly last night" lands on this morning: the night belongs to the day it ends in.
- `stress`: 1–5. A number when given ("stress 4/5", "stress level 3"); otherwise words:
  relaxed/calm/no stress → 1, a bit stressed → 2, some/moderate stress → 3,
  stressed/stressful → 4, very/really/super/so stressed, extremely stressful → 5.
  A score out of 10 ("stress 8/10") is halved, rounded up.
- `exercise`: minutes when said ("30 min run", "walked for an hour" → 60, "walked the dog for 40
  minutes" → 40, "45 minutes of cycling", "30 mins on the bike", "ran 5k in 28 minutes"), else
  None ("ran 5k", "yoga this morning", "went swimming": a distance is not turned into a guessed
  time). `detail` is the activity, one word a kind ("cycling", "cycled", "on the bike" → "cycle";
  "swimming" → "swim"; "parkrun" → "run"). A step count ("10k steps", "walked 12,000 steps") is
  exercise with value None and detail "steps": steps are not minutes. Exercise that did not happen
  logs nothing: a cue before it in the same clause, with at most four filler words between ("no
  swim", "skipped the gym", "too tired to go to the gym", "wanted to go for a run"; not "no
  migraine today went for a run") or a calling-off after it ("gym was closed", "yoga got
  cancelled"); "swimming pool", "went shopping" and "had squash" (the drink; "played squash" is
  the sport) are not exercise.
- `probiotic`: value None; `detail` the strain when given ("lactobacillus rhamnosus").
  Probiotic foods ("probiotic yogurt", "yakult") stay foods.
- `antibiotics_start` / `antibiotics_end`: a course starting ("started amoxicillin") or ending
  ("finished antibiotics"); value the course length in days when stated ("7 day course"),
  `detail` the drug when named. A dose without start/end words ("took my amoxicillin",
  "on antibiotics") is `antibiotics`: a day within a course. None of these are medication.
- `period_start` / `period_end`, and `period` for a day of it ("on my period", "period
  cramps", "time of the month", "period day 2"). "period day 2" is read simply as a day of it, not
  as a start yesterday (a start is only logged when the person says so); "period day 1" is the
  start. Nothing is logged for a period that has not come ("no period yet", "my period is late",
  "waiting for my period", "missed my period", "period due tomorrow"); only filler words may stand
  between the cue and the period, so "no migraine on my period" logs the period.
  Logged when written; the bot never asks about it unless the person opts in.

This step runs before times and migraine, so its words ("30 min", "bad night", "4/5") are not
read as a time, a severity or a food.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator

from bot.parsing import clauses
from bot.parsing.found import Found
from bot.parsing.numbers import NUMBER_WORDS
from bot.parsing.times import SLOTS, Clock

_WAKE = SLOTS["woke"]
_NUM = (
    r"(?P<n>\d+(?:\.\d+)?|half\s+an|forty[\s-]five|one|two|three|four|five|six|seven|eight|nine"
    r"|ten|eleven|twelve|fifteen|twenty|thirty|forty|sixty|ninety|an?)"
)
_APPROX = r"(?:(?:about|around|maybe|like|only|just|barely|roughly|approx|~)\s*)?"
_HOURS = r"(?:hours?|hrs?|h)\b"
_MINUTES = r"(?:minutes?|mins?|m)\b"
_LAST_NIGHT = r"(?:\s+(?:last\s+night|last\s+nite|overnight|tonight|this\s+week))?"


def _number(text: str) -> float:
    text = re.sub(r"\s+", " ", text)
    return NUMBER_WORDS[text] if text in NUMBER_WORDS else float(text)


# Sleep -------------------------------------------------------------------------------------
_SLEEP_HOURS = [
    re.compile(
        r"\b(?:i\s+)?(?:only\s+|just\s+|barely\s+)?(?:slept|sleep)\s+(?:for\s+)?"
        + _APPROX
        + _NUM
        + r"\s*(?P<half>and\s+a\s+half\s+)?"
        + _HOURS
        + r"(?:\s+(?:of\s+)?(?:sleep|kip|shut[\s-]?eye))?"
        + _LAST_NIGHT
    ),
    re.compile(
        r"\b"
        + _APPROX
        + _NUM
        + r"\s*(?P<half>and\s+a\s+half\s+)?"
        + _HOURS
        + r"\s+(?:of\s+)?(?:sleep|kip)\b"
        + _LAST_NIGHT
    ),
    re.compile(
        r"\bsleep\s*(?::|-|was)?\s*" + _APPROX + _NUM + r"\s*(?P<half>)" + _HOURS + _LAST_NIGHT
    ),
]
# In a message that already says how the night was: "slept badly, only 5 hours", "awful night,
# maybe 4 hrs". The hours must be a comma/"and" piece of their own, so that "migraine lasted 5
# hours", "worked 10 hours", "a 2 hour nap" or "gym for 2 hours" beside a bad night are not sleep.
_HOURS_BESIDE_QUALITY = re.compile(
    r"\s*"
    + _APPROX
    + _NUM
    + r"\s*(?P<half>and\s+a\s+half\s+)?"
    + _HOURS
    + r"(?:\s+(?:of\s+)?(?:sleep|kip))?(?:\s+(?:max|tops|at\s+most|if\s+that|or\s+so))?"
    + _LAST_NIGHT
    + r"\s*"
)
# ...and the other way round: "slept 6 hours but badly", "slept 8 hours and well".
_QUALITY_AFTER_HOURS = re.compile(
    r"\b(?:but|and)\s+(?:really\s+|very\s+|so\s+)?(?P<q>badly|poorly|terribly|restlessly|well"
    r"|soundly|great)\b"
)
# The same, when "but" or " - " has split the sentence ("slept 6 hours but badly", "terrible
# sleep - 3 hours"): the next clause must *begin* with the missing half and be nothing else.
_QUALITY_NEXT = re.compile(
    r"\s*(?:really\s+|very\s+|so\s+|pretty\s+|quite\s+)?(?:slept\s+)?"
    r"(?P<q>badly|poorly|terribly|restlessly|well|soundly|great)\b"
    r"(?=\s*(?:$|[,.!;)]|though\b|tbh\b|really\b|last\s+night\b))"
)
_HOURS_NEXT = re.compile(
    r"\s*(?:maybe\s+|only\s+|just\s+|about\s+|around\s+|barely\s+|like\s+|roughly\s+|~\s*)?"
    + _NUM
    + r"\s*(?P<half>and\s+a\s+half\s+)?"
    + _HOURS
    + r"(?:\s+(?:of\s+)?(?:sleep|kip))?(?:\s+(?:max|tops|at\s+most|if\s+that|or\s+so))?"
    r"(?=\s*(?:$|[,.!;)]))"
)
# What may part the two halves: "but", a dash, a full stop or a line break; never "then".
_SPLIT_SLEEP = re.compile(r"(?:\s|but|-|–|—|\.|!|;)*")
_QUALITY_WORDS = {
    "badly": 1.0,
    "poorly": 1.0,
    "terribly": 1.0,
    "restlessly": 1.0,
    "well": 3.0,
    "soundly": 3.0,
    "great": 3.0,
}

# "slept from 11 to 6", "slept 11pm-6am", "in bed at midnight, up at 7": hours from the clock
# times, dated at the waking time. A bare bed hour of 7–12 is evening (12 is midnight), 1–6 is
# after midnight; a bare waking hour is morning.
_CLOCK = r"(?:\d{1,2}(?:[:.]\d{2})?(?:\s*(?:am|pm))?|midnight)"
_SLEEP_RANGE = [
    re.compile(
        r"\b(?:slept|asleep|sleeping|in\s+bed)\s+(?:from\s+|between\s+)?(?:about\s+|around\s+)?"
        r"(?P<b>" + _CLOCK + r")\s*(?:-|–|to|till|til|until|and)\s*(?:about\s+|around\s+)?"
        r"(?P<w>" + _CLOCK + r")(?!\s*(?:hours?|hrs?|h)\b)(?![:.\d])" + _LAST_NIGHT
    ),
    re.compile(
        r"\b(?:in\s+bed|went\s+to\s+bed|bed|to\s+bed|asleep|fell\s+asleep|went\s+to\s+sleep|"
        r"lights\s+out)\s+(?:at|by|around|about|before)?\s*(?P<b>" + _CLOCK + r")\b[\s,]*"
        r"(?:and\s+)?(?:up|woke(?:\s+up)?|awake|got\s+up|alarm(?:\s+went\s+off)?)\s+"
        r"(?:at|by|around|about)?\s*(?P<w>" + _CLOCK + r")(?![:.\d])"
    ),
]


def _clock_hours(text: str) -> tuple[float, bool]:
    """A clock time as hours since midnight, and whether am/pm (or "midnight") fixed it."""
    text = text.strip()
    if text == "midnight":
        return 0.0, True
    m = re.match(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", text)
    if m is None:
        return -1.0, False
    hour, minute, half = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if hour > 23 or minute > 59:
        return -1.0, False
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    return hour + minute / 60, half is not None or hour > 12


def _night(bed_text: str, wake_text: str) -> tuple[float, Clock] | None:
    """Hours asleep and the waking clock time, or None when the times make no sense."""
    bed, bed_fixed = _clock_hours(bed_text)
    wake, wake_fixed = _clock_hours(wake_text)
    if bed < 0 or wake < 0:
        return None
    if not bed_fixed and bed >= 7:
        bed = bed % 12 + 12  # "11" at bedtime is 11pm, "12" midnight
    if not wake_fixed and wake == 12:
        wake = 12.0  # "up at 12": noon
    hours = (wake - bed) % 24
    if not 0 < hours <= 16:
        return None
    return round(hours * 4) / 4, Clock(int(wake), round((wake % 1) * 60))


_POOR = (
    r"slept\s+(?:really\s+|very\s+|so\s+|pretty\s+|quite\s+)?(?:badly|bad|terribly|terrible|"
    r"awfully|awful|poorly|horribly|rubbish|crap|crappy|lightly|on\s+and\s+off)"
    r"|(?:didn'?t|did\s+not|couldn'?t|could\s+not)\s+sleep(?:\s+(?:well|much|properly|at\s+all))?"
    r"(?=\s+(?:last\s+night|overnight|from|until|till|til|before|between|again)\b"
    r"|\s*(?:$|[,.!;]|and\b))"
    r"|(?:barely|hardly|never)\s+slept|no\s+sleep|zero\s+sleep|insomnia|sleepless\s+night"
    r"|(?:bad|terrible|awful|rough|horrible|poor|broken|restless|crap|shit|crappy|disturbed|"
    r"shocking|rubbish|horrendous|sleepless)\s+night(?:'s|s)?(?:\s+(?:of\s+)?sleep)?"
    r"|(?:bad|terrible|awful|rough|poor|broken|restless|crap|crappy|disturbed|rubbish|little|"
    r"hardly\s+any|not\s+much)\s+sleep"
    r"|sleep\s+(?:was\s+)?(?:bad|terrible|awful|rubbish|poor|crap|broken)"
    r"|up\s+all\s+night|tossed\s+and\s+turned|tossing\s+and\s+turning"
    r"|(?:couldn'?t|could\s+not|can'?t|cannot|didn'?t|did\s+not)\s+(?:get|go)\s+(?:back\s+)?to"
    r"\s+sleep|(?:couldn'?t|could\s+not|can'?t|cannot)\s+(?:fall|get)\s+(?:back\s+)?asleep"
    r"|(?:awake|up)\s+(?:from|since)\s+(?:\d{1,2}(?::\d\d)?\s*(?:am)?|dawn)"
)
_NIGHT_RANGE = (
    r"(?:\s+(?:from|between)\s+"
    + _CLOCK
    + r"\s*(?:-|–|to|till|til|until|and)\s*"
    + _CLOCK
    + r"(?![:.\d]))?"
)
_OK = (
    r"slept\s+(?:ok|okay|alright|all\s+right|fine|so[\s-]so|not\s+too\s+bad|average)"
    r"|(?:ok|okay|so[\s-]so|average|decent|alright)\s+night(?:'s|s)?(?:\s+(?:of\s+)?sleep)?"
    r"|(?:ok|okay|so[\s-]so|average|decent)\s+sleep"
    r"|sleep\s+(?:was\s+)?(?:ok|okay|alright|fine|so[\s-]so)"
)
_GOOD = (
    r"slept\s+(?:really\s+|very\s+|so\s+|pretty\s+|super\s+)?(?:well|great|good|brilliantly|"
    r"amazingly|amazing|soundly|deeply|like\s+a\s+(?:log|baby|rock))"
    r"|(?:good|great|amazing|lovely|solid|restful|fantastic|excellent|full)\s+night(?:'s|s)?"
    r"\s+(?:of\s+)?sleep|(?:good|great|amazing|lovely|solid|restful|deep)\s+sleep"
    r"|(?:had|got)\s+a\s+(?:really\s+)?(?:good|great|lovely|solid|restful)\s+night\b(?!\s+out)"
    r"|sleep\s+(?:was\s+)?(?:good|great|amazing)"
)
_SLEEP_QUALITY = [
    (re.compile(r"\b(?:" + _OK + r")\b" + _LAST_NIGHT), 2.0),
    (re.compile(r"\b(?:" + _GOOD + r")\b" + _LAST_NIGHT), 3.0),
    # "couldn't sleep from 11 to 6": the night's clock times are the sleep's, not a time to date by.
    (re.compile(r"\b(?:" + _POOR + r")\b" + _LAST_NIGHT + _NIGHT_RANGE), 1.0),
]

# Stress ------------------------------------------------------------------------------------
_STRESS_LEAD = r"\bstress(?:ed|\s+level|\s+levels|\s+lvl)?\s*(?::|-|=|is|at|was|of)?\s*"
_STRESS_SCORE = re.compile(
    _STRESS_LEAD + r"(?P<n>[1-5])(?:\s*(?:/|out\s+of)\s*5)?\b(?!\s*(?:/|out\s+of)\s*10)"
)
# "stress 8/10": halved, rounded up, so it is not read as a migraine's 8/10 either.
_STRESS_OF_TEN = re.compile(_STRESS_LEAD + r"(?P<n>10|[1-9])\s*(?:/|out\s+of)\s*10\b")
_STRESS_WORDS = re.compile(
    r"\b(?P<w>(?:very|really|super|so|extremely|incredibly|massively|hugely|crazy|insanely)\s+"
    r"(?:stressed|stressful)(?:\s+out)?|(?:a\s+)?(?:bit|little|slightly|mildly|kinda|somewhat)"
    r"\s+(?:of\s+a\s+)?(?:stressed|stressful|stress)|(?:lots?|tons?|loads?)\s+of\s+stress"
    r"|(?:some|moderate|moderately|bit\s+of)\s+stress(?:ed|ful)?|(?:work|exam|family)\s+stress"
    r"|stressed(?:\s+out)?|stressfull?|stressy|no\s+stress|not\s+stressed|stress[\s-]free"
    r"|relaxed|calm\s+day|chilled\s+day)\b"
    r"(?:\s+(?:day|week|morning|afternoon|evening|time|at\s+work))?"
)


def _stress_of_words(words: str) -> float:
    words = re.sub(r"\s+", " ", words)
    if re.match(r"(?:no |not |stress.free|relaxed|calm|chilled)", words):
        return 1.0
    if re.match(r"(?:a )?(?:bit|little|slightly|mildly|kinda|somewhat)", words):
        return 2.0
    if re.match(r"(?:some|moderate|bit of)", words):
        return 3.0
    if re.match(
        r"(?:very|really|super|so|extremely|incredibly|massively|hugely|crazy|insane)", words
    ):
        return 5.0
    return 4.0


# Exercise ----------------------------------------------------------------------------------
# Ball sports and classes that are only exercise ("squash" is also a drink: it needs "played").
_SPORT = (
    r"tennis|table\s+tennis|badminton|padel|golf|football|footy|netball|basketball|rugby|cricket|"
    r"hockey|volleyball|frisbee|circuits|bootcamp|aerobics|aqua\s*aerobics|kickboxing|martial\s+arts"
    r"|karate|judo|taekwondo|tai\s+chi|spinning|weight\s+training|strength\s+training|weightlifting"
)
_ACTIVITY = (
    r"(?P<a>run|jog|walk|hike|swim|bike\s+ride|cycle|ride|yoga|pilates|gym|workout|work\s+out|"
    r"spin\s+class|spin|hiit(?:\s+class)?|exercise|weights|" + _SPORT + r"|dance\s+class|"
    r"zumba|crossfit|climb|stretch|barre|boxing|cycling|biking|swimming|running|jogging|walking|"
    r"hiking|rowing|dancing|climbing|bouldering|stretching|skiing|skating|parkrun|squash)"
)
_DONE = (
    r"(?P<v>ran|run|running|jogged|jogging|walked|walking|hiked|swam|swimming|cycled|cycling|"
    r"biked|rode|exercised|exercising|worked\s+out|did|done|went\s+to|went\s+for|go\s+for|went|"
    r"had|lifted|trained|played|rowed|climbed|danced|stretched)"
)
# What "walked the dog", "cycled to work" or "ran round the park" add before the duration.
_ROUTE = (
    r"(?:the\s+dogs?|my\s+dogs?|the\s+kids|to\s+(?:and\s+from\s+)?(?:work|school|the\s+\w+|town|uni|"
    r"college)|home|into\s+town|in\s+the\s+\w+|(?:a)?round\s+the\s+\w+|along\s+the\s+\w+|"
    r"up\s+the\s+\w+|with\s+(?:the\s+|my\s+|a\s+)?\w+|outside|there\s+and\s+back)"
)
_DURATION = (
    r"(?:(?P<n>\d+(?:\.\d+)?|half\s+an|forty[\s-]five|an?|one|two|three|ten|fifteen|twenty|thirty|"
    r"forty|sixty|ninety)\s*(?:-\s*)?(?P<u>" + _MINUTES[:-2] + r"|hours?|hrs?|h)\b"
    r"|(?P<half>half\s+an?\s+hour))"
)
# A machine or a bike as the place: "30 mins on the bike", "20 minutes on the treadmill".
_MACHINE = (
    r"(?P<m>exercise\s+bike|bike|peloton|turbo(?:\s+trainer)?|treadmill|rower|rowing\s+machine|"
    r"cross[\s-]?trainer|elliptical|stair\s*master|stepper)"
)
_EXERCISE = [
    # "30 min run", "a 45-minute walk", "an hour of yoga", "1 hour gym session", "45 minutes of
    # cycling", "30 mins on the bike"
    re.compile(
        r"\b(?:a\s+|an\s+)?"
        + _DURATION
        + r"(?:\s+(?:of|long|easy|gentle|quick|brisk))*\s+(?:"
        + _ACTIVITY
        + r"\b(?:\s+(?:workout|session|class|run|walk))?|on\s+(?:the\s+|my\s+|a\s+)?"
        + _MACHINE
        + r"\b)"
    ),
    # "ran for 30 mins", "walked the dog for an hour", "did yoga for 20 minutes", "went for a run",
    # "went swimming"
    re.compile(
        r"\b"
        + _DONE
        + r"(?:\s+"
        + _ROUTE
        + r"\b|\s+(?:a\s+|an\s+|some\s+|my\s+|the\s+|to\s+the\s+|"
        r"for\s+a\s+)?(?:(?:quick|short|long|gentle|brisk|easy|hot|morning|evening|lunchtime|"
        r"little|big|bit\s+of|\d+k|\d+\s*km|\d+\s*miles?)\s+)*"
        + r"(?:"
        + _ACTIVITY.replace("?P<a>", "?P<a2>")
        + r"\b)?(?:\s+(?:class|session|workout))?(?:\s+"
        + _ROUTE
        + r"\b)?)(?:\s*(?:(?:for|about|around|in)\s+)?(?:about\s+|around\s+)?"
        + _DURATION.replace("?P<n>", "?P<n2>")
        .replace("?P<u>", "?P<u2>")
        .replace("?P<half>", "?P<half2>")
        + r")?"
    ),
    re.compile(
        r"\b(?P<a3>yoga|pilates|gym|workout|hiit|zumba|crossfit|spin\s+class|swim|jog|bootcamp|"
        r"circuits|aerobics|aqua\s*aerobics|spinning|parkrun)\b"
        r"|\b(?:long|short|quick|brisk|gentle|nice|lovely|little|easy)\s+(?P<a4>walk|run|jog|swim"
        r"|hike|bike\s+ride|cycle)\b"
        r"|\b(?P<a5>" + _SPORT + r"|squash)\s+(?:practice|training|match|game|lesson)\b"
    ),
]
# "10k steps", "walked 12,000 steps": exercise without minutes (a step count is not a duration).
_STEPS = re.compile(
    r"\b(?:(?:walked|did|done|hit|got|reached|managed|over|about|around|nearly|almost)\s+)*"
    r"(?:\d+(?:\.\d+)?\s*k|\d{1,3}(?:,\d{3})+|\d{4,6})\s+steps\b"
)
_DAY_PART_EXERCISE = re.compile(
    r"\b(?P<p>morning|afternoon|evening|lunchtime)\s+(?P<a>run|jog|walk|swim|yoga|pilates|workout"
    r"|gym|hike|bike\s+ride|cycle|spin\s+class)\b"
)
_VERB_ACTIVITY = {
    "ran": "run",
    "run": "run",
    "running": "run",
    "jogged": "jog",
    "jogging": "jog",
    "walked": "walk",
    "walking": "walk",
    "hiked": "hike",
    "hiking": "hike",
    "swam": "swim",
    "swimming": "swim",
    "cycled": "cycle",
    "cycling": "cycle",
    "biked": "cycle",
    "biking": "cycle",
    "rode": "cycle",
    "rowed": "row",
    "rowing": "row",
    "climbed": "climb",
    "climbing": "climb",
    "bouldering": "climb",
    "danced": "dance",
    "dancing": "dance",
    "lifted": "weights",
    "weightlifting": "weights",
    "weight training": "weights",
    "strength training": "weights",
    "stretched": "stretch",
    "stretching": "stretch",
    "exercised": "exercise",
    "exercising": "exercise",
    "worked out": "workout",
    "work out": "workout",
    "trained": "workout",
    "skiing": "ski",
    "skating": "skate",
    "spinning": "spin",
    "footy": "football",
    "hiit class": "hiit",
    "parkrun": "run",
    "exercise bike": "cycle",
    "bike": "cycle",
    "peloton": "cycle",
    "turbo": "cycle",
    "turbo trainer": "cycle",
    "rower": "row",
    "rowing machine": "row",
}
# "ran out of milk", "running late", "walked into the kitchen", "went shopping": not exercise.
_NOT_EXERCISE = re.compile(
    r"^(?:ran|run|running|walked|walking)\s+(?:out|late|over|into|in|low|errands|around\s+after)"
    r"|^(?:ran|run|running)\s+(?:to|for|after|across)\s+(?:the\s+|a\s+|my\s+)?(?:shops?|store|bus"
    r"|train|car|door|toilet|loo|bathroom|kids?)\b"
    r"|^(?:did|done|had|went\s+to|went\s+for|go\s+for|went|played|trained)$"
    r"|^swimming\s+(?:pool|costume|cap|goggles|bag|kit)s?\b"
)
# What may stand between a "did not happen" cue and the exercise or period it is about ("didn't go
# for a run", "no sign of my period"): never a word of its own, so "no migraine today went for a
# run" and "no migraine on my period" keep the run and the period.
_NOT_DONE_FILLER = (
    r"(?:my|the|a|an|any|some|yet|sign|signs|of|still|go|going|to|for|do|doing|get|getting|make"
    r"|made|it|have|even|proper|usual|real)\b"
)
# An exercise that did not happen: "no swim", "skipped the gym", "too tired for yoga", "wanted to
# go for a run" (the cue with at most four filler words after it, in the same clause) ...
_EXERCISE_NOT_DONE = re.compile(
    r"\b(?:no|not|never|didn'?t|did\s+not|couldn'?t|could\s+not|can'?t|cannot|won'?t|wont|"
    r"skipped|skip|skipping|missed|miss|cancelled|canceled|instead\s+of|without|"
    r"too\s+(?:tired|sore|ill|sick|busy|wet|cold|hot)\s+(?:for|to)|no\s+time\s+(?:for|to)|"
    r"wanted\s+to|want\s+to|meant\s+to|need\s+to|should(?:\s+have|'ve)?|supposed\s+to|"
    r"plan(?:ning)?\s+to|planned\s+to|hope\s+to|hoping\s+to|gonna|might|intended\s+to|"
    r"(?:was|were)\s+going\s+to|going\s+to\s+go)"
    r"(?:\s+" + _NOT_DONE_FILLER + r"){0,4}\s*$"
)
# ... or "gym was closed", "yoga got cancelled", "run didn't happen".
_EXERCISE_CALLED_OFF = re.compile(
    r"\s*(?:class\s+|session\s+)?(?:was|got|is|has\s+been|been)\s+(?:cancelled|canceled|closed|shut"
    r"|off|rained\s+off)\b|\s*(?:didn'?t|did\s+not|never)\s+happen"
)


def _minutes(n: str | None, unit: str | None, half: str | None) -> float | None:
    if half:
        return 30.0
    if n is None or unit is None:
        return None
    amount = _number(n)
    return amount * 60 if unit.startswith("h") else amount


# Probiotics and antibiotics -------------------------------------------------------------------
_SPECIES = (
    r"(?:rhamnosus|acidophilus|reuteri|plantarum|casei|paracasei|longum|bifidum|breve|lactis|"
    r"boulardii|salivarius|gasseri|thermophilus|infantis|johnsonii|helveticus|fermentum|"
    r"bulgaricus|animalis|coagulans|clausii)"
)
_STRAIN = (
    r"(?P<s>(?:(?:lactobacillus|lacticaseibacillus|bifidobacterium|saccharomyces|streptococcus|"
    r"bacillus)\s+|[lbs]\.\s*)" + _SPECIES + r"(?:\s+(?:gg|[a-z]{0,3}-?\d+))?)"
)
_PROBIOTIC = [
    re.compile(
        r"\b(?:took|take|taken|taking|had|started|start)?\s*(?:my\s+|a\s+|the\s+|daily\s+|"
        r"morning\s+)*probiotics?(?!\s+(?:yogh?urt|drinks?|shots?|milk|kefir))"
        r"(?:\s+(?:capsules?|tablets?|pills?|supplements?|sachets?|drops?))?"
        r"(?:\s*\(?\s*(?:with\s+|-\s+|:\s*)?" + _STRAIN + r"\)?)?"
    ),
    re.compile(
        r"\b(?:took|take|taken|taking|had)?\s*(?:my\s+|some\s+)?"
        + _STRAIN
        + r"(?:\s+(?:capsules?|tablets?|supplements?))?"
    ),
]
ANTIBIOTICS = (
    "amoxicillin",
    "amoxycillin",
    "amoxicilin",
    "amoxil",
    "augmentin",
    "co-amoxiclav",
    "penicillin",
    "flucloxacillin",
    "clarithromycin",
    "azithromycin",
    "erythromycin",
    "doxycycline",
    "ciprofloxacin",
    "cipro",
    "nitrofurantoin",
    "macrobid",
    "trimethoprim",
    "cefalexin",
    "cephalexin",
    "metronidazole",
    "clindamycin",
    "levofloxacin",
    "lymecycline",
)
_DRUG = r"(?P<d>" + "|".join(ANTIBIOTICS) + r"|antibiotics?|anti-biotics?|antibiotic\s+course|abx)"
_ANTIBIOTIC = re.compile(
    r"\b(?P<w>started|starting|start|began|begun|put\s+on|prescribed|given|new\s+course\s+of|"
    r"course\s+of|finished|finishing|finish|completed|done\s+with|stopped|last\s+dose\s+of|off|"
    r"end\s+of|came\s+off|took|taking|take|on)?\s*"
    r"(?:(?:my|the|a|an|some|more|of|course|last)\s+)*(?:(?P<days>\d+|five|seven|ten|fourteen)[\s-]*days?\s+"
    r"(?:course\s+(?:of\s+)?)?)?" + _DRUG + r"(?:\s+(?:course|tablets?|capsules?))?(?:\s+\d+\s*mg)?"
    r"(?:\s+(?:for\s+)?(?P<days2>\d+|five|seven|ten|fourteen)\s+days)?"
    r"(?:\s+(?P<w2>today|started|finished|done|course\s+(?:started|finished|done|over)))?"
)
_START_WORDS = re.compile(r"start|began|begun|put on|prescribed|given|new course|course of")
_END_WORDS = re.compile(r"finish|complete|done|stopped|last dose|off|end of|over")
_DAYS = {"five": 5.0, "seven": 7.0, "ten": 10.0, "fourteen": 14.0}

# Periods ---------------------------------------------------------------------------------------
_PERIOD = r"(?:period|menstruation|menses|time\s+of\s+the\s+month)"
_PERIOD_PATTERNS = [
    (
        re.compile(
            r"\b(?:my\s+|the\s+)?" + _PERIOD + r"(?:'s|\s+has|\s+is|\s+have)?\s+(?:just\s+)?"
            r"(?:started|starting|start|arrived|came|come|began|begun|here|due\s+today)\b"
            r"|\b(?:got|get|started|starting|start|on\s+day\s+(?:1|one)\s+of)\s+(?:my|the)\s+"
            + _PERIOD
            + r"\b|\bfirst\s+day\s+of\s+(?:my\s+|the\s+)?"
            + _PERIOD
            + r"\b|\bday\s+(?:1|one)\s+of\s+(?:my\s+|the\s+)?"
            + _PERIOD
            + r"\b|\b(?:my\s+)?period\s+day\s+(?:1|one)\b"
        ),
        "period_start",
    ),
    (
        re.compile(
            r"\b(?:my\s+|the\s+)?"
            + _PERIOD
            + r"(?:'s|\s+has|\s+is|\s+have)?\s+(?:finally\s+|just\s+)?"
            r"(?:ended|finished|stopped|over|done|gone)\b"
            r"|\b(?:end|last\s+day)\s+of\s+(?:my\s+|the\s+)?" + _PERIOD + r"\b"
        ),
        "period_end",
    ),
    (
        re.compile(
            r"\b(?:on|during)\s+(?:my|the)\s+" + _PERIOD + r"\b"
            r"|\b(?:that\s+|the\s+)?time\s+of\s+(?:the\s+)?month\b"
            r"|\b(?:my\s+)?period\s+day\s+(?:[2-9]|1\d|two|three|four|five|six|seven)\b"
            r"|\bday\s+(?:\d|two|three|four|five)\s+of\s+(?:my\s+|the\s+)?" + _PERIOD + r"\b"
            r"|\b(?:my\s+)?" + _PERIOD + r"\s+(?:pains?|cramps?|cramping|headache|migraine)\b"
            r"|\bmy\s+" + _PERIOD + r"\b"
        ),
        "period",
    ),
]
# A period that has not come: "no period yet", "waiting for my period", "missed my period" ...
_PERIOD_NOT_HERE = re.compile(
    r"\b(?:no|not|never|without|missed|skipped|waiting\s+(?:for|on)|expecting|late|before|"
    r"until|till|hasn'?t|haven'?t|didn'?t|isn'?t)(?:\s+" + _NOT_DONE_FILLER + r"){0,2}\s*$"
)
# ... "my period is late", "period due tomorrow", "my period hasn't come", "my period app".
_PERIOD_NOT_YET = re.compile(
    r"\s*(?:'s|is|was|has\s+been|seems)?\s*(?:late|overdue|due\b(?!\s+today)|not\s+(?:here|come"
    r"|started)|hasn'?t|has\s+not|didn'?t|still\s+(?:not|hasn'?t)|app|tracker|pants|underwear"
    r"|yet)\b"
)


# Scores and hours that cannot be right ("stress 7/5", "stress 0/5", "slept 25 hours"): nothing
# is logged, and the reply says what the scale is (see `out_of_range`).
_STRESS_OUT = re.compile(
    _STRESS_LEAD + r"(?:(?P<five>\d+)\s*(?:/|out\s+of)\s*5|(?P<ten>\d+)\s*(?:/|out\s+of)\s*10"
    r"|(?P<bare>\d+))\b(?!\s*(?:/|out\s+of|%|mins?|minutes?|hours?|hrs?|am|pm|[:.]\d))"
)


def out_of_range(text: str) -> str | None:
    """Which scale a message's number falls outside of: "stress", "sleep" or None.

    Only asked when the message logged nothing, so the reply can say "stress is 1–5" instead of
    "I couldn't find anything to log".
    """
    for m in _STRESS_OUT.finditer(text):
        five, ten, bare = m.group("five"), m.group("ten"), m.group("bare")
        if five is not None and not 1 <= int(five) <= 5:
            return "stress"
        if ten is not None and not 1 <= int(ten) <= 10:
            return "stress"
        if bare is not None and not 1 <= int(bare) <= 5:
            return "stress"
    for pattern in _SLEEP_HOURS:
        for m in pattern.finditer(text):
            hours = _number(m.group("n")) + (0.5 if m.group("half") else 0.0)
            if hours > 24:
                return "sleep"
    return None


def find_factors(
    text: str, start: int, end: int, follow: tuple[int, int] | None = None
) -> tuple[list[Found], list[tuple[int, int]]]:
    """Factor events in text[start:end] and the spans they used.

    `follow` is the next clause: a night's hours or quality split from the other half by "but"
    or a dash ("slept 6 hours but badly", "terrible sleep - 3 hours") is read from its start.
    """
    found: list[Found] = []
    spans: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return m.end() > m.start() and not any(m.start() < e and s < m.end() for s, e in spans)

    def add(
        m: re.Match[str],
        name: str,
        value: float | None,
        detail: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        spans.append(m.span())
        if name.startswith("sleep") and clock is None:
            clock = _WAKE
        found.append(
            Found("factor", m.start(), name=name, value=value, detail=detail, own_clock=clock)
        )

    for pattern in _SLEEP_RANGE:
        for m in pattern.finditer(text, start, end):
            night = _night(m.group("b"), m.group("w")) if free(m) else None
            if night is not None:
                add(m, "sleep_hours", night[0], clock=night[1])
    for pattern in _SLEEP_HOURS:
        for m in pattern.finditer(text, start, end):
            if free(m):
                hours = _number(m.group("n")) + (0.5 if m.group("half") else 0.0)
                if 0 < hours <= 24:
                    add(m, "sleep_hours", hours)
    for pattern, quality in _SLEEP_QUALITY:
        for m in pattern.finditer(text, start, end):
            if free(m):
                add(m, "sleep_quality", quality)
    said = {f.name for f in found}
    if "sleep_quality" in said and "sleep_hours" not in said:
        for piece_start, piece_end in clauses.chunk_spans(text, start, end):
            beside = _HOURS_BESIDE_QUALITY.fullmatch(text, piece_start, piece_end)
            if beside is None:
                continue
            hours = _number(beside.group("n")) + (0.5 if beside.group("half") else 0.0)
            if free(beside) and 0 < hours <= 16:
                add(beside, "sleep_hours", hours)
                break
    elif "sleep_hours" in said and "sleep_quality" not in said:
        for m in _QUALITY_AFTER_HOURS.finditer(text, start, end):
            if free(m):
                add(m, "sleep_quality", _QUALITY_WORDS[m.group("q")])
                break
    if follow is not None and ("sleep_quality" in said) != ("sleep_hours" in said):
        now_said = {f.name for f in found}
        joined = _SPLIT_SLEEP.fullmatch(text, end, follow[0]) is not None
        if joined and "sleep_hours" not in now_said:
            hm = _HOURS_NEXT.match(text, follow[0], follow[1])
            hours = _number(hm.group("n")) + (0.5 if hm.group("half") else 0.0) if hm else 0.0
            if hm and free(hm) and 0 < hours <= 16:
                add(hm, "sleep_hours", hours)
        elif joined and "sleep_quality" not in now_said:
            qm = _QUALITY_NEXT.match(text, follow[0], follow[1])
            if qm and free(qm):
                add(qm, "sleep_quality", _QUALITY_WORDS[qm.group("q")])
    for m in _STRESS_SCORE.finditer(text, start, end):
        if free(m):
            add(m, "stress", float(m.group("n")))
    for m in _STRESS_OF_TEN.finditer(text, start, end):
        if free(m):
            add(m, "stress", float(math.ceil(int(m.group("n")) / 2)))
    for m in _STRESS_WORDS.finditer(text, start, end):
        if free(m):
            add(m, "stress", _stress_of_words(m.group("w")))
    for m, minutes, activity, clock in _exercises(text, start, end, free):
        if activity:
            add(m, "exercise", minutes, activity, clock)
        else:
            spans.append(m.span())  # "no swim": its words are not a food or a time either
    for pattern in _PROBIOTIC:
        for m in pattern.finditer(text, start, end):
            if free(m) and ("probiotic" in m.group(0) or m.group("s")):
                strain = m.group("s")
                add(m, "probiotic", None, re.sub(r"\s+", " ", strain) if strain else None)
    for m in _ANTIBIOTIC.finditer(text, start, end):
        if not free(m):
            continue
        words = " ".join(w for w in (m.group("w"), m.group("w2")) if w)
        name = "antibiotics"
        if _END_WORDS.search(words):
            name = "antibiotics_end"
        elif _START_WORDS.search(words):
            name = "antibiotics_start"
        days_text = m.group("days") or m.group("days2")
        days = (_DAYS.get(days_text) or float(days_text)) if days_text else None
        drug = m.group("d")
        detail = None if drug.startswith(("anti", "abx")) else drug
        add(m, name, days if name == "antibiotics_start" else None, detail)
    for pattern, name in _PERIOD_PATTERNS:
        for m in pattern.finditer(text, start, end):
            if not free(m):
                continue
            if _PERIOD_NOT_HERE.search(text, start, m.start()) or _PERIOD_NOT_YET.match(
                text, m.end(), end
            ):
                spans.append(m.span())  # "no period yet", "my period is late": nothing to log
            else:
                add(m, name, None)
    return found, spans


def _exercises(
    text: str, start: int, end: int, free: Callable[[re.Match[str]], bool]
) -> Iterator[tuple[re.Match[str], float | None, str, Clock | None]]:
    """Exercise as (match, minutes, activity, day-part clock); the first form that matches claims
    the words (the caller marks them taken before the next is looked for). Minutes only when
    stated; "morning run" keeps its morning, since its words are masked before times are read.
    Exercise that did not happen ("no swim", "gym was closed") claims its words and logs nothing.
    """
    for m in _STEPS.finditer(text, start, end):
        if free(m):
            yield m, None, "steps", None
    for m in _DAY_PART_EXERCISE.finditer(text, start, end):
        if free(m):
            part = m.group("p")
            yield m, None, _spaced(m.group("a")), SLOTS["lunch" if part == "lunchtime" else part]
    for index, pattern in enumerate(_EXERCISE):
        for m in pattern.finditer(text, start, end):
            if not free(m):
                continue
            groups = m.groupdict()
            if index == 0:
                activity = groups["a"] or groups["m"]
                minutes = _minutes(groups["n"], groups["u"], groups["half"])
            elif index == 1:
                activity = groups["a2"] or _VERB_ACTIVITY.get(_spaced(groups["v"]))
                if activity == "squash" and groups["v"] != "played":
                    continue  # "had squash": the drink
                if activity is None or (
                    groups["a2"] is None and _NOT_EXERCISE.match(text[m.start() : end].strip())
                ):
                    continue
                minutes = _minutes(groups["n2"], groups["u2"], groups["half2"])
            else:
                activity = groups["a3"] or groups["a4"] or groups["a5"]
                minutes = None
            if _EXERCISE_NOT_DONE.search(text, start, m.start()) or _EXERCISE_CALLED_OFF.match(
                text, m.end(), end
            ):
                yield m, None, "", None  # claimed, not logged
                continue
            name = _spaced(activity)
            yield m, minutes, _VERB_ACTIVITY.get(name, name), None


def _spaced(words: str) -> str:
    return re.sub(r"\s+", " ", words)
