"""A check-in answer that replaces what was typed that day, and a migraine that removes the day's
'no migraine', on SQLite and PostgreSQL: only the person's own entries of the named factors
inside the window go, never what the check-in logged itself, and a refusal deletes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

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


async def test_remove_no_migraine_only_in_the_window_and_not_kept(diary: Diary) -> None:
    await diary.ensure_user(BOB, BOB)
    inside, before = T0 - timedelta(hours=9), DAY[0] - timedelta(minutes=1)
    [kept, gone, _, _] = await diary.add_events(
        ANN,
        [
            NewEvent("no_migraine", inside),
            NewEvent("no_migraine", inside + timedelta(hours=1)),
            NewEvent("no_migraine", before),
            NewEvent("migraine_start", inside, severity=6),
        ],
    )
    await diary.add_events(BOB, [NewEvent("no_migraine", inside)])
    removed = await diary.remove_no_migraine(ANN, *DAY, keep={kept.id})
    assert [e.id for e in removed] == [gone.id]
    left = [(e.kind, e.at) for e in await diary.events_between(ANN)]
    assert left == [("no_migraine", before), ("no_migraine", inside), ("migraine_start", inside)]
    assert await diary.remove_no_migraine(ANN, *DAY, keep={kept.id}) == []
    assert len(await diary.remove_no_migraine(ANN, *DAY)) == 1
    assert [e.kind for e in await diary.events_between(BOB)] == ["no_migraine"]
