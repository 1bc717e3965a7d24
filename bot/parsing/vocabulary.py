"""The food vocabulary: canonical names, synonyms, brands, categories and migraine-relevant tags.

Loaded once from `data/foods.csv` (one row a food or category, diffable). The parser asks it for the
longest known phrase at a position; the analysis receives `ancestors()` as plain data so that
`analysis/` never imports the bot.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

DATA_FILE = Path(__file__).with_name("data") / "foods.csv"

# Fuzzy matching only for words this long: short words are too close to each other
# ("ham" ~ "jam", "beef" ~ "beer"), so they must match exactly.
FUZZY_MIN_LENGTH = 5
FUZZY_CUTOFF = 86.0

_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")


def words_of(text: str) -> list[str]:
    """Lowercase words, with apostrophes straightened; punctuation and emoji dropped."""
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]


def singular(word: str) -> str:
    """A cheap English singular for regular plurals; irregular ones are synonyms in the data."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "oes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class Food:
    """A canonical food, drink or category."""

    name: str
    kind: str  # "food", "drink" or "category"
    parents: tuple[str, ...]
    tags: frozenset[str]
    caffeine_mg: float | None = None


@dataclass(frozen=True, slots=True)
class Match:
    food: Food
    length: int  # words consumed
    exact: bool


class Vocabulary:
    def __init__(self, foods: Sequence[Food], phrases: dict[tuple[str, ...], str]) -> None:
        self.foods: dict[str, Food] = {f.name: f for f in foods}
        self._phrases = phrases
        self._longest = max((len(p) for p in phrases), default=1)
        # Candidates for fuzzy matching: single long words only.
        self._fuzzy_keys = sorted(
            {p[0] for p in phrases if len(p) == 1 and len(p[0]) >= FUZZY_MIN_LENGTH}
        )

    @classmethod
    def from_csv(cls, path: Path = DATA_FILE) -> Vocabulary:
        foods: list[Food] = []
        phrases: dict[tuple[str, ...], str] = {}
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(line for line in fh if not line.startswith("#")):
                name = row["name"].strip().lower()
                caffeine = (row.get("caffeine_mg") or "").strip()
                food = Food(
                    name=name,
                    kind=(row.get("kind") or "food").strip(),
                    parents=_split(row.get("parents")),
                    tags=frozenset(_split(row.get("tags"))),
                    caffeine_mg=float(caffeine) if caffeine else None,
                )
                foods.append(food)
                for phrase in (name, *_split(row.get("synonyms")), *_split(row.get("brands"))):
                    key = tuple(words_of(phrase))
                    if key:
                        phrases.setdefault(key, name)
        return cls(foods, phrases)

    def __len__(self) -> int:
        return len(self.foods)

    def lookup(self, phrase: str) -> Food | None:
        """Exact lookup of a whole phrase (synonyms, brands and regular plurals included)."""
        words = words_of(phrase)
        found = self.match_at(words, 0, fuzzy=False)
        return found.food if found and found.length == len(words) else None

    def match_at(self, words: Sequence[str], start: int, *, fuzzy: bool = True) -> Match | None:
        """The longest known phrase beginning at `words[start]`; multi-word names win."""
        for n in range(min(self._longest, len(words) - start), 0, -1):
            key = tuple(words[start : start + n])
            name = self._phrases.get(key) or self._phrases.get((*key[:-1], singular(key[-1])))
            if name:
                return Match(self.foods[name], n, exact=True)
        if fuzzy and start < len(words):
            word = words[start]
            if len(word) >= FUZZY_MIN_LENGTH:
                best = process.extractOne(
                    word, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
                )
                if best is not None:
                    return Match(self.foods[self._phrases[(best[0],)]], 1, exact=False)
        return None

    def ancestors(self, name: str) -> list[str]:
        """Every category above a food, nearest first: merlot → red wine, wine, alcohol."""
        seen: list[str] = []
        frontier = list(self.foods[name].parents) if name in self.foods else []
        while frontier:
            parent = frontier.pop(0)
            if parent not in seen:
                seen.append(parent)
                frontier.extend(self.foods[parent].parents if parent in self.foods else ())
        return seen

    def category_map(self) -> dict[str, list[str]]:
        """food name → ancestors, the plain data `analysis/` needs for category-level risk."""
        return {name: self.ancestors(name) for name in self.foods}


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in (cell or "").split("|") if part.strip())


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """The shipped vocabulary, loaded once per process."""
    return Vocabulary.from_csv()
