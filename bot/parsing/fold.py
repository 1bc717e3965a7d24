"""Accents and lookalike characters folded to plain ASCII, so "pâté" is matched as "pate".

Phone keyboards add accents on their own ("café", "crème brûlée", "jalapeño"), and people type
the same food both ways. The parser folds a message once, at its entry (`normalise`), and the
vocabulary folds every phrase it lists (`words_of`) with this same function, so an accented
synonym in foods.csv ("crème fraîche", "rugbrød") matches accented and plain input alike.

Text is first composed (NFC: an "e" followed by a combining accent, as some phones send it,
becomes "é"); then per character: NFKD with the combining marks dropped, kept when that leaves
exactly one ASCII character ("é" → "e", "ñ" → "n", "ư" → "u", full-width "３" → "3"); letters
that do not decompose get a small table ("ø" → "o", "ł" → "l", "ß" → "ss", "æ" → "ae"); quote
lookalikes become "'", hyphen lookalikes "-", and "×" (the sign Haven itself shows in "coffee
×3") becomes "x". Anything else (Cyrillic, Greek, CJK, emoji, "½", dashes) is kept as it is, so
other scripts are not mangled. ASCII text is returned unchanged without work. The fold is not
always length-preserving ("ß" → "ss"): the parser's positions all refer to the normalised text,
never to the message as sent, so nothing depends on it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_TABLE: dict[str, str] = {
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "ħ": "h",
    "ı": "i",
    "ŧ": "t",
    "þ": "th",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    # Lookalikes of ' and -: phone keyboards and copy-paste bring them in.
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "´": "'",
    "′": "'",
    "`": "'",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "×": "x",
    "\u00a0": " ",  # no-break space
    "\u202f": " ",  # narrow no-break space (French keyboards, before "?" and "!")
    "\u200b": "",  # zero-width space
}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _TABLE:
        return _TABLE[char]
    lower = char.lower()
    if lower != char and lower in _TABLE:
        return _TABLE[lower].upper()
    if unicodedata.combining(char):
        return ""  # a mark left over after NFC (on a letter with no precomposed form)
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
    )
    return stripped if len(stripped) == 1 and stripped.isascii() else char


def fold(text: str) -> str:
    """`text` with accents dropped and lookalike quotes, dashes and "×" made plain."""
    if text.isascii():
        return text
    return "".join(_fold_char(c) for c in unicodedata.normalize("NFC", text))
