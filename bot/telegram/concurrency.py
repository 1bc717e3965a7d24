"""Concurrent across people, in order within one chat, and a flood slows only its sender.

PTB offers all-or-nothing concurrency (`concurrent_updates`); we need one person's message, its
edit and their button tap handled in the order sent, while someone's long /triggers never delays
anyone else. PTB's `BaseUpdateProcessor` is the documented hook for exactly this.

The chat's lock and its flood allowance are taken *before* a slot of the shared concurrency
limit: a person sending hundreds of messages a minute queues behind their own lock, holding no
slot, so everyone else is served as usual. (PTB's own semaphore is taken before
`do_process_update` and `process_update` is final, so PTB's is left wide open and ours,
`max_concurrent_updates`, is taken after the chat lock.) Flooded messages are slowed, never
dropped: each is still logged. The allowance (a token bucket) lives in process memory on
purpose: it is a speed limit, not state another replica needs.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

UNLIMITED = 1_000_000  # PTB's semaphore: every update may wait for its chat without a slot


class TokenBucket:
    """`burst` updates at once, then `per_minute`; `take` says how long to wait for a token."""

    def __init__(self, burst: int, per_minute: float, clock: Callable[[], float]) -> None:
        self.capacity = float(burst)
        self.rate = per_minute / 60.0
        self.clock = clock
        self.tokens = float(burst)
        self.stamp = clock()

    def take(self) -> float:
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        self.tokens -= 1.0
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate

    def full(self) -> bool:
        elapsed = self.clock() - self.stamp
        return self.tokens + elapsed * self.rate >= self.capacity


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(
        self,
        max_concurrent_updates: int = 64,
        *,
        flood_burst: int = 0,
        flood_per_minute: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        """`flood_burst` 0 switches flood protection off."""
        super().__init__(UNLIMITED)
        self.slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._buckets: dict[int, TokenBucket] = {}
        self.flood_burst = flood_burst
        self.flood_per_minute = flood_per_minute
        self.clock, self.sleep = clock, sleep

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            async with self.slots:
                await coroutine
            return
        lock = self._locks.get(chat.id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[chat.id] = lock
        async with lock:  # asyncio.Lock is FIFO: updates of one chat keep their order
            await self._slow_down(chat.id, update)
            async with self.slots:
                await coroutine

    async def _slow_down(self, chat_id: int, update: object) -> None:
        if self.flood_burst <= 0:
            return
        bucket = self._buckets.get(chat_id)
        if bucket is None:
            if len(self._buckets) > 10_000:  # forget people whose allowance is full again
                self._buckets = {c: b for c, b in self._buckets.items() if not b.full()}
            bucket = TokenBucket(self.flood_burst, self.flood_per_minute, self.clock)
            self._buckets[chat_id] = bucket
        wait = bucket.take()
        if wait > 0:
            update_id = update.update_id if isinstance(update, Update) else None
            log.info("chat %s is flooding: update %s waits %.1f s", chat_id, update_id, wait)
            await self.sleep(wait)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
