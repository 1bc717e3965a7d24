"""PTB callbacks. Each one turns an Update into a core call and the core's Reply into Bot API calls;
no SQL and no statistics here."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.core.dialogue import Dialogue, Incoming
from bot.core.replies import Document, Reply
from bot.telegram.dedupe import LAST, register_dedupe
from bot.telegram.delivery import Blocked, attempt, plain_text
from bot.telegram.failures import on_error
from bot.telegram.keyboards import inline, markup_for
from bot.telegram.observe import observe_all

log = logging.getLogger(__name__)

DIALOGUE_KEY = "dialogue"


def dialogue_of(context: ContextTypes.DEFAULT_TYPE) -> Dialogue:
    dialogue: Dialogue = context.application.bot_data[DIALOGUE_KEY]
    return dialogue


def incoming(message: Message, *, edited: bool = False) -> Incoming:
    assert message.from_user is not None
    sent_at = message.date if message.date.tzinfo else message.date.replace(tzinfo=UTC)
    edited_at: datetime | None = None
    if edited:
        edited_at = message.edit_date or datetime.now(UTC)
    return Incoming(
        user_id=message.from_user.id,
        chat_id=message.chat.id,
        message_id=message.message_id,
        sent_at=sent_at,
        text=message.text or "",
        edited_at=edited_at,
    )


async def send(context: ContextTypes.DEFAULT_TYPE, message: Message, reply: Reply | None) -> None:
    """Render a reply; Telegram's refusals are handled per call (bot/telegram/delivery.py)."""
    try:
        await _send(message, reply)
    except Blocked:  # the person blocked the bot: no more check-ins for them either
        if message.from_user and await dialogue_of(context).checkins.unreachable(
            message.from_user.id
        ):
            log.warning("user %s blocked the bot: reminders off", message.from_user.id)


async def _send(message: Message, reply: Reply | None) -> None:
    if reply is None:
        return
    chat = message.chat.id
    if reply.text:
        text, markup = reply.text, markup_for(reply)
        await attempt(
            lambda: message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup),
            chat_id=chat,
            what="a reply",
            plain=lambda: message.reply_text(plain_text(text), reply_markup=markup),
        )
    if reply.photo is not None:
        photo, caption = reply.photo, reply.photo_caption
        await attempt(
            lambda: message.reply_photo(photo, caption=caption), chat_id=chat, what="a chart"
        )
    for document in reply.documents:
        await attempt(_upload(message, document), chat_id=chat, what=document.filename)
    await _send(message, reply.follow_up)


def _upload(message: Message, document: Document) -> Callable[[], Awaitable[object]]:
    return lambda: message.reply_document(document.data, filename=document.filename)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message or update.edited_message
    if message is None or message.from_user is None:
        return
    edited = update.edited_message is not None
    reply = await dialogue_of(context).handle_text(incoming(message, edited=edited))
    await send(context, message, reply)


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    # One route for every command: the core owns the command table (shared with the terminal
    # chat), so unknown commands get the same friendly list as in the console.
    message = update.message
    if message is None or message.from_user is None or not message.text:
        return
    reply = await dialogue_of(context).handle_text(incoming(message))
    await send(context, message, reply)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    reply = await dialogue_of(context).handle_button(query.from_user.id, query.data or "")
    chat = update.effective_chat.id if update.effective_chat else None
    try:
        await attempt(lambda: query.answer(reply.toast), chat_id=chat, what="a button answer")
        if reply.edit and reply.text:
            text, markup = reply.text, inline(reply.buttons)
            await attempt(
                lambda: query.edit_message_text(
                    text, parse_mode=ParseMode.HTML, reply_markup=markup
                ),
                chat_id=chat,
                what="an edit",
                plain=lambda: query.edit_message_text(plain_text(text), reply_markup=markup),
            )
    except Blocked:
        pass


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    if message is None or message.location is None or message.from_user is None:
        return
    location = message.location
    reply = await dialogue_of(context).handle_location(
        message.from_user.id, location.latitude, location.longitude
    )
    await send(context, message, reply)


async def on_unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    if message is None:
        return
    if message.sticker:
        what = "stickers"
    elif message.photo:
        what = "photos"
    elif message.voice or message.audio:
        what = "voice notes"
    elif message.video or message.video_note:
        what = "videos"
    else:
        what = "that kind of message"
    await send(context, message, dialogue_of(context).unsupported(what))


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Every handler, in one place."""
    private_text = filters.TEXT & ~filters.COMMAND
    application.add_handler(
        MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, on_command)
    )
    application.add_handler(MessageHandler(private_text & filters.UpdateType.MESSAGES, on_text))
    application.add_handler(MessageHandler(filters.LOCATION, on_location))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & ~filters.TEXT & ~filters.LOCATION, on_unsupported
        )
    )
    application.add_error_handler(on_error)
    register_dedupe(application)  # group -1: each update id is handled once, across replicas
    observe_all(application, skip_groups=(-1, LAST))  # one INFO line per update
