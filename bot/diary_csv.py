"""The diary as CSV: `at,kind,name,quantity,severity,dose` (what `haven import` reads).

Hand-written on the csv module because each bad row must be reported with its line number and the
file refused whole; a dataframe library would add weight and hide those details.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.parsing.events import EVENT_KINDS, ParsedEvent

COLUMNS = ("at", "kind", "name", "quantity", "severity", "dose")


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


class ImportRefused(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} bad row(s)")
        self.errors = errors


def read_events(lines: Iterable[str]) -> list[ParsedEvent]:
    """Every row as an event, or `ImportRefused` listing every bad row (nothing half-read)."""
    reader = csv.DictReader(lines)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportRefused([RowError(1, f"header lacks column(s): {', '.join(missing)}")])
    events: list[ParsedEvent] = []
    errors: list[RowError] = []
    for row in reader:
        try:
            events.append(_event(row))
        except ValueError as exc:
            errors.append(RowError(reader.line_num, str(exc)))
    if errors:
        raise ImportRefused(errors)
    return events


def _event(row: dict[str, str]) -> ParsedEvent:
    kind = (row.get("kind") or "").strip()
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown kind {kind!r} (expected one of {', '.join(EVENT_KINDS)})")
    raw_at = (row.get("at") or "").strip()
    try:
        at = datetime.fromisoformat(raw_at)
    except ValueError:
        raise ValueError(f"'at' is not an ISO 8601 time: {raw_at!r}") from None
    if at.tzinfo is None:
        raise ValueError(f"'at' needs a UTC offset, e.g. {raw_at}+00:00")
    name = (row.get("name") or "").strip().lower() or None
    if kind in {"food", "medication", "skipped_meal"} and not name:
        raise ValueError(f"a {kind} row needs a name")
    if kind == "skipped_meal" and name not in {"breakfast", "lunch", "dinner"}:
        raise ValueError("a skipped_meal name is breakfast, lunch or dinner")
    quantity = _number(row.get("quantity"), "quantity")
    severity_value = _number(row.get("severity"), "severity")
    severity = None
    if severity_value is not None:
        if severity_value != int(severity_value) or not 1 <= severity_value <= 10:
            raise ValueError("severity is a whole number from 1 to 10")
        severity = int(severity_value)
    dose = (row.get("dose") or "").strip() or None
    return ParsedEvent(
        kind=kind,  # type: ignore[arg-type]  # checked against EVENT_KINDS above
        at=at,
        name=name,
        quantity=quantity,
        severity=severity,
        dose=dose,
    )


def _number(cell: str | None, column: str) -> float | None:
    text = (cell or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{column} is not a number: {text!r}") from None
