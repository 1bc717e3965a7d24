"""The diary's units of work.

Each public method is one transaction, so everything logged from one message is stored whole or
not at all. Callers get plain ORM objects that stay readable after commit.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo
from typing import Literal, NamedTuple, Protocol

from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import ENTRY_FIELDS, Event, SetAsideEvent, SourceMessage, User

# How long an attack with no logged end lasts, everywhere the bot decides it: a start within it
# is that attack (same attack), and a day it reaches is inside it (the check-in's "carried"
# day, never offered "No migraine"). The analysis has its own setting with the same value
# (analysis.model.AnalysisSettings.open_attack_hours, 24 h; a test keeps them equal): storage
# does not import analysis. The "Is the migraine over?" follow-ups may ask for longer
# (bot/core/checkins.py ATTACK_GIVE_UP): asking costs a tap; what counts as the attack is this.
UNENDED_ATTACK = timedelta(hours=24)
# One attack, not two: a start logged while an attack is still open (begun at most
# UNENDED_ATTACK earlier), or up to SAME_ATTACK before a start already logged; an end within
# SAME_ATTACK of the end already logged.
SAME_ATTACK = timedelta(hours=2)


class EventLike(Protocol):
    """What storage needs of an event; the parser's `ParsedEvent` fits as it is."""

    @property
    def kind(self) -> str: ...
    @property
    def at(self) -> datetime: ...
    @property
    def name(self) -> str | None: ...
    @property
    def quantity(self) -> float | None: ...
    @property
    def severity(self) -> int | None: ...
    @property
    def dose(self) -> str | None: ...
    @property
    def known(self) -> bool: ...
    @property
    def value(self) -> float | None: ...
    @property
    def detail(self) -> str | None: ...


class TimelineEntry(NamedTuple):
    kind: str
    at: datetime
    name: str | None
    severity: int | None
    value: float | None = None  # a factor's number (hours slept, stress 1–5, minutes...)
    quantity: float | None = None  # a food's servings ("2 coffees"); None: not stated


@dataclass(frozen=True)
class SameAttack:
    """A migraine start the message gave for an attack already logged: not added again.
    `severity_set`: the logged start had no severity and now has the one the message gave.
    `moved`: the message put the start up to SAME_ATTACK earlier, so the logged start was moved
    there (the person's correction wins over the time first logged)."""

    start: Event
    severity_set: bool = False
    moved: bool = False


@dataclass
class Recorded:
    """What storing a message did: `new`, `edited` (events replaced) or `duplicate` (nothing).

    `same_attack` and `already_ended` are what the message said about a migraine already
    logged (its start, or an end noted at most SAME_ATTACK away): kept in the message text,
    not logged twice. `restored`: entries an edit put back (see `SetAsideEvent`). `cleared`:
    the "no migraine" entries its migraine ruled out for their local day, set aside in the same
    transaction (so a crash can never leave a day with both). `answered`: factors an edit
    says again that a check-in answer of their day had replaced: the answer stands, so they
    stay aside (not logged beside it)."""

    status: Literal["new", "edited", "duplicate"]
    events: list[Event] = field(default_factory=list)
    replaced: list[Event] = field(default_factory=list)
    same_attack: list[SameAttack] = field(default_factory=list)
    already_ended: list[Event] = field(default_factory=list)
    restored: list[Event] = field(default_factory=list)
    cleared: list[Event] = field(default_factory=list)
    answered: list[Event] = field(default_factory=list)


@dataclass
class Undone:
    """What /undo did: the entries `removed`, and the ones the message had ruled out `restored`."""

    removed: list[Event] = field(default_factory=list)
    restored: list[Event] = field(default_factory=list)


def event_row(user_id: int, item: EventLike, source_id: int | None = None) -> Event:
    """The one place an event row is built from anything event-shaped (message, button, import)."""
    return Event(
        user_id=user_id,
        source_id=source_id,
        kind=item.kind,
        at=item.at,
        name=item.name,
        quantity=item.quantity,
        severity=item.severity,
        dose=item.dose,
        known=item.known,
        value=item.value,
        detail=item.detail,
    )


