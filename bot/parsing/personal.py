"""One person's vocabulary: the shipped one plus the synonyms and foods they taught.

An overlay rather than a copy, so making one costs microseconds: the shipped phrase index, fuzzy
indexes and ancestor cache are shared; only the person's few phrases and own foods are new. Their
phrases are checked first, so "coke = diet cola" wins over the shipped "coke" → cola, and their
own foods join `foods`, `ancestors` and `category_map`, so /triggers pools kombucha with its
category. A person's own phrases are never fuzzy-matched: only what they actually typed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bot.parsing.vocabulary import (
    Food,
    PersonalEntry,
    Vocabulary,
    phrase_key,
    plurals,
    resolve_phrase,
)

_POSSESSIVES = frozenset({"my", "our", "the"})


def own_food(name: str, category: Food, shipped: Vocabulary) -> Food:
    """A person's food under `category`: it inherits the category's tags; its kind (food or
    drink) is what most of the category's own foods are, so drinks keep their cup emoji."""
    kinds = Counter(
        f.kind for f in shipped.foods.values() if category.name in f.parents and not f.is_category
    )
    kind = kinds.most_common(1)[0][0] if kinds else "food"
    return Food(name=name, kind=kind, parents=(category.name,), tags=category.tags)


class PersonalVocabulary(Vocabulary):
    """The shipped vocabulary seen through one person's entries (see the module docstring)."""

    def __init__(self, shipped: Vocabulary, entries: Iterable[PersonalEntry]) -> None:
        # Share every shipped attribute (indexes included) instead of calling Vocabulary.__init__.
        self.__dict__.update(shipped.__dict__)
        self.shipped = shipped
        self.entries = tuple(entries)
        self.foods = dict(shipped.foods)
        self._ancestors = dict(shipped._ancestors)  # own foods only add leaves
        personal: dict[tuple[str, ...], str] = {}
        for entry in self.entries:
            target = shipped.foods.get(entry.target)
            key = phrase_key(entry.phrase)
            if target is None or not key:
                continue  # a shipped food renamed since it was taught: ignore, never crash
            if entry.kind == "food":
                name = " ".join(key)
                self.foods[name] = own_food(name, target, shipped)
                personal[key] = name
            else:
                personal[key] = target.name
        # "my usual": the parser reads "my" as the end of a list, so the words after it also
        # answer, unless they are a shipped phrase already ("my coffee" stays coffee).
        for key, name in list(personal.items()):
            if len(key) > 1 and key[0] in _POSSESSIVES and shipped._resolve(key[1:]) is None:
                personal.setdefault(key[1:], name)
        self._personal = personal
        for name in self.own_names():  # the shipped cache may hold [] for a name it didn't know
            self._ancestors.pop(name, None)
        self._longest = max([shipped._longest, *(len(k) for k in personal)])

    def _resolve(self, key: tuple[str, ...]) -> str | None:
        return resolve_phrase(self._personal, key) or resolve_phrase(self._phrases, key)

    def own_names(self) -> list[str]:
        """The person's own foods (not synonyms), by name."""
        return [n for n in self.foods if n not in self.shipped.foods]


def raw_names(phrase: str) -> set[str]:
    """The names the parser gives `phrase` when it does not know it, plurals included.

    Earlier entries logged under these names (known=False) are re-filed when it is taught.
    """
    from bot.parsing.vocabulary import singular

    words = list(phrase_key(phrase))
    if not words:
        return set()
    head, last = words[:-1], words[-1]
    forms = {last, singular(last), *plurals(last)}
    return {" ".join([*head, form]) for form in forms}
