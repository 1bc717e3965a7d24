"""The food vocabulary: canonical names, synonyms, brands, categories and migraine-relevant tags.

Loaded once from `data/foods.csv` (one row a food, drink or category, so changes are diffable and
reviewable). The parser asks it for the longest known phrase at a position; the analysis receives
`category_map()` as plain data so that `analysis/` never imports the bot. Where each part of the
data came from, and the rules the loader enforces, are written down in `docs/vocabulary.md`.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.parsing.fold import fold

DATA_DIR = Path(__file__).with_name("data")
DATA_FILE = DATA_DIR / "foods.csv"
# Everyday words that must never be "corrected" into a food ("started" is not "custard").
NOT_FOOD_FILE = DATA_DIR / "not_food.txt"

# Fuzzy matching only for words this long: short words are too close to each other
# ("ham" ~ "jam", "beef" ~ "beer"), so they must match exactly. With fuzz.ratio and a cutoff of
# 86, a 5-7 letter word may differ from a food by one inserted or dropped letter, never by a
# substituted one ("salad" is not "salsa", "water" is not "wafer"); 8+ letter words may differ by
# one substitution or transposition ("sandwhich", "capuccino").
FUZZY_MIN_LENGTH = 5
FUZZY_CUTOFF = 86.0

COLUMNS = (
    "name",
    "kind",
    "parents",
    "synonyms",
    "brands",
    "tags",
    "caffeine_mg",
    "source",
    "plurals",
    "serving",
    "fiber_g",
    "fiber_ndb",
)
KINDS = frozenset({"food", "drink", "category"})

# The migraine-relevant tags, each tied to the literature in shared/research/migraine-diaries.md.
# A fixed list, so that a typo in the data ("nitrate", "caffiene") fails at load time.
TAGS: dict[str, str] = {
    "alcohol": "contains alcohol (Kelman 2007: red wine and beer most reported)",
    "caffeine": "contains caffeine; withdrawal matters too (Zaeem 2016; Hindiyeh 2020)",
    "tyramine": "tyramine-rich: aged cheese, cured/fermented meat and soy, yeast extract "
    "(Zaeem 2016)",
    "nitrite": "cured or processed meat, usually made with nitrite/nitrate salts (Zaeem 2016)",
    "msg": "usually made with added MSG or glutamate flavour enhancers such as yeast extract "
    "(Zaeem 2016)",
    "aspartame": "usually sweetened with aspartame (Zaeem 2016)",
    "sweetener": "usually sweetened with a non-sugar sweetener: aspartame, sucralose, "
    "acesulfame K, saccharin, stevia (Zaeem 2016)",
    "chocolate": "contains chocolate or cocoa (Wöber 2006; often a premonitory craving)",
    "citrus": "citrus fruit or juice (patient-education lists only; weakest evidence)",
    "histamine": "histamine-rich: aged, fermented, cured, smoked or tinned foods, some fish, "
    "wine and beer (Izquierdo-Casas 2019)",
    "fermented": "fermented or pickled food (Zaeem 2016: pickled and fermented foods); "
    "alcoholic drinks carry `alcohol` instead",
    # The two tags below are for the gut-brain measures, not migraine triggers as such.
    "ultra-processed": "NOVA group 4, ultra-processed: industrial formulations made mostly from "
    "substances extracted from foods or made in labs, with additives (soft drinks, packaged "
    "snacks and sweets, reconstituted meat, instant noodles, mass-produced packaged bread...), "
    "and distilled spirits, which NOVA also puts in group 4 (Monteiro et al. 2019, "
    "'Ultra-processed foods: what they are and how to identify them', Public Health Nutr 22(5))",
    "live-cultures": "usually eaten with live microbes: yogurt, kefir, lassi, cultured "
    "buttermilk, probiotic drinks, kimchi, unpasteurised sauerkraut, kombucha, miso "
    "(Marco et al. 2017, 'Health benefits of fermented foods', Curr Opin Biotechnol 44; "
    "Wastyk et al. 2021, Cell 184). Narrower than `fermented`: not sourdough, soy sauce, "
    "vinegar, beer or wine, whose microbes are killed or removed",
}

# Where a row came from. See NOTICE and docs/vocabulary.md for what each one covers.
SOURCES: dict[str, str] = {
    "haven": "hand-curated for Haven from general knowledge (names, synonyms, brands, tree, tags)",
    "usda-fdc": "caffeine per serving: USDA FoodData Central (SR Legacy), CC0",
    "label": "caffeine per serving: the manufacturer's published label value",
    "usda-sr28": "fiber per serving: USDA National Nutrient Database for Standard Reference, "
    "Release 28 (public domain; FoodData Central's SR Legacy continues it), per 100 g times the "
    "grams in `serving`, from the food named in `fiber_ndb`",
    "fiber-estimate": "fiber per serving: Haven's estimate for a typical recipe or portion, "
    "mostly built from SR28 ingredient values; not checked against FoodData Central",
    "fiber-zero": "fiber per serving is 0 by composition: no plant material (meat, fish, eggs, "
    "milk, cheese, wine, beer, spirits, soft drinks, sugar, oils)",
}

_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")  # letters of any script, folded (fold.py)

# Irregular or ambiguous singulars that the suffix rules below would get wrong.
_IRREGULAR_SINGULAR: dict[str, str] = {
    "loaves": "loaf",
    "leaves": "leaf",
    "halves": "half",
    "knives": "knife",
    "calves": "calf",
    "wolves": "wolf",
    "geese": "goose",
    "teeth": "tooth",
    "feet": "foot",
    "mice": "mouse",
    "men": "man",
    "women": "woman",
    "children": "child",
    "dice": "die",
    "fries": "fries",
    "chillies": "chilli",
    "chilies": "chili",
    "octopi": "octopus",
    "cacti": "cactus",
    "fungi": "fungus",
}
# Words ending in -ie whose plural is -ies: "cookies" is not "cooky".
_IE_WORDS = frozenset(
    [
        "cookie",
        "brownie",
        "smoothie",
        "pie",
        "veggie",
        "calorie",
        "toastie",
        "sarnie",
        "brekkie",
        "bickie",
        "bikkie",
        "barbie",
        "goodie",
        "hottie",
        "sweetie",
        "rookie",
        "birdie",
        "pixie",
        "foodie",
        "movie",
        "selfie",
        "zombie",
        "lassie",
        "nightie",
        "genie",
        "auntie",
        "beastie",
        "budgie",
        "hippie",
        "quickie",
        "oldie",
        "indie",
        "cutie",
        "meanie",
        "tie",
        "lie",
    ]
)
# Words ending in -oes whose singular keeps the e: "shoes" is "shoe", not "sho".
_OE_WORDS = frozenset(["shoe", "toe", "sloe", "floe", "hoe", "oboe", "canoe", "doe", "roe"])


def words_of(text: str) -> list[str]:
    """Lowercase words, with apostrophes straightened; punctuation and emoji dropped.

    Accents are folded ("rosé" → "rose", "jalapeño" → "jalapeno", "rugbrød" → "rugbrod")
    because people type both, with the parser's own fold (bot/parsing/fold.py).
    """
    return _WORD.findall(fold(text.lower()))


def singular(word: str) -> str:
    """A cheap English singular for unknown words; known foods list their own plurals.

    The vocabulary indexes the plurals of its own phrases, so this is only the fallback for words
    it does not know (and for the parser naming an unknown food).
    """
    if word in _IRREGULAR_SINGULAR:
        return _IRREGULAR_SINGULAR[word]
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "'s")):
        return word
    if word.endswith("ies"):
        stem = word[:-1]
        return stem if stem in _IE_WORDS or len(word) <= 4 else word[:-3] + "y"
    if word.endswith("oes"):
        return word[:-1] if word[:-1] in _OE_WORDS or len(word) <= 5 else word[:-2]
    if word.endswith(("ches", "shes", "xes", "sses", "zzes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def plurals(word: str) -> list[str]:
    """Regular English plurals of a word; both forms where English hesitates (mangos, mangoes)."""
    if not word or not word[-1].isalpha():
        return []
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return [word[:-1] + "ies", word + "s"]
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return [word + "es"]
    if word.endswith("o"):
        return [word + "s", word + "es"]
    if word.endswith("i") and len(word) > 3:
        return [word + "s", word + "es"]  # chillis/chillies, rotis
    return [word + "s"]


def _norm(word: str) -> str:
    """One spelling for lookups: "shepherd's" and "shepherds" are the same word, "pâté" "pate"."""
    return fold(word).replace("'", "")


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(_norm(w) for w in words_of(phrase))


@dataclass(frozen=True, slots=True)
class Food:
    """A canonical food, drink or category.

    `tags` are the row's own tags plus every tag of its ancestors (merlot inherits alcohol from
    the alcohol category), less any the row drops with "-tag" in the data (kadhi is cooked
    yogurt: it drops `live-cultures`), so callers never need to walk the tree to know what a
    food is. `fiber_g` is grams of dietary fiber in one `serving`; None means unknown, 0 none.
    Category rows are loggable too: "cheese" or "wine" on their own are real diary entries.
    """

    name: str
    kind: str  # "food", "drink" or "category"
    parents: tuple[str, ...]
    tags: frozenset[str]
    caffeine_mg: float | None = None
    synonyms: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    own_tags: frozenset[str] = frozenset()
    source: tuple[str, ...] = ("haven",)
    serving: str | None = None
    fiber_g: float | None = None  # dietary fiber in grams per `serving`; None = unknown
    fiber_ndb: str | None = None  # the USDA SR28 / SR Legacy food (NDB number) fiber_g is from

    @property
    def is_category(self) -> bool:
        return self.kind == "category"


@dataclass(frozen=True, slots=True)
class Match:
    """A phrase found in a message: which food, how many words it used, and whether it was exact."""

    food: Food
    length: int  # words consumed
    exact: bool


class VocabularyError(ValueError):
    """The data file is inconsistent; `problems` lists every problem found, not just the first."""

    def __init__(self, path: Path | str, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = "\n  ".join(self.problems[:50])
        more = f"\n  … and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(f"{path}: {len(self.problems)} problem(s):\n  {shown}{more}")


@dataclass(slots=True)
class _Index:
    """The lookup tables built once from the phrases."""

    exact: dict[tuple[str, ...], str] = field(default_factory=dict)
    fuzzy_by_initial: dict[str, list[str]] = field(default_factory=dict)
    multi_by_first: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    first_words_by_initial: dict[str, list[str]] = field(default_factory=dict)


def phrase_variants(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Other ways people write a phrase: plural last word, hyphens split or joined.

    "ice cream" also answers to "ice creams" and "ice-cream"; "coca-cola" to "coca cola".
    """
    if not key:
        return []
    forms = dict.fromkeys([key])
    if any("-" in w for w in key):
        forms[tuple(p for w in key for p in w.split("-") if p)] = None
    if 2 <= len(key) <= 3 and all(w.isalpha() for w in key):
        forms[("-".join(key),)] = None
    for form in list(forms):
        head, _, tail = form[-1].rpartition("-")
        for plural in plurals(tail):
            forms[(*form[:-1], f"{head}-{plural}" if head else plural)] = None
    del forms[key]
    return list(forms)


