"""Plain data the analysis takes and gives: diary events, settings, per-food results, the report.

Nothing here knows about Telegram or the database; the bot converts its rows into `DiaryEvent`s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

EventKind = Literal[
    "food", "migraine_start", "migraine_end", "medication", "no_migraine", "skipped_meal"
]
Verdict = Literal[
    "likely_trigger", "possible_trigger", "protective", "looks_safe", "not_enough_data"
]
# food/category: what was eaten; factor: a lifestyle rule (short sleep, stress...); measure: a
# daily amount computed from the foods logged (fiber grams, caffeine...) against a fixed threshold
Level = Literal["food", "category", "factor", "measure"]
Window = Literal["24h", "48h"]

# A skipped meal is analysed like a food with this name (fasting is a known trigger).
SKIPPED_MEAL = "skipped meal"


@dataclass(frozen=True)
class DiaryEvent:
    """One diary entry. `at` is tz-aware (UTC from the bot; any zone works)."""

    kind: str
    at: datetime
    name: str | None = None
    severity: int | None = None
    value: float | None = None  # numeric reading of a `factor` event (hours, 1-5 score, minutes)
    quantity: float | None = None  # servings of a food ("2 coffees"); None: one


@dataclass(frozen=True)
class AnalysisSettings:
    """Every threshold of the method, in one place."""

    likely_q: float = 0.10  # BH q-value below which an RR > trigger_rr is a likely trigger
    trigger_rr: float = 1.5  # relative risk above which a food is a (possible) trigger
    possible_max_p: float = 1.0  # a possible trigger also needs Fisher p below this (1: off)
    safe_upper: float = 1.5  # upper interval limit below which a food looks safe
    protective_rr: float = 0.67  # RR below which (interval under 1, q < likely_q) it protects
    measure_min_coverage: float = 0.5  # a food measure is tested when this share of servings has it
    min_exposed: int = 5  # fewer exposed at-risk days than this: not enough data
    min_unexposed: int = 5
    min_at_risk_days: int = 14  # below this the report explains what it needs instead
    relapse_hours: float = 48.0  # a start this soon after an attack ended is the same attack
    open_attack_hours: float = 24.0  # an attack with no logged end lasts this long
    companion_min_share: float = 0.3  # adjust only for a companion on this share of its days
    companion_min_lift: float = 2.0  # ...and this many times more often than on other days
    craving_hours: float = 3.0  # intake this close before onset may be a craving, not a cause
    craving_share: float = 0.5  # share of exposed onsets with such late intake to warn
    confidence: float = 0.95  # interval coverage
    power_rr: float = 2.0  # "how much more data": the RR we want to be able to detect
    power_target: float = 0.80
    power_alpha: float = 0.05  # one-sided Fisher level used in the power calculation
    max_extra_days: int = 2000  # beyond this, say "a lot" (None)


def _finite(x: float | None) -> float | None:
    """JSON-safe float: None for missing, NaN or infinite."""
    if x is None or not math.isfinite(x):
        return None
    return float(x)


@dataclass(frozen=True)
class FoodResult:
    """The 2×2 table of at-risk days for one food or category, and what it means.

    a: exposed days with an onset, b: exposed days without, c: unexposed with, d: unexposed without.
    """

    name: str
    level: Level
    a: int
    b: int
    c: int
    d: int
    rr: float | None  # None when no unexposed day had an onset and no exposed day either
    ci_low: float
    ci_high: float  # math.inf when the data cannot bound it
    p: float
    q: float | None  # None when not tested (too few days)
    verdict: Verdict
    adjusted_rr: float | None = None  # Mantel–Haenszel RR stratified on confounder_candidate
    adjusted_for: str | None = None  # the most co-occurring flagged food it was adjusted for
    confounded_with: str | None = None  # set when that adjustment removes the effect
    extra_exposed_days_needed: int | None = None
    craving_suspect: bool = False
    late_onsets: int = 0  # exposed onsets with intake within craving_hours before onset
    rr_without_late: float | None = None  # RR not counting that late intake (craving suspects)
    same_as: tuple[str, ...] = ()  # broader categories with exactly the same days (not repeated)
    p_lower: float = 1.0  # one-sided Fisher p for a LOWER risk (evidence that it protects)
    q_lower: float | None = None  # BH q of p_lower over the same family; None when not tested
    coverage: float | None = None  # measures: share of logged servings with the needed data

    @property
    def exposed(self) -> int:
        return self.a + self.b

    @property
    def unexposed(self) -> int:
        return self.c + self.d

    @property
    def too_few_days(self) -> bool:
        """Not tested at all: too few exposed or unexposed days (as opposed to merely unclear)."""
        return self.q is None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "level": self.level,
            "a": self.a,
            "b": self.b,
            "c": self.c,
            "d": self.d,
            "rr": _finite(self.rr),
            "ci_low": _finite(self.ci_low),
            "ci_high": _finite(self.ci_high),
            "p": _finite(self.p),
            "q": _finite(self.q),
            "verdict": self.verdict,
            "adjusted_rr": _finite(self.adjusted_rr),
            "confounded_with": self.confounded_with,
            # keys below only where they apply, so food results read exactly as before
            **(
                {"p_lower": _finite(self.p_lower), "q_lower": _finite(self.q_lower)}
                if self.verdict == "protective"
                else {}
            ),
            **({"coverage": _finite(self.coverage)} if self.coverage is not None else {}),
        }


@dataclass(frozen=True)
class TriggerReport:
    """Everything `analyse` found, ranked, plus the counts the renderers need."""

    results: list[FoodResult]
    at_risk_days: int  # at-risk days whose exposure window is fully observed (the analysed days)
    onset_days: int  # of those, days with a new attack onset
    observed_days: int  # local days with anything logged
    window: Window
    enough_data: bool
    settings: AnalysisSettings = field(default_factory=AnalysisSettings)
    attacks: int = 0  # new onsets in the whole diary (after merging relapses)
    relapses_merged: int = 0
    first_day: date | None = None
    last_day: date | None = None
    at_risk_days_total: int = 0  # at-risk days before dropping those with a gap in the window
    window_gap_days: int = 0  # at-risk days left out because the window touched an unlogged day
    measure_coverage: dict[str, float] = field(default_factory=dict)  # every measure, tested or not

    def find(self, name: str) -> FoodResult | None:
        """The result for a food or category, by name or by a category it stands for."""
        key = name.strip().lower()
        for r in self.results:
            if r.name.lower() == key or key in (s.lower() for s in r.same_as):
                return r
        return None

    def to_json(self) -> list[dict[str, Any]]:
        return [r.to_json() for r in self.results]
