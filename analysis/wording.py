"""Small helpers that turn numbers into short plain words for the replies and the chart."""

from __future__ import annotations

import html
import math

from analysis.factors import ANTIBIOTICS_ITEM, PROBIOTIC_ITEM
from analysis.model import SKIPPED_MEAL, FoodResult, Verdict, Window

VERDICT_WORDS: dict[Verdict, str] = {
    "likely_trigger": "likely trigger",
    "possible_trigger": "possible trigger",
    "protective": "seems to protect you",
    "looks_safe": "looks safe",
    "not_enough_data": "not enough data yet",
}

WINDOW_WORDS: dict[str, str] = {
    "24h": "food in the 24 hours before a migraine started",
    "48h": "food 24–48 hours (the day) before a migraine started",
}
# The same, once sleep, stress and the other daily factors are in the report too.
WINDOW_WORDS_WITH_FACTORS: dict[str, str] = {
    "24h": "food and daily factors in the 24 hours before a migraine started",
    "48h": "food and daily factors 24–48 hours (the day) before a migraine started",
}
ITEM_WINDOW_WORDS: dict[str, str] = {  # for one factor or measure on its own
    "24h": "the 24 hours before a migraine started",
    "48h": "24–48 hours (the day) before a migraine started",
}


def is_factor(r: FoodResult) -> bool:
    """Sleep, stress, antibiotics... or a daily amount: things nobody should be told to have
    more of so that the diary can tell, and that are not "eaten"."""
    return r.level in ("factor", "measure")


def more_days_phrase(r: FoodResult) -> str:
    """How much more data a result needs, in a form that never reads as advice to take more
    antibiotics or caffeine: a number of days only for foods and food groups."""
    if is_factor(r):
        return "More days in your diary will tell."
    if r.extra_exposed_days_needed:
        return f"About {r.extra_exposed_days_needed} more days with it would tell."
    return ""


def times(x: float | None) -> str:
    """3.456 → "3.5×", 12.3 → "12×", inf → "∞"."""
    if x is None:
        return "?"
    if not math.isfinite(x):
        return "∞"
    if x == 0:
        return "0×"
    if x >= 10:
        return f"{x:.0f}×"
    if x >= 0.95:
        return f"{x:.1f}×"
    return f"{x:.2f}×"


def interval(low: float, high: float) -> str:
    """ "2.1–5.6×", or "at least 2.1×" when the data cannot bound it from above."""
    if not math.isfinite(high):
        return f"at least {times(low)}"
    return f"{times(low).rstrip('×')}–{times(high)}"


def label(r: FoodResult) -> str:
    """Display name: "Red wine", categories as "Alcohol (any)"."""
    name = r.name[:1].upper() + r.name[1:]
    return f"{name} (any)" if r.level == "category" else name


def h(text: str) -> str:
    """Escape for Telegram HTML."""
    return html.escape(text, quote=False)


# Factors whose name does not read after "days with" ("days with on antibiotics").
FACTOR_DAYS = {
    ANTIBIOTICS_ITEM: "days on antibiotics",
    PROBIOTIC_ITEM: "days with a probiotic",
}


def after_words(r: FoodResult, window: Window) -> str:
    """How the exposed days are described: "days after red wine"."""
    what = h(r.name)
    if r.name == SKIPPED_MEAL:
        what = "a skipped meal"
    elif r.level == "category":
        what = f"any {what}"
    elif r.level in ("factor", "measure"):
        days = FACTOR_DAYS.get(r.name, f"days with {what}")
        return f"{days} the day before" if window == "48h" else days
    if window == "48h":
        return f"days after {what} the day before"
    return f"days after {what}"


def counts_sentence(r: FoodResult, window: Window) -> str:
    """'on 17 of 37 days after red wine you had a migraine, vs 26 of 197 other days'.

    "had a migraine" here means a new migraine started (the outcome counted).
    """
    return (
        f"on {r.a} of {r.exposed} {after_words(r, window)} you had a migraine, "
        f"vs {r.c} of {r.unexposed} other days"
    )


def counts_with_it(r: FoodResult, window: Window) -> str:
    """'on 4 of 40 days with it you had a migraine, vs 30 of 150 other days': the counts sentence
    for a line that has just named the item (a factor or measure reads badly repeated inside it).
    """
    days = "days with it the day before" if window == "48h" else "days with it"
    return (
        f"on {r.a} of {r.exposed} {days} you had a migraine, vs {r.c} of {r.unexposed} other days"
    )


def risk_phrase(r: FoodResult) -> str:
    """'about 3.5× the risk (likely 2.1–5.6×)'."""
    if r.rr is None:
        return "no comparison possible yet"
    if not math.isfinite(r.rr):
        return f"every migraine came after it (risk likely {interval(r.ci_low, r.ci_high)})"
    return f"about {times(r.rr)} the risk (likely {interval(r.ci_low, r.ci_high)})"


FRACTION_WORDS = (
    (1 / 4, "a quarter of"),
    (1 / 3, "a third of"),
    (1 / 2, "half"),
    (2 / 3, "two-thirds of"),
)


def lower_risk_phrase(r: FoodResult) -> str:
    """'about half the risk (likely 0.21–0.90×)': a lower risk in words a patient reads at once."""
    if r.rr is None:
        return "no comparison possible yet"
    if r.rr == 0:
        return f"no migraine started after it yet (risk likely below {times(r.ci_high)})"
    size = next((w for f, w in FRACTION_WORDS if abs(r.rr - f) < 0.05), None)
    amount = f"{size} the risk" if size else f"{times(r.rr)} the risk"
    return f"about {amount} (likely {interval(r.ci_low, r.ci_high)})"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"