def _plural_stems(word: str) -> list[str]:
    """Words whose regular plural could be `word` (checked against plurals() by the caller)."""
    stems = []
    if word in _IRREGULAR_SINGULAR:
        stems.append(_IRREGULAR_SINGULAR[word])
    if word.endswith("s") and len(word) > 2:
        stems.append(word[:-1])
        if word.endswith("es"):
            stems.append(word[:-2])
        if word.endswith("ies"):
            stems.append(word[:-3] + "y")
    return stems


def _with_hyphen_forms(explicit: dict[tuple[str, ...], str]) -> dict[tuple[str, ...], str]:
    """Explicit phrases plus "coca cola" for "coca-cola"; an explicit phrase always wins."""
    index = dict(explicit)
    for key, name in explicit.items():
        if any("-" in w for w in key):
            index.setdefault(tuple(p for w in key for p in w.split("-") if p), name)
    return index


def _variant_clashes(explicit: dict[tuple[str, ...], str]) -> dict[tuple[str, ...], set[str]]:
    """Plural or hyphen-split forms that two different foods would both answer to.

    Only the forms lookups actually try (see Vocabulary._resolve), so loading stays fast.
    """
    owners: dict[tuple[str, ...], str] = {}
    clashes: dict[tuple[str, ...], set[str]] = {}
    for key, name in explicit.items():
        head, last = key[:-1], key[-1]
        variants = [(*head, plural) for plural in plurals(last)]
        if "-" in last or any("-" in w for w in head):
            variants.append(tuple(p for w in key for p in w.split("-") if p))
        for variant in variants:
            if variant in explicit:
                continue
            owner = owners.setdefault(variant, name)
            if owner != name:
                clashes.setdefault(variant, {owner}).add(name)
    return clashes


