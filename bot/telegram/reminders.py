"""The check-in sweep: one PTB JobQueue job, not a job per person.

Every `INTERVAL` seconds the sweep turns due reminders into check-ins and claims due nudges in the
database (see `storage.reminders`), then sends them paced within Telegram's limits. Everything it
needs is in the database, so a restart loses nothing, and two bot processes on one PostgreSQL
share the work without sending anything twice. APScheduler's own job stores are never used for
people's reminders: they must not be shared between processes.

Telegram's answers: Forbidden (blocked) switches the person's reminders off, logged once;
RetryAfter and network errors put the nudge back for later without using up its re-send; a
timeout is ambiguous (the message may have arrived) so it does use up the one re-send; any other
BadRequest is permanent for that nudge.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ContextTypes

from bot.core.checkins import CheckIns
from bot.telegram.keyboards import inline
from storage import Claimed

log = logging.getLogger(__name__)

SWEEPER_KEY = "checkin_sweeper"
INTERVAL = 10.0  # seconds between sweeps
PER_SECOND = 25.0  # under Telegram's ~30 messages/s for one bot
PER_CHAT_GAP = 1.0  # Telegram allows about one message a second in one chat
RETRY_NETWORK = timedelta(seconds=30)


class Pacer:
    """Hands out send slots: at most `per_second` overall and one per `chat_gap` per chat.

    Slots are reserved under a lock and awaited outside it, so sends overlap on the wire while
    their starts stay spread out. `clock` and `sleep` are injectable for virtual-time tests.
    """

    def __init__(
        self,
        per_second: float = PER_SECOND,
        chat_gap: float = PER_CHAT_GAP,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.gap = 1.0 / per_second
        self.chat_gap = chat_gap
        self.clock, self.sleep = clock, sleep
        self._next = 0.0
        self._chats: dict[int, float] = {}
        self._lock = asyncio.Lock()

    async def wait(self, chat_id: int) -> None:
        async with self._lock:
            now = self.clock()
            slot = max(now, self._next, self._chats.get(chat_id, 0.0))
            self._next = slot + self.gap
            self._chats[chat_id] = slot + self.chat_gap
            if len(self._chats) > 10_000:  # forget chats whose gap has long passed
                self._chats = {c: t for c, t in self._chats.items() if t > now}
        if slot > now:
            await self.sleep(slot - now)

    def pause(self, seconds: float) -> None:
        """Telegram said 'retry after': hold every send until then."""
        self._next = max(self._next, self.clock() + seconds)


@dataclass
class SweepStats:
    checkins: int = 0
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    dropped: int = 0
    blocked: list[int] = field(default_factory=list)


class Sweeper:
    def __init__(
        self,
        bot: Bot,
        checkins: CheckIns,
        *,
        pacer: Pacer | None = None,
        batch: int = int(PER_SECOND * INTERVAL * 0.8),
    ) -> None:
        self.bot = bot
        self.checkins = checkins
        self.reminders = checkins.reminders
        self.pacer = pacer or Pacer()
        # A little less than the pacer sends in one interval, so a sweep ends before the next
        # is due and every claim is sent well within its lease.
        self.batch = batch
        self._running = asyncio.Lock()

    async def sweep(self) -> SweepStats:
        """One pass; overlapping calls in one process wait for each other."""
        async with self._running:
            stats = SweepStats()
            now = self.checkins.clock()
            stats.checkins = await self.reminders.materialize(now, limit=self.batch)
            claimed = await self.reminders.claim(now, limit=self.batch)
            stats.claimed = len(claimed)
            await asyncio.gather(*(self._deliver(item, stats) for item in claimed))
            return stats

    async def _deliver(self, item: Claimed, stats: SweepStats) -> None:
        nudge = item.nudge
        try:
            outgoing = await self.checkins.compose(item, self.checkins.clock())
            if outgoing.postpone is not None:
                await self.reminders.release(nudge.id, outgoing.postpone)
                return
            if outgoing.reply is None:
                await self.reminders.finish(nudge.id, "cancelled")
                stats.dropped += 1
                return
            await self.pacer.wait(item.chat_id)
            message = await self.bot.send_message(
                item.chat_id,
                outgoing.reply.text,
                parse_mode=ParseMode.HTML,
                reply_markup=inline(outgoing.reply.buttons),
                disable_notification=outgoing.silent,
            )
        except Forbidden as exc:
            if await self.reminders.blocked(nudge.user_id, self.checkins.clock()):
                log.warning("user %s blocked the bot (%s): reminders off", nudge.user_id, exc)
                stats.blocked.append(nudge.user_id)
            return
        except RetryAfter as exc:
            with warnings.catch_warnings():  # PTB 22 warns that it will become a timedelta
                warnings.simplefilter("ignore")
                wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            self.pacer.pause(seconds)
            await self.reminders.release(
                nudge.id, self.checkins.clock() + timedelta(seconds=seconds)
            )
            stats.retried += 1
            return
        except BadRequest as exc:  # permanent for this message (subclass of NetworkError)
            log.error("nudge %s to chat %s refused: %s", nudge.id, item.chat_id, exc)
            await self.reminders.finish(nudge.id, "failed")
            stats.dropped += 1
            return
        except TimedOut:  # it may have arrived: retry once at most (counted)
            await self.reminders.retry_later(nudge.id, self.checkins.clock() + RETRY_NETWORK)
            stats.retried += 1
            return
        except NetworkError as exc:
            log.warning("nudge %s: network error %s; retrying later", nudge.id, exc)
            await self.reminders.release(nudge.id, self.checkins.clock() + RETRY_NETWORK)
            stats.retried += 1
            return
        await self.checkins.sent(item, outgoing, message.message_id)
        stats.sent += 1


async def _sweep_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    sweeper: Sweeper = context.application.bot_data[SWEEPER_KEY]
    try:
        stats = await sweeper.sweep()
    except Exception:  # a failed sweep is retried by the next one; never kill the job
        log.exception("check-in sweep failed")
        return
    if stats.claimed:
        log.info("sweep: %s", stats)


def schedule_sweep(
    application: Application,  # type: ignore[type-arg]
    checkins: CheckIns,
    interval: float = INTERVAL,
) -> Sweeper:
    """Create the sweeper and its repeating job (call from post_init)."""
    sweeper = Sweeper(application.bot, checkins)
    application.bot_data[SWEEPER_KEY] = sweeper
    assert application.job_queue is not None, "install python-telegram-bot[job-queue]"
    application.job_queue.run_repeating(
        _sweep_job,
        interval=interval,
        first=1.0,
        name="checkin-sweep",
        # One run at a time; a run delayed by a busy loop still happens (APScheduler would skip
        # anything later than 1 s by default).
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": int(interval * 3)},
    )
    return sweeper
