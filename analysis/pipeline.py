"""`analyse`: diary events in, a ranked `TriggerReport` out. Pure: no clock, no I/O."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from analysis.attacks import find_attacks, raw_attacks
from analysis.confounding import most_cooccurring_in, removes_effect, stratified_rr
from analysis.craving import is_craving_suspect, late_counts, rr_without_late_intake
from analysis.days import at_risk_days, observed_days
from analysis.exposure import Catalogue, ExposedDay, catalogue, exposed_days, intakes
from analysis.factors import factor_days
from analysis.intervals import koopman_interval
from analysis.matrix import DayMatrix, day_matrix
from analysis.measures import FoodFacts, measure_days
from analysis.model import AnalysisSettings, DiaryEvent, FoodResult, TriggerReport, Verdict
from analysis.power import extra_exposed_days
from analysis.significance import bh_qvalues, fisher_greater_many, fisher_less_many
from analysis.tables import Table, tables_of
from analysis.verdicts import VERDICT_ORDER, verdict_for


class _Row(NamedTuple):
    rr: float | None
    low: float
    high: float
    q: float | None
    q_lower: float | None
    verdict: Verdict


DEFAULT_BASELINE_RISK = 0.15  # used for "how many more days" before any onset is logged


def analyse(
    events: Sequence[DiaryEvent],
    tz: ZoneInfo,
    categories: Mapping[str, Sequence[str]],
    *,
    window: Literal["24h", "48h"] = "24h",
    settings: AnalysisSettings = AnalysisSettings(),  # noqa: B008 (frozen, safe as a default)
    now: datetime | None = None,
    food_facts: Mapping[str, FoodFacts] | None = None,
) -> TriggerReport:
    """Relative risk of a new attack onset after each food and category, with verdicts.

    `categories` maps a food to its categories, nearest first. `now`, when given, leaves out
    days that have not ended yet (their outcome is unknown); without it the diary is complete.
    Lifestyle factors (`factor` events) are tested as fixed yes/no rules (analysis/factors.py);
    with `food_facts` (per-food fiber, caffeine and tags) so are daily food measures at fixed
    thresholds (analysis/measures.py). Foods, categories, factors and measures form one family
    for the multiple-testing correction. Raises ValueError for naive datetimes.
    """
    if any(e.at.tzinfo is None or e.at.utcoffset() is None for e in events):
        raise ValueError("DiaryEvent.at must be timezone-aware")
    events = sorted(events, key=lambda e: e.at)
    attacks = find_attacks(events, settings)
    n_raw = len(raw_attacks(events, settings.open_attack_hours))
    observed = observed_days(events, tz)
    risk_days = at_risk_days(observed, attacks, tz, settings.relapse_hours, until=now)
    food_intakes = intakes(events)
    cat = catalogue({i.food for i in food_intakes}, categories)
    days, gaps = exposed_days(
        risk_days, food_intakes, observed, cat, tz, window, settings.craving_hours
    )
    indexes = [d.index for d in days]
    factor_items, factor_exposure = factor_days(events, indexes, tz, window)
    measure_items, cover, measure_exposure, measure_unknown = measure_days(
        food_intakes, indexes, food_facts, window, settings.measure_min_coverage
    )
    if factor_items or measure_items:
        days = [
            _with_extra(d, f.exposed | m, f.unknown | mu)
            for d, f, m, mu in zip(
                days, factor_exposure, measure_exposure, measure_unknown, strict=True
            )
        ]
        cat = Catalogue(
            ancestors={**cat.ancestors, **{i: () for i in [*factor_items, *measure_items]}},
            levels={
                **cat.levels,
                **{i: "factor" for i in factor_items},
                **{i: "measure" for i in measure_items},
            },
        )
    onset_days = sum(d.onset for d in days)
    enough = len(days) >= settings.min_at_risk_days
    matrix = day_matrix(days, cat.ancestors)
    results = _results(matrix, cat, settings, enough, window)
    if cover:
        results = [
            replace(r, coverage=cover[r.name]) if r.level == "measure" else r for r in results
        ]
    return TriggerReport(
        results=results,
        at_risk_days=len(days),
        onset_days=onset_days,
        observed_days=len(observed),
        window=window,
        enough_data=enough,
        settings=settings,
        attacks=len(attacks),
        relapses_merged=max(n_raw - len(attacks), 0),
        first_day=min(observed) if observed else None,
        last_day=max(observed) if observed else None,
        at_risk_days_total=len(risk_days),
        window_gap_days=gaps,
        measure_coverage=cover,
    )


def _with_extra(day: ExposedDay, exposed: frozenset[str], unknown: frozenset[str]) -> ExposedDay:
    """A day with its factor and measure items added (never late or early: not eaten)."""
    if not exposed and not unknown:
        return day
    return replace(day, items=day.items | exposed, unknown_items=day.unknown_items | unknown)


def _distinct_items(matrix: DayMatrix, cat: Catalogue) -> dict[str, tuple[str, ...]]:
    """Items to test, each with the broader categories that cover exactly the same days.

    "wine" is not tested again when every wine in the diary was red wine.
    """
    by_days: dict[bytes, list[str]] = defaultdict(list)  # the same days give the same bytes
    for item in cat.ancestors:
        key = matrix.days_with(item).tobytes()
        if matrix.unknown is not None:  # the same table also needs the same unknown days
            key += matrix.unknown[matrix.row[item]].tobytes()
        by_days[key].append(item)
    out: dict[str, tuple[str, ...]] = {}
    for group in by_days.values():
        if not matrix.days_with(group[0]).any():
            # never in an analysed window: list the foods, not their empty categories
            out.update((g, ()) for g in group if cat.levels[g] == "food")
            continue
        covered = {a for g in group for a in cat.ancestors.get(g, ()) if a in group}
        kept = sorted(g for g in group if g not in covered)
        for g in kept:
            out[g] = tuple(sorted(a for a in cat.ancestors.get(g, ()) if a in covered))
    return out


def _results(
    matrix: DayMatrix,
    cat: Catalogue,
    settings: AnalysisSettings,
    enough: bool,
    window: str,
) -> list[FoodResult]:
    items = _distinct_items(matrix, cat)
    every_table = tables_of(matrix)
    tables: dict[str, Table] = {item: every_table[matrix.row[item]] for item in items}
    tested = [
        item
        for item, t in tables.items()
        if enough and t.exposed >= settings.min_exposed and t.unexposed >= settings.min_unexposed
    ]
    pvals = dict(zip(tables, fisher_greater_many(list(tables.values())), strict=True))
    p_lower = dict(zip(tables, fisher_less_many(list(tables.values())), strict=True))
    qvals, q_lower = _both_directions_q(tested, pvals, p_lower)

    rows: dict[str, _Row] = {}
    for item, t in tables.items():
        low, high = koopman_interval(t.a, t.exposed, t.c, t.unexposed, settings.confidence)
        rr = t.risk_ratio()
        q, ql = qvals.get(item), q_lower.get(item)
        verdict = verdict_for(rr, high, pvals[item], q, settings, ql)
        rows[item] = _Row(rr, low, high, q, ql, verdict)

    onset_total = matrix.n_onsets
    late = late_counts(matrix)
    craving: dict[str, bool] = {}
    late_onsets: dict[str, int] = {}
    for item in tables:
        late_a, a, late_b, b = late.of_row(matrix.row[item])
        late_onsets[item] = late_a
        raised = (rows[item].rr or 0.0) > 1.0
        craving[item] = (
            window == "24h"
            and raised
            and is_craving_suspect(late_a, a, late_b, b, settings.craving_share)
        )
    flagged = [i for i, r in rows.items() if r.verdict in ("likely_trigger", "possible_trigger")]
    # A craved food marks a coming attack rather than causing it: never adjust for it.
    companions = [i for i in flagged if not craving[i]]
    out: list[FoodResult] = []
    for item, t in tables.items():
        r = rows[item]
        verdict = r.verdict
        adjusted: float | None = None
        adjusted_for: str | None = None
        confounded: str | None = None
        if item in flagged:
            adjusted_for = most_cooccurring_in(
                item,
                companions,
                matrix,
                cat.ancestors,
                cat.levels,
                settings.companion_min_share,
                settings.companion_min_lift,
            )
            if adjusted_for is not None:
                adjusted, adjusted_low = stratified_rr(
                    item, adjusted_for, matrix, settings.confidence
                )
                if removes_effect(
                    r.rr,
                    adjusted,
                    settings.trigger_rr,
                    crude_low=r.low,
                    adjusted_low=adjusted_low,
                ):
                    confounded = adjusted_for
        extra: int | None = None
        if verdict in ("not_enough_data", "possible_trigger"):
            extra = extra_exposed_days(
                t.exposed,
                t.unexposed,
                _baseline(t, onset_total, matrix.n_days),
                rr=settings.power_rr,
                target=settings.power_target,
                alpha=settings.power_alpha,
                cap=settings.max_extra_days,
            )
        out.append(
            FoodResult(
                name=item,
                level=cat.levels[item],
                a=t.a,
                b=t.b,
                c=t.c,
                d=t.d,
                rr=r.rr,
                ci_low=r.low,
                ci_high=r.high,
                p=pvals[item],
                q=r.q,
                verdict=verdict,
                adjusted_rr=adjusted,
                adjusted_for=adjusted_for,
                confounded_with=confounded,
                extra_exposed_days_needed=extra,
                craving_suspect=craving[item],
                late_onsets=late_onsets[item],
                rr_without_late=rr_without_late_intake(item, matrix) if craving[item] else None,
                same_as=items[item],
                p_lower=p_lower[item],
                q_lower=r.q_lower,
            )
        )
    out.sort(key=_rank_key)
    return out


def _both_directions_q(
    tested: Sequence[str], p_raise: Mapping[str, float], p_lower: Mapping[str, float]
) -> tuple[dict[str, float], dict[str, float]]:
    """BH q-values for "raises the risk" and "lowers the risk", each direction at half the level.

    A report that calls things triggers *and* protective makes claims in both directions; BH on
    each direction alone would let up to twice the stated share of all those claims be chance.
    Doubling each direction's q (BH at α/2 per direction) bounds the false share of everything
    called a finding by α, because V/R ≤ V₁/R₁ + V₂/R₂. One pooled BH over the 2 × m tests was
    tried and rejected: strong triggers let chance "protective" calls ride on them (in
    bench.simulate_triggers false protective calls rose from 0.01 to 0.10 per diary).
    """

    def halved_level(ps: list[float]) -> list[float]:
        return [min(1.0, 2.0 * q) for q in bh_qvalues(ps)]

    q_raise = halved_level([p_raise[i] for i in tested])
    q_lower = halved_level([p_lower[i] for i in tested])
    return dict(zip(tested, q_raise, strict=True)), dict(zip(tested, q_lower, strict=True))


def _baseline(t: Table, onsets: int, n_days: int) -> float:
    """Risk on a day without the food: its own unexposed days, else all days, else a default."""
    if t.unexposed and 0 < t.c < t.unexposed:
        return t.c / t.unexposed
    if n_days and 0 < onsets < n_days:
        return onsets / n_days
    return DEFAULT_BASELINE_RISK


def _rank_key(r: FoodResult) -> tuple[float, ...]:
    order = VERDICT_ORDER[r.verdict]
    rr = r.rr if r.rr is not None else 0.0
    if r.verdict in ("likely_trigger", "possible_trigger"):
        # doubtful ones (craved before attacks, or inseparable from another food) go last
        doubt = 1 if (r.craving_suspect or r.confounded_with) else 0
        return (order, doubt, -rr if math.isfinite(rr) else -1e9, r.p)
    if r.verdict == "looks_safe":
        return (order, r.ci_high, -r.exposed)
    if r.verdict == "protective":
        return (order, r.ci_high, r.rr if r.rr is not None else 1.0, -r.exposed)
    return (order, 0 if r.q is not None else 1, -r.exposed)
