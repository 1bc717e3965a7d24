"""The diary as JSON: the complete export (/export, `haven export`) and what `haven import` of a
`.json` file restores.

The CSV is for spreadsheets and other apps; this is the backup. It carries the same events plus
the messages they came from, the person's settings (timezone, check-in time, the check-in rows
chosen in /settings) and the food words they taught (/food), so an import into an empty database
followed by an export gives byte-identical files. Check-in history (with the factor rows answered
in each check-in) is exported for the record but not restored (the events its answers logged
are).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.diary_csv import COLUMNS, ImportRefused, RowError, event_from_row, format_at, format_local
from storage.rights import Restore, RestoredEvent, RestoredMessage, Snapshot
from storage.settings import FACTORS, CheckInRows

FORMAT = "haven-diary"
VERSION = 1


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    return format_at(value) if isinstance(value, datetime) else value.isoformat()


def reminder_settings(snapshot: Snapshot) -> dict[str, Any] | None:
    reminder = snapshot.reminder
    if reminder is None:
        return None
    return {
        "time": f"{reminder.minute // 60:02d}:{reminder.minute % 60:02d}",
        "enabled": reminder.enabled,
        "off_reason": reminder.off_reason,
    }


def checkin_rows(rows: CheckInRows) -> dict[str, bool]:
    """The /settings switches, each by name: `{"sleep_quality": false, ..., "period": false}`."""
    return {name: getattr(rows, name) for name in FACTORS}


def read_checkin_rows(value: Any) -> CheckInRows:
    """The switches back; an export from before /settings has none, so all stay off."""
    if value is None:
        return CheckInRows()
    if not isinstance(value, dict) or not all(
        key in FACTORS and isinstance(on, bool) for key, on in value.items()
    ):
        raise ValueError(f"checkin_rows must map {', '.join(FACTORS)} to true or false")
    return CheckInRows(**value)


def snapshot_json(snapshot: Snapshot) -> str:
    tz = ZoneInfo(snapshot.timezone)
    index = {message.id: n for n, message in enumerate(snapshot.messages)}
    texts = {message.id: message.text for message in snapshot.messages}
    factors: dict[int, dict[str, str]] = {}
    for answer in snapshot.checkin_factors:
        factors.setdefault(answer.nudge_id, {})[answer.factor] = answer.choice
    document = {
        "format": FORMAT,
        "version": VERSION,
        "user_id": snapshot.user_id,
        "settings": {
            "timezone": snapshot.timezone,
            "reminder": reminder_settings(snapshot),
            "checkin_rows": checkin_rows(snapshot.checkin_rows),
        },
        "events": [
            {
                "at": format_at(e.at),
                "kind": e.kind,
                "name": e.name,
                "quantity": e.quantity,
                "severity": e.severity,
                "dose": e.dose,
                "known": e.known,
                "value": e.value,
                "detail": e.detail,
                "local_time": format_local(e.at, tz),
                "source_text": texts.get(e.source_id) if e.source_id else None,
                "message": index.get(e.source_id) if e.source_id else None,
            }
            for e in snapshot.events
        ],
        "messages": [
            {
                "chat_id": m.chat_id,
                "message_id": m.message_id,
                "sent_at": _iso(m.sent_at),
                "edited_at": _iso(m.edited_at),
                "text": m.text,
                "undone": m.undone,
            }
            for m in snapshot.messages
        ],
        "checkins": [
            {
                "kind": n.kind,
                "day": _iso(n.day),
                "state": n.state,
                "answer": n.answer,
                "sent_at": _iso(n.sent_at),
                "answered_at": _iso(n.answered_at),
                "factors": factors.get(n.id, {}),  # the check-in's factor rows, as tapped
            }
            for n in snapshot.checkins
        ],
        "food_words": [
            {"phrase": w.phrase, "target": w.target, "kind": w.kind} for w in snapshot.food_words
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def read_restore(text: str) -> tuple[Restore, dict[str, Any] | None]:
    """A JSON export as what to restore, and the reminder settings; `ImportRefused` if bad.

    Events are checked by the CSV reader's rules (each row listed), so both formats accept the same
    diaries; numbers are entries, counted from 1.
    """
    try:
        document = json.loads(text)
        if document.get("format") != FORMAT or document.get("version") != VERSION:
            raise ImportRefused([RowError(1, f"not a {FORMAT} version {VERSION} file")])
        settings = document["settings"]
        zone = str(settings["timezone"])
        ZoneInfo(zone)
        rows = read_checkin_rows(settings.get("checkin_rows"))
        messages = [
            RestoredMessage(
                chat_id=int(m["chat_id"]),
                message_id=int(m["message_id"]),
                sent_at=_time(m["sent_at"]),
                edited_at=_time(m["edited_at"]) if m.get("edited_at") else None,
                text=str(m["text"]),
                undone=bool(m["undone"]),
            )
            for m in document["messages"]
        ]
        raw_events = document["events"]
        food_words = [
            (str(w["phrase"]), str(w["target"]), str(w["kind"]))
            for w in document.get("food_words", [])
        ]
    except (KeyError, TypeError, ValueError, AttributeError, ZoneInfoNotFoundError) as exc:
        raise ImportRefused([RowError(1, f"not a readable Haven export: {exc}")]) from None
    events: list[RestoredEvent] = []
    errors: list[RowError] = []
    for n, item in enumerate(raw_events, 1):
        try:
            event = event_from_row(_row(item))
        except (ValueError, AttributeError) as exc:
            errors.append(RowError(n, f"event {n}: {exc}"))
            continue
        message = item.get("message")
        if message is not None and not (isinstance(message, int) and 0 <= message < len(messages)):
            errors.append(RowError(n, f"event {n} refers to a message that is not there"))
            continue
        events.append(
            RestoredEvent(
                kind=event.kind,
                at=event.at,
                name=item.get("name"),  # as stored, not re-normalised
                quantity=event.quantity,
                severity=event.severity,
                dose=item.get("dose"),
                known=bool(item.get("known", True)),
                message=message,
                value=event.value,
                detail=item.get("detail"),  # as stored, not stripped
            )
        )
    if errors:
        raise ImportRefused(errors)
    restored = Restore(zone, messages, events, from_user=_optional_int(document.get("user_id")))
    restored.food_words = food_words
    restored.checkin_rows = rows
    return restored, settings.get("reminder")


def _time(value: Any) -> datetime:
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError(f"time without a UTC offset: {value!r}")
    return parsed


def _optional_int(value: Any) -> int | None:
    return value if isinstance(value, int) else None


def _row(item: dict[str, Any]) -> dict[str, str]:
    """An event as a CSV row, so both formats are checked by the same rules; a factor's value and
    detail take the quantity and dose columns, as in the CSV."""
    row = {key: _cell(item, key) for key in COLUMNS}
    if row["kind"].strip() == "factor":
        row["quantity"], row["dose"] = _cell(item, "value"), _cell(item, "detail")
    return row


def _cell(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    return "" if value is None else str(value)
