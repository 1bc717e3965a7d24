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


def test_daily_amounts_by_their_everyday_words_and_why_there_is_nothing() -> None:
    report = analyse_diary(3)
    vocabulary = default_vocabulary()
    fibre = _detail(report, vocabulary, "fibre").text
    assert fibre.startswith("<b>Fiber ≥ 25 g</b>")
    fermented = _detail(report, vocabulary, "fermented").text
    assert fermented.startswith("<b>Any live-culture food</b>")
    # a misspelt food is found as it is in a message
    assert _detail(report, vocabulary, "coffe").text.startswith("<b>Coffee</b>")


def test_no_result_says_why_in_words_that_fit_the_item() -> None:
    from dataclasses import replace

    report = analyse_diary(3)
    vocabulary = default_vocabulary()
    without = replace(
        report,
        results=[r for r in report.results if r.name not in {"fiber ≥ 25 g", "on antibiotics"}],
    )
    fiber = _detail(without, vocabulary, "fiber").text
    assert "None of your analysed days had it yet" in fiber and "Log it" not in fiber
    low = replace(without, measure_coverage={**without.measure_coverage, "fiber ≥ 25 g": 0.3})
    assert "only 30 % of what you logged" in _detail(low, vocabulary, "fiber").text
    antibiotics = _detail(without, vocabulary, "antibiotics").text
    assert antibiotics.startswith("<b>On antibiotics</b>") and "Log it when" not in antibiotics
