"""From numbers to words: likely/possible trigger, protective, looks safe, not enough data.

A protective verdict mirrors the likely-trigger rule in the other direction: a clear effect size
(RR below `protective_rr`), an interval that excludes "no difference" (upper limit below 1), and
a one-sided test for lower risk that survives the Benjamini–Hochberg correction over the same
family as triggers (q below `likely_q`). There is no "possible protector": a lower risk that is
not yet clear stays "looks safe" or "not enough data", as before.
"""

from __future__ import annotations

from analysis.model import AnalysisSettings, Verdict


def verdict_for(
    rr: float | None,
    ci_high: float,
    p: float,
    q: float | None,
    settings: AnalysisSettings,
    q_lower: float | None = None,
) -> Verdict:
    """`q` is None for foods with too few exposed or unexposed days (not tested).

    `q_lower` is the q-value of the test for a lower risk (None: not tested, never protective).

    A tested food whose interval still reaches past `safe_upper` without a raised RR is also
    "not enough data": the diary cannot yet tell it apart from a trigger.
    """
    if q is None or rr is None:
        return "not_enough_data"
    if (
        q_lower is not None
        and rr < settings.protective_rr
        and ci_high < 1.0
        and q_lower < settings.likely_q
    ):
        return "protective"
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
    "protective": 2,
    "looks_safe": 3,
    "not_enough_data": 4,
}
