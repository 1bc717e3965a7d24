"""Lifestyle factors: sleep, stress, exercise, probiotics, antibiotics and periods.

Each is an event of kind `factor` with a `name`, a numeric `value` or None, and an optional text
`detail`. The names and what their value means (documented because a reader could choose
differently):

- `sleep_hours`: hours slept ("slept 5 hours", "6.5 hrs sleep", "got seven hours of sleep").
- `sleep_quality`: 1 poor ("bad night", "slept badly", "didn't sleep well", "barely slept"),
  2 ok ("slept ok", "so-so night"), 3 good ("slept great", "good night's sleep").
  Sleep is dated at waking (07:00, the "woke up" slot) unless the clause gives a clock time, so
  "slept badly last night" lands on this morning: the night belongs to the day it ends in.
- `stress`: 1–5. A number when given ("stress 4/5", "stress level 3"); otherwise words:
  relaxed/calm/no stress → 1, a bit stressed → 2, some/moderate stress → 3,
  stressed/stressful → 4, very/really/super/so stressed, extremely stressful → 5.
  A score out of 10 ("stress 8/10") is halved, rounded up.
- `exercise`: minutes when said ("30 min run", "walked for an hour" → 60), else None
  ("ran 5k", "yoga this morning": a distance is not turned into a guessed time).
  `detail` is the activity ("run", "yoga", "gym").
- `probiotic`: value None; `detail` the strain when given ("lactobacillus rhamnosus").
  Probiotic foods ("probiotic yogurt", "yakult") stay foods.
- `antibiotics_start` / `antibiotics_end`: a course starting ("started amoxicillin") or ending
  ("finished antibiotics"); value the course length in days when stated ("7 day course"),
  `detail` the drug when named. A dose without start/end words ("took my amoxicillin",
  "on antibiotics") is `antibiotics`: a day within a course. None of these are medication.
- `period_start` / `period_end`, and `period` for a day of it ("on my period", "period
  cramps"). Logged when written; the bot never asks about it unless the person opts in.

This step runs before times and migraine, so its words ("30 min", "bad night", "4/5") are not
read as a time, a severity or a food.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator

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
_POOR = (
    r"slept\s+(?:really\s+|very\s+|so\s+|pretty\s+|quite\s+)?(?:badly|bad|terribly|terrible|"
    r"awfully|awful|poorly|horribly|rubbish|crap|crappy|lightly|on\s+and\s+off)"
    r"|(?:didn'?t|did\s+not|couldn'?t|could\s+not)\s+sleep(?:\s+(?:well|much|properly|at\s+all))?"
    r"(?=\s+(?:last\s+night|overnight)|\s*(?:$|[,.!;]|and\b))"
    r"|(?:barely|hardly|never)\s+slept|no\s+sleep|zero\s+sleep|insomnia|sleepless\s+night"
    r"|(?:bad|terrible|awful|rough|horrible|poor|broken|restless|crap|shit|crappy|disturbed|"
    r"shocking|rubbish|horrendous|sleepless)\s+night(?:'s|s)?(?:\s+(?:of\s+)?sleep)?"
    r"|(?:bad|terrible|awful|rough|poor|broken|restless|crap|crappy|disturbed|rubbish|little|"
    r"hardly\s+any|not\s+much)\s+sleep"
    r"|sleep\s+(?:was\s+)?(?:bad|terrible|awful|rubbish|poor|crap|broken)"
    r"|up\s+all\s+night|tossed\s+and\s+turned|tossing\s+and\s+turning"
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
    (re.compile(r"\b(?:" + _POOR + r")\b" + _LAST_NIGHT), 1.0),
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
_ACTIVITY = (
    r"(?P<a>run|jog|walk|hike|swim|bike\s+ride|cycle|ride|yoga|pilates|gym|workout|work\s+out|"
    r"spin\s+class|spin|hiit|exercise|weights|tennis|football|netball|dance\s+class|"
    r"zumba|crossfit|climb|stretch|barre|boxing)"
)
_DONE = (
    r"(?P<v>ran|run|running|jogged|jogging|walked|walking|hiked|swam|swimming|cycled|cycling|"
    r"biked|rode|exercised|exercising|worked\s+out|did|done|went\s+to|went\s+for|go\s+for|"
    r"had|lifted|trained|played|rowed|climbed|danced|stretched)"
)
_DURATION = (
    r"(?:(?P<n>\d+(?:\.\d+)?|half\s+an|forty[\s-]five|an?|one|two|ten|fifteen|twenty|thirty|"
    r"forty|sixty|ninety)\s*(?:-\s*)?(?P<u>" + _MINUTES[:-2] + r"|hours?|hrs?|h)\b"
    r"|(?P<half>half\s+an?\s+hour))"
)
_EXERCISE = [
    # "30 min run", "a 45-minute walk", "an hour of yoga", "1 hour gym session"
    re.compile(
        r"\b(?:a\s+|an\s+)?"
        + _DURATION
        + r"(?:\s+(?:of|long|easy|gentle|quick|brisk))*\s+"
        + _ACTIVITY
        + r"\b(?:\s+(?:workout|session|class|run|walk))?"
    ),
    # "ran for 30 mins", "walked for an hour", "did yoga for 20 minutes", "went for a run"
    re.compile(
        r"\b" + _DONE + r"\s+(?:a\s+|an\s+|some\s+|my\s+|the\s+|to\s+the\s+|for\s+a\s+)?"
        r"(?:(?:quick|short|long|gentle|brisk|easy|hot|morning|evening|lunchtime|little|big|"
        r"bit\s+of|\d+k|\d+\s*km|\d+\s*miles?)\s+)*" + _ACTIVITY.replace("?P<a>", "?P<a2>") + r"?"
        r"(?:\s*(?:(?:for|about|around)\s+)?(?:about\s+|around\s+)?"
        + _DURATION.replace("?P<n>", "?P<n2>")
        .replace("?P<u>", "?P<u2>")
        .replace("?P<half>", "?P<half2>")
        + r")?"
    ),
    re.compile(
        r"\b(?P<a3>yoga|pilates|gym|workout|hiit|zumba|crossfit|spin\s+class|swim|jog)\b"
        r"|\b(?:long|short|quick|brisk|gentle|nice|lovely|little|easy)\s+(?P<a4>walk|run|jog|swim"
        r"|hike|bike\s+ride)\b"
    ),
]
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
    "swam": "swim",
    "swimming": "swim",
    "cycled": "cycle",
    "cycling": "cycle",
    "biked": "cycle",
    "rode": "cycle",
    "rowed": "row",
    "climbed": "climb",
    "danced": "dance",
    "lifted": "weights",
    "stretched": "stretch",
    "exercised": "exercise",
    "exercising": "exercise",
    "worked out": "workout",
    "trained": "workout",
}
# "ran out of milk", "running late", "walked into the kitchen": not exercise.
_NOT_EXERCISE = re.compile(
    r"^(?:ran|run|running|walked|walking)\s+(?:out|late|over|into|in|low|errands|around\s+after)"
    r"|^(?:ran|run|running)\s+(?:to|for|after|across)\s+(?:the\s+|a\s+|my\s+)?(?:shops?|store|bus"
    r"|train|car|door|toilet|loo|bathroom|kids?)\b"
    r"|^(?:did|done|had|went\s+to|went\s+for|go\s+for|played|trained)$"
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
            + r"\b"
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
            r"|\bday\s+(?:\d|two|three|four|five)\s+of\s+(?:my\s+|the\s+)?" + _PERIOD + r"\b"
            r"|\b(?:my\s+)?" + _PERIOD + r"\s+(?:pains?|cramps?|cramping|headache|migraine)\b"
            r"|\bmy\s+" + _PERIOD + r"\b"
        ),
        "period",
    ),
]


def find_factors(text: str, start: int, end: int) -> tuple[list[Found], list[tuple[int, int]]]:
    """Factor events in text[start:end] and the spans they used."""
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
        if name.startswith("sleep"):
            clock = _WAKE
        found.append(
            Found("factor", m.start(), name=name, value=value, detail=detail, own_clock=clock)
        )

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
        add(m, "exercise", minutes, activity, clock)
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
            if free(m):
                add(m, name, None)
    return found, spans


def _exercises(
    text: str, start: int, end: int, free: Callable[[re.Match[str]], bool]
) -> Iterator[tuple[re.Match[str], float | None, str, Clock | None]]:
    """Exercise as (match, minutes, activity, day-part clock); the first form that matches claims
    the words (the caller marks them taken before the next is looked for). Minutes only when
    stated; "morning run" keeps its morning, since its words are masked before times are read."""
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
                activity = groups["a"]
                minutes = _minutes(groups["n"], groups["u"], groups["half"])
            elif index == 1:
                activity = groups["a2"] or _VERB_ACTIVITY.get(_spaced(groups["v"]))
                if activity is None or (
                    groups["a2"] is None and _NOT_EXERCISE.match(text[m.start() : end].strip())
                ):
                    continue
                minutes = _minutes(groups["n2"], groups["u2"], groups["half2"])
            else:
                activity = groups["a3"] or groups["a4"]
                minutes = None
            yield m, minutes, _spaced(activity), None


def _spaced(words: str) -> str:
    return re.sub(r"\s+", " ", words)
