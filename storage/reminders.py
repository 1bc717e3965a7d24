"""Check-in settings and the nudges the bot sends unasked, with exactly-once claims.

Every public method is one transaction. A sweep first turns due reminders into check-in nudges
(`materialize`), then claims due nudges (`claim`) before sending them: a claim pushes `due_at` a
lease ahead and counts an attempt, in the transaction that selected it, with `FOR UPDATE SKIP
LOCKED` on PostgreSQL and a compare-and-set on every backend, so two processes never both win the
same nudge. If the sender dies after claiming, the lease runs out and the nudge comes due again;
after `MAX_CLAIMS` unconfirmed claims it is given up, so a crash re-sends at most once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy import Select, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.diary import clear_no_migraine, event_row
from storage.models import Event, Nudge, Reminder, User

MAX_CLAIMS = 2  # the first send, and at most one re-send after a crash or an unclear timeout
LEASE = timedelta(minutes=2)


class Calendar(Protocol):
    """The wall-clock math storage needs; `bot.core.schedule.CALENDAR` is the real one."""

    def last_fire(self, minute: int, timezone: str, at: datetime) -> tuple[datetime, date]:
        """The latest check-in instant at or before `at`, and the local day it asks about."""
        ...

    def next_fire(self, minute: int, timezone: str, after: datetime) -> datetime:
        """The first check-in instant strictly after `after`."""
        ...


@dataclass(frozen=True, slots=True)
class Claimed:
    """A nudge this process now owns until `nudge.due_at`, with where and how to send it."""

    nudge: Nudge
    chat_id: int
    timezone: str


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event logged from a button (no source message); fits `storage.EventLike`."""

    kind: str
    at: datetime
    severity: int | None = None
    name: str | None = None
    quantity: float | None = None
    dose: str | None = None
    known: bool = True
    value: float | None = None
    detail: str | None = None


SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])


def _dialect(session: AsyncSession) -> str:
    bind = session.bind
    assert bind is not None
    return bind.dialect.name


def _locked(session: AsyncSession, query: SelectT) -> SelectT:
    """Skip rows another sweeper holds (PostgreSQL); SQLite serialises writers anyway."""
    if _dialect(session) == "postgresql":
        return query.with_for_update(skip_locked=True)
    return query


def _insert(session: AsyncSession) -> Any:
    return (postgresql if _dialect(session) == "postgresql" else sqlite).insert