class Vocabulary:
    """Phrase → food lookups, the category tree, and careful fuzzy matching of misspellings."""

    def __init__(
        self,
        foods: Sequence[Food],
        phrases: dict[tuple[str, ...], str],
        *,
        never_fuzzy: Iterable[str] = (),
        _exact: dict[tuple[str, ...], str] | None = None,
    ) -> None:
        self.foods: dict[str, Food] = {f.name: f for f in foods}
        self._never_fuzzy = frozenset(_norm(w) for w in never_fuzzy)
        explicit = {tuple(_norm(w) for w in k): v for k, v in phrases.items() if k}
        index = _Index(exact=_exact if _exact is not None else _with_hyphen_forms(explicit))
        by_initial: dict[str, set[str]] = defaultdict(set)
        multi: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for key in explicit:
            if len(key) == 1:
                if len(key[0]) >= FUZZY_MIN_LENGTH and key[0].isalpha():
                    by_initial[key[0][0]].add(key[0])
            else:
                multi[key[0]].append(key)
        index.fuzzy_by_initial = {k: sorted(v) for k, v in by_initial.items()}
        index.multi_by_first = {k: sorted(v, key=len, reverse=True) for k, v in multi.items()}
        firsts: dict[str, set[str]] = defaultdict(set)
        for first in multi:
            if len(first) >= FUZZY_MIN_LENGTH and first.isalpha():
                firsts[first[0]].add(first)
        index.first_words_by_initial = {k: sorted(v) for k, v in firsts.items()}
        self._index = index
        self._phrases = index.exact
        self._longest = max((len(p) for p in index.exact), default=1)
        self._ancestors: dict[str, list[str]] = {}

    @classmethod
    def from_csv(cls, path: Path = DATA_FILE) -> Vocabulary:
        """Load and check a data file; raises VocabularyError listing every problem found."""
        foods, phrases, exact = _load_rows(Path(path))
        return cls(foods, phrases, never_fuzzy=_load_never_fuzzy(), _exact=exact)

    def __len__(self) -> int:
        return len(self.foods)

    def __contains__(self, name: object) -> bool:
        return name in self.foods

    def lookup(self, phrase: str) -> Food | None:
        """Exact lookup of a whole phrase (synonyms, brands and plurals included)."""
        words = words_of(phrase)
        found = self.match_at(words, 0, fuzzy=False)
        return found.food if found and found.length == len(words) else None

    def match_at(self, words: Sequence[str], start: int, *, fuzzy: bool = True) -> Match | None:
        """The longest known phrase beginning at `words[start]`; multi-word names win.

        Exact matches (plurals included) come first. With `fuzzy`, a misspelt phrase may still
        win if it is longer than the exact one ("dark chocolat" beats nothing, "milk chocolat"
        beats "milk"), but only words of 5+ letters are ever corrected.
        """
        exact = self._exact_at(words, start)
        if not fuzzy:
            return exact
        floor = exact.length if exact else 0
        return self._fuzzy_at(words, start, floor) or exact

    def _exact_at(self, words: Sequence[str], start: int) -> Match | None:
        for n in range(min(self._longest, len(words) - start), 0, -1):
            key = tuple(_norm(w) for w in words[start : start + n])
            name = self._resolve(key)
            if name is None:
                continue
            if n >= 3 and key[1] == "of":
                # "glass of red" is red wine, but "glass of red bull" is not: a container phrase
                # gives way when the words after "of" make a longer food on their own.
                inner = self._exact_at(words, start + 2)
                if inner is not None and inner.length > n - 2:
                    continue
            return Match(self.foods[name], n, exact=True)
        return None

    def _resolve(self, key: tuple[str, ...]) -> str | None:
        """A typed phrase → food name: as listed, as a regular plural, or with hyphens split."""
        return resolve_phrase(self._phrases, key)

    def _fuzzy_at(self, words: Sequence[str], start: int, floor: int) -> Match | None:
        remaining = len(words) - start
        for n in range(min(self._longest, remaining), floor, -1):
            span = [_norm(w) for w in words[start : start + n]]
            key = self._fuzzy_single(span[0]) if n == 1 else self._fuzzy_multi(span)
            if key is not None:
                return Match(self.foods[self._phrases[key]], n, exact=False)
        return None

    def _correctable(self, word: str) -> bool:
        return len(word) >= FUZZY_MIN_LENGTH and word.isalpha() and word not in self._never_fuzzy

    def _closest(self, word: str, choices: dict[str, list[str]]) -> tuple[str, float] | None:
        """Best candidate sharing the first letter (people rarely misspell the first letter)."""
        if not self._correctable(word):
            return None
        best: tuple[str, float] | None = None
        for form in dict.fromkeys((word, singular(word))):
            if len(form) < FUZZY_MIN_LENGTH:  # "costs" → "cost" must not become "costa"
                continue
            found = process.extractOne(
                form, choices.get(form[0], ()), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )
            if found is not None and (best is None or found[1] > best[1]):
                best = (found[0], found[1])
        return best

    def _fuzzy_single(self, word: str) -> tuple[str, ...] | None:
        found = self._closest(word, self._index.fuzzy_by_initial)
        return (found[0],) if found else None

    def _close(self, typed: str, known: str) -> float:
        if typed == known or singular(typed) == known or typed in plurals(known):
            return 100.0
        if not self._correctable(typed) or typed[0] != known[0]:
            return 0.0
        score = fuzz.ratio(typed, known)
        return score if score >= FUZZY_CUTOFF else 0.0

    def _fuzzy_multi(self, span: list[str]) -> tuple[str, ...] | None:
        index = self._index
        firsts = [span[0]] if span[0] in index.multi_by_first else []
        if not firsts:
            found = self._closest(span[0], index.first_words_by_initial)
            firsts = [found[0]] if found else []
        best: tuple[float, tuple[str, ...]] | None = None
        for first in firsts:
            for key in index.multi_by_first.get(first, ()):
                if len(key) != len(span):
                    continue
                scores = [self._close(t, k) for t, k in zip(span, key, strict=True)]
                # At least one word must really be misspelt: all-exact phrases belong to the
                # exact step, which may have declined them on purpose ("glass of red bull").
                if all(scores) and min(scores) < 100 and (best is None or sum(scores) > best[0]):
                    best = (sum(scores), key)
        return best[1] if best else None

    def ancestors(self, name: str) -> list[str]:
        """Every category above a food, nearest first: merlot → red wine, wine, alcohol."""
        cached = self._ancestors.get(name)
        if cached is not None:
            return list(cached)
        seen: list[str] = []
        frontier = list(self.foods[name].parents) if name in self.foods else []
        while frontier:
            parent = frontier.pop(0)
            if parent not in seen and parent != name:
                seen.append(parent)
                frontier.extend(self.foods[parent].parents if parent in self.foods else ())
        self._ancestors[name] = seen
        return list(seen)

    def category_map(self) -> dict[str, list[str]]:
        """food name → ancestors, the plain data `analysis/` needs for category-level risk."""
        return {name: self.ancestors(name) for name in self.foods}

    def descendants(self, name: str) -> list[str]:
        """Every food or category below `name` (for "everything that counts as cheese")."""
        return sorted(n for n in self.foods if name in self.ancestors(n))

    def with_tag(self, tag: str) -> list[str]:
        """Names of all foods carrying a tag, inherited tags included."""
        return sorted(n for n, f in self.foods.items() if tag in f.tags)

    def resolve(self, name: str) -> Food | None:
        """The food a logged name stands for: a canonical name, or any exact phrase for one."""
        return self.foods.get(name) or self.lookup(name)

    def fiber_coverage(self, names: Iterable[str]) -> float:
        """Share of logged food names (one per serving) that resolve to a food with a fiber value.

        0.0 for no names, as `analysis.measures.coverage` does.
        """
        names = list(names)
        have = sum(1 for n in names if (f := self.resolve(n)) is not None and f.fiber_g is not None)
        return have / len(names) if names else 0.0

    def phrases(self) -> dict[tuple[str, ...], str]:
        """Every listed phrase (and hyphen-split form) → food name; plurals resolve at lookup."""
        return dict(self._phrases)

    def with_personal(self, entries: Iterable[PersonalEntry]) -> Vocabulary:
        """This vocabulary plus one person's own synonyms and foods (see `personal.py`).

        Cheap: the shipped indexes are shared, not rebuilt, so it can be made per message.
        """
        from bot.parsing.personal import PersonalVocabulary

        return PersonalVocabulary(self, entries)


