"""Text clean-up before parsing: lowercase, accents folded, food emoji as words.

Emoji become words so that "🧀 and 🍷" goes through the same food matching as "cheese and wine".
The replacement keeps the rest of the text intact; positions refer to the normalised text.
"""

from __future__ import annotations

import re

from bot.parsing.fold import fold

EMOJI_WORDS: dict[str, str] = {
    "🧀": "cheese",
    "🍷": "red wine",
    "🥂": "champagne",
    "🍺": "beer",
    "🍻": "beer",
    "🍸": "cocktail",
    "🍹": "cocktail",
    "🥃": "whisky",
    "☕": "coffee",
    "🍵": "tea",
    "🫖": "tea",
    "🥤": "cola",
    "🥛": "milk",
    "🍫": "chocolate",
    "🍕": "pizza",
    "🍔": "burger",
    "🍟": "chips",
    "🌭": "hot dog",
    "🥓": "bacon",
    "🍗": "chicken",
    "🥩": "steak",
    "🍣": "sushi",
    "🍜": "noodles",
    "🍝": "pasta",
    "🍚": "rice",
    "🥚": "egg",
    "🍞": "bread",
    "🥐": "croissant",
    "🥯": "bagel",
    "🍩": "doughnut",
    "🍪": "biscuit",
    "🍰": "cake",
    "🎂": "cake",
    "🍦": "ice cream",
    "🍨": "ice cream",
    "🍌": "banana",
    "🍊": "orange",
    "🍋": "lemon",
    "🍎": "apple",
    "🍏": "apple",
    "🍇": "grapes",
    "🍓": "strawberry",
    "🥑": "avocado",
    "🍅": "tomato",
    "🥜": "peanuts",
    "🌶": "chilli",
    "🤕": "headache",
}

_SHORTHAND = [
    (re.compile(r"\bg\s*&\s*t\b|\bg\s+and\s+t\b|\bg'n't\b"), "gin and tonic"),
    (re.compile(r"\bw/\s*"), "with "),
    (re.compile(r"\bw/o\b"), "without"),
]
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_SPACES = re.compile(r"[ \t]+")


_EMOJI = re.compile("(" + "|".join(re.escape(e) for e in EMOJI_WORDS) + ")\ufe0f?")
_TRAILING = re.compile(r"(?:[^\w]|_)*$")
_JOINED = re.compile(r"(?:\band|\bwith|\bplus|[+&,:])\s*$")


def normalise(text: str) -> str:
    """Lowercased, accent-folded text (see fold.py), food emoji spelled out, shorthand expanded.

    Emoji after words are decoration ("pizza night 🍕", "3 coffees ☕") unless joined to them by
    "and", "+" or a comma; emoji-only messages ("🧀 and 🍷") and repeats ("🍺🍺" → 2 beer) count.
    """
    out = fold(text.translate(_APOSTROPHES).lower())
    for pattern, replacement in _SHORTHAND:
        out = pattern.sub(replacement, out)
    decoration = _decoration_start(out)
    pieces: list[str] = []
    pos = 0
    for start, end, word, count in _emoji_runs(out):
        pieces.append(out[pos:start])
        if start >= decoration:
            pieces.append(" ")
        else:
            pieces.append(f" {count} {word} " if count > 1 else f" {word} ")
        pos = end
    pieces.append(out[pos:])
    return _SPACES.sub(" ", "".join(pieces)).strip()


def _decoration_start(text: str) -> int:
    """Where trailing emoji that only decorate the words before them begin (len if none)."""
    tail = _TRAILING.search(text)
    if tail is None or tail.start() == 0 or _JOINED.search(text[: tail.start()]):
        return len(text)
    return tail.start()


def _emoji_runs(text: str) -> list[tuple[int, int, str, int]]:
    """Each run of one repeated food emoji: start, end, its word, and how many times."""
    runs: list[tuple[int, int, str, int]] = []
    for m in _EMOJI.finditer(text):
        word = EMOJI_WORDS[m.group(1)]
        if runs and runs[-1][1] == m.start() and runs[-1][2] == word:
            start, _, _, count = runs[-1]
            runs[-1] = (start, m.end(), word, count + 1)
        else:
            runs.append((m.start(), m.end(), word, 1))
    return runs
