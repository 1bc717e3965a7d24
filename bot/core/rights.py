"""/export and /erase: a person takes their diary with them, or removes it, from the chat.

The erase button carries the person's id and when it was offered, so a stale or forwarded
confirmation can never erase anything, and a tap by anyone else is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.replies import Button, Document, Reply
from bot.core.schedule import CALENDAR, parse_clock
from bot.diary_csv import write_events
from bot.diary_json import snapshot_json
from storage import Diary, Reminders
from storage.rights import Restore, Rights, Snapshot

ERASE_VALID = timedelta(minutes=10)
EXPIRED = "That button has expired — nothing was changed."


def utcnow() -> datetime:
    return datetime.now(UTC)


def export_files(snapshot: Snapshot, day: str) -> list[Document]:
    """The CSV (spreadsheets, `haven import`) and the JSON (the complete backup)."""
    texts = {message.id: message.text for message in snapshot.messages}
    sources = [texts.get(e.source_id, "") if e.source_id else "" for e in snapshot.events]
    csv_text = write_events(snapshot.events, ZoneInfo(snapshot.timezone), sources)
    return [
        Document(f"haven-diary-{day}.csv", csv_text.encode()),
        Document(f"haven-diary-{day}.json", snapshot_json(snapshot).encode()),
    ]


class DataRights:
    def __init__(self, diary: Diary, clock: Callable[[], datetime] = utcnow) -> None:
        self.diary = diary
        self.rights = Rights(diary.sessions)
        self.clock = clock

    async def export(self, user_id: int) -> Reply:
        snapshot = await self.rights.snapshot(user_id)
        if snapshot is None or not (snapshot.events or snapshot.messages):
            return Reply("Your diary is empty, so there is nothing to export yet.")
        return Reply(
            f"Your whole diary: {len(snapshot.events)} entries.\n"
            "• the <b>CSV</b> opens in any spreadsheet;\n"
            "• the <b>JSON</b> is the complete backup, with your messages and settings.",
            documents=export_files(snapshot, self.clock().date().isoformat()),
        )

    def confirm_erase(self, user_id: int) -> Reply:
        stamp = int(self.clock().timestamp())
        return Reply(
            "This deletes <b>everything</b> I keep about you: every entry, the messages they "
            "came from, your timezone, reminders and check-ins. It can't be undone.\n"
            "Want a copy first? Send /export before you tap.",
            buttons=[
                [
                    Button("Yes, erase everything", f"er:yes:{user_id}:{stamp}"),
                    Button("Cancel", f"er:no:{user_id}:{stamp}"),
                ]
            ],
        )

    async def button(self, user_id: int, data: str) -> Reply:
        parts = data.split(":")
        if len(parts) != 4 or parts[1] not in ("yes", "no"):
            return Reply(toast=EXPIRED)
        try:
            owner, stamp = int(parts[2]), int(parts[3])
        except ValueError:
            return Reply(toast=EXPIRED)
        if owner != user_id:
            return Reply(toast="That button isn't yours — nothing was changed.")
        if parts[1] == "no":
            return Reply("Cancelled — nothing was deleted.", edit=True, toast="Cancelled")
        offered = datetime.fromtimestamp(stamp, UTC)
        if not timedelta(0) <= self.clock() - offered <= ERASE_VALID:
            return Reply(
                "That confirmation has expired — nothing was deleted. Send /erase again.",
                edit=True,
                toast=EXPIRED,
            )
        counts = await self.rights.erase(user_id)
        entries = counts.get("events", 0)
        return Reply(
            f"Done. I deleted everything I kept about you ({entries} entries and all your "
            "settings). Nothing of yours is left in my database. "
            "If you ever want to start again, just send /start.",
            edit=True,
            toast="Everything erased",
        )


async def restore(
    diary: Diary, user_id: int, data: Restore, reminder: dict[str, Any] | None
) -> int:
    """`haven import` of a JSON export: the diary, then the settings that need the calendar."""
    count = await Rights(diary.sessions).restore(user_id, user_id, data)
    if reminder is not None:
        reminders = Reminders(diary.sessions, CALENDAR)
        minute = parse_clock(str(reminder.get("time", "")))
        now = utcnow()
        if minute is not None and reminder.get("enabled"):
            await reminders.set_time(user_id, minute, now)
        else:
            await reminders.turn_off(user_id, now, str(reminder.get("off_reason") or "user"))
    return count
