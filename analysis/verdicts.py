"""From numbers to words: likely trigger, possible trigger, looks safe, not enough data."""

from __future__ import annotations

from analysis.model import AnalysisSettings, Verdict


def verdict_for(
    rr: float | None, ci_high: float, p: float, q: float | None, settings: AnalysisSettings
) -> Verdict:
    """`q` is None for foods with too few exposed or unexposed days (not tested).

    A tested food whose interval still reaches past `safe_upper` without a raised RR is also
    "not enough data": the diary cannot yet tell it apart from a trigger.
    """
    if q is None or rr is None:
        return "not_enough_data"
    if rr > settings.trigger_rr:
        if q < settings.likely_q:
            return "likely_trigger"
        if p < settings.possible_max_p:
            return "possible_trigger"
        return "not_enough_data"
    if ci_high < settings.safe_upper:
        return "looks_safe"
    return "not_enough_data"


VERDICT_ORDER: dict[Verdict, int] = {
    "likely_trigger": 0,
    "possible_trigger": 1,
    "looks_safe": 2,
    "not_enough_data": 3,
}