class Diary:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def get_user(self, user_id: int) -> User | None:
        async with self.sessions() as session:
            return await session.get(User, user_id)

    async def ensure_user(self, user_id: int, chat_id: int | None = None) -> User:
        async with self.sessions.begin() as session:
            user = await session.get(User, user_id)
            if user is None:
                user = User(id=user_id, chat_id=chat_id, timezone="UTC")
                session.add(user)
                try:
                    await session.flush()
                except IntegrityError:  # created by a concurrent update of the same person
                    await session.rollback()
                    return await self.ensure_user(user_id, chat_id)
            elif chat_id is not None and user.chat_id != chat_id:
                user.chat_id = chat_id
            return user

    async def set_timezone(self, user_id: int, timezone: str) -> None:
        async with self.sessions.begin() as session:
            user = await session.get(User, user_id)
            if user is None:
                session.add(User(id=user_id, timezone=timezone))
            else:
                user.timezone = timezone

    async def record_message(
        self,
        *,
        user_id: int,
        chat_id: int,
        message_id: int,
        sent_at: datetime,
        text: str,
        events: Sequence[EventLike],
        tz: tzinfo,
        edited_at: datetime | None = None,
    ) -> Recorded:
        """Store a message and its events once. A redelivered update changes nothing; an edit
        replaces what the earlier version logged. A migraine start it logs sets aside the
        "no migraine" entries of its local day in `tz` (`Recorded.cleared`), in the same
        transaction."""
        try:
            async with self.sessions.begin() as session:
                return await self._record(
                    session, user_id, chat_id, message_id, sent_at, text, events, tz, edited_at
                )
        except IntegrityError:
            # The same message was stored concurrently (two deliveries at once): it is a duplicate.
            async with self.sessions() as session:
                existing = await self._source(session, chat_id, message_id)
                found = await self._events_of(session, existing.id) if existing else []
            return Recorded("duplicate", found)

    async def _record(
        self,
        session: AsyncSession,
        user_id: int,
        chat_id: int,
        message_id: int,
        sent_at: datetime,
        text: str,
        events: Sequence[EventLike],
        tz: tzinfo,
        edited_at: datetime | None,
    ) -> Recorded:
        if any(item.kind in ("migraine_start", "migraine_end") for item in events):
            await _lock_person(session, user_id)
        source = await self._source(session, chat_id, message_id)
        if source is not None:
            if edited_at is None or source.edited_at == edited_at:
                return Recorded("duplicate", await self._events_of(session, source.id))
            replaced = await self._events_of(session, source.id)
            answered = await _answered_aside(session, source.id)
            await session.execute(delete(Event).where(Event.source_id == source.id))
            # What the earlier version said and a later migraine set aside is replaced too.
            await session.execute(delete(SetAsideEvent).where(SetAsideEvent.source_id == source.id))
            source.text, source.edited_at, source.undone = text, edited_at, False
            status: Literal["new", "edited"] = "edited"
        else:
            replaced, answered = [], []
            source = SourceMessage(
                user_id=user_id,
                chat_id=chat_id,
                message_id=message_id,
                sent_at=sent_at,
                edited_at=edited_at,
                text=text,
            )
            session.add(source)
            await session.flush()
            status = "new"
        recorded = Recorded(status, replaced=replaced)
        has_start = any(item.kind == "migraine_start" for item in events)
        kept: list[EventLike] = []
        for item in events:
            if item.kind == "migraine_start":
                same = await self._same_attack(session, user_id, item.at)
                if same is not None:
                    severity_set = same.severity is None and item.severity is not None
                    if severity_set:
                        same.severity = item.severity
                    moved = item.at < same.at  # said to have begun a little earlier
                    if moved:
                        same.at = item.at
                    recorded.same_attack.append(SameAttack(same, severity_set, moved))
                    continue
            elif item.kind == "migraine_end" and not has_start:  # a whole attack is its own
                ended = await self._ended_near(session, user_id, item.at)
                if ended is not None:
                    recorded.already_ended.append(ended)
                    continue
            kept.append(item)
        recorded.events = [event_row(user_id, item, source.id) for item in kept]
        session.add_all(recorded.events)
        await session.flush()
        for row in answered:  # a check-in answer replaced it that day: the answer stands
            again = [
                e
                for e in recorded.events
                if e.kind == row.kind
                and e.name == row.name
                and row.day_start <= e.at < row.day_end
                and e not in recorded.answered
            ]
            await set_aside(session, again, row.day_start, row.day_end, removed_by=None)
            recorded.answered += again
        recorded.events = [e for e in recorded.events if e not in recorded.answered]
        if status == "edited":
            recorded.restored = await self._put_back(session, user_id, source.id)
        # A migraine logged for a day marked "no migraine": that mark no longer holds. What the
        # message says itself is kept ("no migraine this morning, migraine tonight").
        keep = [e.id for e in recorded.events]
        days = {e.at.astimezone(tz).date() for e in recorded.events if e.kind == "migraine_start"}
        for day in sorted(days):
            start = datetime.combine(day, time.min, tz)
            end = datetime.combine(day + timedelta(days=1), time.min, tz)
            recorded.cleared += await clear_no_migraine(
                session, user_id, start, end, keep=keep, removed_by=source.id
            )
        return recorded

    @staticmethod
    async def _same_attack(session: AsyncSession, user_id: int, at: datetime) -> Event | None:
        """The attack a start at `at` belongs to, if one is logged: open at `at` (begun at most
        UNENDED_ATTACK before), or starting at most SAME_ATTACK after `at` (the same attack,
        now said to have begun a little earlier). An attack that ended before `at` is not it."""
        latest = await _latest_start(session, user_id, at)
        if (
            latest is not None
            and at - latest.at <= UNENDED_ATTACK
            and await _end_between(session, user_id, latest.at, at) is None
        ):
            return latest
        return await session.scalar(
            select(Event)
            .where(
                Event.user_id == user_id,
                Event.kind == "migraine_start",
                Event.at > at,
                Event.at <= at + SAME_ATTACK,
            )
            .order_by(Event.at, Event.id)
            .limit(1)
        )

    @staticmethod
    async def _ended_near(session: AsyncSession, user_id: int, at: datetime) -> Event | None:
        """The end already logged, at most SAME_ATTACK from `at`, of the last attack begun at or
        before `at` (none: an end at `at` is news)."""
        start = await _latest_start(session, user_id, at)
        if start is None:
            return None
        query = select(Event).where(
            Event.user_id == user_id,
            Event.kind == "migraine_end",
            Event.at >= max(start.at, at - SAME_ATTACK),
            Event.at <= at + SAME_ATTACK,
        )
        later = await session.scalar(
            select(Event.at)
            .where(Event.user_id == user_id, Event.kind == "migraine_start", Event.at > start.at)
            .order_by(Event.at)
            .limit(1)
        )
        if later is not None:  # an end after the next start belongs to that attack
            query = query.where(Event.at < later)
        return await session.scalar(query.order_by(Event.at, Event.id).limit(1))

    @staticmethod
    async def _put_back(session: AsyncSession, user_id: int, removed_by: int) -> list[Event]:
        """Restore what the message `removed_by` set aside, now that its migraine is gone, for
        each day no other migraine still rules out. A day another message's migraine still holds
        hands the entry on to that message (undoing it later restores the entry)."""
        aside = list(
            await session.scalars(
                select(SetAsideEvent)
                .where(SetAsideEvent.removed_by == removed_by)
                .order_by(SetAsideEvent.at, SetAsideEvent.id)
            )
        )
        restored: list[Event] = []
        for row in aside:
            holding = await session.scalar(
                select(Event)
                .where(
                    Event.user_id == user_id,
                    Event.kind == "migraine_start",
                    Event.at >= row.day_start,
                    Event.at < row.day_end,
                )
                .order_by(Event.at, Event.id)
                .limit(1)
            )
            if holding is not None:
                row.removed_by = holding.source_id
                continue
            event = event_row(user_id, row, row.source_id)
            event.created_at = row.created_at
            restored.append(event)
            await session.delete(row)
        session.add_all(restored)
        await session.flush()
        return restored

    @staticmethod
    async def _source(session: AsyncSession, chat_id: int, message_id: int) -> SourceMessage | None:
        return await session.scalar(
            select(SourceMessage).where(
                SourceMessage.chat_id == chat_id, SourceMessage.message_id == message_id
            )
        )

    @staticmethod
    async def _events_of(session: AsyncSession, source_id: int) -> list[Event]:
        found = await session.scalars(
            select(Event).where(Event.source_id == source_id).order_by(Event.at, Event.id)
        )
        return list(found)

    async def message_stored(self, chat_id: int, message_id: int) -> bool:
        """Whether a message is in the diary (the error reply says so only when it is)."""
        async with self.sessions() as session:
            return await self._source(session, chat_id, message_id) is not None

    async def add_events(self, user_id: int, events: Sequence[EventLike]) -> list[Event]:
        """Events that come from no chat message (imports), all in one transaction."""
        async with self.sessions.begin() as session:
            if await session.get(User, user_id) is None:
                session.add(User(id=user_id, timezone="UTC"))
                await session.flush()
            rows = [event_row(user_id, item) for item in events]
            session.add_all(rows)
            await session.flush()
            return rows

    async def events_between(
        self, user_id: int, start: datetime | None = None, end: datetime | None = None
    ) -> list[Event]:
        """A person's events in time order; either bound may be left open."""
        query = select(Event).where(Event.user_id == user_id)
        if start is not None:
            query = query.where(Event.at >= start)
        if end is not None:
            query = query.where(Event.at < end)
        async with self.sessions() as session:
            return list(await session.scalars(query.order_by(Event.at, Event.id)))

    async def timeline(self, user_id: int) -> list[TimelineEntry]:
        """The whole diary as light rows for the analysis: six columns, no ORM objects, which
        keeps a five-year diary quick to load."""
        query = (
            select(Event.kind, Event.at, Event.name, Event.severity, Event.value, Event.quantity)
            .where(Event.user_id == user_id)
            .order_by(Event.at, Event.id)
        )
        async with self.sessions() as session:
            rows = await session.execute(query)
            return [TimelineEntry(*row) for row in rows]

    async def undo_last(self, user_id: int) -> Undone:
        """Remove everything logged from the person's last message that logged anything, and put
        back what its migraine had ruled out (see `SetAsideEvent`)."""
        async with self.sessions.begin() as session:
            has_events = exists().where(Event.source_id == SourceMessage.id)
            source = await session.scalar(
                select(SourceMessage)
                .where(SourceMessage.user_id == user_id, ~SourceMessage.undone, has_events)
                .order_by(SourceMessage.sent_at.desc(), SourceMessage.id.desc())
                .limit(1)
            )
            if source is None:
                return Undone()
            removed = await self._events_of(session, source.id)
            await session.execute(delete(Event).where(Event.source_id == source.id))
            await session.execute(delete(SetAsideEvent).where(SetAsideEvent.source_id == source.id))
            source.undone = True
            return Undone(removed, await self._put_back(session, user_id, source.id))

    async def set_severity(self, user_id: int, event_id: int, severity: int) -> Event | None:
        """Set an attack's severity; None when the entry is gone or is not this person's."""
        async with self.sessions.begin() as session:
            event = await session.get(Event, event_id)
            if event is None or event.user_id != user_id or event.kind != "migraine_start":
                return None
            event.severity = severity
            return event

    async def attack_into(self, user_id: int, at: datetime, lasts: timedelta) -> Event | None:
        """The attack begun before `at` that was still going at `at`, judged by that attack
        alone: its end (the first logged after its start and before the next start) comes after
        `at`; or it has no such end and began at most `lasts` before `at` (an attack with no
        logged end is taken to last that long). A later attack changes nothing about it."""
        async with self.sessions() as session:
            start = await session.scalar(
                select(Event)
                .where(Event.user_id == user_id, Event.kind == "migraine_start", Event.at < at)
                .order_by(Event.at.desc(), Event.id.desc())
                .limit(1)
            )
            if start is None:
                return None
            following = await session.scalar(
                select(Event.at)
                .where(
                    Event.user_id == user_id,
                    Event.kind == "migraine_start",
                    Event.at > start.at,
                )
                .order_by(Event.at)
                .limit(1)
            )
            ends = select(Event.at).where(
                Event.user_id == user_id, Event.kind == "migraine_end", Event.at >= start.at
            )
            if following is not None:  # an end after the next start is that attack's
                ends = ends.where(Event.at < following)
            end = await session.scalar(ends.order_by(Event.at).limit(1))
        if end is not None:
            return start if end > at else None
        return start if at - start.at <= lasts else None

    async def open_attack(self, user_id: int, at: datetime) -> Event | None:
        """The latest attack started at or before `at` with no end logged between then and `at`."""
        async with self.sessions() as session:
            start = await _latest_start(session, user_id, at)
            if start is None or await _end_between(session, user_id, start.at, at) is not None:
                return None
            return start


