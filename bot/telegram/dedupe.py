"""Each update handled once, across redeliveries and replicas: a claim in the database first
(group -1), a "done" mark last (group `LAST`).

An update delivered twice, or to two replicas behind one webhook URL, is handled by whichever
process inserts its id first. A later delivery waits until that claim is done and is then
dropped, before any reply; if the claim is never finished (its process died mid-update) it is
taken over once the lease runs out, so a crash never loses a message (storage/updates.py). If
the database can't be reached the update goes on unclaimed rather than being lost.
"""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

from storage.updates import UpdateLedger

log = logging.getLogger(__name__)

LEDGER_KEY = "update_ledger"
CLAIMED_KEY = "claimed_updates"
LAST = 1_000_000  # the group that runs after every other handler
PRUNE_EVERY = 3600.0  # seconds; per process, and harmless when replicas overlap
WAIT_STEP = 0.5  # seconds between looks at a claim held by another process


def _ledger(context: ContextTypes.DEFAULT_TYPE) -> UpdateLedger:
    ledger: UpdateLedger | None = context.bot_data.get(LEDGER_KEY)
    if ledger is None:
        from bot.telegram.handlers import dialogue_of  # registered from there: import late

        ledger = UpdateLedger(dialogue_of(context).diary.sessions)
        context.bot_data[LEDGER_KEY] = ledger
    return ledger


async def _taken(ledger: UpdateLedger, update_id: int) -> bool:
    """Claim the update, or wait while another process holds it: True once it is ours, False
    once the other process has finished it."""
    while not await ledger.claim(update_id):
        if await ledger.done(update_id):
            return False
        await asyncio.sleep(WAIT_STEP)  # in flight elsewhere; taken over if its lease runs out
    return True


async def claim_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ledger = _ledger(context)
    try:
        ours = await _taken(ledger, update.update_id)
    except Exception:
        log.exception("update %s: could not claim it; handling it unclaimed", update.update_id)
        return
    if not ours:
        log.info("update %s already handled (redelivered, or by another replica)", update.update_id)
        raise ApplicationHandlerStop
    context.bot_data.setdefault(CLAIMED_KEY, set()).add(update.update_id)
    await _prune_now_and_then(ledger, context)


async def finish_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """After every handler (PTB runs later groups even when a handler raised)."""
    claimed: set[int] = context.bot_data.get(CLAIMED_KEY, set())
    if update.update_id not in claimed:
        return  # handled unclaimed (database down): nothing to mark
    claimed.discard(update.update_id)
    try:
        await _ledger(context).finish(update.update_id)
    except Exception:  # the lease will let a redelivery through: at least once, never lost
        log.warning("update %s: could not mark it done", update.update_id, exc_info=True)


async def _prune_now_and_then(ledger: UpdateLedger, context: ContextTypes.DEFAULT_TYPE) -> None:
    now = time.monotonic()
    if now - context.bot_data.get("ledger_pruned", -PRUNE_EVERY) < PRUNE_EVERY:
        return
    context.bot_data["ledger_pruned"] = now
    try:
        log.debug("forgot %d old update ids", await ledger.prune())
    except Exception:
        log.warning("pruning old update ids failed; will retry later", exc_info=True)


def register_dedupe(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(TypeHandler(Update, claim_update), group=-1)
    application.add_handler(TypeHandler(Update, finish_update), group=LAST)
