"""The error handler: log the failure with its update id, tell the person the truth, go on.

"Nothing you logged was lost" is a promise, so it is only said when it holds. Every `Diary`
method is one transaction, so a failure leaves each write either committed or never started;
what we don't know is which, for the message that failed. So we look: a text message is
either in the diary (saved, the reply was what failed) or not (please send it again). An erase
confirmation is checked the same way. If even the check fails (the database is down), we say
we couldn't check.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden
from telegram.ext import ContextTypes

from bot.telegram.delivery import Blocked, attempt
from storage import Diary

log = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong — nothing you logged was lost."
SAVED = SORRY + " Your message was saved; /history shows it."
NOT_SAVED = (
    "Sorry, something went wrong — nothing you logged was lost, but I couldn't save this "
    "message. Please send it again."
)
EDIT_NOT_SAVED = SORRY + " Your edit may not have been applied: please check /history."
ERASED = "Sorry, something went wrong after erasing — your data was erased all the same."
NOT_ERASED = "Sorry, something went wrong — nothing was deleted. Send /erase to try again."
UNKNOWN = (
    "Sorry, something went wrong, and I couldn't check whether your last message was saved. "
    "Please look at /history in a few minutes and send it again if it's missing."
)


async def apology(update: Update, diary: Diary) -> str:
    """The honest reply for a failed update (may raise if the database is unreachable)."""
    query = update.callback_query
    if query is not None and (query.data or "").startswith("er:yes:"):
        return NOT_ERASED if await diary.get_user(query.from_user.id) else ERASED
    message = update.edited_message or update.message
    if message is None or not message.text or message.text.startswith("/"):
        return SORRY  # commands and buttons: each write is one transaction, done or not
    if update.edited_message is not None:
        return EDIT_NOT_SAVED  # the old version or the new one is stored, whole
    stored = await diary.message_stored(message.chat.id, message.message_id)
    return SAVED if stored else NOT_SAVED


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log with the update id; tell the person what happened to their data; never raise."""
    error = context.error
    if not isinstance(update, Update):
        log.error("error outside an update (%s)", type(error).__name__, exc_info=error)
        return
    user = update.effective_user
    log.error(
        "update %s from user %s failed: %s",
        update.update_id,
        user.id if user else None,
        type(error).__name__,
        exc_info=error,
    )
    chat = update.effective_chat
    if chat is None or isinstance(error, Forbidden | Blocked):
        return  # the person can't be reached; nothing to tell
    from bot.telegram.handlers import dialogue_of  # handlers registers us: import late

    try:
        text = await apology(update, dialogue_of(context).diary)
    except Exception:
        log.exception("update %s: could not check what was stored", update.update_id)
        text = UNKNOWN
    try:
        await attempt(
            lambda: context.bot.send_message(chat.id, text),
            chat_id=chat.id,
            what=f"the apology for update {update.update_id}",
        )
    except Exception:  # the network may be what failed; the error handler must not raise
        log.warning("could not tell chat %s about failed update %s", chat.id, update.update_id)
