"""The first handler of every update (group -1): take the update id in the database, or stop.

An update delivered twice, or to two replicas behind one webhook URL, is handled by whichever
process inserts its id first; the others drop it here, before any reply. The claim is made
before handling, so an update whose process dies mid-way is not handled again (at most once);
the diary's own per-message uniqueness still guards the data. If the database can't be reached
the update goes on unclaimed rather than being lost.
"""

from __future__ import annotations

import logging
import time

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

from storage.updates import UpdateLedger

log = logging.getLogger(__name__)

LEDGER_KEY = "update_ledger"
PRUNE_EVERY = 3600.0  # seconds; per process, and harmless when replicas overlap


def _ledger(context: ContextTypes.DEFAULT_TYPE) -> UpdateLedger:
    ledger: UpdateLedger | None = context.bot_data.get(LEDGER_KEY)
    if ledger is None:
        from bot.telegram.handlers import dialogue_of  # registered from there: import late

        ledger = UpdateLedger(dialogue_of(context).diary.sessions)
        context.bot_data[LEDGER_KEY] = ledger
    return ledger


async def claim_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ledger = _ledger(context)
    try:
        first = await ledger.claim(update.update_id)
    except Exception:
        log.exception("update %s: could not claim it; handling it unclaimed", update.update_id)
        return
    if not first:
        log.info("update %s already handled (redelivered, or by another replica)", update.update_id)
        raise ApplicationHandlerStop
    now = time.monotonic()
    if now - context.bot_data.get("ledger_pruned", 0.0) > PRUNE_EVERY:
        context.bot_data["ledger_pruned"] = now
        try:
            pruned = await ledger.prune()
            log.debug("forgot %d old update ids", pruned)
        except Exception:
            log.warning("pruning old update ids failed; will retry later", exc_info=True)


def register_dedupe(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(TypeHandler(Update, claim_update), group=-1)