async def clear_no_migraine(
    session: AsyncSession,
    user_id: int,
    start: datetime,
    end: datetime,
    *,
    keep: Collection[int] = (),
    removed_by: int | None,
) -> list[Event]:
    """Take the person's 'no migraine' entries in [start, end) out of the diary (a migraine was
    logged for that day), except the events in `keep`, inside the caller's transaction; the
    ones removed. Each is kept aside with `removed_by`, the message whose migraine ruled it out
    (None: a check-in answer), so that undoing or editing that message puts it back."""
    query = select(Event).where(
        Event.user_id == user_id,
        Event.kind == "no_migraine",
        Event.at >= start,
        Event.at < end,
    )
    if keep:
        query = query.where(Event.id.not_in(list(keep)))
    found = list(await session.scalars(query.order_by(Event.at, Event.id)))
    await set_aside(session, found, start, end, removed_by=removed_by)
    return found


async def set_aside(
    session: AsyncSession,
    events: Sequence[Event],
    day_start: datetime,
    day_end: datetime,
    *,
    removed_by: int | None,
) -> None:
    """Delete `events` from the diary, keeping a copy of each in `set_aside_events` (see
    `SetAsideEvent`) with the message that ruled it out (`removed_by`; None: a check-in answer)
    and the local day [`day_start`, `day_end`) it was ruled out for. In the caller's
    transaction, so an entry is never gone without its copy."""
    if not events:
        return
    session.add_all(
        SetAsideEvent(
            user_id=e.user_id,
            removed_by=removed_by,
            source_id=e.source_id,
            day_start=day_start,
            day_end=day_end,
            created_at=e.created_at,
            **{f: getattr(e, f) for f in ENTRY_FIELDS},
        )
        for e in events
    )
    await session.execute(delete(Event).where(Event.id.in_([e.id for e in events])))


