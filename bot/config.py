"""Settings from the environment or `.env` (pydantic-settings); `.env.example` documents them."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: str | None = None
    # Passed to ApplicationBuilder.base_url; the token is appended (e.g. http://127.0.0.1:8081/bot).
    telegram_api_base_url: str | None = None
    database_url: str = "sqlite+aiosqlite:///haven.sqlite3"
    # The terminal chat's user id: a local person who is not on Telegram.
    console_user_id: int = 1
    log_level: str = "INFO"
    # PTB's AIORateLimiter keeps us within Telegram's flood limits; retries a 429 this many times.
    rate_limit: bool = True
    rate_limit_retries: int = 3
    # Updates handled at once across different chats (one chat is always handled in order).
    max_concurrent_updates: int = 64
    # Per-person flood protection: this many updates at once, then this many a minute; beyond
    # that a person's messages wait (they are never dropped). 0 switches it off.
    flood_burst: int = 30
    flood_per_minute: float = 30.0
    # Webhook mode (`haven run --webhook`): the public HTTPS URL Telegram posts to (its path is
    # the path we serve), where we listen (behind a reverse proxy), and the secret Telegram sends
    # in X-Telegram-Bot-Api-Secret-Token (1-256 of A-Z a-z 0-9 _ -); other requests get 403.
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8080
    webhook_secret: str | None = None


def load_settings() -> Settings:
    return Settings()
