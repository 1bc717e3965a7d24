"""What a message is when it logs nothing: a greeting, thanks, a question, or a pure negation.

The dialogue uses this to answer chatter helpfully instead of saying "nothing logged".
"""

from __future__ import annotations

import re

from bot.parsing.clauses import QUESTION_START
from bot.parsing.events import Intent

_GREETING = re.compile(
    r"^\s*(?:hi+|hello+|hey+|hiya|heya|howdy|yo|hola|sup|greetings|good\s+(?:morning|afternoon|"
    r"evening|day)|morning|evening|afternoon|gm)\b"
    r"(?:\s+(?:there|haven|all|bot|again|mate|guys|everyone|folks|love|lovely|team))?"
    r"(?=\s*(?:[^\w\s]|$))"
)
_THANKS = re.compile(
    r"\b(?:thanks|thank\s+you|thank\s+u|thankyou|thx|ty|tysm|cheers|ta|much\s+appreciated|"
    r"appreciate\s+it|great\s+thanks|nice\s+one)\b|🙏|👍"
)


_LEADING_THANKS = re.compile(
    r"^\s*(?:thanks|thank\s+you|thank\s+u|thx|ty|cheers|ta)(?:\s+(?:so\s+much|a\s+lot|again))?"
    r"(?:\s+(?:mate|love|pal|buddy|hun|babe|haven|bot|x+))?\b"
)


def chatter_span(text: str) -> tuple[int, int] | None:
    """Where a leading greeting or thanks is, so "morning!" is no time and "cheers mate" no food."""
    m = _GREETING.match(text) or _LEADING_THANKS.match(text)
    return m.span() if m else None


def chatter_intent(text: str) -> Intent:
    """Intent of a message that logged no event and negated nothing."""
    if "?" in text or QUESTION_START.match(text):
        return "question"
    if _THANKS.search(text):
        return "thanks"
    if _GREETING.match(text) or text.strip() in {"👋", "hi", "hey"}:
        return "greeting"
    return "unknown"
