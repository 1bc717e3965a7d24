"""Timezones from an IANA name or from a shared location (offline, with timezonefinder)."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones


@cache
def _zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def resolve_timezone(text: str) -> str | None:
    """The IANA name for what a person typed ('europe/berlin', 'Europe/Berlin'), else None."""
    key = text.strip().replace(" ", "_").lower()
    return _zones_by_lower_name().get(key)


class TimezoneLookup:
    """Location → timezone. The polygon data loads on first use, not at start-up."""

    def __init__(self) -> None:
        self._finder: object | None = None

    def at(self, latitude: float, longitude: float) -> str | None:
        if self._finder is None:
            from timezonefinder import TimezoneFinder

            self._finder = TimezoneFinder()
        zone = self._finder.timezone_at(lat=latitude, lng=longitude)  # type: ignore[attr-defined]
        return zone if zone and resolve_timezone(zone) else None
