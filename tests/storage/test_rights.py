"""Erase leaves nothing of the person in any table; snapshot and restore keep everything.

The erase check walks `Base.metadata`, so tables added later are checked without touching this
test: every column named user_id or chat_id (and users.id) must no longer hold the person.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.schedule import CALENDAR
from storage import Diary, Reminders, session_factory
from storage.diary import clear_no_migraine
from storage.models import Base
from storage.rights import Restore, RestoredEvent, RestoredMessage, Rights
from storage.updates import UpdateLedger
from tests.storage.test_diary import Item, log

T0 = datetime(2026, 11, 24, 12, 40, tzinfo=UTC)
ANN, BOB = 10, 20


async def fill(diary: Diary, user: int) -> None:
    """A diary touching every table: messages, events, an import, timezone, reminder, nudges."""
    await diary.ensure_user(user, user)
    await diary.set_timezone(user, "Europe/Berlin")
    await log(diary, 1, Item("food", T0, "cheese"), Item("food", T0, "red wine", 2), user=user)
    await log(diary, 2, Item("migraine_start", T0 + timedelta(hours=3), severity=7), user=user)
    await diary.add_events(user, [Item("medication", T0 + timedelta(hours=4), "ibuprofen")])
    await diary.undo_last(user)
    # A "no migraine" that message 1 ruled out waits aside (set_aside_events).
    await diary.add_events(user, [Item("no_migraine", T0 - timedelta(hours=1))])
    cheese = (await diary.events_between(user))[0]
    day = (T0 - timedelta(hours=12), T0 + timedelta(hours=12))
    async with diary.sessions.begin() as session:
        await clear_no_migraine(session, user, *day, removed_by=cheese.source_id)
    reminders = Reminders(diary.sessions, CALENDAR)
    await reminders.set_time(user, 21 * 60, T0)
    event = (await diary.events_between(user))[0]
    await reminders.add(
        user_id=user, kind="checkin", key="checkin:2026-11-24", due_at=T0, day=date(2026, 11, 24)
    )
    await reminders.add(
        user_id=user, kind="attack_end", key=f"end:{event.id}:1", due_at=T0, event_id=event.id
    )


async def rows_of(engine: AsyncEngine, user: int) -> dict[str, int]:
    """How many rows of each table refer to the person, by any user_id / chat_id / users.id."""
    found: dict[str, int] = {}
    async with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.c if c.name in ("user_id", "chat_id")]
            if table.name == "users":
                columns.append(table.c.id)
            for column in columns:
                count = await conn.scalar(
                    select(func.count()).select_from(table).where(column == user)
                )
                if count:
                    found[f"{table.name}.{column.name}"] = int(count)
    return found


async def test_erase_leaves_no_row_of_the_person_in_any_table(engine: AsyncEngine) -> None:
    diary = Diary(session_factory(engine))
    await fill(diary, ANN)
    await fill(diary, BOB)
    await UpdateLedger(diary.sessions).claim(1)
    before = await rows_of(engine, ANN)
    assert {
        "users.id",
        "messages.user_id",
        "events.user_id",
        "reminders.user_id",
        "nudges.user_id",
        "set_aside_events.user_id",
    } <= set(before)
    bob_before = await rows_of(engine, BOB)

    counts = await Rights(diary.sessions).erase(ANN)

    assert await rows_of(engine, ANN) == {}
    assert await rows_of(engine, BOB) == bob_before  # nobody else loses anything
    assert counts["events"] == 3 and counts["users"] == 1
    assert not await UpdateLedger(diary.sessions).claim(1)  # update ids are no one's data


async def test_erase_of_a_stranger_changes_nothing(engine: AsyncEngine) -> None:
    diary = Diary(session_factory(engine))
    await fill(diary, BOB)
    before = await rows_of(engine, BOB)
    assert sum((await Rights(diary.sessions).erase(ANN)).values()) == 0
    assert await rows_of(engine, BOB) == before


async def test_snapshot_then_restore_gives_the_same_diary(engine: AsyncEngine) -> None:
    diary = Diary(session_factory(engine))
    await fill(diary, ANN)
    rights = Rights(diary.sessions)
    snap = await rights.snapshot(ANN)
    assert snap is not None and snap.timezone == "Europe/Berlin"
    assert [m.message_id for m in snap.messages] == [1, 2]
    assert snap.messages[1].undone and len(snap.events) == 3 and len(snap.checkins) == 2
    index = {m.id: n for n, m in enumerate(snap.messages)}
    data = Restore(
        timezone=snap.timezone,
        from_user=ANN,
        messages=[
            RestoredMessage(m.chat_id, m.message_id, m.sent_at, m.edited_at, m.text, m.undone)
            for m in snap.messages
        ],
        events=[
            RestoredEvent(
                e.kind,
                e.at,
                e.name,
                e.quantity,
                e.severity,
                e.dose,
                e.known,
                index.get(e.source_id) if e.source_id else None,
            )
            for e in snap.events
        ],
    )
    assert await rights.restore(BOB, BOB, data) == 3
    copy = await rights.snapshot(BOB)
    assert copy is not None and copy.timezone == "Europe/Berlin"

    def shape(s: object) -> list[tuple[object, ...]]:
        texts = {m.id: m.text for m in s.messages}  # type: ignore[attr-defined]
        return [
            (e.kind, e.at, e.name, e.quantity, e.severity, e.dose, texts.get(e.source_id))
            for e in s.events
        ]  # type: ignore[attr-defined]

    assert shape(copy) == shape(snap)


async def test_restore_refuses_a_diary_that_is_not_empty(engine: AsyncEngine) -> None:
    diary = Diary(session_factory(engine))
    await fill(diary, ANN)
    event = RestoredEvent("food", T0, "apple", None, None, None)
    try:
        await Rights(diary.sessions).restore(ANN, ANN, Restore("UTC", events=[event]))
    except Exception as exc:
        assert type(exc).__name__ == "DiaryNotEmpty"
    else:
        raise AssertionError("restored over an existing diary")
    assert len(await diary.events_between(ANN)) == 3


async def test_update_ids_are_claimed_once_and_pruned(engine: AsyncEngine) -> None:
    ledger = UpdateLedger(session_factory(engine))
    assert await ledger.claim(7, now=T0)
    assert not await ledger.claim(7, now=T0)
    assert await ledger.claim(8, now=T0 + timedelta(days=5))
    assert await ledger.prune(now=T0 + timedelta(days=5)) == 1
    assert await ledger.claim(7)  # forgotten after the retention period


async def test_an_unfinished_claim_is_taken_over_after_its_lease(engine: AsyncEngine) -> None:
    """A process that died mid-update must not make the redelivered update disappear."""
    ledger = UpdateLedger(session_factory(engine))
    assert await ledger.claim(9, now=T0)
    assert not await ledger.claim(9, now=T0 + timedelta(seconds=30))  # maybe still in flight
    assert await ledger.claim(9, now=T0 + timedelta(minutes=3))  # its process is gone
    assert not await ledger.claim(9, now=T0 + timedelta(minutes=3, seconds=1))  # one winner
    await ledger.finish(9)
    assert await ledger.done(9)
    assert not await ledger.claim(9, now=T0 + timedelta(hours=1))  # done is never redone
