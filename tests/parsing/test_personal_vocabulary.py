"""A person's vocabulary: the shipped one plus their own words, without touching anyone else's."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.parsing import parse_message
from bot.parsing.personal import raw_names
from bot.parsing.vocabulary import PersonalEntry, default_vocabulary

NOW = datetime(2026, 11, 24, 12, 40, tzinfo=UTC)
ENTRIES = (
    PersonalEntry("switchel", "soft drink", "food"),
    PersonalEntry("my usual", "flat white", "synonym"),
    PersonalEntry("coke", "diet cola", "synonym"),
)


def foods(text: str, vocabulary: object = None) -> list[tuple[str | None, bool]]:
    parsed = parse_message(text, NOW, ZoneInfo("UTC"), vocabulary)  # type: ignore[arg-type]
    return [(e.name, e.known) for e in parsed.events]


def test_own_words_are_understood_only_through_the_overlay() -> None:
    shipped = default_vocabulary()
    mine = shipped.with_personal(ENTRIES)
    assert foods("had switchel and a coke", mine) == [("switchel", True), ("diet cola", True)]
    assert foods("had switchel and a coke") == [("switchel", False), ("cola", True)]
    assert foods("had my usual", mine) == [("flat white", True)]
    assert shipped.lookup("switchel") is None and "switchel" not in shipped.foods


def test_an_own_food_sits_under_its_category_for_the_analysis() -> None:
    mine = default_vocabulary().with_personal(ENTRIES)
    switchel = mine.foods["switchel"]
    assert switchel.parents == ("soft drink",) and switchel.kind == "drink"
    assert mine.ancestors("switchel") == ["soft drink"]
    category_map = mine.category_map()
    assert category_map["switchel"] == ["soft drink"]
    assert category_map["merlot"] == default_vocabulary().category_map()["merlot"]
    assert "switchel" not in default_vocabulary().category_map()


def test_plurals_of_own_words_and_shipped_phrases_still_work() -> None:
    mine = default_vocabulary().with_personal(ENTRIES)
    assert foods("drank 2 switchels", mine) == [("switchel", True)]
    assert foods("had cheese and red wine", mine) == [("cheese", True), ("red wine", True)]


def test_the_overlay_is_cheap_and_shares_the_shipped_indexes() -> None:
    shipped = default_vocabulary()
    start = time.perf_counter()
    for _ in range(100):
        mine = shipped.with_personal(ENTRIES)
    per_overlay = (time.perf_counter() - start) / 100
    assert mine._phrases is shipped._phrases and mine._index is shipped._index
    assert per_overlay < 0.005  # a full load takes ~100x longer


def test_an_entry_whose_target_no_longer_exists_is_ignored() -> None:
    mine = default_vocabulary().with_personal([PersonalEntry("zog", "no such food", "synonym")])
    assert mine.lookup("zog") is None


def test_raw_names_are_what_the_parser_logged_unknown_words_as() -> None:
    assert {"switchel", "switchels"} <= raw_names("Switchels")
    assert "my usual" in raw_names("my usual")


def test_the_shipped_cache_of_an_unknown_name_does_not_hide_an_own_food() -> None:
    shipped = default_vocabulary()
    assert shipped.ancestors("zwitchel") == []  # cached as having no categories
    mine = shipped.with_personal([PersonalEntry("zwitchel", "soft drink", "food")])
    assert mine.ancestors("zwitchel") == ["soft drink"]
