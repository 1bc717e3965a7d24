"""Migraine reports: attack start (with severity), attack end, and explicit migraine-free days.

A headache counts as a migraine start when the user reports having one; mentions that are about
something else ("for my migraine", "migraine meds", "my migraines are worse in winter", "still got
the migraine") log nothing. Order matters: ends and migraine-free phrases are claimed before the
remaining mentions are read as starts.

Severity on the 1–10 scale: a number when given ("7/10", "7 out of 10", "sev 6", "pain level 8");
otherwise a word, mapped to the IHS 4-point scale's anchors:
mild/slight/not too bad → 3, moderate/medium → 5, bad/pretty bad/strong/nasty → 7,
really bad/very bad → 8, severe/killer/awful/worst/terrible/horrible/excruciating → 9.
No number and no word → None.
"""

from __future__ import annotations

import re

from bot.parsing.found import Found

HEAD = (
    r"(?:migraine|migrane|migrain|migriane|mygraine|migraene|headache|headach|hedache|head ache"
    r"|head-ache|head\s+pain)"
)

_END = [
    re.compile(
        r"\b(?:the\s+|my\s+|this\s+)?(?:" + HEAD + r"|pain|head)"
        r"(?:'s|s)?(?:\s+(?:is|has|have|had|was|finally|now|completely|totally|mostly|all|pretty"
        r"\s+much|just|eventually|seems|to\s+be|basically))*\s+"
        r"(?:gone|over|passed|lifted|eased|cleared|clear|ended|stopped|finished|went\s+away|"
        r"subsided|broken|broke|disappeared|vanished|done)\b"
        r"(?!\s+(?:off\s+)?(?:a\s+(?:bit|little|touch)|slightly|somewhat|a\s+tad))"
    ),
    re.compile(r"\bno\s+(?:more|longer\s+have\s+(?:a|the|my))\s+(?:" + HEAD + r"|pain)\b"),
    re.compile(r"\bpain[\s-]?free\b(?!\s+(?:day|today|all\s+day))"),
    re.compile(r"\bover\s+(?:the|my|this)\s+" + HEAD + r"\b"),
    re.compile(r"\b(?:" + HEAD + r")\s+(?:has\s+)?(?:finally\s+)?(?:lifted|broken|broke)\b"),
]
# "It's gone", "gone by 5": an end only in a message that is about an attack.
_END_IN_CONTEXT = [
    re.compile(
        r"\bit(?:'s|\s+is|\s+has|\s+was)?\s+(?:finally\s+|now\s+|all\s+|completely\s+)?"
        r"(?:gone|passed|over|lifted|eased)\b"
    ),
    re.compile(
        r"(?<![\w\s])\s*(?:finally\s+|all\s+)?(?:gone|passed)\b"
    ),  # "migraine started at 5pm and ended at 7pm", "headache at 2, stopped by 6": its time words
    # (masked by then) or the clause's end must follow, so "and stopped drinking" is not one.
    re.compile(
        r"(?:\band\s+|,\s*)(?:it\s+|then\s+|finally\s+|eventually\s+)*"
        r"(?:ended|stopped|finished|went\s+away|wore\s+off|cleared(?:\s+up)?|eased\s+off)\b"
        r"(?=\s*(?:$|[|,.!;#]|and\b|after\b|when\b|on\s+its\s+own\b))"
    ),
]
_ATTACK_WORDS = re.compile(r"\b(?:" + HEAD + r"|head|pain|triptan|sumatriptan|rizatriptan)")
_NONE = [
    re.compile(
        r"\b(?:no|zero|not\s+a|not\s+one|nil|without\s+(?:a|any))\s+(?:single\s+)?(?:sign\s+of\s+(?:a\s+|any\s+)?)?"
        + HEAD
        + r"s?\b"
    ),
    re.compile(
        r"\b(?:didn'?t|did\s+not|haven'?t|have\s+not|hasn'?t|has\s+not|never|not)\s+"
        r"(?:get|got|have|had|been|gotten|getting|having)\s+(?:a\s+|any\s+|one\s+)?"
        + HEAD
        + r"s?\b"
    ),
    re.compile(r"\b" + HEAD + r"[\s-]?free\b"),
    re.compile(r"\bpain[\s-]?free\s+(?:day|today|all\s+day)\b"),
]
_NOT_AN_ATTACK = re.compile(
    r"\b(?:for|about)\s+(?:(?:my|the|a|this|that|your)\s+)?(?:" + HEAD + r")"
    r"|\b(?:" + HEAD + r")\s+(?:diary|tracker|tracking|meds|medication|medicine|tablets?|pills?|"
    r"app|bot|relief|triggers?|clinic|nurse|specialist|doctor|prevention)\b"
    r"|(?<=excedrin\s)(?:migraine|headache)|(?<=anadin\s)(?:migraine|headache)"
    r"|\bstill\b[^|,.]*\b(?:" + HEAD + r")"
    r"|\b(?:" + HEAD + r")\s+(?:is\s+|'s\s+)?still\b"
    r"|\b(?:" + HEAD + r")(?:'s|\s+is|\s+has)?\s+(?:eased|easing|easier|better|worse|improving|"
    r"fading|subsiding|lifting|getting|a\s+bit|slightly)\b"
)
_START = [
    re.compile(r"\b" + HEAD + r"(?!s\b)(?!\w)"),
    re.compile(
        r"\bhead\s*(?:is|'s|s)?\s*(?:pounding|throbbing|killing\s+me|splitting|banging|hurts|"
        r"hurting|aching|sore|exploding)\b"
    ),
    re.compile(r"\b(?:pounding|throbbing|splitting|sore|banging)\s+head\b"),
    re.compile(r"\b(?:an\s+)?aura\b"),
]
_SCORE = [
    re.compile(r"\b(?P<n>\d{1,2}(?:\.5)?)\s*(?:/|out\s+of)\s*10\b"),
    re.compile(
        r"\b(?:sev(?:erity)?|level|lvl|pain(?:\s+level)?|intensity|score)\s*"
        r"(?:is\s+|of\s+|at\s+|was\s+|about\s+|around\s+|:\s*|=\s*)?(?P<n>\d{1,2})\b"
        r"(?!\s*(?:/|out\s+of|am|pm|mg))"
    ),
]
_LOOSE_SCORE = re.compile(
    r"\b(?:maybe|about|around|like|prob(?:ably)?|a|an)\s+(?:a\s+)?(?P<n>\d{1,2})\b"
    r"(?!\s*(?:/|out|am|pm|mg|x|hours?|hrs?|mins?|minutes?|cups?|glass))"
)
_CONTINUES = re.compile(
    r"[\s|#]*(?:started|starting|start|began|begun|kicked\s+in|came\s+on|since|from|maybe|prob"
    r"|probably|like|about|around|sev|severity|pain|level|\d)"
)


