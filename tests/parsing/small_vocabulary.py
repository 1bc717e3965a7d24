"""A small pinned vocabulary, so that time and dateparser tests do not depend on the food data."""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

from bot.parsing.vocabulary import Vocabulary

SMALL_FOODS = """\
name,kind,parents,synonyms,brands,tags,caffeine_mg,source
alcohol,category,,,,,,haven
wine,category,alcohol,,,,,haven
margarita,drink,alcohol,,,,,haven
beer,drink,alcohol,,,,,haven
coffee,drink,,,,,,haven
tea,drink,,cuppa,,,,haven
milk,drink,,,,,,haven
cheese,food,,,,,,haven
toast,food,,,,,,haven
pizza,food,,,,,,haven
curry,food,,,,,,haven
chocolate,food,,,,,,haven
"""


@lru_cache(maxsize=1)
def small_vocabulary() -> Vocabulary:
    """The pinned vocabulary, loaded once (from_csv reads a file, so it is written to one)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "foods.csv"
        path.write_text(SMALL_FOODS, encoding="utf-8")
        return Vocabulary.from_csv(path)
