"""A person's check-in rows (/settings) and their answers in each daily check-in.

The rows are four switches on `users`, all off by default. An answer is one `checkin_factors` row
per check-in and factor, holding the factor event it logged: a second tap in the same row
replaces the first answer and its event in one transaction, so a day never holds two answers.
Every public method is one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute

from storage.diary import EventLike, event_row, set_aside
from storage.models import CheckInFactor, Event, Nudge, User

FACTORS = ("sleep_quality", "stress", "exercise", "period")

_COLUMNS: dict[str, InstrumentedAttribute[bool]] = {
    "sleep_quality": User.ask_sleep_quality,
    "stress": User.ask_stress,
    "exercise": User.ask_exercise,
    "period": User.track_period,
}


@dataclass(frozen=True, slots=True)
class CheckInRows:
    """Which factor rows the daily check-in shows; `period` is period tracking."""

    sleep_quality: bool = False
    stress: bool = False
    exercise: bool = False
    period: bool = False

    @property
    def enabled(self) -> tuple[str, ...]:
        """The names of the rows that are on, in check-in order."""
        return tuple(f.name for f in fields(self) if getattr(self, f.name))

    @classmethod
    def of(cls, user: User | None) -> CheckInRows:
        if user is None:
            return cls()
        return cls(**{name: bool(getattr(user, column.key)) for name, column in _COLUMNS.items()})


def apply_rows(user: User, rows: CheckInRows) -> None:
    """Write the switches onto a user row (inside the caller's transaction)."""
    for name, column in _COLUMNS.items():
        setattr(user, column.key, getattr(rows, name))


Answered = Literal["saved", "unchanged", "refused"]


class CheckInSettings:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def rows(self, user_id: int) -> CheckInRows:
        async with self.sessions() as session:
            return CheckInRows.of(await session.get(User, user_id))

    async def set_row(self, user_id: int, factor: str, on: bool) -> CheckInRows:
        """Turn one row on or off (a person who is not stored yet is created); the new rows."""
        if factor not in _COLUMNS:
            raise ValueError(f"unknown check-in row {factor!r}")
        async with self.sessions.begin() as session:
            user = await session.get(User, user_id)
            if user is None:
                user = User(id=user_id, chat_id=user_id, timezone="UTC")
                session.add(user)
            rows = replace(CheckInRows.of(user), **{factor: on})
            apply_rows(user, rows)
            return rows

    async def answered(self, nudge_id: int) -> dict[str, tuple[str, int | None]]:
        """The answers given in one check-in, by factor: (choice, the event it logged)."""
        async with self.sessions() as session:
            found = await session.execute(
                select(CheckInFactor.factor, CheckInFactor.choice, CheckInFactor.event_id).where(
                    CheckInFactor.nudge_id == nudge_id
                )
            )
            return {factor: (choice, event_id) for factor, choice, event_id in found.all()}

    async def answer_over(
        self,
        nudge_id: int,
        user_id: int,
        factor: str,
        choice: str,
        event: EventLike | None,
        now: datetime,
        *,
        replaces: Sequence[str],
        start: datetime,
        end: datetime,
    ) -> tuple[Answered, list[Event]]:
        """Store `choice` for `factor` in this person's check-in `nudge_id`, with the event it
        logs (None: an answer that logs nothing). A different earlier answer is replaced, its
        event deleted; the same answer again changes nothing. 'refused' if the check-in is not
        this person's.

        In the same transaction, take out this person's factor events named in
        `replaces` within [start, end) that this check-in did not log itself (what they typed
        that day: the check-in's answer replaces it rather than adding a second entry). Each is
        set aside (`SetAsideEvent`, `removed_by` NULL: an answer is not taken back), so the
        message that said it keeps its words, and editing it does not log it again.
        Returns the outcome and the events taken out; 'saved' when only typed ones went."""
        for attempt in range(2):
            try:
                async with self.sessions.begin() as session:
                    nudge = await session.get(Nudge, nudge_id)
                    if nudge is None or nudge.user_id != user_id or nudge.kind != "checkin":
                        return "refused", []
                    removed: list[Event] = []
                    if replaces:
                        own = select(CheckInFactor.event_id).where(
                            CheckInFactor.nudge_id == nudge_id,
                            CheckInFactor.event_id.is_not(None),
                        )
                        removed = list(
                            await session.scalars(
                                select(Event).where(
                                    Event.user_id == user_id,
                                    Event.kind == "factor",
                                    Event.name.in_(list(replaces)),
                                    Event.at >= start,
                                    Event.at < end,
                                    Event.id.not_in(own),
                                )
                            )
                        )
                        # Kept aside, not just deleted: an edit of the message that said it
                        # must not bring it back beside this answer (see `Diary._record`).
                        await set_aside(session, removed, start, end, removed_by=None)
                    done = await self._answer(
                        session, nudge_id, user_id, factor, choice, event, now
                    )
                    return ("saved" if removed and done == "unchanged" else done), removed
            except IntegrityError:  # a concurrent first answer to the same row won
                if attempt:
                    raise
        raise AssertionError("unreachable")

    @staticmethod
    async def _answer(
        session: AsyncSession,
        nudge_id: int,
        user_id: int,
        factor: str,
        choice: str,
        event: EventLike | None,
        now: datetime,
    ) -> Answered:
        """The answer itself, inside `answer_over`'s transaction (which checked the owner)."""
        query = select(CheckInFactor).where(
            CheckInFactor.nudge_id == nudge_id, CheckInFactor.factor == factor
        )
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            query = query.with_for_update()
        existing = await session.scalar(query)
        if existing is not None and existing.choice == choice:
            return "unchanged"
        if existing is not None and existing.event_id is not None:
            old_event, existing.event_id = existing.event_id, None
            # Unlinked first: SQLite may give the next event the deleted one's id, and an
            # unchanged id would leave the row holding the NULL that ON DELETE SET NULL wrote.
            await session.flush()
            await session.execute(
                delete(Event).where(Event.id == old_event, Event.user_id == user_id)
            )
        new_event: Event | None = None
        if event is not None:
            new_event = event_row(user_id, event)
            session.add(new_event)
            await session.flush()
        if existing is None:
            existing = CheckInFactor(user_id=user_id, nudge_id=nudge_id, factor=factor)
            session.add(existing)
        existing.choice = choice
        existing.event_id = new_event.id if new_event is not None else None
        existing.answered_at = now
        await session.flush()
        return "saved"
