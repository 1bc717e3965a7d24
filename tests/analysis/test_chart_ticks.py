"""The chart's x ticks: none of their labels touch, whatever room the food names leave."""

from __future__ import annotations

import itertools
import math

import pytest

from analysis.chart import TICK_SIZE, TICKS, X_MAX, X_MIN, _text_width_in, _ticks_that_fit


def _label_spans(ticks: list[float], width_in: float) -> list[tuple[float, float]]:
    per_decade = width_in / math.log10(X_MAX / X_MIN)
    spans = []
    for t in ticks:
        x = math.log10(t / X_MIN) * per_decade
        half = _text_width_in([f"{t:g}×"], TICK_SIZE) / 2
        spans.append((x - half, x + half))
    return spans


@pytest.mark.parametrize("width_in", [1.2, 1.8, 2.5, 3.0, 3.6, 4.2, 5.0])
def test_tick_labels_never_overlap_and_1x_always_shows(width_in: float) -> None:
    ticks = _ticks_that_fit(width_in)
    assert 1 in ticks and ticks == sorted(ticks)
    spans = _label_spans(ticks, width_in)
    for (_, right), (left, _) in itertools.pairwise(spans):
        assert left - right > 0.02  # a visible gap between neighbours


def test_a_wide_axis_keeps_every_tick_and_a_narrow_one_drops_the_crowded_ones() -> None:
    assert _ticks_that_fit(5.0) == list(TICKS)
    narrow = _ticks_that_fit(2.5)
    assert 0.2 not in narrow and {0.1, 1, 2, 5} <= set(narrow)
    # the unpatched layout: every tick on a 2.5 in axis really did touch
    spans = _label_spans(list(TICKS), 2.5)
    assert any(left - right < 0.02 for (_, right), (left, _) in itertools.pairwise(spans))
