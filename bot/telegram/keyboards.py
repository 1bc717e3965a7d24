"""Core replies → Telegram markup."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.core.replies import Button, Reply

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


def inline(rows: list[list[Button]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows]
    )


def markup_for(reply: Reply) -> Markup | None:
    if reply.buttons:
        return inline(reply.buttons)
    if reply.ask_location:
        return ReplyKeyboardMarkup(
            [[KeyboardButton("📍 Share my location to set my timezone", request_location=True)]],
            resize_keyboard=True,
            one_time_keyboard=True,
            input_field_placeholder="Or tell me what you had…",
        )
    if reply.remove_keyboard:
        return ReplyKeyboardRemove()
    return None
