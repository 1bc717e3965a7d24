"""Claims on Telegram update ids, shared by every bot process on one database.

Telegram may deliver an update twice (a webhook retry, a restart before the offset was confirmed),
and with several replicas behind a load balancer two processes may receive the same one. The
database, not process memory, decides who handles it: the first INSERT of the id wins, and the
winner marks it done when it has been handled.

A claim that is still not done after `LEASE` belonged to a process that died mid-update (a crash,
a kill, a power cut): the update may then be taken over, so a redelivery after a crash is not
lost. Handling is therefore at least once after a crash (the diary's per-message uniqueness keeps
the data single) and exactly once otherwise.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import ProcessedUpdate, utcnow

KEEP = timedelta(days=3)  # Telegram keeps undelivered updates for 24 hours
LEASE = timedelta(minutes=2)  # far longer than any update takes, 429 retries included


class UpdateLedger:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def claim(
        self, update_id: int, now: datetime | None = None, lease: timedelta = LEASE
    ) -> bool:
        """True if this process should handle the update: the first claim, or the takeover of a
        claim older than `lease` that was never finished."""
        now = now or utcnow()
        try:
            async with self.sessions.begin() as session:
                session.add(ProcessedUpdate(update_id=update_id, processed_at=now))
            return True
        except IntegrityError:
            pass
        async with self.sessions.begin() as session:  # one conditional UPDATE: one winner
            result = await session.execute(
                update(ProcessedUpdate)
                .where(
                    ProcessedUpdate.update_id == update_id,
                    ProcessedUpdate.done.is_(False),
                    ProcessedUpdate.processed_at < now - lease,
                )
                .values(processed_at=now)
            )
        return int(getattr(result, "rowcount", 0) or 0) == 1

    async def done(self, update_id: int) -> bool:
        async with self.sessions() as session:
            found = await session.scalar(
                select(ProcessedUpdate.done).where(ProcessedUpdate.update_id == update_id)
            )
        return bool(found)

    async def finish(self, update_id: int) -> None:
        async with self.sessions.begin() as session:
            await session.execute(
                update(ProcessedUpdate)
                .where(ProcessedUpdate.update_id == update_id)
                .values(done=True)
            )

    async def prune(self, now: datetime | None = None, keep: timedelta = KEEP) -> int:
        """Forget ids older than `keep`: no redelivery comes that late."""
        cutoff = (now or utcnow()) - keep
        async with self.sessions.begin() as session:
            result = await session.execute(
                delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < cutoff)
            )
        return int(getattr(result, "rowcount", 0) or 0)
