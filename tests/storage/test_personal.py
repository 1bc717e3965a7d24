"""Personal food words in storage, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import inspect

from storage import Diary
from storage.personal import FoodCount, PersonalFoods
from storage.rights import Rights
from tests.storage.test_diary import T0, Item, log

ANN, BOB = 10, 20


async def test_migration_creates_the_table_with_its_unique_key(engine) -> None:
    async with engine.connect() as conn:
        uniques = await conn.run_sync(lambda c: inspect(c).get_unique_constraints("personal_foods"))
    assert [u["column_names"] for u in uniques] == [["user_id", "phrase"]]


async def people(diary: Diary) -> PersonalFoods:
    for user in (ANN, BOB):
        await diary.ensure_user(user, user)
    return PersonalFoods(diary.sessions)


async def test_teaching_twice_replaces_the_entry(diary: Diary) -> None:
    store = await people(diary)
    await store.teach(ANN, "joe", "coffee", "synonym", refile=(), name="coffee")
    await store.teach(ANN, "joe", "tea", "synonym", refile=(), name="tea")
    await store.teach(BOB, "joe", "cola", "synonym", refile=(), name="cola")
    [ann] = await store.entries(ANN)
    assert (ann.phrase, ann.target, ann.kind) == ("joe", "tea", "synonym")
    assert [e.target for e in await store.entries(BOB)] == ["cola"]


async def test_teaching_refiles_only_that_persons_unknown_entries(diary: Diary) -> None:
    store = await people(diary)
    unknown = Item("food", T0, "switchel", known=False)
    await log(diary, 1, unknown, unknown, Item("food", T0, "cheese"), user=ANN)
    await log(diary, 2, Item("food", T0, "switchel", known=False), user=BOB)
    updated = await store.teach(
        ANN, "switchel", "soft drink", "food", refile={"switchel"}, name="switchel"
    )
    assert updated == 2
    assert [(e.name, e.known) for e in await diary.events_between(ANN)] == [
        ("switchel", True),
        ("switchel", True),
        ("cheese", True),
    ]
    assert [(e.name, e.known) for e in await diary.events_between(BOB)] == [("switchel", False)]


async def test_a_synonym_renames_the_refiled_entries(diary: Diary) -> None:
    store = await people(diary)
    await log(diary, 1, Item("food", T0, "my usual", known=False), user=ANN)
    updated = await store.teach(
        ANN, "my usual", "flat white", "synonym", refile={"my usual"}, name="flat white"
    )
    assert updated == 1
    assert [(e.name, e.known) for e in await diary.events_between(ANN)] == [("flat white", True)]


async def test_forgetting_an_own_food_makes_its_entries_unknown_again(diary: Diary) -> None:
    store = await people(diary)
    await store.teach(ANN, "switchel", "soft drink", "food", refile=(), name="switchel")
    await log(diary, 1, Item("food", T0, "switchel"), user=ANN)
    entry, unknown = await store.forget(ANN, "switchel")
    assert entry is not None and entry.phrase == "switchel" and unknown == 1
    assert await store.entries(ANN) == []
    assert [e.known for e in await diary.events_between(ANN)] == [False]
    assert await store.forget(ANN, "switchel") == (None, 0)


async def test_food_counts_most_frequent_first(diary: Diary) -> None:
    store = await people(diary)
    cheese = Item("food", T0, "cheese")
    await log(diary, 1, cheese, cheese, Item("food", T0, "red wine", 3), user=ANN)
    await log(diary, 2, Item("food", T0, "switchel", known=False), user=ANN)
    await log(diary, 3, Item("migraine_start", T0, severity=5), cheese, user=ANN)
    await log(diary, 4, cheese, user=BOB)
    assert await store.food_counts(ANN) == [
        FoodCount("cheese", True, 3),
        FoodCount("red wine", True, 1),
        FoodCount("switchel", False, 1),
    ]


async def test_erase_removes_the_persons_words_and_nobody_elses(diary: Diary) -> None:
    store = await people(diary)
    await store.teach(ANN, "joe", "coffee", "synonym", refile=(), name="coffee")
    await store.teach(BOB, "joe", "coffee", "synonym", refile=(), name="coffee")
    counts = await Rights(diary.sessions).erase(ANN)
    assert counts["personal_foods"] == 1
    assert await store.entries(ANN) == []
    assert [e.phrase for e in await store.entries(BOB)] == ["joe"]
