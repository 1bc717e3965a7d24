"""Check-in rows (/settings) and their answers, on SQLite and PostgreSQL: off by default, one
answer per check-in and row (a new tap replaces the old one and its event), erased with the rest,
and migration 0006 keeps existing people and their diaries both ways."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, inspect, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.schedule import CALENDAR
from storage import Diary, NewEvent, Reminders, session_factory
from storage.models import CheckInFactor
from storage.rights import Rights
from storage.settings import CheckInRows, CheckInSettings

T0 = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
ANN, BOB = 10, 20


async def checkin(diary: Diary, user: int, day: date = date(2026, 11, 24)) -> int:
    reminders = Reminders(diary.sessions, CALENDAR)
    await diary.ensure_user(user, user)
    await reminders.add(
        user_id=user, kind="checkin", key=f"checkin:{day}", due_at=T0, day=day, state="sent"
    )
    [nudge] = await reminders.checkins(user, day, day)
    return nudge.id


def stress(value: float) -> NewEvent:
    return NewEvent("factor", T0, name="stress", value=value)


async def answer(
    store: CheckInSettings,
    nudge: int,
    user: int,
    factor: str,
    choice: str,
    event: NewEvent | None,
    now: datetime,
) -> str:
    """A tap that replaces nothing typed (what the check-in does for a row with no `replaces`)."""
    outcome, _ = await store.answer_over(
        nudge, user, factor, choice, event, now, replaces=(), start=now, end=now
    )
    return outcome


async def choices(store: CheckInSettings, nudge: int) -> dict[str, str]:
    return {factor: choice for factor, (choice, _) in (await store.answered(nudge)).items()}


async def test_rows_are_off_by_default_and_switch_one_at_a_time(diary: Diary) -> None:
    store = CheckInSettings(diary.sessions)
    assert await store.rows(ANN) == CheckInRows()  # not even stored yet
    await diary.ensure_user(ANN, ANN)
    assert (await store.rows(ANN)).enabled == ()
    assert (await store.set_row(ANN, "period", True)).enabled == ("period",)
    assert (await store.set_row(ANN, "sleep_quality", True)).enabled == ("sleep_quality", "period")
    assert (await store.set_row(ANN, "period", False)).enabled == ("sleep_quality",)
    assert (await store.rows(ANN)).enabled == ("sleep_quality",)
    assert (await store.rows(BOB)).enabled == ()
    assert (await store.set_row(BOB, "stress", True)).enabled == ("stress",)  # creates Bob
    assert (await diary.get_user(BOB)) is not None


async def test_a_second_answer_replaces_the_first_and_its_event(diary: Diary) -> None:
    store = CheckInSettings(diary.sessions)
    nudge = await checkin(diary, ANN)
    assert await answer(store, nudge, ANN, "stress", "2", stress(2), T0) == "saved"
    assert await answer(store, nudge, ANN, "stress", "2", stress(2), T0) == "unchanged"
    assert await answer(store, nudge, ANN, "stress", "4", stress(4), T0) == "saved"
    assert [(e.name, e.value) for e in await diary.events_between(ANN)] == [("stress", 4.0)]
    # Again: on SQLite the new event may reuse the deleted one's id, and must still be linked.
    assert await answer(store, nudge, ANN, "stress", "1", stress(1), T0) == "saved"
    assert await answer(store, nudge, ANN, "stress", "4", stress(4), T0) == "saved"
    assert [(e.name, e.value) for e in await diary.events_between(ANN)] == [("stress", 4.0)]
    # An answer that logs nothing still counts as the answer, and removes the earlier event.
    exercise = NewEvent("factor", T0, name="exercise")
    assert await answer(store, nudge, ANN, "exercise", "y", exercise, T0) == "saved"
    assert await answer(store, nudge, ANN, "exercise", "n", None, T0) == "saved"
    assert [(e.name, e.value) for e in await diary.events_between(ANN)] == [("stress", 4.0)]
    assert await choices(store, nudge) == {"stress": "4", "exercise": "n"}


async def test_someone_elses_checkin_is_refused(diary: Diary) -> None:
    store = CheckInSettings(diary.sessions)
    nudge = await checkin(diary, ANN)
    await diary.ensure_user(BOB, BOB)
    assert await answer(store, nudge, BOB, "stress", "5", stress(5), T0) == "refused"
    assert await answer(store, nudge + 99, ANN, "stress", "5", stress(5), T0) == "refused"
    assert await diary.events_between(BOB) == [] and await diary.events_between(ANN) == []
    assert await choices(store, nudge) == {}


async def test_erase_removes_the_rows_and_answers_and_keeps_the_others(
    engine: AsyncEngine,
) -> None:
    diary = Diary(session_factory(engine))
    store = CheckInSettings(diary.sessions)
    for user in (ANN, BOB):
        nudge = await checkin(diary, user)
        await store.set_row(user, "stress", True)
        await answer(store, nudge, user, "stress", "3", stress(3), T0)
        await answer(store, nudge, user, "period", "n", None, T0)
    snap = await Rights(diary.sessions).snapshot(ANN)
    assert snap is not None and snap.checkin_rows == CheckInRows(stress=True)
    assert sorted((a.factor, a.choice) for a in snap.checkin_factors) == [
        ("period", "n"),
        ("stress", "3"),
    ]
    counts = await Rights(diary.sessions).erase(ANN)
    assert counts["checkin_factors"] == 2
    async with engine.connect() as conn:
        owners = await conn.execute(
            select(CheckInFactor.user_id, func.count()).group_by(CheckInFactor.user_id)
        )
        assert dict(owners.all()) == {BOB: 2}  # type: ignore[arg-type]
    assert (await store.rows(ANN)).enabled == ()
    assert (await store.rows(BOB)).enabled == ("stress",)


async def test_migration_0006_keeps_people_and_their_diaries_both_ways(
    engine: AsyncEngine,
) -> None:
    """The switches are added and dropped in place: `users` is never copied and dropped, which
    on SQLite (foreign keys on) would cascade to every diary row."""
    from alembic import command

    from storage.db import alembic_config

    diary = Diary(session_factory(engine))
    await diary.ensure_user(ANN, ANN)
    await diary.add_events(ANN, [NewEvent("no_migraine", T0 - timedelta(days=1))])
    await CheckInSettings(diary.sessions).set_row(ANN, "exercise", True)

    def columns(conn: object, table: str) -> set[str]:
        found = inspect(conn)
        if table not in found.get_table_names():
            return set()
        return {c["name"] for c in found.get_columns(table)}

    def step(conn: object, target: str, down: bool) -> tuple[set[str], set[str]]:
        config = alembic_config()
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, target)
        return columns(conn, "users"), columns(conn, "checkin_factors")

    async with engine.begin() as conn:
        users, factors = await conn.run_sync(lambda c: step(c, "0005", True))
        assert "track_period" not in users and factors == set()
        users, factors = await conn.run_sync(lambda c: step(c, "head", False))
        assert {"ask_sleep_quality", "ask_stress", "ask_exercise", "track_period"} <= users
        assert {"nudge_id", "factor", "choice", "event_id"} <= factors
    assert [e.kind for e in await diary.events_between(ANN)] == ["no_migraine"]
    assert (await CheckInSettings(diary.sessions).rows(ANN)).enabled == ()  # back to the default
