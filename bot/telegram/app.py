"""Builds the PTB Application: one place for settings, handlers, the command menu and shutdown."""

from __future__ import annotations

from telegram import BotCommand
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.config import Settings
from bot.core.dialogue import COMMANDS
from bot.services import Services, open_services
from bot.telegram.concurrency import PerChatUpdateProcessor
from bot.telegram.handlers import DIALOGUE_KEY, register
from bot.telegram.reminders import schedule_sweep

SERVICES_KEY = "services"


def build_application(settings: Settings) -> Application:  # type: ignore[type-arg]
    if not settings.telegram_bot_token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        services = await open_services(settings)
        application.bot_data[SERVICES_KEY] = services
        application.bot_data[DIALOGUE_KEY] = services.dialogue
        schedule_sweep(application, services.dialogue.checkins)  # check-ins and follow-ups
        await application.bot.set_my_commands([BotCommand(n, d) for n, d in COMMANDS])

    async def post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
        services: Services | None = application.bot_data.get(SERVICES_KEY)
        if services is not None:
            await services.close()

    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .concurrent_updates(
            PerChatUpdateProcessor(
                settings.max_concurrent_updates,
                flood_burst=settings.flood_burst,
                flood_per_minute=settings.flood_per_minute,
            )
        )
    )
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(base.rsplit("/", 1)[0] + "/file/bot")
    if settings.rate_limit:
        # PTB types the builder's rate-limiter slot as None until one is set.
        limiter = AIORateLimiter(max_retries=settings.rate_limit_retries)
        builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]
    application = builder.build()
    register(application)
    return application
