"""The shipped food vocabulary: size, lookups, category tree, tags, fuzzy care, loader checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.parsing.vocabulary import (
    DATA_FILE,
    SOURCES,
    TAGS,
    Vocabulary,
    VocabularyError,
    default_vocabulary,
    phrase_variants,
    plurals,
    singular,
    words_of,
)

HEADER = "name,kind,parents,synonyms,brands,tags,caffeine_mg,source\n"


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_csv(DATA_FILE)


def name_of(vocab: Vocabulary, text: str, *, fuzzy: bool = True) -> str | None:
    """The food a whole phrase resolves to (None unless the match covers every word)."""
    words = words_of(text)
    found = vocab.match_at(words, 0, fuzzy=fuzzy)
    return found.food.name if found and found.length == len(words) else None


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "foods.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


# ---- size and shape -------------------------------------------------------------------------


def test_at_least_800_foods_and_drinks(vocab: Vocabulary) -> None:
    foods = [f for f in vocab.foods.values() if f.kind != "category"]
    assert len(foods) >= 800


def test_default_vocabulary_is_loaded_once() -> None:
    assert default_vocabulary() is default_vocabulary()
    assert len(default_vocabulary()) >= 800


def test_every_food_has_a_known_kind_source_and_tags(vocab: Vocabulary) -> None:
    for food in vocab.foods.values():
        assert food.kind in {"food", "drink", "category"}, food.name
        assert food.source and set(food.source) <= set(SOURCES), food.name
        assert food.tags <= set(TAGS), food.name
        assert food.name == " ".join(words_of(food.name)), food.name


def test_caffeine_figures_say_where_they_came_from(vocab: Vocabulary) -> None:
    with_mg = [f for f in vocab.foods.values() if f.caffeine_mg is not None]
    assert len(with_mg) >= 20
    for food in with_mg:
        mg = food.caffeine_mg or 0.0
        assert food.serving, f"{food.name}: caffeine_mg without a serving"
        # Trace amounts (decaf 2 mg, hot chocolate 5 mg) are recorded but not tagged.
        assert ("caffeine" in food.tags) == (mg >= 9), food.name


def test_no_phrase_collisions_in_the_shipped_data(vocab: Vocabulary) -> None:
    # The loader refuses collisions; check the result independently of that code path.
    seen: dict[tuple[str, ...], str] = {}
    for food in vocab.foods.values():
        for phrase in (food.name, *food.synonyms, *food.brands):
            key = tuple(w.replace("'", "") for w in words_of(phrase))
            assert seen.setdefault(key, food.name) == food.name, (phrase, seen[key], food.name)


# ---- plain words people log ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cheese", "cheese"),
        ("wine", "wine"),
        ("chocolate", "chocolate"),
        ("meat", "meat"),
        ("fruit", "fruit"),
        ("salad", "salad"),
        ("curry", "curry"),
        ("dal", "dal"),
        ("dhal", "dal"),
        ("roti", "roti"),
        ("chapati", "roti"),
        ("naan", "naan"),
        ("paneer", "paneer"),
        ("biryani", "biryani"),
        ("samosa", "samosa"),
        ("chai", "chai"),
        ("crisps", "crisps"),
        ("chips", "crisps"),
        ("french fries", "fries"),
        ("fish and chips", "fish and chips"),
        ("wholemeal toast", "wholemeal bread"),
        ("brown bread", "wholemeal bread"),
        ("toast", "bread"),
        ("brown rice", "brown rice"),
        ("basmati rice", "rice"),
        ("toastie", "toastie"),
        ("bday cake", "birthday cake"),
        ("cup of joe", "coffee"),
        ("joe", "coffee"),
        ("glass of red", "red wine"),
        ("cuppa", "tea"),
        ("shepherd's pie", "cottage pie"),
        ("shepherds pie", "cottage pie"),
        ("Rosé wine", "rose wine"),
        ("jalapeño", "chilli pepper"),
    ],
)
def test_plain_words_resolve(vocab: Vocabulary, text: str, expected: str) -> None:
    assert name_of(vocab, text, fuzzy=False) == expected


def test_a_main_with_chips_is_not_one_phrase(vocab: Vocabulary) -> None:
    # "burger and chips" is two foods, burger and fries (the parser reads the chips as fries)
    for text in ("burger and chips", "burger and fries", "steak and chips"):
        assert name_of(vocab, text, fuzzy=False) is None, text


def test_loggable_categories(vocab: Vocabulary) -> None:
    for name in ("cheese", "wine", "chocolate", "meat", "curry", "coffee", "tea"):
        assert vocab.foods[name].is_category
        assert vocab.lookup(name) is vocab.foods[name]


# ---- longest match, brands, plurals ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "length"),
    [
        ("red wine tonight", "red wine", 2),
        ("white wine", "white wine", 2),
        ("dark chocolate bar", "dark chocolate", 2),
        ("milk chocolate", "milk chocolate", 2),
        ("diet coke", "diet cola", 2),
        ("orange juice", "orange juice", 2),
        ("cheese on toast", "cheese on toast", 3),
        ("chicken tikka masala", "chicken tikka masala", 3),
    ],
)
def test_multi_word_names_win(vocab: Vocabulary, text: str, expected: str, length: int) -> None:
    found = vocab.match_at(words_of(text), 0)
    assert found is not None
    assert (found.food.name, found.length, found.exact) == (expected, length, True)


def test_container_phrases_give_way_to_longer_foods(vocab: Vocabulary) -> None:
    assert name_of(vocab, "glass of red") == "red wine"
    assert vocab.match_at(words_of("glass of red bull"), 0) is None
    found = vocab.match_at(words_of("glass of red bull"), 2)
    assert found is not None and found.food.name == "energy drink"
    assert vocab.match_at(words_of("slice of lemon cake"), 0) is None
    assert name_of(vocab, "cup of joe") == "coffee"


@pytest.mark.parametrize(
    ("brand", "expected"),
    [
        ("Coke", "cola"),
        ("Coca-Cola", "cola"),
        ("coca cola", "cola"),
        ("Diet Coke", "diet cola"),
        ("Pepsi Max", "diet cola"),
        ("Red Bull", "energy drink"),
        ("Monster", "energy drink"),
        ("Nutella", "chocolate spread"),
        ("Guinness", "stout"),
        ("Marmite", "yeast extract"),
        ("Maggi", "instant noodles"),
        ("Doritos", "tortilla chips"),
        ("Cadbury Dairy Milk", "milk chocolate"),
        ("KitKat", "chocolate wafer bar"),
        ("M&Ms", "chocolate sweets"),
        ("Canderel", "aspartame"),
        ("Splenda", "sucralose"),
        ("Müller Light", "diet yogurt"),
        ("PG Tips", "tea"),
        ("Haldiram's", "namkeen"),
    ],
)
def test_brands(vocab: Vocabulary, brand: str, expected: str) -> None:
    assert name_of(vocab, brand, fuzzy=False) == expected
    listed = {" ".join(words_of(b)).replace("'", "") for b in vocab.foods[expected].brands}
    assert " ".join(words_of(brand)).replace("'", "") in listed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("loaves", "bread"),
        ("potatoes", "potato"),
        ("cherries", "cherry"),
        ("fish", "fish"),
        ("coffees", "coffee"),
        ("beers", "beer"),
        ("sandwiches", "sandwich"),
        ("peaches", "peach"),
        ("cookies", "biscuit"),
        ("brownies", "brownie"),
        ("samosas", "samosa"),
        ("mangoes", "mango"),
        ("mangos", "mango"),
        ("chillies", "chilli pepper"),
        ("octopi", "octopus"),
        ("red wines", "red wine"),
        ("ice-cream", "ice cream"),
    ],
)
def test_plurals(vocab: Vocabulary, text: str, expected: str) -> None:
    assert name_of(vocab, text, fuzzy=False) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("merlots", "merlot"),
        ("espresso martinis", "espresso martini"),
        ("chicken tikka masalas", "chicken tikka masala"),
        ("veg samosas", "samosa"),
        ("bacon sarnies", "bacon sandwich"),
        ("banana muffins", "muffin"),
        ("key lime pies", "key lime pie"),
        ("dark chocolates", "dark chocolate"),
        ("peach teas", None),
    ],
)
def test_regular_plurals_not_listed_in_the_data(
    vocab: Vocabulary, text: str, expected: str | None
) -> None:
    # Precondition: the plural is worked out by the matcher, not listed as a synonym.
    assert tuple(words_of(text)) not in vocab.phrases()
    assert name_of(vocab, text, fuzzy=False) == expected


@pytest.mark.parametrize(
    ("plural", "single"),
    [
        ("cookies", "cookie"),
        ("pies", "pie"),
        ("cherries", "cherry"),
        ("potatoes", "potato"),
        ("shoes", "shoe"),
        ("sandwiches", "sandwich"),
        ("loaves", "loaf"),
        ("hummus", "hummus"),
        ("glass", "glass"),
        ("cups", "cup"),
    ],
)
def test_singular(plural: str, single: str) -> None:
    assert singular(plural) == single


def test_plural_forms_and_variants() -> None:
    assert plurals("cherry") == ["cherries", "cherrys"]
    assert "mangoes" in plurals("mango")
    assert ("ice-cream",) in set(phrase_variants(("ice", "cream")))
    assert ("coca", "cola") in set(phrase_variants(("coca-cola",)))


# ---- category tree and tags -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "chain"),
    [
        ("merlot", ["red wine", "wine", "alcohol"]),
        ("cheddar", ["aged cheese", "cheese", "dairy"]),
        ("bacon", ["processed meat", "meat"]),
        ("coffee", ["caffeinated drink"]),
        ("birthday cake", ["cake", "baked good", "dessert"]),
    ],
)
def test_ancestors_nearest_first(vocab: Vocabulary, name: str, chain: list[str]) -> None:
    assert vocab.ancestors(name)[: len(chain)] == chain


def test_category_map_is_plain_data_for_analysis(vocab: Vocabulary) -> None:
    mapping = vocab.category_map()
    assert mapping["merlot"] == ["red wine", "wine", "alcohol"]
    assert set(mapping) == set(vocab.foods)
    assert all(isinstance(v, list) for v in mapping.values())
    assert "merlot" in vocab.descendants("alcohol")


@pytest.mark.parametrize(
    ("name", "tags"),
    [
        ("red wine", {"alcohol", "histamine"}),
        ("merlot", {"alcohol"}),
        ("lager", {"alcohol"}),
        ("coffee", {"caffeine"}),
        ("tea", {"caffeine"}),
        ("cola", {"caffeine"}),
        ("diet cola", {"caffeine", "aspartame", "sweetener"}),
        ("energy drink", {"caffeine"}),
        ("cheddar", {"tyramine"}),
        ("parmesan", {"tyramine"}),
        ("blue cheese", {"tyramine"}),
        ("bacon", {"nitrite"}),
        ("salami", {"nitrite", "tyramine"}),
        ("hot dog", {"nitrite"}),
        ("msg", {"msg"}),
        ("instant noodles", {"msg"}),
        ("chocolate", {"chocolate"}),
        ("dark chocolate", {"chocolate", "caffeine"}),
        ("orange", {"citrus"}),
        ("orange juice", {"citrus"}),
        ("lemon", {"citrus"}),
        ("sauerkraut", {"fermented", "tyramine"}),
        ("kimchi", {"fermented"}),
        ("soy sauce", {"fermented", "tyramine"}),
        ("smoked salmon", {"histamine"}),
        ("tuna", {"histamine"}),
        ("yogurt", {"fermented"}),
        ("aspartame", {"aspartame", "sweetener"}),
    ],
)
def test_trigger_tags(vocab: Vocabulary, name: str, tags: set[str]) -> None:
    assert tags <= vocab.foods[name].tags


@pytest.mark.parametrize(
    ("name", "absent"),
    [
        ("decaf coffee", "caffeine"),
        ("herbal tea", "caffeine"),
        ("white chocolate", "caffeine"),
        ("mozzarella", "tyramine"),
        ("chicken", "nitrite"),
        ("alcohol-free beer", "alcohol"),
        ("water", "caffeine"),
    ],
)
def test_tags_are_not_over_inherited(vocab: Vocabulary, name: str, absent: str) -> None:
    assert absent not in vocab.foods[name].tags


def test_caffeine_per_serving(vocab: Vocabulary) -> None:
    assert vocab.foods["coffee"].caffeine_mg == 95
    assert vocab.foods["espresso"].caffeine_mg == 63
    assert vocab.foods["tea"].caffeine_mg == 47
    assert vocab.foods["cola"].caffeine_mg == 34
    assert vocab.foods["energy drink"].caffeine_mg == 80
    assert vocab.foods["decaf coffee"].caffeine_mg == 2


# ---- fuzzy matching, with care --------------------------------------------------------------


@pytest.mark.parametrize("word", ["ham", "beef", "beer", "tea", "pie", "jam", "rum"])
def test_short_words_match_exactly(vocab: Vocabulary, word: str) -> None:
    found = vocab.match_at([word], 0)
    assert found is not None and found.exact and found.food.name == word


@pytest.mark.parametrize("word", ["hame", "bef", "beeer", "tee", "pye", "jamm", "rumm", "cofe"])
def test_short_misspellings_are_not_guessed(vocab: Vocabulary, word: str) -> None:
    assert vocab.match_at([word], 0) is None


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("chese", "cheese"),
        ("capuccino", "cappuccino"),
        ("chocolat", "chocolate"),
        ("brocoli", "broccoli"),
        ("brocolli", "broccoli"),
        ("sandwhich", "sandwich"),
        ("sandwhiches", "sandwich"),
        ("chedar", "cheddar"),
        ("bannana", "banana"),
        ("coffe", "coffee"),
        ("expresso", "espresso"),
        ("lasagnia", "lasagne"),
    ],
)
def test_misspellings_are_corrected(vocab: Vocabulary, typo: str, expected: str) -> None:
    found = vocab.match_at([typo], 0)
    assert found is not None
    assert (found.food.name, found.exact) == (expected, False)


def test_misspelt_multi_word_names(vocab: Vocabulary) -> None:
    found = vocab.match_at(words_of("dark chocolat"), 0)
    assert found is not None and (found.food.name, found.length) == ("dark chocolate", 2)
    found = vocab.match_at(words_of("milk chocolat please"), 0)
    assert found is not None and (found.food.name, found.length) == ("milk chocolate", 2)
    found = vocab.match_at(words_of("ham sandwhich"), 0)
    assert found is not None and found.food.name == "ham sandwich"


NOT_FOOD = words_of("""
pretty started migraine morning yesterday today tonight after bunch green picked place young
sweet mouse model match latter brand america claims stays lives hands costs cover better cheers
water later salad headache nausea tired slept period tablet sumatriptan ibuprofen paracetamol
really having halving starting stressed weather meeting office shopping cooking dinner lunch
because probably slightly terrible horrible awful feeling feels thanks hello friday weekend
""")


@pytest.mark.parametrize("word", NOT_FOOD)
def test_everyday_words_never_fuzz_into_foods(vocab: Vocabulary, word: str) -> None:
    found = vocab.match_at([word], 0)
    assert found is None or found.exact, f"{word!r} became {found.food.name!r}"


@pytest.mark.parametrize(
    "word",
    ["started", "pretty", "migraine", "morning", "yesterday", "water", "better", "cheers", "later"],
)
def test_matching_rules_alone_keep_everyday_words_out(vocab: Vocabulary, word: str) -> None:
    # Without the never-fuzzy list, length, cutoff and first-letter rules must still hold.
    bare = Vocabulary(list(vocab.foods.values()), vocab.phrases(), never_fuzzy=())
    found = bare.match_at([word], 0)
    assert found is None or found.exact, f"{word!r} became {found.food.name!r}"


def test_fuzzy_off_means_exact_only(vocab: Vocabulary) -> None:
    assert vocab.match_at(["chese"], 0, fuzzy=False) is None
    assert vocab.lookup("chese") is None
    assert vocab.lookup("cheese") is vocab.foods["cheese"]


def test_lookup_needs_the_whole_phrase(vocab: Vocabulary) -> None:
    assert vocab.lookup("red wine") is vocab.foods["red wine"]
    assert vocab.lookup("red wine please") is None
    assert vocab.lookup("") is None


# ---- the loader fails loudly ----------------------------------------------------------------


def test_loader_accepts_a_small_valid_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "# a comment\n"
        "alcohol,category,,booze,,alcohol,,haven\n"
        "wine,category,alcohol,,,histamine,,haven\n"
        "merlot,drink,wine,,,,,haven\n"
        "coffee,drink,,joe,starbucks,caffeine,95,usda-fdc\n",
    )
    vocab = Vocabulary.from_csv(path)
    assert vocab.ancestors("merlot") == ["wine", "alcohol"]
    assert vocab.foods["merlot"].tags == {"alcohol", "histamine"}
    assert vocab.foods["merlot"].own_tags == frozenset()
    assert vocab.lookup("starbucks") is vocab.foods["coffee"]
    assert vocab.foods["coffee"].caffeine_mg == 95


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("merlot,drink,red wine,,,,,haven\n", "parent 'red wine' does not exist"),
        (
            "a,category,b,,,,,haven\nb,category,c,,,,,haven\nc,category,a,,,,,haven\n",
            "cycle: ",
        ),
        ("a,category,a,,,,,haven\n", "cycle: a → a"),
        (
            "coke,drink,,,,,,haven\ncola,drink,,coke,,,,haven\n",
            "phrase 'coke' maps to several foods: ['coke', 'cola']",
        ),
        (
            "cola,drink,,,pepsi,,,haven\nsoda,drink,,pepsi,,,,haven\n",
            "phrase 'pepsi' maps to several foods",
        ),
        (
            "cherry,food,,,,,,haven\ncherrie,food,,,,,,haven\n",
            "'cherries' (a plural or hyphen form) maps to several foods",
        ),
        ("beer,drink,,,,alcohol|nitrate,,haven\n", "unknown tag 'nitrate'"),
        ("beer,drink,,,,,,wikipedia\n", "unknown source 'wikipedia'"),
        ("beer,drink,,,,,,\n", "no source"),
        ("beer,beverage,,,,,,haven\n", "unknown kind 'beverage'"),
        ("beer,drink,,,,,lots,haven\n", "caffeine_mg 'lots'"),
        ("beer,drink,,,,,,haven\nbeer,drink,,,,,,haven\n", "duplicate name 'beer'"),
        ("Red  Wine!,drink,,,,,,haven\n", "is not canonical"),
        ("wine,drink,,,,,,haven\nmerlot,drink,wine,,,,,haven\n", "'wine' is a drink"),
        ("beer,drink,,,,,,haven,,,extra\n", "too many fields"),
    ],
)
def test_loader_rejects(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(VocabularyError) as caught:
        Vocabulary.from_csv(write(tmp_path, body))
    assert message in str(caught.value)


def test_loader_reports_every_problem_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a,drink,nowhere,,,,,haven\nb,drink,,,,bogus,,haven\nc,drink,,a,,,,haven\n",
    )
    with pytest.raises(VocabularyError) as caught:
        Vocabulary.from_csv(path)
    assert len(caught.value.problems) == 3


def test_loader_rejects_an_unknown_column(tmp_path: Path) -> None:
    path = tmp_path / "foods.csv"
    path.write_text("name,kind,parents,source,colour\nbeer,drink,,haven,gold\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="unknown \\['colour'\\]"):
        Vocabulary.from_csv(path)
