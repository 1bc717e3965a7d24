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


def load_settings() -> Settings:
    return Settings()