class Reminders:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], calendar: Calendar) -> None:
        self.sessions = sessions
        self.calendar = calendar

    # ---- settings ------------------------------------------------------------------------------

    async def get(self, user_id: int) -> Reminder | None:
        async with self.sessions() as session:
            return await session.get(Reminder, user_id)

    async def set_time(self, user_id: int, minute: int, now: datetime) -> Reminder:
        """Turn check-ins on at `minute` local time (the person's current timezone)."""
        async with self.sessions.begin() as session:
            user = await self._user(session, user_id)
            reminder = await session.get(Reminder, user_id)
            if reminder is None:
                reminder = Reminder(user_id=user_id)
                session.add(reminder)
            reminder.minute, reminder.timezone, reminder.enabled = minute, user.timezone, True
            reminder.off_reason, reminder.updated_at = None, now
            reminder.next_due = self.calendar.next_fire(minute, user.timezone, now)
            return reminder

    async def turn_off(self, user_id: int, now: datetime, reason: str = "user") -> bool:
        """Stop check-ins (a declined offer creates the row switched off). True if they were on."""
        async with self.sessions.begin() as session:
            await self._user(session, user_id)
            reminder = await session.get(Reminder, user_id)
            if reminder is None:
                user = await self._user(session, user_id)
                session.add(
                    Reminder(
                        user_id=user_id,
                        minute=21 * 60,
                        timezone=user.timezone,
                        enabled=False,
                        off_reason=reason,
                        updated_at=now,
                    )
                )
                return False
            was_on = reminder.enabled
            reminder.enabled, reminder.next_due, reminder.off_reason = False, None, reason
            reminder.updated_at = now
            return was_on

    async def retime(self, user_id: int, now: datetime) -> Reminder | None:
        """After a timezone change: the same wall-clock time, in the new zone."""
        async with self.sessions.begin() as session:
            reminder = await session.get(Reminder, user_id)
            if reminder is None or not reminder.enabled:
                return reminder
            user = await self._user(session, user_id)
            reminder.timezone = user.timezone
            reminder.next_due = self.calendar.next_fire(reminder.minute, user.timezone, now)
            return reminder

    async def blocked(self, user_id: int, now: datetime) -> bool:
        """The person blocked the bot: reminders off, nothing more queued. True if that changed
        anything, so the caller logs it once."""
        async with self.sessions.begin() as session:
            changed = await session.execute(
                update(Reminder)
                .where(Reminder.user_id == user_id, Reminder.enabled)
                .values(enabled=False, next_due=None, off_reason="blocked", updated_at=now)
            )
            dropped = await session.execute(
                update(Nudge)
                .where(Nudge.user_id == user_id, Nudge.due_at.is_not(None))
                .values(due_at=None, state="failed")
            )
            return bool(_rowcount(changed) or _rowcount(dropped))

    # ---- the sweep -----------------------------------------------------------------------------

    def due_reminders_query(self, now: datetime, limit: int) -> Select[int, datetime | None]:
        """The selection the sweep runs each time: it must be an index range scan on
        `ix_reminders_next_due` (see bench/sweep.py)."""
        return (
            select(Reminder.user_id, Reminder.next_due)
            .where(Reminder.next_due <= now)
            .order_by(Reminder.next_due)
            .limit(limit)
        )

    def due_nudges_query(self, now: datetime, limit: int) -> Select[int, datetime | None, int]:
        """The claim's selection: an index range scan on `ix_nudges_due_at` (done nudges have
        NULL there, so history never slows it)."""
        return (
            select(Nudge.id, Nudge.due_at, Nudge.attempts)
            .where(Nudge.due_at <= now)
            .order_by(Nudge.due_at)
            .limit(limit)
        )

    async def materialize(self, now: datetime, limit: int = 500) -> int:
        """Turn due reminders into check-in nudges (one per person and local day) and move each
        reminder to its next time. Returns how many reminders were handled."""
        async with self.sessions.begin() as session:
            rows = await session.execute(_locked(session, self.due_reminders_query(now, limit)))
            due = {user_id: old_due for user_id, old_due in rows.all()}
            if not due:
                return 0
            settings = await session.execute(
                select(Reminder.user_id, Reminder.minute, User.timezone)
                .join(User, User.id == Reminder.user_id)
                .where(Reminder.user_id.in_(list(due)))
            )
            checkins: list[dict[str, Any]] = []
            for user_id, minute, tz in settings.all():
                old_due = due[user_id]
                # The person's current timezone: a change applies from this check-in on.
                fire_at, day = self.calendar.last_fire(minute, tz, now)
                moved = await session.execute(
                    update(Reminder)
                    .where(Reminder.user_id == user_id, Reminder.next_due == old_due)
                    .values(next_due=self.calendar.next_fire(minute, tz, now), timezone=tz)
                )
                if _rowcount(moved) != 1:  # another sweeper got there first
                    continue
                checkins.append(
                    {
                        "user_id": user_id,
                        "kind": "checkin",
                        "key": f"checkin:{day.isoformat()}",
                        "due_at": max(fire_at, old_due or fire_at),
                        "scheduled_at": max(fire_at, old_due or fire_at),
                        "day": day,
                        "state": "pending",
                        "attempts": 0,
                        "created_at": now,
                    }
                )
            if checkins:  # one statement; a day already asked about is skipped
                statement = _insert(session)(Nudge).values(checkins)
                await session.execute(
                    statement.on_conflict_do_nothing(index_elements=["user_id", "key"])
                )
            return len(checkins)

    async def claim(self, now: datetime, limit: int, lease: timedelta = LEASE) -> list[Claimed]:
        """Take up to `limit` due nudges for this process; see the module doc."""
        async with self.sessions.begin() as session:
            query = self.due_nudges_query(now, limit)
            claimed_ids: list[int] = []
            for nudge_id, old_due, attempts in await session.execute(_locked(session, query)):
                if attempts >= MAX_CLAIMS:  # sent (or tried) twice without a confirmation
                    await session.execute(
                        update(Nudge)
                        .where(Nudge.id == nudge_id, Nudge.due_at == old_due)
                        .values(due_at=None, state="failed")
                    )
                    continue
                won = await session.execute(
                    update(Nudge)
                    .where(Nudge.id == nudge_id, Nudge.due_at == old_due)
                    .values(
                        due_at=now + lease,
                        state="claimed",
                        attempts=Nudge.attempts + 1,
                        claimed_at=now,
                    )
                )
                if _rowcount(won) == 1:
                    claimed_ids.append(nudge_id)
            if not claimed_ids:
                return []
            rows = await session.execute(
                select(Nudge, User.chat_id, User.id, User.timezone)
                .join(User, User.id == Nudge.user_id)
                .where(Nudge.id.in_(claimed_ids))
                .order_by(Nudge.due_at, Nudge.id)
            )
            return [
                Claimed(nudge, chat_id if chat_id is not None else user_id, tz)
                for nudge, chat_id, user_id, tz in rows.all()
            ]

    async def mark_sent(
        self, nudge_id: int, message_id: int, now: datetime, covers: str | None = None
    ) -> None:
        async with self.sessions.begin() as session:
            # A check-in may have been settled while it was composed (the day was already
            # logged): it keeps its answer, but the message is still recorded.
            await session.execute(
                update(Nudge)
                .where(Nudge.id == nudge_id)
                .values(due_at=None, sent_at=now, message_id=message_id, covers=covers)
            )
            await session.execute(
                update(Nudge)
                .where(Nudge.id == nudge_id, Nudge.state == "claimed")
                .values(state="sent")
            )

    async def release(self, nudge_id: int, retry_at: datetime) -> None:
        """A send failed for a passing reason (429, network): try again at `retry_at`, and do
        not count this attempt."""
        async with self.sessions.begin() as session:
            await session.execute(
                update(Nudge)
                .where(Nudge.id == nudge_id, Nudge.state == "claimed")
                .values(due_at=retry_at, state="pending", attempts=Nudge.attempts - 1)
            )

    async def retry_later(self, nudge_id: int, retry_at: datetime) -> None:
        """A send whose outcome is unknown (timed out): try again later, counting the attempt."""
        async with self.sessions.begin() as session:
            await session.execute(
                update(Nudge)
                .where(Nudge.id == nudge_id, Nudge.state == "claimed")
                .values(due_at=retry_at, state="pending")
            )

    async def finish(self, nudge_id: int, state: str) -> None:
        """Nothing to send after all (`cancelled`) or it can never be sent (`failed`)."""
        async with self.sessions.begin() as session:
            await session.execute(
                update(Nudge).where(Nudge.id == nudge_id).values(due_at=None, state=state)
            )

    # ---- follow-ups and answers ----------------------------------------------------------------

    async def add(
        self,
        *,
        user_id: int,
        kind: str,
        key: str,
        due_at: datetime | None,
        event_id: int | None = None,
        day: date | None = None,
        state: str = "pending",
    ) -> None:
        """Queue a nudge unless this person already has one with `key`."""
        async with self.sessions.begin() as session:
            await self._add(
                session,
                user_id=user_id,
                kind=kind,
                key=key,
                due_at=due_at,
                event_id=event_id,
                day=day,
                state=state,
            )

    async def nudge(self, nudge_id: int) -> Nudge | None:
        async with self.sessions() as session:
            return await session.get(Nudge, nudge_id)

    async def checkins(self, user_id: int, first: date, last: date) -> list[Nudge]:
        """This person's check-ins for the days `first`..`last`, oldest first."""
        async with self.sessions() as session:
            found = await session.scalars(
                select(Nudge)
                .where(
                    Nudge.user_id == user_id,
                    Nudge.kind == "checkin",
                    Nudge.day >= first,
                    Nudge.day <= last,
                )
                .order_by(Nudge.day)
            )
            return list(found)

    async def answer(
        self,
        nudge_id: int,
        user_id: int,
        answer: str,
        now: datetime,
        events: Sequence[NewEvent] = (),
        clears: tuple[datetime, datetime] | None = None,
    ) -> list[Event] | None:
        """Store an answer and the events it implies, once: None if the nudge is not this
        person's or was answered already (a double tap logs nothing twice). `clears`: the local
        day [start, end) whose 'no migraine' entries the answer rules out (a migraine), set
        aside in the same transaction."""
        async with self.sessions.begin() as session:
            done = await session.execute(
                update(Nudge)
                .where(Nudge.id == nudge_id, Nudge.user_id == user_id, Nudge.answer.is_(None))
                .values(answer=answer, answered_at=now, state="answered", due_at=None)
            )
            if _rowcount(done) != 1:
                return None
            rows = [event_row(user_id, item) for item in events]
            session.add_all(rows)
            await session.flush()
            if clears is not None:
                await clear_no_migraine(
                    session, user_id, *clears, keep=[r.id for r in rows], removed_by=None
                )
            return rows

    async def end_attack(
        self, user_id: int, start_id: int, answer: str, end_at: datetime | None, now: datetime
    ) -> Event | None:
        """Answer 'is the migraine over?' for the attack `start_id`: store its end (unless still
        going) and settle that attack's follow-ups. None if it is not this person's open attack."""
        async with self.sessions.begin() as session:
            start = await session.get(Event, start_id)
            if start is None or start.user_id != user_id or start.kind != "migraine_start":
                return None
            ended = await session.scalar(
                select(Event.id)
                .where(
                    Event.user_id == user_id,
                    Event.kind == "migraine_end",
                    Event.at >= start.at,
                )
                .limit(1)
            )
            if ended is not None:
                return None
            await session.execute(
                update(Nudge)
                .where(
                    Nudge.event_id == start_id,
                    Nudge.kind == "attack_end",
                    Nudge.answer.is_(None),
                    Nudge.state != "claimed",
                )
                .values(answer=answer, answered_at=now, state="answered", due_at=None)
            )
            if end_at is None:
                return start
            end = event_row(user_id, NewEvent("migraine_end", max(end_at, start.at)))
            session.add(end)
            await session.flush()
            return end

    async def outcomes(self, user_id: int, event_ids: Sequence[int]) -> dict[int, str]:
        """Answers to 'did it help?' by medication event id, for /history."""
        if not event_ids:
            return {}
        async with self.sessions() as session:
            rows = await session.execute(
                select(Nudge.event_id, Nudge.answer).where(
                    Nudge.user_id == user_id,
                    Nudge.kind == "medication",
                    Nudge.event_id.in_(list(event_ids)),
                    Nudge.answer.is_not(None),
                )
            )
            return {
                event_id: answer
                for event_id, answer in rows.all()
                if event_id is not None and answer is not None
            }

    # ---- helpers -------------------------------------------------------------------------------

    @staticmethod
    async def _user(session: AsyncSession, user_id: int) -> User:
        user = await session.get(User, user_id)
        if user is None:
            user = User(id=user_id, chat_id=user_id, timezone="UTC")
            session.add(user)
            await session.flush()
        return user

    @staticmethod
    async def _add(session: AsyncSession, **values: Any) -> None:
        values.setdefault("state", "pending")
        values.setdefault("scheduled_at", values.get("due_at"))
        values.setdefault("attempts", 0)
        statement = _insert(session)(Nudge).values(**values)
        await session.execute(statement.on_conflict_do_nothing(index_elements=["user_id", "key"]))


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
