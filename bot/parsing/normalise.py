"""Text clean-up before parsing: lowercase, straight apostrophes, food emoji as words.

Emoji become words so that "🧀 and 🍷" goes through the same food matching as "cheese and wine".
The replacement keeps the rest of the text intact; positions refer to the normalised text.
"""

from __future__ import annotations

import re

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

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_SPACES = re.compile(r"[ \t]+")


def normalise(text: str) -> str:
    """Lowercased text with food emoji spelled out and apostrophes straightened."""
    out = text.translate(_APOSTROPHES).lower()
    for emoji, word in EMOJI_WORDS.items():
        if emoji in out:
            # "3 coffees today ☕": the emoji only illustrates a food already named.
            named = re.search(r"\b" + re.escape(word.split()[-1][:4]), out)
            out = out.replace(emoji, " " if named else f" {word} ")
    return _SPACES.sub(" ", out).strip()
