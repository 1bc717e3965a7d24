"""A check-in answer that replaces what was typed that day, and a migraine that removes the day's
'no migraine', on SQLite and PostgreSQL: only the person's own entries of the named factors
inside the window go, never what the check-in logged itself, and a refusal deletes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from storage import Diary, NewEvent
from storage.settings import CheckInSettings
from tests.storage.test_settings import ANN, BOB, T0, checkin, stress

DAY = (T0 - timedelta(hours=21), T0 + timedelta(hours=3))  # 2026-11-24, UTC


def factor(name: str, at: datetime, value: float | None = None) -> NewEvent:
    return NewEvent("factor", at, name=name, value=value)


async def test_answer_over_replaces_typed_entries_of_the_day(diary: Diary) -> None:
    store = CheckInSettings(diary.sessions)
    nudge = await checkin(diary, ANN)
    await diary.ensure_user(BOB, BOB)
    await diary.add_events(
        ANN,
        [
            factor("stress", T0 - timedelta(hours=11), 2),  # typed that morning
            factor("stress", T0 + timedelta(hours=4), 3),  # the next day: kept
            factor("sleep_hours", T0 - timedelta(hours=14), 5),  # another factor: kept
        ],
    )
    await diary.add_events(BOB, [factor("stress", T0 - timedelta(hours=1), 5)])  # not Ann's
    assert await store.answered(nudge) == {}

    outcome, removed = await store.answer_over(
        nudge, ANN, "stress", "4", stress(4), T0, replaces=("stress",), start=DAY[0], end=DAY[1]
    )
    assert outcome == "saved" and [(e.name, e.value) for e in removed] == [("stress", 2.0)]
    [(choice, event_id)] = (await store.answered(nudge)).values()
    assert choice == "4" and event_id is not None
    # Its own event is not "typed": the same tap again changes nothing.
    again = await store.answer_over(
        nudge, ANN, "stress", "4", stress(4), T0, replaces=("stress",), start=DAY[0], end=DAY[1]
    )
    assert again == ("unchanged", [])
    assert [(e.name, e.value) for e in await diary.events_between(ANN)] == [
        ("sleep_hours", 5.0),
        ("stress", 4.0),
        ("stress", 3.0),
    ]
    assert [e.value for e in await diary.events_between(BOB)] == [5.0]

    # Typed after the answer, then the same answer tapped: the typed one goes, 'saved'.
    await diary.add_events(ANN, [factor("stress", T0 + timedelta(minutes=30), 1)])
    outcome, removed = await store.answer_over(
        nudge, ANN, "stress", "4", stress(4), T0, replaces=("stress",), start=DAY[0], end=DAY[1]
    )
    assert outcome == "saved" and [e.value for e in removed] == [1.0]
    assert (await store.answered(nudge))["stress"][1] == event_id  # its own event untouched


async def test_answer_over_refused_deletes_nothing(diary: Diary) -> None:
    store = CheckInSettings(diary.sessions)
    nudge = await checkin(diary, ANN)
    await diary.ensure_user(BOB, BOB)
    await diary.add_events(ANN, [factor("stress", T0 - timedelta(hours=2), 2)])
    refused = await store.answer_over(
        nudge, BOB, "stress", "4", stress(4), T0, replaces=("stress",), start=DAY[0], end=DAY[1]
    )
    assert refused == ("refused", [])
    assert [e.value for e in await diary.events_between(ANN)] == [2.0]
    assert await diary.events_between(BOB) == []


async def test_a_migraine_clears_its_local_days_no_migraine_but_not_its_own(
    diary: Diary,
) -> None:
    """Only the person's 'no migraine' entries of the migraine's local day (New York) go, in the
    recording transaction, and never one the same message says itself."""
    await diary.ensure_user(ANN, ANN)
    await diary.ensure_user(BOB, BOB)
    ny = ZoneInfo("America/New_York")
    tuesday = datetime(2026, 11, 24, 8, tzinfo=ny)
    before = datetime(2026, 11, 23, 23, 59, tzinfo=ny)  # Monday, local: kept
    [gone] = await diary.add_events(ANN, [NewEvent("no_migraine", tuesday)])
    await diary.add_events(ANN, [NewEvent("no_migraine", before)])
    await diary.add_events(BOB, [NewEvent("no_migraine", tuesday)])
    recorded = await diary.record_message(
        user_id=ANN,
        chat_id=ANN,
        message_id=1,
        sent_at=T0,
        text="no migraine this morning, migraine started at 7pm",
        events=[
            NewEvent("no_migraine", tuesday + timedelta(hours=1)),
            NewEvent("migraine_start", tuesday + timedelta(hours=11), severity=6),
        ],
        tz=ny,
    )
    assert [e.id for e in recorded.cleared] == [gone.id]
    left = [(e.kind, e.at) for e in await diary.events_between(ANN)]
    assert left == [
        ("no_migraine", before),
        ("no_migraine", tuesday + timedelta(hours=1)),
        ("migraine_start", tuesday + timedelta(hours=11)),
    ]
    assert [e.kind for e in await diary.events_between(BOB)] == ["no_migraine"]
