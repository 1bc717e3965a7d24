"""The diary as CSV: `at,kind,name,quantity,severity,dose` (what `haven import` reads).

Hand-written on the csv module because each bad row must be reported with its line number and the
file refused whole; a dataframe library would add weight and hide those details.

`write_events` (/export) adds `local_time` and `source_text` after the six import columns, for
people reading the file in a spreadsheet. The reader ignores them: `local_time` is derived from
`at` and the timezone, and a source text cannot be re-attached without its message's identity,
which only the JSON export carries (`haven import` of the JSON restores it; see diary_json.py).

A `factor` row (sleep, stress, exercise...: bot/parsing/factors.py) keeps the six columns: its
number goes in `quantity` and its words (activity, strain, antibiotic) in `dose`, so older readers
and spreadsheets still line up; the reader maps them back to the event's value and detail.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.parsing.events import EVENT_KINDS, ParsedEvent
from bot.parsing.vocabulary import Vocabulary
from storage.diary import EventLike

COLUMNS = ("at", "kind", "name", "quantity", "severity", "dose")
EXTRA_COLUMNS = ("local_time", "source_text")  # written by export, ignored by import


def format_at(at: datetime) -> str:
    """UTC, ISO 8601 with its offset: what the reader accepts, and stable across machines."""
    return at.astimezone(UTC).isoformat()


def format_local(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).isoformat()


def format_number(value: float | None) -> str:
    """2.0 → "2", 0.5 → "0.5": as a person would write it, and it reads back to the same float."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def write_events(events: Iterable[EventLike], tz: ZoneInfo, sources: Iterable[str]) -> str:
    """The export CSV; `sources` gives each event's source text ("" when it has none)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS + EXTRA_COLUMNS)
    for event, source in zip(events, sources, strict=True):
        factor = event.kind == "factor"
        writer.writerow(
            [
                format_at(event.at),
                event.kind,
                event.name or "",
                format_number(event.value if factor else event.quantity),
                "" if event.severity is None else str(event.severity),
                (event.detail if factor else event.dose) or "",
                format_local(event.at, tz),
                source,
            ]
        )
    return out.getvalue()


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
            events.append(event_from_row(row))
        except ValueError as exc:
            errors.append(RowError(reader.line_num, str(exc)))
    if errors:
        raise ImportRefused(errors)
    return events


def event_from_row(row: dict[str, str]) -> ParsedEvent:
    """One row as an event; ValueError saying what is wrong with it."""
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
    if kind in {"food", "medication", "skipped_meal", "factor"} and not name:
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
    if kind == "factor":  # its number and words travel in the quantity and dose columns
        return ParsedEvent(kind=kind, at=at, name=name, value=quantity, detail=dose)
    return ParsedEvent(
        kind=kind,
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


def with_canonical_food_names(
    events: Iterable[ParsedEvent], vocabulary: Vocabulary
) -> list[ParsedEvent]:
    """Foods under the names the bot itself would log ("eggs" → egg, "Coke" → cola), so imported
    days pool with typed ones in /triggers; names the vocabulary does not know stay as written."""
    out: list[ParsedEvent] = []
    for event in events:
        if event.kind == "food" and event.name:
            food = vocabulary.lookup(event.name)
            event = replace(event, name=food.name if food else event.name, known=food is not None)
        out.append(event)
    return out