def resolve_phrase(phrases: dict[tuple[str, ...], str], key: tuple[str, ...]) -> str | None:
    """A typed phrase → food name in `phrases`: as listed, as a regular plural, hyphens split.

    Plurals are worked out at lookup time rather than stored, which keeps start-up fast:
    "cherries" is tried as "cherry" and accepted because plurals("cherry") has it.
    """
    name = phrases.get(key)
    if name is not None:
        return name
    last = key[-1]
    for stem in _plural_stems(last):
        name = phrases.get((*key[:-1], stem))
        if name is not None and (last in plurals(stem) or _IRREGULAR_SINGULAR.get(last) == stem):
            return name
    if "-" in last and len(key) == 1:  # "ice-cream", "ice-creams" → "ice cream"
        parts = tuple(p for p in last.split("-") if p)
        return resolve_phrase(phrases, parts) if len(parts) > 1 else None
    return None


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The lookup key of a phrase: its lowercase words, apostrophes dropped."""
    return _key(phrase)


@dataclass(frozen=True, slots=True)
class PersonalEntry:
    """One thing a person taught: `phrase` means the vocabulary's `target`.

    `kind` "synonym": the phrase is logged as `target` itself. `kind` "food": the phrase is the
    person's own food, logged under its own name, with `target` (a category) as its parent.
    """

    phrase: str
    target: str
    kind: str  # "synonym" | "food"


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in (cell or "").split("|") if part.strip())


def _load_never_fuzzy() -> frozenset[str]:
    if not NOT_FOOD_FILE.exists():
        return frozenset()
    lines = NOT_FOOD_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        w for line in lines if not line.startswith("#") for w in words_of(line.split("#")[0])
    )


def _load_rows(
    path: Path,
) -> tuple[list[Food], dict[tuple[str, ...], str], dict[tuple[str, ...], str]]:
    """Read the CSV, check every rule in docs/vocabulary.md, and resolve inherited tags."""
    problems: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    with path.open(newline="", encoding="utf-8") as fh:
        numbered = ((i, line) for i, line in enumerate(fh, start=1))
        lines = [(i, line) for i, line in numbered if line.strip() and not line.startswith("#")]
        reader = csv.DictReader(line for _, line in lines)
        header = reader.fieldnames or []
        missing = [c for c in ("name", "kind", "parents", "source") if c not in header]
        unknown = [c for c in header if c not in COLUMNS]
        if missing or unknown:
            raise VocabularyError(path, [f"header: missing {missing}, unknown {unknown}"])
        for (lineno, _), row in zip(lines[1:], reader, strict=True):
            if None in row:
                problems.append(f"line {lineno}: too many fields: {row.get(None)}")
            rows.append((lineno, {k: (v or "") for k, v in row.items() if k is not None}))

    own: dict[str, tuple[int, dict[str, str]]] = {}
    for lineno, row in rows:
        name = row["name"].strip().lower()
        canonical = " ".join(words_of(name))
        if not name:
            problems.append(f"line {lineno}: empty name")
            continue
        if name != canonical:
            problems.append(f"line {lineno}: name {name!r} is not canonical ({canonical!r})")
        if name in own:
            problems.append(
                f"line {lineno}: duplicate name {name!r} (first on line {own[name][0]})"
            )
            continue
        own[name] = (lineno, row)

    kinds = {name: row["kind"].strip() for name, (_, row) in own.items()}
    parents: dict[str, tuple[str, ...]] = {}
    for name, (lineno, row) in own.items():
        where = f"line {lineno} ({name})"
        if kinds[name] not in KINDS:
            problems.append(f"{where}: unknown kind {kinds[name]!r}; allowed: {sorted(KINDS)}")
        parents[name] = _split(row["parents"])
        for parent in parents[name]:
            if parent not in own:
                problems.append(f"{where}: parent {parent!r} does not exist")
            elif kinds[parent] != "category":
                problems.append(f"{where}: parent {parent!r} is a {kinds[parent]}, not a category")
        for tag in _split(row.get("tags")):
            if tag.removeprefix("-") not in TAGS:
                problems.append(f"{where}: unknown tag {tag!r}; allowed: {sorted(TAGS)}")
        sources = _split(row.get("source"))
        if not sources:
            problems.append(f"{where}: no source")
        for source in sources:
            if source not in SOURCES:
                problems.append(f"{where}: unknown source {source!r}; allowed: {sorted(SOURCES)}")
        caffeine = row.get("caffeine_mg", "").strip()
        if caffeine:
            try:
                if not 0 <= float(caffeine) < 10_000:  # also refuses nan and inf
                    raise ValueError
            except ValueError:
                problems.append(f"{where}: caffeine_mg {caffeine!r} is not a number ≥ 0")
        fiber = row.get("fiber_g", "").strip()
        if fiber:
            try:
                if not 0 <= float(fiber) < 1000:  # also refuses nan and inf
                    raise ValueError
            except ValueError:
                problems.append(f"{where}: fiber_g {fiber!r} is not a number of grams, 0 to 1000")
        ndb = row.get("fiber_ndb", "").strip()
        if ndb and not (len(ndb) == 5 and ndb.isdigit()):
            problems.append(f"{where}: fiber_ndb {ndb!r} is not a 5-digit USDA NDB number")
        if ndb and not fiber:
            problems.append(f"{where}: fiber_ndb {ndb!r} without a fiber_g value")

    problems.extend(_cycles(parents))
    phrases, collisions = _phrases_of(own)
    problems.extend(collisions)
    exact = _with_hyphen_forms(phrases)
    clashes = _variant_clashes(phrases)
    problems += [
        f"phrase {' '.join(k)!r} (a plural or hyphen form) maps to several foods: {sorted(v)}"
        for k, v in sorted(clashes.items())
    ]
    if problems:
        raise VocabularyError(path, problems)

    # A row's tags are its own plus its ancestors', less the ones it drops with "-tag"
    # (kadhi is cooked, so it drops `live-cultures`, which it would inherit from yogurt).
    own_tags = {
        n: frozenset(t for t in _split(r.get("tags")) if t[0] != "-") for n, (_, r) in own.items()
    }
    dropped = {
        n: frozenset(t[1:] for t in _split(r.get("tags")) if t[0] == "-")
        for n, (_, r) in own.items()
    }
    inherited: dict[str, frozenset[str]] = {}

    def tags_of(name: str) -> frozenset[str]:
        if name not in inherited:
            mine = own_tags[name].union(*(tags_of(p) for p in parents[name]))
            inherited[name] = mine - dropped[name]
        return inherited[name]

    for name, tags in dropped.items():
        from_parents = frozenset().union(*(tags_of(p) for p in parents[name]))
        for tag in sorted(tags - from_parents):
            problems.append(f"line {own[name][0]} ({name}): drops tag {tag!r}, not inherited")
        for tag in sorted(tags & own_tags[name]):
            problems.append(f"line {own[name][0]} ({name}): both has and drops tag {tag!r}")
    if problems:
        raise VocabularyError(path, problems)

    foods: list[Food] = []
    for name, (_, row) in own.items():
        caffeine = row.get("caffeine_mg", "").strip()
        fiber = row.get("fiber_g", "").strip()
        foods.append(
            Food(
                name=name,
                kind=kinds[name],
                parents=parents[name],
                tags=tags_of(name),
                caffeine_mg=float(caffeine) if caffeine else None,
                synonyms=_split(row.get("synonyms")),
                brands=_split(row.get("brands")),
                own_tags=own_tags[name],
                source=_split(row.get("source")),
                serving=row.get("serving", "").strip() or None,
                fiber_g=float(fiber) if fiber else None,
                fiber_ndb=row.get("fiber_ndb", "").strip() or None,
            )
        )
    return foods, phrases, exact


def _cycles(parents: dict[str, tuple[str, ...]]) -> list[str]:
    """Every cycle in the category graph, each reported once as a → b → … → a."""
    problems: list[str] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[frozenset[str]] = set()

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        path.append(name)
        for parent in parents.get(name, ()):
            if state.get(parent) == 1:
                cycle = [*path[path.index(parent) :], parent]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    problems.append("cycle: " + " → ".join(cycle))
            elif parent in parents and state.get(parent) is None:
                visit(parent, path)
        path.pop()
        state[name] = 2

    for name in parents:
        if name not in state:
            visit(name, [])
    return problems


def _phrases_of(
    own: dict[str, tuple[int, dict[str, str]]],
) -> tuple[dict[tuple[str, ...], str], list[str]]:
    """Every listed phrase → its food, and every listed phrase claimed by two foods."""
    phrases: dict[tuple[str, ...], str] = {}
    clashes: dict[tuple[str, ...], set[str]] = {}
    for name, (_, row) in own.items():
        cells = (row.get("synonyms"), row.get("brands"), row.get("plurals"))
        for phrase in (name, *(p for cell in cells for p in _split(cell))):
            key = _key(phrase)
            if key and phrases.setdefault(key, name) != name:
                clashes.setdefault(key, {phrases[key]}).add(name)
    problems = [
        f"phrase {' '.join(k)!r} maps to several foods: {sorted(v)}"
        for k, v in sorted(clashes.items())
    ]
    return phrases, problems


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """The shipped vocabulary, loaded once per process."""
    return Vocabulary.from_csv()
