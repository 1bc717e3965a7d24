"""/triggers food NAME finds factors by part of their name as well as foods by any word."""

from __future__ import annotations

from bench.simulate_protective import analyse_diary
from bot.core.triggers import _detail
from bot.parsing.vocabulary import default_vocabulary


def test_a_factor_by_part_of_its_name_and_a_choice_when_several_match() -> None:
    report = analyse_diary(3)
    vocabulary = default_vocabulary()
    antibiotics = _detail(report, vocabulary, "antibiotics").text
    assert antibiotics.startswith("<b>On antibiotics</b>") and "Days with it: 3" in antibiotics
    sleep = _detail(report, vocabulary, "sleep").text
    assert sleep.startswith("Which one?")
    assert "/triggers food short sleep (&lt; 6 h)" in sleep and "/triggers food poor sleep" in sleep
    # foods still resolve through the vocabulary ("yoghurt drink" is not a name in the report)
    kefir = _detail(report, vocabulary, "kefir").text
    assert kefir.startswith("<b>Kefir</b> — seems to protect you")
    unknown = _detail(report, vocabulary, "durian").text
    assert "no analysed days with it yet" in unknown
