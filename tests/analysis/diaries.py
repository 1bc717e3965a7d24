"""Helpers to build small hand-made diaries in a local time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from analysis import DiaryEvent

LONDON = ZoneInfo("Europe/London")


def at(local: str, tz: ZoneInfo = LONDON) -> datetime:
    """Local "2025-03-01 08:00" in `tz` → an aware UTC datetime."""
    return datetime.fromisoformat(local).replace(tzinfo=tz).astimezone(UTC)


def ev(kind: str, local: str, name: str | None = None) -> DiaryEvent:
    return DiaryEvent(kind, at(local), name)


def food(local: str, name: str) -> DiaryEvent:
    return ev("food", local, name)


def start(local: str) -> DiaryEvent:
    return ev("migraine_start", local)


def end(local: str) -> DiaryEvent:
    return ev("migraine_end", local)


def checkins(first: str, last: str, hour: str = "21:00") -> list[DiaryEvent]:
    """A no-migraine check-in every evening from `first` to `last` (dates, inclusive)."""
    d0, d1 = date.fromisoformat(first), date.fromisoformat(last)
    return [
        ev("no_migraine", f"{d0 + timedelta(days=i)} {hour}") for i in range((d1 - d0).days + 1)
    ]
