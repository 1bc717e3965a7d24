"""Exactly-once claims on Telegram update ids, shared by every bot process on one database.

Telegram may deliver an update twice (a webhook retry, a restart before the offset was confirmed),
and with several replicas behind a load balancer two processes may receive the same one. The
database, not process memory, decides who handles it: the first INSERT of the id wins.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import ProcessedUpdate, utcnow

KEEP = timedelta(days=3)  # Telegram keeps undelivered updates for 24 hours


class UpdateLedger:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def claim(self, update_id: int, now: datetime | None = None) -> bool:
        """True for the first process to claim this update id, False for every later one."""
        try:
            async with self.sessions.begin() as session:
                session.add(ProcessedUpdate(update_id=update_id, processed_at=now or utcnow()))
        except IntegrityError:
            return False
        return True

    async def prune(self, now: datetime | None = None, keep: timedelta = KEEP) -> int:
        """Forget ids older than `keep`: no redelivery comes that late."""
        cutoff = (now or utcnow()) - keep
        async with self.sessions.begin() as session:
            result = await session.execute(
                delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < cutoff)
            )
        return int(getattr(result, "rowcount", 0) or 0)
