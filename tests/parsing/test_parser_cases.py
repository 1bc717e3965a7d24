"""Every labelled message in tests/data/parser_cases.jsonl, parsed and compared with its labels.

Cases a careful reader gets right but the parser does not yet carry an "xfail" reason; they are
strict, so fixing one makes the suite say so.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.parsing import parse_message
from bot.parsing.cases import Case, load_cases, parsed_key, sort_keys
from bot.parsing.vocabulary import Vocabulary, default_vocabulary

CASES = load_cases()


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    # HAVEN_PARSER_VOCAB lets a vocabulary change be checked against the cases before it ships.
    path = os.environ.get("HAVEN_PARSER_VOCAB")
    return Vocabulary.from_csv(Path(path)) if path else default_vocabulary()


def _param(case: Case) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=f"{case.line}:{case.text[:40]}", marks=marks)


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 160
    assert {c.tz.key for c in CASES} >= {"Europe/London", "America/New_York", "Asia/Kolkata"}


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(case: Case, vocabulary: Vocabulary) -> None:
    result = parse_message(case.text, case.now, case.tz, vocabulary)
    got = sort_keys([parsed_key(e) for e in result.events])
    assert got == sort_keys(case.expected)
    if case.intent is not None:
        assert result.intent == case.intent
    for event in result.events:
        assert event.at.tzinfo is not None
        assert event.at.utcoffset() == event.at.astimezone(case.tz).utcoffset()
        assert event.at <= case.now
