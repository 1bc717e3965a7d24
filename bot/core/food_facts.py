"""What the vocabulary knows about each food, as the plain data `analysis` reads."""

from __future__ import annotations

from analysis.measures import FoodFacts
from bot.parsing.vocabulary import Vocabulary


def food_facts(vocabulary: Vocabulary) -> dict[str, FoodFacts]:
    """Fiber and caffeine per serving and the (inherited) tags of every food the person can log.

    Built per call from the person's own vocabulary, so a food they taught under a category
    ("switchel is a soft drink") carries that category's tags; its fiber stays unknown.
    """
    return {
        name: FoodFacts(fiber_g=f.fiber_g, caffeine_mg=f.caffeine_mg, tags=f.tags)
        for name, f in vocabulary.foods.items()
    }
