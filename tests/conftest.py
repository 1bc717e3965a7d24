"""Shared fixtures: a migrated database on SQLite and on PostgreSQL for every storage test."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import Diary, create_engine, session_factory, upgrade
from tests.fake_telegram import tg  # noqa: F401  (the fake Bot API server, for every test)

POSTGRES_URL = os.environ.get(
    "HAVEN_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


async def _postgres_engine(schema: str) -> AsyncEngine:
    """An engine whose every connection works in its own fresh schema, so tests never collide."""
    admin = create_engine(POSTGRES_URL)
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OSError as exc:  # server down
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and unreachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}")
    finally:
        await admin.dispose()
    return create_engine(POSTGRES_URL, connect_args={"server_settings": {"search_path": schema}})


async def _drop_schema(schema: str) -> None:
    admin = create_engine(POSTGRES_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    await admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def engine(request: pytest.FixtureRequest, tmp_path: object) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database: an SQLite file, or a throwaway PostgreSQL schema."""
    if request.param == "sqlite":
        eng = create_engine(f"sqlite+aiosqlite:///{tmp_path}/haven.sqlite3")
        await upgrade(eng)
        yield eng
        await eng.dispose()
        return
    if os.environ.get("HAVEN_SKIP_POSTGRES") == "1":
        pytest.skip("HAVEN_SKIP_POSTGRES=1")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    eng = await _postgres_engine(schema)
    try:
        await upgrade(eng)
        yield eng
    finally:
        await eng.dispose()
        await _drop_schema(schema)


@pytest.fixture
async def diary(engine: AsyncEngine) -> Diary:
    return Diary(session_factory(engine))
