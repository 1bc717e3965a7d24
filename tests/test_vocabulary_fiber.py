"""Fiber per serving and the gut-brain tags (ultra-processed, live-cultures) in the vocabulary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.parsing import parse_message
from bot.parsing.cases import load_cases
from bot.parsing.vocabulary import DATA_FILE, TAGS, Food, Vocabulary, VocabularyError

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


@pytest.mark.parametrize("value", ["-5", "nan", "inf", "1e9", "strong"])
def test_loader_rejects_a_bad_caffeine_value(tmp_path: Path, value: str) -> None:
    with pytest.raises(VocabularyError) as caught:
        Vocabulary.from_csv(write(tmp_path, f"espresso,drink,,,,,{value},haven,,1 shot,0\n"))
    assert f"caffeine_mg {value!r} is not a number" in str(caught.value)


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


def test_a_row_can_drop_an_inherited_tag(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "yogurt,category,,,,fermented|live-cultures,,haven\n"
        "kadhi,category,yogurt,,,-live-cultures,,haven\n"
        "kadhi pakora,food,kadhi,,,,,haven\n"
        "raita,food,yogurt,,,,,haven\n",
    )
    vocab = Vocabulary.from_csv(path)
    assert vocab.foods["kadhi"].tags == {"fermented"}
    assert vocab.foods["kadhi"].own_tags == frozenset()
    assert vocab.foods["kadhi pakora"].tags == {"fermented"}  # children inherit the drop
    assert vocab.foods["raita"].tags == {"fermented", "live-cultures"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("apple,food,,,,-citrus,,haven\n", "drops tag 'citrus', not inherited"),
        ("apple,food,,,,-sour,,haven\n", "unknown tag '-sour'"),
        (
            "fruit,category,,,,citrus,,haven\nlime,food,fruit,,,citrus|-citrus,,haven\n",
            "both has and drops tag 'citrus'",
        ),
        ("apple,food,,,,,,haven,,1 medium,4.4,9003\n", "fiber_ndb '9003' is not a 5-digit"),
        ("apple,food,,,,,,haven,,1 medium,,09003\n", "fiber_ndb '09003' without a fiber_g"),
    ],
)
def test_loader_rejects_bad_tags_and_references(tmp_path: Path, body: str, message: str) -> None:
    header = FULL_HEADER.rstrip("\n") + ",fiber_ndb\n"
    with pytest.raises(VocabularyError) as caught:
        Vocabulary.from_csv(write(tmp_path, body, header))
    assert message in str(caught.value)


def test_fiber_coverage_counts_servings_resolving_to_a_food_with_fiber(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "apple,food,,apples,,,,haven,,1 medium (182 g),4.4\n"
        "toast,food,,,,,,haven\n"
        "beef,food,,,,,,haven,,1 portion,0\n",
    )
    vocab = Vocabulary.from_csv(path)
    assert vocab.fiber_coverage(["apple", "apples", "beef", "toast"]) == pytest.approx(0.75)
    assert vocab.fiber_coverage(["apple", "dragon fruit"]) == pytest.approx(0.5)  # unknown food
    assert vocab.fiber_coverage([]) == 0.0


# ---- the shipped data -------------------------------------------------------------------------

FIBER_SOURCES = {"usda-sr28", "fiber-estimate", "fiber-zero"}
GRAMS = re.compile(r"(\d+(?:\.\d+)?) g\b")


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_csv(DATA_FILE)


def fiber(vocab: Vocabulary, phrase: str) -> float:
    food = vocab.lookup(phrase)
    assert food is not None, phrase
    assert food.fiber_g is not None, phrase
    return food.fiber_g


@pytest.mark.parametrize(
    ("phrase", "low", "high"),
    [
        ("apple", 3.0, 6.0),  # one medium apple
        ("banana", 2.0, 4.0),
        ("pear", 4.0, 7.0),
        ("raspberries", 6.0, 10.0),  # a cup
        ("lentils", 5.0, 20.0),
        ("chickpeas", 5.0, 15.0),
        ("baked beans", 4.0, 10.0),
        ("white rice", 0.0, 2.0),  # a cup cooked
        ("porridge", 3.0, 6.0),
        ("weetabix", 3.0, 5.0),
        ("almonds", 2.5, 5.0),  # an ounce
        ("broccoli", 1.5, 5.0),
        ("crisps", 0.5, 2.0),
        ("slice of bread", 0.5, 2.5),
        ("wholemeal toast", 1.5, 3.0),  # a slice: more than white bread's 0.7
        ("brown rice", 2.5, 4.5),  # a cup cooked: more than white rice's 0.6
        ("dark chocolate", 2.0, 4.0),
    ],
)
def test_fiber_anchors_are_plausible(
    vocab: Vocabulary, phrase: str, low: float, high: float
) -> None:
    assert low <= fiber(vocab, phrase) <= high


@pytest.mark.parametrize(
    "phrase",
    [
        "cheese",
        "cheddar",
        "parmesan",
        "steak",
        "chicken",
        "bacon",
        "salmon",
        "eggs",
        "milk",
        "red wine",
        "merlot",
        "beer",
        "vodka",
        "coffee",
        "tea",
        "cola",
        "water",
        "butter",
        "sugar",
    ],
)
def test_foods_without_plant_material_have_zero_fiber(vocab: Vocabulary, phrase: str) -> None:
    assert fiber(vocab, phrase) == 0


def test_every_fiber_value_states_its_serving_and_source(vocab: Vocabulary) -> None:
    for food in vocab.foods.values():
        if food.fiber_g is None:
            assert not FIBER_SOURCES & set(food.source), food.name
            continue
        assert food.serving, f"{food.name}: fiber_g without a serving"
        assert food.fiber_g == round(food.fiber_g, 1), f"{food.name}: more than one decimal"
        sources = FIBER_SOURCES & set(food.source)
        assert len(sources) == 1, (food.name, food.source)
        assert (food.fiber_ndb is not None) == ("usda-sr28" in sources), food.name
        if "fiber-zero" in sources:
            assert food.fiber_g == 0, food.name


def test_sr28_figures_name_their_grams_and_are_physically_possible(vocab: Vocabulary) -> None:
    for food in vocab.foods.values():
        if food.fiber_ndb is None or not food.fiber_g:
            continue
        grams = GRAMS.findall(food.serving or "")
        assert grams, f"{food.name}: SR28 fiber but no grams in {food.serving!r}"
        # No food here is more than a third fiber by weight (chia seeds, the most, are 34 %).
        assert food.fiber_g <= 0.35 * float(grams[-1]), (food.name, food.fiber_g, food.serving)


def test_fiber_coverage_of_the_vocabulary(vocab: Vocabulary) -> None:
    foods = [f for f in vocab.foods.values() if not f.is_category]
    measured = sum(f.fiber_g is not None for f in foods) / len(foods)
    assert measured >= 0.96  # 837 of 859 (97.4 %) when written
    every = list(vocab.foods.values())
    assert sum(f.fiber_g is not None for f in every) / len(every) >= 0.95  # 926 of 959 (96.6 %)


def test_fiber_coverage_of_what_the_parser_logs(vocab: Vocabulary) -> None:
    names = [
        event.name
        for case in load_cases()
        for event in parse_message(case.text, case.now, case.tz, vocab).events
        if event.kind == "food" and event.name
    ]
    assert len(names) >= 200
    assert vocab.fiber_coverage(names) >= 0.97  # 225 of 225 when written


LIVE_CULTURES = {
    "yogurt",
    "greek yogurt",
    "skyr",
    "diet yogurt",
    "frozen yogurt",
    "raita",
    "shrikhand",
    "curd rice",
    "plant-based yogurt",
    "kefir",
    "lassi",
    "buttermilk",
    "probiotic drink",
    "kombucha",
    "kimchi",
    "sauerkraut",
    "miso",
}


def test_live_cultures_are_exactly_the_foods_eaten_with_live_microbes(vocab: Vocabulary) -> None:
    assert set(vocab.with_tag("live-cultures")) == LIVE_CULTURES
    for phrase in ("yoghurt", "curd", "kefir", "kimchi", "sauerkraut", "kombucha", "lassi"):
        assert "live-cultures" in vocab.lookup(phrase).tags, phrase  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "name",
    [
        "sourdough",
        "soy sauce",
        "vinegar",
        "idli",
        "dosa",
        "tempeh",
        "kadhi",
        "cheddar",
        "beer",
        "pickle",
        "salami",
    ],
)
def test_cooked_or_microbe_free_fermented_foods_are_not_live_cultures(
    vocab: Vocabulary, name: str
) -> None:
    assert "live-cultures" not in vocab.foods[name].tags
    if name not in {"cheddar", "beer"}:
        assert "fermented" in vocab.foods[name].tags  # still fermented in the migraine sense


@pytest.mark.parametrize(
    "phrase",
    [
        "coke",
        "diet coke",
        "red bull",
        "crisps",
        "doritos",
        "instant noodles",
        "pot noodle",
        "chicken nuggets",
        "fish fingers",
        "hot dog",
        "snickers",
        "haribo",
        "cornflakes",
        "ketchup",
        "margarine",
        "vodka",
        "ice cream",
    ],
)
def test_ultra_processed_foods(vocab: Vocabulary, phrase: str) -> None:
    food = vocab.lookup(phrase)
    assert food is not None, phrase
    assert "ultra-processed" in food.tags, (phrase, food.name)


@pytest.mark.parametrize(
    "phrase",
    [
        "apple",
        "natural yogurt",
        "lentils",
        "porridge",
        "milk",
        "chicken",
        "rice",
        "broccoli",
        "red wine",
        "beer",
        "sweet tea",
        "mimosa",
        "kulfi",
        "shortbread",
        "kefir",
        "cheddar",
        "honey",
    ],
)
def test_minimally_processed_foods_are_not_ultra_processed(vocab: Vocabulary, phrase: str) -> None:
    food = vocab.lookup(phrase)
    assert food is not None, phrase
    assert "ultra-processed" not in food.tags, (phrase, food.name)
