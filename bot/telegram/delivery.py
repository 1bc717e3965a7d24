"""Bot API calls with Telegram's failures handled where they happen.

- Forbidden: the person blocked the bot. Nothing more can reach them; `Blocked` ends the reply
  quietly (logged at INFO) instead of becoming an error for everyone to see.
- BadRequest (a NetworkError subclass in PTB, so caught first): permanent for this call. A reply
  whose HTML Telegram can't parse is resent as plain text; anything else is logged and skipped.
- RetryAfter: AIORateLimiter retries it; when that is off or gives up, we wait once and retry.
- TimedOut (also a NetworkError): the message may have arrived, so it is not resent (a double
  reply is worse than a missing one, and the diary itself is already stored).
- Other NetworkError: one retry after a short pause, then the error handler takes over.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

log = logging.getLogger(__name__)

NETWORK_PAUSE = 1.0
MAX_RETRY_AFTER = 30.0  # longer than this and the person is better served by the error reply
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")

Call = Callable[[], Awaitable[object]]


class Blocked(Exception):
    """The chat can't be reached any more (the person blocked the bot or deleted the chat)."""


def plain_text(source: str) -> str:
    """Telegram HTML → the visible text, for resending when the markup was refused."""
    return html.unescape(_TAG.sub("", source))


def _seconds(value: int | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def attempt(call: Call, *, chat_id: int | None, what: str, plain: Call | None = None) -> bool:
    """Make one Bot API call; True when Telegram accepted it. Raises `Blocked`, or the network
    error that outlived its retry."""
    for tries in (1, 2):
        try:
            await call()
            return True
        except Forbidden as exc:
            log.info("chat %s can't be reached (%s); %s not sent", chat_id, exc.message, what)
            raise Blocked(chat_id) from exc
        except BadRequest as exc:
            if plain is not None and "parse" in exc.message.lower():
                log.warning("Telegram refused the markup of %s for chat %s", what, chat_id)
                call, plain = plain, None
                continue
            log.warning("Telegram refused %s for chat %s: %s", what, chat_id, exc.message)
            return False
        except TimedOut:
            log.warning("%s to chat %s timed out; not resent (it may have arrived)", what, chat_id)
            return False
        except RetryAfter as exc:
            wait = _seconds(exc.retry_after)
            if tries == 2 or wait > MAX_RETRY_AFTER:
                raise
            log.warning("flood control: waiting %.0f s before %s to chat %s", wait, what, chat_id)
            await asyncio.sleep(wait)
        except NetworkError as exc:
            if tries == 2:
                raise
            log.warning("network error on %s to chat %s (%s); retrying", what, chat_id, exc)
            await asyncio.sleep(NETWORK_PAUSE)
    return False
