"""The diary's units of work, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, select

from storage import Diary, session_factory

T0 = datetime(2026, 11, 24, 12, 40, tzinfo=UTC)


@dataclass(frozen=True)
class Item:
    kind: str
    at: datetime
    name: str | None = None
    quantity: float | None = None
    severity: int | None = None
    dose: str | None = None
    known: bool = True
    value: float | None = None
    detail: str | None = None


async def log(diary: Diary, message_id: int, *items: Item, user: int = 10, **kw: object) -> object:
    return await diary.record_message(
        user_id=user,
        chat_id=user,
        message_id=message_id,
        sent_at=kw.pop("sent_at", T0),  # type: ignore[arg-type]
        text=str(kw.pop("text", "had cheese")),
        events=items,
        tz=kw.pop("tz", UTC),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


async def test_migration_creates_every_table(engine) -> None:
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {"users", "messages", "events", "alembic_version"} <= tables


async def test_times_come_back_tz_aware_utc_whatever_zone_went_in(diary: Diary) -> None:
    await diary.ensure_user(10, 10)
    berlin = datetime(2026, 11, 24, 13, 40, tzinfo=timezone(timedelta(hours=1)))
    await log(diary, 1, Item("food", berlin, "cheese"))
    [event] = await diary.events_between(10)
    assert event.at == T0 and event.at.tzinfo is not None and event.at.utcoffset() == timedelta(0)


async def test_naive_times_are_refused(diary: Diary) -> None:
    await diary.ensure_user(10, 10)
    with pytest.raises(Exception, match="naive"):
        await log(diary, 1, Item("food", datetime(2026, 1, 1, 12), "cheese"))
    assert await diary.events_between(10) == []


async def test_redelivery_stores_once(diary: Diary) -> None:
    await diary.ensure_user(10, 10)
    first = await log(diary, 7, Item("food", T0, "cheese"), Item("food", T0, "red wine"))
    again = await log(diary, 7, Item("food", T0, "cheese"), Item("food", T0, "red wine"))
    assert first.status == "new" and again.status == "duplicate"
    assert [e.name for e in again.events] == ["cheese", "red wine"]
    assert len(await diary.events_between(10)) == 2


async def test_concurrent_redelivery_stores_once(diary: Diary) -> None:
    await diary.ensure_user(10, 10)
    results = await asyncio.gather(*(log(diary, 8, Item("food", T0, "coffee")) for _ in range(4)))
    assert sorted(r.status for r in results).count("new") == 1
    assert [e.name for e in await diary.events_between(10)] == ["coffee"]


async def test_edit_replaces_what_the_message_logged(diary: Diary) -> None:
    await diary.ensure_user(10, 10)
    await log(diary, 3, Item("food", T0, "cheese"))
    edited = await log(
        diary, 3, Item("food", T0, "ham"), text="had ham", edited_at=T0 + timedelta(minutes=1)
    )
    assert edited.status == "edited" and [e.name for e in edited.replaced] == ["cheese"]
    assert [e.name for e in await diary.events_between(10)] == ["ham"]
    same_edit = await log(
        diary, 3, Item("food", T0, "ham"), text="had ham", edited_at=T0 + timedelta(minutes=1)
    )
    assert same_edit.status == "duplicate"


async def test_undo_removes_only_the_last_message(diary: Diary) -> None:
    await diary.ensure_user(10, 10)
    await log(diary, 1, Item("food", T0, "cheese"))
    await log(
        diary, 2, Item("food", T0, "coffee"), Item("food", T0, "toast"), sent_at=T0 + timedelta(1)
    )
    await log(diary, 3, text="hello", sent_at=T0 + timedelta(2))  # logged nothing
    undone = await diary.undo_last(10)
    assert sorted(e.name for e in undone.removed) == ["coffee", "toast"]
    assert undone.restored == []
    assert [e.name for e in await diary.events_between(10)] == ["cheese"]
    assert [e.name for e in (await diary.undo_last(10)).removed] == ["cheese"]
    assert (await diary.undo_last(10)).removed == []


async def test_users_never_see_each_other(diary: Diary) -> None:
    await diary.ensure_user(10, 10)
    await diary.ensure_user(20, 20)
    await log(diary, 1, Item("food", T0, "cheese"), user=10)
    await log(diary, 1, Item("food", T0, "wine"), user=20)  # same message id, other chat
    assert [e.name for e in await diary.events_between(10)] == ["cheese"]
    assert [e.name for e in await diary.events_between(20)] == ["wine"]
    assert [e.name for e in (await diary.undo_last(20)).removed] == ["wine"]
    assert [e.name for e in await diary.events_between(10)] == ["cheese"]


async def test_severity_only_for_own_existing_attack(diary: Diary) -> None:
    await diary.ensure_user(10, 10)
    await diary.ensure_user(20, 20)
    recorded = await log(diary, 1, Item("migraine_start", T0))
    attack_id = recorded.events[0].id
    assert await diary.set_severity(20, attack_id, 7) is None  # someone else's button
    updated = await diary.set_severity(10, attack_id, 7)
    assert updated is not None and updated.severity == 7
    await diary.undo_last(10)
    assert await diary.set_severity(10, attack_id, 8) is None  # deleted entry


async def test_open_attack_until_an_end_is_logged(diary: Diary) -> None:
    await diary.ensure_user(10, 10)
    await log(diary, 1, Item("migraine_start", T0, severity=6))
    assert (await diary.open_attack(10, T0 + timedelta(hours=2))).severity == 6
    await log(diary, 2, Item("migraine_end", T0 + timedelta(hours=3)))
    assert await diary.open_attack(10, T0 + timedelta(hours=4)) is None
    assert await diary.open_attack(10, T0 - timedelta(hours=1)) is None


async def test_timezone_is_kept(diary: Diary) -> None:
    user = await diary.ensure_user(10, 10)
    assert user.timezone == "UTC"
    await diary.set_timezone(10, "Europe/Berlin")
    assert (await diary.ensure_user(10, 10)).timezone == "Europe/Berlin"


async def test_events_between_bounds(diary: Diary) -> None:
    await diary.ensure_user(10, 10)
    items = [Item("food", T0 + timedelta(days=d), f"food{d}") for d in range(5)]
    await log(diary, 1, *items)
    found = await diary.events_between(10, T0 + timedelta(days=1), T0 + timedelta(days=3))
    assert [e.name for e in found] == ["food1", "food2"]


async def test_factor_events_keep_their_value_and_detail(diary: Diary) -> None:
    await diary.ensure_user(10, 10)
    await log(
        diary,
        1,
        Item("factor", T0, "exercise", value=30.0, detail="run"),
        Item("factor", T0, "probiotic"),
        text="went for a 30 min run, took my probiotic",
    )
    events = await diary.events_between(10)
    assert [(e.name, e.value, e.detail) for e in events] == [
        ("exercise", 30.0, "run"),
        ("probiotic", None, None),
    ]
    timeline = await diary.timeline(10)
    assert [(t.kind, t.name, t.value) for t in timeline] == [
        ("factor", "exercise", 30.0),
        ("factor", "probiotic", None),
    ]


async def test_migration_0005_adds_and_removes_the_factor_columns(engine) -> None:
    from alembic import command

    from storage.db import alembic_config

    def columns(conn) -> set[str]:
        return {c["name"] for c in inspect(conn).get_columns("events")}

    def step(conn, target: str, down: bool) -> set[str]:
        config = alembic_config()
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, target)
        return columns(conn)

    async with engine.begin() as conn:
        assert {"value", "detail"} <= await conn.run_sync(columns)
        assert not {"value", "detail"} & await conn.run_sync(lambda c: step(c, "0004", True))
        assert {"value", "detail"} <= await conn.run_sync(lambda c: step(c, "head", False))


# ---- one attack logged once; a 'no migraine' ruled out and put back --------------------------


async def test_a_start_during_an_open_attack_is_that_attack(diary: Diary) -> None:
    await diary.ensure_user(10, 10)
    await log(diary, 1, Item("migraine_start", T0))
    again = await log(diary, 2, Item("migraine_start", T0 + timedelta(minutes=5), severity=8))
    assert again.status == "new" and again.events == []
    [same] = again.same_attack
    assert same.severity_set and same.start.severity == 8
    earlier = await log(diary, 3, Item("migraine_start", T0 - timedelta(hours=1), severity=3))
    # An hour before the logged start: the same attack, its start moved to the earlier time.
    [moved] = earlier.same_attack
    assert moved.moved and not moved.severity_set and moved.start.at == T0 - timedelta(hours=1)
    day_later = await log(diary, 4, Item("migraine_start", T0 + timedelta(hours=25)))
    assert len(day_later.events) == 1  # an unended attack stops counting after 24 h
    starts = [(e.at, e.severity) for e in await diary.events_between(10)]
    assert starts == [(T0 - timedelta(hours=1), 8), (T0 + timedelta(hours=25), None)]
    assert await diary.message_stored(10, 2) and await diary.message_stored(10, 3)


async def test_an_end_near_the_logged_end_is_not_logged_twice(diary: Diary) -> None:
    await diary.ensure_user(10, 10)
    await log(diary, 1, Item("migraine_start", T0))
    await log(diary, 2, Item("migraine_end", T0 + timedelta(hours=3)))
    near = await log(diary, 3, Item("migraine_end", T0 + timedelta(hours=4)))
    assert near.events == [] and [e.at for e in near.already_ended] == [T0 + timedelta(hours=3)]
    late = await log(diary, 4, Item("migraine_end", T0 + timedelta(hours=6)))
    assert len(late.events) == 1 and late.already_ended == []
    ends = [e.at for e in await diary.events_between(10) if e.kind == "migraine_end"]
    assert ends == [T0 + timedelta(hours=3), T0 + timedelta(hours=6)]


async def test_undo_restores_what_its_migraine_set_aside(diary: Diary) -> None:
    await diary.ensure_user(10, 10)
    await log(diary, 1, Item("no_migraine", T0 - timedelta(hours=2)), text="no migraine today")
    attack = await log(diary, 2, Item("migraine_start", T0, severity=6), sent_at=T0 + timedelta(1))
    [gone] = attack.cleared  # set aside by the message that logged the migraine, in its UTC day
    assert [e.kind for e in await diary.events_between(10)] == ["migraine_start"]
    undone = await diary.undo_last(10)
    assert [e.kind for e in undone.removed] == ["migraine_start"]
    [back] = undone.restored
    assert (back.kind, back.at, back.source_id) == ("no_migraine", gone.at, gone.source_id)
    assert [e.kind for e in await diary.events_between(10)] == ["no_migraine"]
    assert (await diary.undo_last(10)).restored == []  # restored once, and nothing waits aside
    assert await diary.events_between(10) == []


async def test_migration_0007_adds_and_drops_the_set_aside_table(engine) -> None:
    from alembic import command

    from storage.db import alembic_config

    def step(conn: object, target: str, down: bool) -> set[str]:
        config = alembic_config()
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, target)
        return set(inspect(conn).get_table_names())

    async with engine.begin() as conn:
        assert "set_aside_events" not in await conn.run_sync(lambda c: step(c, "0006", True))
        assert "set_aside_events" in await conn.run_sync(lambda c: step(c, "head", False))
    diary = Diary(session_factory(engine))
    await diary.ensure_user(10, 10)
    await diary.add_events(10, [Item("no_migraine", T0)])
    attack = await log(diary, 1, Item("migraine_start", T0 + timedelta(hours=1)))
    assert len(attack.cleared) == 1


async def test_two_replicas_logging_one_attack_at_once_log_one_start(engine) -> None:
    """PostgreSQL, READ COMMITTED: another replica's transaction has inserted a start and not yet
    committed. A message with a start for the same attack waits for it (the person's `users` row
    is locked first) and then finds it, instead of inserting a second start. A message with no
    migraine in it takes no lock and does not wait."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has a single writer")
    from storage.models import Event, User

    diary = Diary(session_factory(engine))
    await diary.ensure_user(10, 10)
    async with diary.sessions.begin() as other:  # the other replica, mid-way through its message
        # What `record_message` does first for a message with a migraine (FOR NO KEY UPDATE).
        await other.scalar(select(User).where(User.id == 10).with_for_update(key_share=True))
        first = Event(user_id=10, kind="migraine_start", at=T0, known=True)
        other.add(first)
        await other.flush()
        racing = asyncio.create_task(
            log(diary, 2, Item("migraine_start", T0 + timedelta(minutes=5), severity=7))
        )
        food = await asyncio.wait_for(log(diary, 3, Item("food", T0, "cheese")), timeout=5)
        assert len(food.events) == 1  # type: ignore[attr-defined]
        await asyncio.sleep(0.5)
        assert not racing.done()  # blocked on the person's row until the other commits
    recorded = await asyncio.wait_for(racing, timeout=5)
    assert recorded.events == [] and [s.start.id for s in recorded.same_attack] == [first.id]
    starts = [e for e in await diary.events_between(10) if e.kind == "migraine_start"]
    assert [(e.at, e.severity) for e in starts] == [(T0, 7)]


def test_an_unended_attack_lasts_as_long_as_in_the_analysis() -> None:
    """One length for an attack with no logged end: storage's (same attack, the check-in's
    carried days) is the analysis's default, kept in two places since storage does not
    import analysis."""
    from analysis.model import AnalysisSettings
    from bot.core.checkins import ATTACK_GIVE_UP
    from storage.diary import UNENDED_ATTACK

    assert timedelta(hours=AnalysisSettings().open_attack_hours) == UNENDED_ATTACK
    assert ATTACK_GIVE_UP >= UNENDED_ATTACK  # the follow-ups may ask for longer, never shorter
