"""One INFO line per handled update: update id, user id, handler, outcome and duration.

Message text is personal health data, so it is logged only at DEBUG. Wrapping the callbacks
after registration (rather than decorating each) covers handlers added later too.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseHandler

log = logging.getLogger("haven.updates")

Callback = Callable[[Any, Any], Awaitable[Any]]


def observed(callback: Callback) -> Callback:
    name = getattr(callback, "__name__", repr(callback))

    @functools.wraps(callback)
    async def wrapper(update: Any, context: Any) -> Any:
        update_id = user_id = None
        if isinstance(update, Update):
            update_id = update.update_id
            user_id = update.effective_user.id if update.effective_user else None
            message = update.effective_message
            if message is not None and message.text and log.isEnabledFor(logging.DEBUG):
                log.debug("update %s text %r", update_id, message.text)
        start = time.perf_counter()
        outcome = "failed"
        try:
            result = await callback(update, context)
            outcome = "ok"
            return result
        finally:
            log.info(
                "update %s user %s handler %s %s in %.1f ms",
                update_id,
                user_id,
                name,
                outcome,
                (time.perf_counter() - start) * 1000,
            )

    wrapper.__haven_observed__ = True  # type: ignore[attr-defined]
    return wrapper


def observe_all(application: Application, skip_groups: tuple[int, ...] = (-1,)) -> None:  # type: ignore[type-arg]
    """Wrap every registered handler's callback once (group -1 holds the dedupe gate)."""
    for group, handlers in application.handlers.items():
        if group in skip_groups:
            continue
        for handler in handlers:
            _wrap(handler)


def _wrap(handler: BaseHandler[Any, Any, Any]) -> None:
    if not getattr(handler.callback, "__haven_observed__", False):
        handler.callback = observed(handler.callback)  # type: ignore[assignment]
