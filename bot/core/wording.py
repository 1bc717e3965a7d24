"""How entries are named back to a person: emoji, local times, days."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.core.factor_words import describe_factor
from bot.parsing.vocabulary import Vocabulary

FOOD_EMOJI = {
    "coffee": "☕",
    "tea": "🍵",
    "chai": "🍵",
    "red wine": "🍷",
    "white wine": "🥂",
    "wine": "🍷",
    "champagne": "🥂",
    "beer": "🍺",
    "cheese": "🧀",
    "chocolate": "🍫",
    "bread": "🍞",
    "pizza": "🍕",
    "sandwich": "🥪",
    "apple": "🍎",
    "banana": "🍌",
    "orange": "🍊",
    "citrus fruit": "🍊",
    "egg": "🥚",
    "rice": "🍚",
    "pasta": "🍝",
    "water": "💧",
    "milk": "🥛",
    "cola": "🥤",
    "diet cola": "🥤",
    "energy drink": "🥤",
    "processed meat": "🥓",
    "bacon": "🥓",
    "meat": "🍖",
    "chicken": "🍗",
    "fish": "🐟",
    "cake": "🍰",
    "ice cream": "🍦",
    "burger": "🍔",
    "fries": "🍟",
    "salad": "🥗",
    "curry": "🍛",
    "noodle": "🍜",
    "soup": "🍲",
    "fruit": "🍇",
    "vegetable": "🥦",
    "nut": "🥜",
    "alcohol": "🍸",
    "spirit": "🥃",
    "caffeinated drink": "☕",
    "dairy": "🥛",
    "soft drink": "🥤",
    "cocktail": "🍸",
    "juice": "🧃",
    "crisps": "🥔",
    "potato": "🥔",
    "tomato": "🍅",
    "avocado": "🥑",
    "carrot": "🥕",
    "breakfast cereal": "🥣",
    "porridge": "🥣",
    "biscuit": "🍪",
    "doughnut": "🍩",
    "croissant": "🥐",
    "pancake": "🥞",
    "sausage": "🌭",
    "hot dog": "🌭",
    "taco": "🌮",
    "burrito": "🌯",
    "sushi": "🍣",
    "dumpling": "🥟",
    "popcorn": "🍿",
    "honey": "🍯",
    "butter": "🧈",
    "yogurt": "🥛",
    "sweets": "🍬",
    "kebab": "🥙",
    "flatbread": "🫓",
    "baked good": "🥐",
    "seafood": "🦐",
    "poultry": "🍗",
}
KIND_EMOJI = {
    "migraine_start": "🤕",
    "migraine_end": "🙂",
    "medication": "💊",
    "no_migraine": "✅",
    "skipped_meal": "🍽️",
}


def food_emoji(name: str, vocabulary: Vocabulary) -> str:
    """The food's own emoji, else its nearest category's, else a plate or a cup."""
    for candidate in (name, *vocabulary.ancestors(name)):
        if candidate in FOOD_EMOJI:
            return FOOD_EMOJI[candidate]
    food = vocabulary.foods.get(name)
    return "🥤" if food is not None and food.kind == "drink" else "🍽️"


def day_label(day: date, today: date) -> str:
    delta = (today - day).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "yesterday"
    return day.strftime("%a %-d %b")


def when(at: datetime, now: datetime, tz: ZoneInfo) -> str:
    """'12:40 today', '21:00 yesterday', '08:00 Mon 23 Nov' in the person's own zone."""
    local = at.astimezone(tz)
    return f"{local:%H:%M} {day_label(local.date(), now.astimezone(tz).date())}"


def join_words(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def describe(
    kind: str,
    name: str | None,
    quantity: float | None,
    severity: int | None,
    dose: str | None,
    vocabulary: Vocabulary,
    value: float | None = None,
    detail: str | None = None,
) -> str:
    """One entry in a few words, HTML-escaped: '☕ coffee ×2', '😴 slept 5 h'."""
    if kind == "food":
        text = f"{food_emoji(name or '', vocabulary)} {escape(name or 'something')}"
        if quantity is not None and quantity != 1:
            text += f" ×{quantity:g}"
        return text
    if kind == "migraine_start":
        return "🤕 migraine" + (f" {severity}/10" if severity else "")
    if kind == "migraine_end":
        return "🙂 migraine over"
    if kind == "medication":
        return f"💊 {escape(name or 'medication')}" + (f" {escape(dose)}" if dose else "")
    if kind == "no_migraine":
        return "✅ migraine-free day"
    if kind == "skipped_meal":
        return f"🍽️ skipped {escape(name or 'a meal')}"
    if kind == "factor":
        return describe_factor(name, value, detail)
    return escape(kind)


def unique_in_order(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
