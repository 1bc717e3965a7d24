"""`haven run --webhook`: PTB's own webhook server (tornado), behind a reverse proxy.

Telegram sends the secret we register with every request, in X-Telegram-Bot-Api-Secret-Token;
PTB answers 403 to any request without it, so only Telegram can feed us updates. Several
replicas may serve one URL: the update ledger (bot/telegram/dedupe.py) handles each update once.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from bot.config import Settings

_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class WebhookMisconfigured(ValueError):
    pass


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for `Application.run_webhook` and `Updater.start_webhook`."""
    if not settings.webhook_url:
        raise WebhookMisconfigured("WEBHOOK_URL is not set (the public https:// address)")
    url = urlparse(settings.webhook_url)
    if url.scheme not in ("https", "http") or not url.netloc:
        raise WebhookMisconfigured(f"WEBHOOK_URL is not a URL: {settings.webhook_url!r}")
    if not settings.webhook_secret or not _SECRET.fullmatch(settings.webhook_secret):
        raise WebhookMisconfigured(
            "WEBHOOK_SECRET must be set: 1-256 characters of A-Z, a-z, 0-9, _ and -"
        )
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": url.path.strip("/"),
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret,
    }


def run_webhook(settings: Settings) -> None:
    from bot.telegram.app import build_application

    options = webhook_options(settings)
    # Like run_polling: SIGTERM stops the server, then the updates in flight are finished.
    build_application(settings).run_webhook(**options, allowed_updates=None)
