"""Labelled parser cases (tests/data/parser_cases.jsonl): loading and comparing with the parser.

Shared by the test suite and the accuracy bench so that both judge the parser the same way:
kind, name, quantity, severity, dose and (factors) value must be equal, and `at` equal to the
minute (an expected event without `at` means "the message's own time").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.parsing.events import ParsedEvent

CASES_FILE = Path(__file__).resolve().parents[2] / "tests" / "data" / "parser_cases.jsonl"

# One event as compared: kind, name, quantity, severity, dose, minute (UTC, ISO), value.
EventKey = tuple[str, str | None, float | None, int | None, str | None, str, float | None]


@dataclass(frozen=True, slots=True)
class Case:
    text: str
    now: datetime
    tz: ZoneInfo
    expected: list[EventKey]
    intent: str | None = None
    xfail: str | None = None
    line: int = 0


def _minute(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(second=0, microsecond=0).isoformat()


def expected_key(event: dict[str, Any], now: datetime) -> EventKey:
    at = datetime.fromisoformat(event["at"]) if "at" in event else now
    quantity = event.get("quantity")
    return (
        event["kind"],
        event.get("name"),
        float(quantity) if quantity is not None else None,
        event.get("severity"),
        event.get("dose"),
        _minute(at),
        float(event["value"]) if event.get("value") is not None else None,
    )


def parsed_key(event: ParsedEvent) -> EventKey:
    return (
        event.kind,
        event.name,
        event.quantity,
        event.severity,
        event.dose,
        _minute(event.at),
        event.value,
    )


def load_cases(path: Path = CASES_FILE) -> list[Case]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        raw = json.loads(line)
        now = datetime.fromisoformat(raw["now"])
        cases.append(
            Case(
                text=raw["text"],
                now=now,
                tz=ZoneInfo(raw["tz"]),
                expected=[expected_key(e, now) for e in raw["events"]],
                intent=raw.get("intent"),
                xfail=raw.get("xfail"),
                line=number,
            )
        )
    return cases


def sort_keys(keys: list[EventKey]) -> list[EventKey]:
    """Events in a canonical order: a message's events are a set, not a sequence."""
    return sorted(keys, key=lambda k: (k[0], k[1] or "", k[5], repr(k[2:5]), repr(k[6])))