def continues_report(text: str, start: int, end: int) -> bool:
    """Whether a sentence only adds detail to the one before ("Started an hour ago. Maybe a 6")."""
    part = text[start:end]
    if not re.search(r"[a-z0-9]", part):  # nothing but time words: "Migraine. 2 hours ago."
        return True
    return bool(_CONTINUES.match(part))


SEVERITY_WORDS: list[tuple[str, int]] = [
    ("not too bad", 3),
    ("not that bad", 3),
    ("not so bad", 3),
    ("not bad", 3),
    ("really bad", 8),
    ("very bad", 8),
    ("so bad", 8),
    ("super bad", 8),
    ("pretty bad", 7),
    ("quite bad", 7),
    ("bit of a", 3),
    ("mild", 3),
    ("mildish", 3),
    ("slight", 3),
    ("minor", 3),
    ("low grade", 3),
    ("moderate", 5),
    ("medium", 5),
    ("manageable", 5),
    ("bad", 7),
    ("strong", 7),
    ("nasty", 7),
    ("horrid", 8),
    ("severe", 9),
    ("killer", 9),
    ("awful", 9),
    ("worst", 9),
    ("terrible", 9),
    ("horrible", 9),
    ("horrendous", 9),
    ("excruciating", 9),
    ("unbearable", 9),
    ("crippling", 9),
    ("debilitating", 9),
    ("blinding", 9),
    ("brutal", 9),
    ("monster", 9),
    ("massive", 9),
    ("from hell", 9),
]
_SEVERITY_WORD = re.compile(
    r"\b(?P<w>" + "|".join(re.escape(w) for w, _ in SEVERITY_WORDS) + r")\b"
)
_SEVERITY_OF = dict(SEVERITY_WORDS)


def severity_in(
    text: str, start: int, end: int, *, loose: bool = False
) -> tuple[int | None, list[tuple[int, int]]]:
    """The severity stated in text[start:end]: a 1–10 score first, else a word; and its span.

    `loose` also accepts a bare "maybe a 6", for a sentence that follows the migraine's own.
    """
    for pattern in (*_SCORE, _LOOSE_SCORE) if loose else _SCORE:
        m = pattern.search(text, start, end)
        if m:
            score = round(float(m.group("n")))
            if score <= 10:
                return max(1, score), [m.span()]
    m = _SEVERITY_WORD.search(text, start, end)
    if m:
        return _SEVERITY_OF[m.group("w")], [m.span()]
    return None, []


def about_an_attack(text: str) -> bool:
    """Whether a message talks about a migraine, so that "it's gone" means the attack."""
    return bool(_ATTACK_WORDS.search(text))


def find_migraine(
    text: str, start: int, end: int, about_attack: bool = False
) -> tuple[list[Found], list[tuple[int, int]]]:
    """Migraine end, migraine-free and start events in one segment, and the spans they used."""
    found: list[Found] = []
    spans: list[tuple[int, int]] = []

    def claim(patterns: list[re.Pattern[str]], kind: str) -> None:
        for pattern in patterns:
            for m in pattern.finditer(text, start, end):
                if any(m.start() < e and s < m.end() for s, e in spans):
                    continue
                spans.append(m.span())
                if kind == "migraine_end":
                    found.append(Found("migraine_end", m.start()))
                else:
                    found.append(Found("no_migraine", m.start()))

    claim(_END, "migraine_end")
    if about_attack:
        claim(_END_IN_CONTEXT, "migraine_end")
    claim(_NONE, "no_migraine")
    # Mentions that are not an attack report are claimed without an event.
    spans.extend(m.span() for m in _NOT_AN_ATTACK.finditer(text, start, end))
    first: int | None = None
    for pattern in _START:
        for m in pattern.finditer(text, start, end):
            if any(m.start() < e and s < m.end() for s, e in spans):
                continue
            spans.append(m.span())
            first = m.start() if first is None else min(first, m.start())
    severity, severity_spans = severity_in(text, start, end)
    score_only = (
        first is None and bool(severity_spans) and bool(_SCORE_ALONE.search(text, start, end))
    )
    if score_only:
        first = severity_spans[0][0]
    if first is not None:
        found.append(Found("migraine_start", first, severity=severity, score_only=score_only))
        spans.extend(severity_spans)
    return found, spans


_SCORE_ALONE = _SCORE[0]
