"""How a lifestyle factor is named back to a person: '😴 slept 5 h', '🏃 run 30 min'.

Separate from wording.py so the factor names (see bot/parsing/factors.py) and their phrasing
live together; every text is HTML-escaped because it goes into Telegram HTML replies.
"""

from __future__ import annotations

from html import escape

_QUALITY = {1: "poor", 2: "OK", 3: "good"}
_ACTIVITY_EMOJI = {
    "yoga": "🧘",
    "pilates": "🧘",
    "stretch": "🧘",
    "barre": "🧘",
    "swim": "🏊",
    "cycle": "🚴",
    "bike ride": "🚴",
    "ride": "🚴",
    "spin": "🚴",
    "spin class": "🚴",
    "walk": "🚶",
    "hike": "🥾",
    "gym": "🏋️",
    "weights": "🏋️",
    "tennis": "🎾",
    "football": "⚽",
}


def _with(text: str, *extras: str) -> str:
    """'started antibiotics (amoxicillin, 7 days)': the extras that are known, in brackets."""
    shown = [e for e in extras if e]
    return f"{text} ({', '.join(shown)})" if shown else text


def describe_factor(name: str | None, value: float | None, detail: str | None) -> str:
    """One factor event in a few words, HTML-escaped."""
    shown = escape(detail) if detail else ""
    if name == "sleep_hours":
        return "😴 slept" + (f" {value:g} h" if value is not None else "")
    if name == "sleep_quality":
        quality = _QUALITY.get(round(value)) if value is not None else None
        return f"😴 {quality or 'a'} night's sleep"
    if name == "stress":
        return "😣 stress" + (f" {value:g}/5" if value is not None else "")
    if name == "exercise":
        emoji = _ACTIVITY_EMOJI.get(detail or "", "🏃")
        return f"{emoji} {shown or 'exercise'}" + (f" {value:g} min" if value is not None else "")
    if name == "probiotic":
        return _with("🦠 probiotic", shown)
    if name in ("antibiotics_start", "antibiotics_end", "antibiotics"):
        lead = {"antibiotics_start": "started ", "antibiotics_end": "finished "}.get(name, "")
        days = f"{value:g} days" if value is not None else ""
        return _with(f"🧫 {lead}antibiotics", shown, days)
    if name == "period_start":
        return "🩸 period started"
    if name == "period_end":
        return "🩸 period ended"
    if name == "period":
        return "🩸 period"
    return escape(name or "factor") + (f" {value:g}" if value is not None else "")
