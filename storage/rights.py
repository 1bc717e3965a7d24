"""A person's rights over their data: everything of theirs read out, restored, or erased.

Erasure walks `Base.metadata` rather than a hand-kept list, so a table added later (check-ins,
reminders, whatever comes next) is erased as soon as it has a `user_id` (or, lacking one, a
`chat_id`) column; the test checks every table the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Table, delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from storage.diary import event_row
from storage.models import (
    Base,
    CheckInFactor,
    Event,
    Nudge,
    PersonalFood,
    Reminder,
    SourceMessage,
    User,
)
from storage.settings import CheckInRows, apply_rows


@dataclass
class Snapshot:
    """All rows of one person, in a stable order (time, then id): what /export writes out."""

    user_id: int
    timezone: str
    reminder: Reminder | None
    messages: list[SourceMessage]
    events: list[Event]
    checkins: list[Nudge]
    food_words: list[PersonalFood] = field(default_factory=list)  # /food: (phrase, target, kind)
    checkin_rows: CheckInRows = field(default_factory=CheckInRows)  # /settings
    checkin_factors: list[CheckInFactor] = field(default_factory=list)  # their answers


@dataclass(frozen=True)
class RestoredMessage:
    """A message to restore, with the index its events refer to it by."""

    chat_id: int
    message_id: int
    sent_at: datetime
    edited_at: datetime | None
    text: str
    undone: bool


@dataclass(frozen=True)
class RestoredEvent:
    kind: str
    at: datetime
    name: str | None
    quantity: float | None
    severity: int | None
    dose: str | None
    known: bool = True
    message: int | None = None  # index into the restored messages
    value: float | None = None  # factor events: their number and words
    detail: str | None = None


@dataclass
class Restore:
    """An exported diary to put back. Messages from the exporting person's private chat
    (`from_user`) move to the new owner's, so a diary can be restored under another id."""

    timezone: str
    messages: list[RestoredMessage] = field(default_factory=list)
    events: list[RestoredEvent] = field(default_factory=list)
    from_user: int | None = None
    food_words: list[tuple[str, str, str]] = field(default_factory=list)  # phrase, target, kind
    checkin_rows: CheckInRows = field(default_factory=CheckInRows)  # /settings


class DiaryNotEmpty(Exception):
    """A full restore goes into an empty diary only, so nothing is ever doubled."""


def _owned_by(table: Table, user_id: int, chat_ids: Sequence[int]) -> ColumnElement[bool] | None:
    if table.name == User.__tablename__:
        return table.c.id == user_id
    if "user_id" in table.c:
        return table.c.user_id == user_id
    if "chat_id" in table.c:
        return table.c.chat_id.in_(chat_ids)
    return None


class Rights:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def snapshot(self, user_id: int) -> Snapshot | None:
        """Everything stored about the person, read in one transaction (a consistent picture)."""
        async with self.sessions.begin() as session:
            user = await session.get(User, user_id)
            if user is None:
                return None
            messages = await session.scalars(
                select(SourceMessage)
                .where(SourceMessage.user_id == user_id)
                .order_by(SourceMessage.sent_at, SourceMessage.id)
            )
            events = await session.scalars(
                select(Event).where(Event.user_id == user_id).order_by(Event.at, Event.id)
            )
            checkins = await session.scalars(
                select(Nudge).where(Nudge.user_id == user_id).order_by(Nudge.created_at, Nudge.id)
            )
            words = await session.scalars(
                select(PersonalFood)
                .where(PersonalFood.user_id == user_id)
                .order_by(PersonalFood.id)
            )
            factors = await session.scalars(
                select(CheckInFactor)
                .where(CheckInFactor.user_id == user_id)
                .order_by(CheckInFactor.nudge_id, CheckInFactor.factor)
            )
            return Snapshot(
                user_id=user_id,
                timezone=user.timezone,
                reminder=await session.get(Reminder, user_id),
                messages=list(messages),
                events=list(events),
                checkins=list(checkins),
                food_words=list(words),
                checkin_rows=CheckInRows.of(user),
                checkin_factors=list(factors),
            )

    async def erase(self, user_id: int) -> dict[str, int]:
        """Delete every row that belongs to the person, in one transaction; rows per table."""
        counts: dict[str, int] = {}
        async with self.sessions.begin() as session:
            user = await session.get(User, user_id)
            chat_ids = sorted({user_id, *([user.chat_id] if user and user.chat_id else [])})
            for table in reversed(Base.metadata.sorted_tables):  # dependents first
                owned = _owned_by(table, user_id, chat_ids)
                if owned is None:
                    continue
                result = await session.execute(delete(table).where(owned))
                counts[table.name] = int(getattr(result, "rowcount", 0) or 0)
        return counts

    async def restore(self, user_id: int, chat_id: int | None, data: Restore) -> int:
        """Put an exported diary back into an empty one, messages and all; events restored."""
        async with self.sessions.begin() as session:
            has_diary = await session.scalar(
                select(
                    or_(
                        exists().where(Event.user_id == user_id),
                        exists().where(SourceMessage.user_id == user_id),
                    )
                )
            )
            if has_diary:
                raise DiaryNotEmpty(f"user {user_id} already has a diary")
            user = await session.get(User, user_id)
            if user is None:
                user = User(id=user_id, chat_id=chat_id, timezone=data.timezone)
                session.add(user)
            user.timezone = data.timezone
            apply_rows(user, data.checkin_rows)
            await session.flush()  # the user row first: no ORM relationship orders it for us
            sources = [
                SourceMessage(
                    user_id=user_id,
                    chat_id=user_id if m.chat_id == data.from_user else m.chat_id,
                    message_id=m.message_id,
                    sent_at=m.sent_at,
                    edited_at=m.edited_at,
                    text=m.text,
                    undone=m.undone,
                )
                for m in data.messages
            ]
            session.add_all(sources)
            await session.flush()
            session.add_all(  # inserted in this order, so ids keep the exported order
                event_row(user_id, item, None if item.message is None else sources[item.message].id)
                for item in data.events
            )
            session.add_all(
                PersonalFood(user_id=user_id, phrase=phrase, target=target, kind=kind)
                for phrase, target, kind in data.food_words
            )
            await session.flush()
            return len(data.events)