async def _answered_aside(session: AsyncSession, source_id: int) -> list[SetAsideEvent]:
    """The factors message `source_id` said that a check-in answer replaced (set aside with no
    `removed_by`), before an edit of it drops them."""
    found = await session.scalars(
        select(SetAsideEvent)
        .where(
            SetAsideEvent.source_id == source_id,
            SetAsideEvent.removed_by.is_(None),
            SetAsideEvent.kind == "factor",
        )
        .order_by(SetAsideEvent.at, SetAsideEvent.id)
    )
    return list(found)


async def _lock_person(session: AsyncSession, user_id: int) -> None:
    """Serialise the same-attack check (read what is logged, then insert) per person: on
    PostgreSQL under READ COMMITTED, two replicas handling two messages of one person could
    otherwise both find no attack and both insert a start. Locking the person's `users` row
    makes the second wait until the first commits, and its reads then see the first's start.
    FOR NO KEY UPDATE, not FOR UPDATE: the foreign-key checks of the person's other inserts
    (a food message stored meanwhile) take FOR KEY SHARE, which it leaves free.
    SQLite has a single writer (and no FOR UPDATE): nothing to do."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        await session.execute(
            select(User.id).where(User.id == user_id).with_for_update(key_share=True)
        )


async def _latest_start(session: AsyncSession, user_id: int, at: datetime) -> Event | None:
    return await session.scalar(
        select(Event)
        .where(Event.user_id == user_id, Event.kind == "migraine_start", Event.at <= at)
        .order_by(Event.at.desc(), Event.id.desc())
        .limit(1)
    )


async def _end_between(
    session: AsyncSession, user_id: int, start: datetime, end: datetime
) -> int | None:
    return await session.scalar(
        select(Event.id)
        .where(
            Event.user_id == user_id,
            Event.kind == "migraine_end",
            Event.at >= start,
            Event.at <= end,
        )
        .limit(1)
    )
