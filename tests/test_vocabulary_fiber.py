"""Fiber per serving and the gut-brain tags (ultra-processed, live-cultures) in the vocabulary."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.parsing.vocabulary import TAGS, Food, Vocabulary, VocabularyError

FULL_HEADER = "name,kind,parents,synonyms,brands,tags,caffeine_mg,source,plurals,serving,fiber_g\n"


def write(tmp_path: Path, body: str, header: str = FULL_HEADER) -> Path:
    path = tmp_path / "foods.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


# ---- the loader -------------------------------------------------------------------------------


def test_loader_reads_fiber_per_serving(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "fruit,category,,,,,,haven\n"
        "apple,food,fruit,,,,,haven,,1 medium (182 g),4.4\n"
        "beef,food,,,,,,haven,,1 portion (100 g),0\n"
        "mystery,food,,,,,,haven\n",
    )
    vocab = Vocabulary.from_csv(path)
    assert vocab.foods["apple"].fiber_g == pytest.approx(4.4)
    assert vocab.foods["apple"].serving == "1 medium (182 g)"
    assert vocab.foods["beef"].fiber_g == 0.0  # a known zero, not unknown
    assert vocab.foods["mystery"].fiber_g is None
    assert vocab.foods["fruit"].fiber_g is None  # not inherited: a category is its own serving


def test_loader_without_a_fiber_column_still_works(tmp_path: Path) -> None:
    header = "name,kind,parents,synonyms,brands,tags,caffeine_mg,source\n"
    vocab = Vocabulary.from_csv(write(tmp_path, "beer,drink,,,,,,haven\n", header))
    assert vocab.foods["beer"].fiber_g is None


@pytest.mark.parametrize("value", ["-1", "-0.5", "lots", "3 g", "nan", "inf", "1e9"])
def test_loader_rejects_a_bad_fiber_value(tmp_path: Path, value: str) -> None:
    with pytest.raises(VocabularyError) as caught:
        Vocabulary.from_csv(write(tmp_path, f"apple,food,,,,,,haven,,1 medium,{value}\n"))
    assert f"fiber_g {value!r} is not a number of grams, 0 to 1000" in str(caught.value)


def test_food_constructed_without_fiber_has_none() -> None:
    food = Food(name="x", kind="food", parents=(), tags=frozenset())
    assert food.fiber_g is None


def test_the_gut_brain_tags_exist_with_their_sources() -> None:
    assert "Monteiro" in TAGS["ultra-processed"]
    assert "NOVA" in TAGS["ultra-processed"]
    assert "live microbes" in TAGS["live-cultures"]


def test_loader_accepts_the_new_tags(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "cola,drink,,,,ultra-processed,,haven\nkefir,drink,,,,fermented|live-cultures,,haven\n",
    )
    vocab = Vocabulary.from_csv(path)
    assert vocab.with_tag("ultra-processed") == ["cola"]
    assert vocab.with_tag("live-cultures") == ["kefir"]
