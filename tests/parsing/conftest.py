"""A small pinned vocabulary, so that time and dateparser tests do not depend on the food data."""

from __future__ import annotations

from pathlib import Path

import pytest

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


@pytest.fixture(scope="session")
def small_vocabulary(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    path: Path = tmp_path_factory.mktemp("vocab") / "foods.csv"
    path.write_text(SMALL_FOODS, encoding="utf-8")
    return Vocabulary.from_csv(path)
