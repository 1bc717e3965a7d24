"""Small pieces of the production stack: Telegram failures per call, the flood allowance, log
redaction and webhook settings."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.config import Settings
from bot.logs import RedactingFormatter
from bot.telegram import delivery
from bot.telegram.concurrency import TokenBucket
from bot.telegram.delivery import Blocked, attempt, plain_text
from bot.telegram.webhook import WebhookMisconfigured, webhook_options
from tests.test_cli import haven


class Calls:
    """A Bot API call that fails with the given errors, then succeeds."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.count = 0

    async def __call__(self) -> object:
        self.count += 1
        if self.errors:
            raise self.errors.pop(0)
        return True


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "NETWORK_PAUSE", 0.0)


async def test_forbidden_raises_blocked_and_is_not_retried() -> None:
    call = Calls(Forbidden("Forbidden: bot was blocked by the user"))
    with pytest.raises(Blocked):
        await attempt(call, chat_id=1, what="a reply")
    assert call.count == 1


async def test_unparseable_html_is_resent_as_plain_text() -> None:
    html_call, plain_call = Calls(BadRequest("Can't parse entities: bad tag")), Calls()
    assert await attempt(html_call, chat_id=1, what="a reply", plain=plain_call)
    assert (html_call.count, plain_call.count) == (1, 1)
    assert plain_text("<b>Logged</b> 🧀 cheese &amp; <i>wine</i>") == "Logged 🧀 cheese & wine"


async def test_other_bad_requests_are_skipped_not_retried() -> None:
    call = Calls(BadRequest("Message is not modified"))
    assert not await attempt(call, chat_id=1, what="an edit", plain=Calls())
    assert call.count == 1


async def test_a_timeout_is_not_resent_but_a_network_error_is_once() -> None:
    timed_out = Calls(TimedOut())
    assert not await attempt(timed_out, chat_id=1, what="a reply")
    assert timed_out.count == 1
    flaky = Calls(NetworkError("connection reset"))
    assert await attempt(flaky, chat_id=1, what="a reply") and flaky.count == 2
    down = Calls(NetworkError("down"), NetworkError("still down"))
    with pytest.raises(NetworkError):
        await attempt(down, chat_id=1, what="a reply")


async def test_retry_after_waits_once_then_gives_up_to_the_error_handler() -> None:
    once = Calls(RetryAfter(0))
    assert await attempt(once, chat_id=1, what="a reply") and once.count == 2
    twice = Calls(RetryAfter(0), RetryAfter(0))
    with pytest.raises(RetryAfter):
        await attempt(twice, chat_id=1, what="a reply")


def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    now = [0.0]
    bucket = TokenBucket(burst=3, per_minute=60, clock=lambda: now[0])
    assert [bucket.take() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take() == pytest.approx(1.0)  # one a second after the burst
    now[0] += 10
    assert bucket.take() == 0.0 and bucket.full() is False


def test_log_lines_never_carry_the_token_even_in_tracebacks() -> None:
    token = "123456:AAF-secret_part"
    formatter = RedactingFormatter([token, None])
    try:
        raise NetworkError(f"POST https://api.telegram.org/bot{token}/sendMessage failed")
    except NetworkError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "sending to %s", (f"/bot{token}/",), sys.exc_info()
        )
    line = formatter.format(record)
    assert token not in line and line.count("[redacted]") == 2


def settings(**values: Any) -> Settings:
    return Settings(**values, _env_file=None)  # type: ignore[call-arg]


def test_webhook_needs_a_url_and_a_valid_secret() -> None:
    with pytest.raises(WebhookMisconfigured, match="WEBHOOK_URL"):
        webhook_options(settings(webhook_secret="abc"))
    with pytest.raises(WebhookMisconfigured, match="WEBHOOK_SECRET"):
        webhook_options(settings(webhook_url="https://bot.example.org/tg"))
    with pytest.raises(WebhookMisconfigured, match="WEBHOOK_SECRET"):
        webhook_options(settings(webhook_url="https://bot.example.org/tg", webhook_secret="a b"))
    options = webhook_options(
        settings(
            webhook_url="https://bot.example.org/haven/hook",
            webhook_secret="Abc_123-xyz",
            webhook_port=8081,
        )
    )
    assert options == {
        "listen": "127.0.0.1",
        "port": 8081,
        "url_path": "haven/hook",
        "webhook_url": "https://bot.example.org/haven/hook",
        "secret_token": "Abc_123-xyz",
    }


def test_haven_run_webhook_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    result = haven(
        "run",
        "--webhook",
        tmp_path=tmp_path,
        TELEGRAM_BOT_TOKEN="123:ABC",
        WEBHOOK_URL="https://bot.example.org/hook",
    )
    assert result.returncode == 2 and "WEBHOOK_SECRET" in result.stdout
