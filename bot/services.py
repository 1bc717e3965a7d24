"""Wiring shared by every front end: the database, the diary, the vocabulary, the dialogue."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.core.dialogue import Dialogue
from bot.parsing import warm_up
from bot.parsing.vocabulary import default_vocabulary
from storage import Diary, create_engine, session_factory, upgrade

log = logging.getLogger(__name__)


@dataclass
class Services:
    engine: AsyncEngine
    diary: Diary
    dialogue: Dialogue

    async def close(self) -> None:
        await self.engine.dispose()


async def open_services(settings: Settings, *, migrate: bool = True) -> Services:
    """Connect, bring the schema to head, and warm the parser before the first message arrives."""
    engine = create_engine(settings.database_url)
    if migrate:
        await upgrade(engine)
    vocabulary = default_vocabulary()
    warm_up()
    diary = Diary(session_factory(engine))
    log.info("ready: %d foods known, database %s", len(vocabulary), engine.url.render_as_string())
    return Services(engine, diary, Dialogue(diary, vocabulary))
