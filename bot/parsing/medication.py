"""Medication taken, with the dose when stated.

A small list of acute and common preventive migraine medicines, with UK/US brand names, is enough:
names are matched exactly (plurals included) and, for long words, with a little typo tolerance.

Dose format: an amount as written without the space ("50mg", "2.5mg", "500mcg"); a tablet count
as "2 tablets" ("2 ibuprofen", "two paracetamol"); both as "2 x 200mg".
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from bot.parsing.found import Found
from bot.parsing.numbers import NUMBER_WORDS

MEDICATIONS: dict[str, tuple[str, ...]] = {
    "sumatriptan": ("sumatriptan", "imigran", "imitrex", "suma"),
    "rizatriptan": ("rizatriptan", "maxalt"),
    "zolmitriptan": ("zolmitriptan", "zomig"),
    "naratriptan": ("naratriptan", "naramig", "amerge"),
    "eletriptan": ("eletriptan", "relpax"),
    "almotriptan": ("almotriptan",),
    "frovatriptan": ("frovatriptan",),
    "triptan": ("triptan",),
    "ibuprofen": ("ibuprofen", "nurofen", "advil", "motrin", "brufen", "ibuprofin", "ibuprophen"),
    "paracetamol": (
        "paracetamol",
        "acetaminophen",
        "tylenol",
        "panadol",
        "calpol",
        "paracetemol",
        "crocin",
        "dolo",
    ),
    "aspirin": ("aspirin", "disprin"),
    "naproxen": ("naproxen", "aleve", "naprosyn"),
    "excedrin": ("excedrin",),
    "co-codamol": ("co-codamol", "cocodamol", "solpadeine", "codeine"),
    "diclofenac": ("diclofenac", "voltarol", "voltaren"),
    "migraleve": ("migraleve",),
    "metoclopramide": ("metoclopramide", "maxolon", "reglan"),
    "prochlorperazine": ("prochlorperazine", "buccastem", "stemetil"),
    "ubrogepant": ("ubrogepant", "ubrelvy"),
    "rimegepant": ("rimegepant", "nurtec", "vydura"),
    "propranolol": ("propranolol",),
    "topiramate": ("topiramate", "topamax"),
    "amitriptyline": ("amitriptyline",),
    "painkiller": ("painkiller", "pain killer", "pain relief", "painkillers"),
}
_SYNONYM = {syn: name for name, syns in MEDICATIONS.items() for syn in syns}
_FUZZY_KEYS = sorted(s for s in _SYNONYM if len(s) >= 7)

_WORD = re.compile(r"[a-z][a-z-]*(?:\s+killers?|\s+relief)?")
_AMOUNT = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>mg|mcg|µg|ug|g|ml)\b")
_COUNT = re.compile(
    r"(?P<n>\d+|one|two|three|four|half\s+an?|a\s+half|a\s+couple\s+of|couple\s+of|\ban?)\s*"
    r"(?:x\s*)?(?:(?:tablets?|pills?|tabs?|caps(?:ules)?|doses?)\s*(?:of\s+)?)?(?:my\s+)?$"
)
_BARE_AMOUNT = re.compile(r"\s*(?P<n>\d{2,4})\b(?!\s*(?:x|tablets?|pills?|/|am|pm|:|\.\d))")
_COUNT_AFTER = re.compile(r"\s*(?P<n>\d)\s*(?:tabs?|tablets?|pills?|caps(?:ules)?|caplets?)\b")
_TIMES_AFTER = re.compile(r"\s*(?:[a-z]+\s+)?x\s*(?P<n>\d)\b")  # "aspirin x2", "nurofen express x2"
_NEGATED = re.compile(
    r"\b(?:didn'?t|did\s+not|haven'?t|have\s+not|hasn'?t|not|no|never|without|ran\s+out\s+of|"
    r"out\s+of|can'?t|cannot|couldn'?t|won'?t|avoid(?:ing|ed)?|trying\s+not\s+to)\b[^,.|]*$"
)


_INTENDED = re.compile(
    r"\b(?:need\s+to|should|must|going\s+to|gonna|will|might|may|plan\s+to|if)\b[^,.|]*$"
)


def medication_name(word: str) -> str | None:
    """The canonical medication for a word or brand, tolerating small typos in long names."""
    word = word.strip()
    for candidate in (word, word.removesuffix("s")):
        if candidate in _SYNONYM:
            return _SYNONYM[candidate]
    if len(word) >= 7:
        best = process.extractOne(word, _FUZZY_KEYS, scorer=fuzz.ratio, score_cutoff=85)
        if best is not None:
            return _SYNONYM[best[0]]
    return None


def _count(prefix: str) -> tuple[float | None, int]:
    """A tablet count at the end of `prefix`, and where it begins."""
    m = _COUNT.search(prefix)
    if not m:
        return None, len(prefix)
    text = " ".join(m.group("n").split())
    value = NUMBER_WORDS.get(text)
    return (value if value is not None else float(text)), m.start()


def _format_count(n: float) -> str:
    shown = f"{n:g}"
    return f"{shown} tablet" if n <= 1 else f"{shown} tablets"


def find_medication(
    text: str, start: int, end: int, chunk_starts: list[int]
) -> tuple[list[Found], list[tuple[int, int]], int]:
    """Medication events in text[start:end], the spans used, and how many were negated."""
    found: list[Found] = []
    spans: list[tuple[int, int]] = []
    negated = 0
    for m in _WORD.finditer(text, start, end):
        name = medication_name(m.group(0))
        if name is None and " " in m.group(0):
            name = medication_name(m.group(0).split()[0])
            if name is None:
                continue
            m_end = m.start() + len(m.group(0).split()[0])
        else:
            m_end = m.end()
        if name is None:
            continue
        clause_start = max([c for c in chunk_starts if c <= m.start()], default=start)
        prefix = text[clause_start : m.start()]
        if _NEGATED.search(prefix) or _INTENDED.search(prefix):
            negated += 0 if _INTENDED.search(prefix) else 1
            spans.append((m.start(), m_end))
            continue
        used_from = m.start()
        amount_text = text[max(clause_start, m.start() - 20) : m.start()]
        after = text[m_end : min(end, m_end + 12)]
        dose_parts: list[str] = []
        amount = _AMOUNT.search(amount_text) or _AMOUNT.match(after.lstrip())
        before_amount = prefix
        if amount and amount.string is amount_text:
            offset = m.start() - len(amount_text)
            spans.append((offset + amount.start(), offset + amount.end()))
            before_amount = text[clause_start : offset + amount.start()]
        elif amount:
            lead = len(after) - len(after.lstrip())
            spans.append((m_end + lead + amount.start(), m_end + lead + amount.end()))
        count, count_at = _count(before_amount.rstrip() + " ")
        times = _TIMES_AFTER.match(text, m_end, end) or _COUNT_AFTER.match(text, m_end, end)
        if count is None and times:
            count = float(times.group("n"))
            spans.append(times.span())
        if count is not None:
            used_from = clause_start + count_at
            # "a sumatriptan 50mg" is one dose of 50mg: an article adds no count to an amount.
            article = re.match(r"an?\s", before_amount[count_at:].lstrip())
            if not (amount and article):
                dose_parts.append(f"{count:g} x" if amount else _format_count(count))
        bare = None if amount else _BARE_AMOUNT.match(text, m_end, end)
        if bare and int(bare.group("n")) >= 50:  # "dolo 650", "sumatriptan 50": milligrams
            spans.append(bare.span())
            dose_parts.append(bare.group("n") + "mg")
        if amount:
            dose_parts.append(amount.group("n") + amount.group("u"))
        spans.append((min(used_from, m.start()), m_end))
        found.append(Found("medication", m.start(), name=name, dose=" ".join(dose_parts) or None))
    return found, spans, negated
