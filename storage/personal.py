"""A person's own food words, and the food counts /foods shows. One transaction per method."""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Event, PersonalFood, User


class FoodCount(NamedTuple):
    name: str
    known: bool
    entries: int


class PersonalFoods:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def entries(self, user_id: int) -> list[PersonalFood]:
        """The person's entries, oldest first."""
        async with self.sessions() as session:
            rows = await session.scalars(
                select(PersonalFood)
                .where(PersonalFood.user_id == user_id)
                .order_by(PersonalFood.id)
            )
            return list(rows)

    async def teach(
        self,
        user_id: int,
        phrase: str,
        target: str,
        kind: str,
        *,
        refile: Collection[str],
        name: str,
    ) -> int:
        """Store (or replace) an entry and re-file the person's unknown food entries logged
        under any of the `refile` names as the known food `name`; returns how many changed.

        One transaction: the entry and the re-filed diary never disagree. Idempotent, so a
        redelivered message teaches nothing twice.
        """
        async with self.sessions.begin() as session:
            if await session.get(User, user_id) is None:
                session.add(User(id=user_id, timezone="UTC"))
                await session.flush()
            values = {"user_id": user_id, "phrase": phrase, "target": target, "kind": kind}
            dialect = session.get_bind().dialect.name
            insert = pg_insert if dialect == "postgresql" else sqlite_insert
            statement = insert(PersonalFood).values(**values)
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["user_id", "phrase"],
                    set_={"target": target, "kind": kind},
                )
            )
            if not refile:
                return 0
            changed = await session.execute(
                update(Event)
                .where(
                    Event.user_id == user_id,
                    Event.kind == "food",
                    Event.known.is_(False),
                    Event.name.in_(sorted(refile)),
                )
                .values(name=name, known=True)
            )
            return int(changed.rowcount or 0)  # type: ignore[attr-defined]

    async def forget(self, user_id: int, phrase: str) -> tuple[PersonalFood | None, int]:
        """Remove an entry. Entries logged under a forgotten own food become unknown again
        (nothing in the vocabulary names them any more); returns the entry and that count."""
        async with self.sessions.begin() as session:
            entry = await session.scalar(
                select(PersonalFood).where(
                    PersonalFood.user_id == user_id, PersonalFood.phrase == phrase
                )
            )
            if entry is None:
                return None, 0
            await session.execute(delete(PersonalFood).where(PersonalFood.id == entry.id))
            if entry.kind != "food":
                return entry, 0
            changed = await session.execute(
                update(Event)
                .where(Event.user_id == user_id, Event.kind == "food", Event.name == phrase)
                .values(known=False)
            )
            return entry, int(changed.rowcount or 0)  # type: ignore[attr-defined]

    async def food_counts(self, user_id: int) -> list[FoodCount]:
        """How often each food was logged, most first (quantities ignored: days matter)."""
        count = func.count(Event.id)
        query = (
            select(Event.name, Event.known, count)
            .where(Event.user_id == user_id, Event.kind == "food", Event.name.is_not(None))
            .group_by(Event.name, Event.known)
            .order_by(count.desc(), Event.name)
        )
        async with self.sessions() as session:
            rows = await session.execute(query)
            return [FoodCount(str(name), bool(known), int(n)) for name, known, n in rows]
