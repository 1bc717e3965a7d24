"""/gut: a weekly summary of fiber, live-culture foods, probiotics, ultra-processed food, sleep and
stress, and how each relates to the person's attacks so far. Pure: no clock, no I/O.

`weekly_summary` counts the last `days` local days (today included, so the current week is "so
far") and the same number of days before them. Unknown is never zero:

- Food amounts are averaged over the days with food logged; a day with nothing logged is not a
  zero-fiber day. Fiber is added up from the servings whose fiber is known, and the share of
  servings that have it (the coverage) travels with the number: under `MIN_COVERAGE` (the same
  floor the trigger analysis uses for its food measures) there is no number, only "not enough
  known foods". With full coverage the average is "about"; with less it is "at least" (an unknown
  food adds zero or more).
- Live-culture days and the ultra-processed share count only servings of foods with known facts,
  under the same floor.
- Probiotic and exercise days are out of the days with anything logged (no entry on a logged
  day means none, as in the factor rules; a day with nothing logged is unknown).
- Sleep is dated at waking (the local day of its entry); the latest entry of a night counts.
  Stress is averaged per day first, so a day logged three times weighs as one.
- A week before the diary began has no data, and a week-over-week change is only given when both
  weeks have data for that line.

"How each relates to attacks" is the trigger analysis (`analysis.analyse` with `food_facts`) over
the whole diary, read for the gut-related factors and measures only, in the same words and by the
same rules as /triggers: `render_gut_html` never states a finding the analysis did not make.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from analysis.attacks import find_attacks
from analysis.exposure import food_name, servings_of
from analysis.factors import (
    ANTIBIOTICS_ITEM,
    EXERCISE,
    EXERCISE_ITEM,
    FACTOR_KIND,
    HIGH_STRESS_ITEM,
    PERIOD_ITEM,
    POOR_SLEEP,
    PROBIOTIC,
    PROBIOTIC_ITEM,
    SHORT_SLEEP,
    SLEEP_HOURS,
    SLEEP_QUALITY,
    STRESS,
    factors_in_diary,
    readings_by_name,
)
from analysis.measures import (
    CAFFEINE_ITEM,
    FERMENTED,
    FERMENTED_ITEM,
    FIBER_ITEM,
    MIN_COVERAGE,
    ULTRA_PROCESSED,
    ULTRA_PROCESSED_ITEM,
    FoodFacts,
    normalised,
)
from analysis.model import SKIPPED_MEAL, AnalysisSettings, DiaryEvent, FoodResult, TriggerReport
from analysis.report import TELEGRAM_LIMIT, doubt_notes
from analysis.wording import (
    VERDICT_WORDS,
    counts_with_it,
    h,
    is_factor,
    label,
    lower_risk_phrase,
    more_days_phrase,
    plural,
    risk_phrase,
)

FEW_FOODS_A_DAY = 3  # fewer foods a day logged than this: the fiber figure is surely short
MAX_PROTECTIVE_FOODS = 3  # foods that seem to protect, listed before the gut items

# The gut-related items of the trigger analysis, in the order the reply lists them.
GUT_ITEMS: tuple[str, ...] = (
    FIBER_ITEM,
    FERMENTED_ITEM,
    PROBIOTIC_ITEM,
    ULTRA_PROCESSED_ITEM,
    CAFFEINE_ITEM,
    SHORT_SLEEP,
    POOR_SLEEP,
    HIGH_STRESS_ITEM,
    EXERCISE_ITEM,
    ANTIBIOTICS_ITEM,
    PERIOD_ITEM,
)
FIBER_ADVICE = "the usual advice is 25–30 g a day"
DISCLAIMER = "These are observations from your own diary, not medical advice."


@dataclass(frozen=True)
class WeekStats:
    """What one period of local days (`first_day`..`last_day`) holds. Counts, not verdicts."""

    first_day: date
    last_day: date
    diary_days: int  # days of the period on or after the diary's first day (0: before it)
    logged_days: int  # days with anything logged
    food_days: int  # days with any food logged
    servings: float  # servings logged ("2 coffees" is two; a skipped meal is none)
    fiber_servings: float  # servings whose fiber is known
    fiber_g: float  # their fiber, added up
    known_servings: float  # servings of foods with any facts (tags, caffeine, fiber)
    live_culture_days: int  # food days with a live-culture serving
    live_culture_foods: tuple[str, ...]  # those foods, most often first
    ultra_processed_servings: float
    ultra_processed_foods: tuple[str, ...]
    probiotic_days: int
    exercise_days: int
    sleep_nights: int  # nights with hours logged
    sleep_hours: float | None  # their mean
    sleep_quality: tuple[int, int, int]  # nights called poor, OK, good
    stress_days: int
    stress: float | None  # mean of the daily means, 1–5
    attacks: int  # new attacks (relapses merged) starting in the period
    min_coverage: float = MIN_COVERAGE
    # whether the food facts tag any food at all as live-culture / ultra-processed: a
    # vocabulary that tags none cannot tell "none eaten" from "not known"
    live_cultures_tagged: bool = True
    ultra_processed_tagged: bool = True

    @property
    def fiber_coverage(self) -> float | None:
        """Share of servings with a fiber value; None without servings."""
        return self.fiber_servings / self.servings if self.servings else None

    @property
    def known_coverage(self) -> float | None:
        """Share of servings of foods with known facts; None without servings."""
        return self.known_servings / self.servings if self.servings else None

    @property
    def fiber_per_day(self) -> float | None:
        """Fiber a food-logged day, or None: no food days, or too few servings with a value."""
        cover = self.fiber_coverage
        if not self.food_days or cover is None or cover < self.min_coverage:
            return None
        return self.fiber_g / self.food_days

    @property
    def foods_known(self) -> bool:
        """Enough servings have facts to count live-culture days and the ultra-processed share."""
        cover = self.known_coverage
        return cover is not None and cover >= self.min_coverage and self.known_servings > 0

    @property
    def live_cultures_known(self) -> bool:
        """Live-culture days can be counted (else "not enough known foods")."""
        return self.foods_known and self.live_cultures_tagged

    @property
    def ultra_processed_share(self) -> float | None:
        """Ultra-processed servings among servings with facts; None when that is not known."""
        if not self.foods_known or not self.ultra_processed_tagged:
            return None
        return self.ultra_processed_servings / self.known_servings

    @property
    def sleep_quality_nights(self) -> int:
        return sum(self.sleep_quality)


@dataclass(frozen=True)
class GutSummary:
    """This period and the one before it, and what the whole diary logs."""

    today: date
    days: int  # length of each period
    this_week: WeekStats
    last_week: WeekStats
    first_day: date | None  # the diary's first local day (None: empty diary)
    factor_items: frozenset[str]  # factor items the whole diary has entries for
    factor_names: frozenset[str]  # factor event names the whole diary has (sleep_hours...)


def weekly_summary(
    events: Sequence[DiaryEvent],
    food_facts: Mapping[str, FoodFacts],
    tz: ZoneInfo,
    now: datetime,
    *,
    days: int = 7,
    min_coverage: float = MIN_COVERAGE,
) -> GutSummary:
    """The last `days` local days up to and including today, and the `days` before them.

    Raises ValueError for naive datetimes or `days` < 1.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if any(e.at.tzinfo is None or e.at.utcoffset() is None for e in events):
        raise ValueError("DiaryEvent.at must be timezone-aware")
    if days < 1:
        raise ValueError("days must be at least 1")
    ordered = sorted(events, key=lambda e: e.at)
    facts = normalised(food_facts)
    live = any(FERMENTED in f.tags for f in facts.values())
    ultra = any(ULTRA_PROCESSED in f.tags for f in facts.values())
    by_day: dict[date, list[DiaryEvent]] = defaultdict(list)
    for e in ordered:
        by_day[e.at.astimezone(tz).date()].append(e)
    first = min(by_day, default=None)
    onsets = Counter(
        a.onset.astimezone(tz).date() for a in find_attacks(ordered, AnalysisSettings())
    )
    today = now.astimezone(tz).date()
    span = timedelta(days=days)
    this_first = today - span + timedelta(days=1)

    def week(start: date) -> WeekStats:
        period = [start + timedelta(days=i) for i in range(days)]
        stats = _week_stats(period, by_day, facts, onsets, first, min_coverage)
        return replace(stats, live_cultures_tagged=live, ultra_processed_tagged=ultra)

    readings = readings_by_name(ordered)
    return GutSummary(
        today=today,
        days=days,
        this_week=week(this_first),
        last_week=week(this_first - span),
        first_day=first,
        factor_items=frozenset(factors_in_diary(readings)),
        factor_names=frozenset(readings),
    )


def _factor(e: DiaryEvent) -> str | None:
    return e.name.strip().lower() if e.kind == FACTOR_KIND and e.name else None


def _happened(e: DiaryEvent) -> bool:
    """A logged-when-it-happens factor (exercise, probiotic): no value or a positive one."""
    return e.value is None or e.value > 0


def _top(counts: Counter[str], n: int = 3) -> tuple[str, ...]:
    return tuple(name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def _week_stats(
    period: Sequence[date],
    by_day: Mapping[date, Sequence[DiaryEvent]],
    facts: Mapping[str, FoodFacts],
    onsets: Mapping[date, int],
    first: date | None,
    min_coverage: float,
) -> WeekStats:
    diary_days = sum(1 for d in period if first is not None and d >= first)
    logged = food_days = live_days = probiotic_days = exercise_days = 0
    servings = fiber_servings = known = ultra = fiber = 0.0
    live_foods: Counter[str] = Counter()
    ultra_foods: Counter[str] = Counter()
    sleep: list[float] = []
    quality = [0, 0, 0]
    stress: list[float] = []
    for day in period:
        entries = by_day.get(day, ())
        if not entries:
            continue
        logged += 1
        foods = [
            (n, servings_of(e))
            for e in entries
            if (n := food_name(e)) is not None and n != SKIPPED_MEAL
        ]
        if foods:
            food_days += 1
        live_today = False
        for name, amount in foods:
            servings += amount
            f = facts.get(name)
            if f is None:
                continue
            known += amount
            if f.fiber_g is not None:
                fiber_servings += amount
                fiber += f.fiber_g * amount
            if FERMENTED in f.tags:
                live_today = True
                live_foods[name] += 1
            if ULTRA_PROCESSED in f.tags:
                ultra += amount
                ultra_foods[name] += 1
        live_days += live_today
        named = [(n, e) for e in entries if (n := _factor(e)) is not None]
        probiotic_days += any(n == PROBIOTIC and _happened(e) for n, e in named)
        exercise_days += any(n == EXERCISE and _happened(e) for n, e in named)
        # the latest entry of a night counts (a later message corrects an earlier one)
        hours = [e.value for n, e in named if n == SLEEP_HOURS and e.value is not None]
        if hours:
            sleep.append(hours[-1])
        rated = [e.value for n, e in named if n == SLEEP_QUALITY and e.value is not None]
        if rated and 1 <= round(rated[-1]) <= 3:
            quality[round(rated[-1]) - 1] += 1
        day_stress = _mean(e.value for n, e in named if n == STRESS and e.value is not None)
        if day_stress is not None:
            stress.append(day_stress)
    return WeekStats(
        first_day=period[0],
        last_day=period[-1],
        diary_days=diary_days,
        logged_days=logged,
        food_days=food_days,
        servings=servings,
        fiber_servings=fiber_servings,
        fiber_g=fiber,
        known_servings=known,
        live_culture_days=live_days,
        live_culture_foods=_top(live_foods),
        ultra_processed_servings=ultra,
        ultra_processed_foods=_top(ultra_foods, 2),
        probiotic_days=probiotic_days,
        exercise_days=exercise_days,
        sleep_nights=len(sleep),
        sleep_hours=_mean(sleep),
        sleep_quality=(quality[0], quality[1], quality[2]),
        stress_days=len(stress),
        stress=_mean(stress),
        attacks=sum(onsets.get(d, 0) for d in period),
        min_coverage=min_coverage,
    )


# ---------------------------------------------------------------------------------------------
# The reply


def render_gut_html(summary: GutSummary, report: TriggerReport) -> str:
    """The /gut reply in Telegram HTML (<b>, <i>, <code> only), under Telegram's limit, ending
    with the disclaimer line. `report` is `analyse(...)` over the whole diary with `food_facts`."""
    for detail in (True, False):
        text = _reply(summary, report, detail)
        if len(text) < TELEGRAM_LIMIT:
            return text
    # never expected (about 3,000 characters at most); keep the disclaimer whatever happens
    tail = "\n\n<i>" + DISCLAIMER + "</i>"
    body = text[: -len(tail)]
    cut = body.rfind("\n", 0, TELEGRAM_LIMIT - len(tail) - 3)
    if cut <= 0:
        cut = max(body.find("\n"), 0)
    return body[:cut] + "\n…" + tail


def _reply(summary: GutSummary, report: TriggerReport, detail: bool) -> str:
    lines = ["<b>Your gut week</b>"]
    if summary.first_day is None:
        lines += [
            "",
            "Nothing logged yet. Tell me what you eat and drink, how you slept and how "
            "stressed you feel, and /gut will sum up each week here.",
        ]
    else:
        lines += _week_lines(summary, detail)
        lines += ["", *_relation_lines(summary, report, detail)]
    lines += ["", f"<i>{DISCLAIMER}</i>"]
    return "\n".join(lines)


def _day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def _span(first: date, last: date) -> str:
    """'Tue 18 – Mon 24 Nov', 'Fri 31 Oct – Thu 6 Nov'."""
    start = f"{first:%a} {first.day}" if first.month == last.month else _day(first)
    return f"{start} – {_day(last)}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def _num(x: float) -> str:
    """6.75 → '6.8', 7.0 → '7'."""
    return f"{round(x, 1):g}"


def _of(n: int, total: int) -> str:
    return f"{n} of {total} {'day' if total == 1 else 'days'}"


def _change(now: float, before: float, before_text: str, same_text: bool, last: str) -> str:
    """', up from 15 g last week' — from values already rounded to what is shown."""
    if math.isclose(now, before):
        return f", same as {last}" if same_text else f" ({last}: {before_text})"
    return f", {'up' if now > before else 'down'} from {before_text} {last}"


def _week_lines(summary: GutSummary, detail: bool) -> list[str]:
    w, p = summary.this_week, summary.last_week
    weekly = summary.days == 7
    this = "this week" if weekly else f"these {summary.days} days"
    last = "last week" if weekly else "the days before"
    head = f"<i>{_span(w.first_day, w.last_day)} · {w.logged_days} of {w.diary_days} days logged"
    if 0 < w.diary_days < summary.days and summary.first_day is not None:
        head += f" (you started {_day(summary.first_day)})"
    lines = [head + "</i>", ""]
    if not w.logged_days:
        return [*lines, f"Nothing logged {this}. A quick entry each day is enough."]

    def share_change(n: int, total: int, n0: int, total0: int) -> str:
        if not total or not total0:
            return ""
        now, before = round(n / total, 2), round(n0 / total0, 2)
        if (now - before) * (n - n0) <= 0 and (n, total) != (n0, total0):
            # the count and the share disagree (2 of 7 after 2 of 6): no "up" or "down"
            return f" ({last}: {n0} of {total0})"
        return _change(now, before, f"{n0} of {total0}", (n, total) == (n0, total0), last)

    # food
    if not w.food_days:
        lines.append(f"🍽️ No food logged {this}.")
    else:
        lines += _fiber_lines(w, p, this, last, detail)
        if not w.live_cultures_known:
            lines.append("🥛 <b>Live-culture foods</b>: not enough known foods to tell")
        else:
            text = f"🥛 <b>Live-culture foods</b>: {_of(w.live_culture_days, w.food_days)}"
            if p.live_cultures_known:
                text += share_change(
                    w.live_culture_days, w.food_days, p.live_culture_days, p.food_days
                )
            lines.append(text)
            if detail and w.live_culture_foods:
                lines.append(f"   <i>{h(', '.join(w.live_culture_foods))}</i>")
        share = w.ultra_processed_share
        if share is None:
            lines.append("📦 <b>Ultra-processed</b>: not enough known foods to tell")
        else:
            known = "known " if w.known_servings < w.servings else ""
            text = (
                f"📦 <b>Ultra-processed</b>: {w.ultra_processed_servings:g} of "
                f"{w.known_servings:g} {known}serving{'' if w.known_servings == 1 else 's'} "
                f"({_pct(share)})"
            )
            before = p.ultra_processed_share
            if before is not None:
                text += _change(
                    round(share, 2),
                    round(before, 2),
                    _pct(before),
                    _pct(share) == _pct(before),
                    last,
                )
            lines.append(text)
            if detail and w.ultra_processed_foods:
                lines.append(f"   <i>mostly {h(', '.join(w.ultra_processed_foods))}</i>")
    # factors
    names = summary.factor_names
    if PROBIOTIC in names:
        lines.append(
            f"🦠 <b>Probiotic</b>: {_of(w.probiotic_days, w.logged_days)}"
            + share_change(w.probiotic_days, w.logged_days, p.probiotic_days, p.logged_days)
        )
    lines += _sleep_lines(w, p, names, this, last)
    if STRESS in names:
        if w.stress is None:
            lines.append(f"😣 <b>Stress</b>: none logged {this}")
        else:
            days = plural(w.stress_days, "day")
            text = f"😣 <b>Stress</b>: {_num(w.stress)}/5 on average ({days})"
            if p.stress is not None:
                text += _change(
                    round(w.stress, 1), round(p.stress, 1), f"{_num(p.stress)}/5", True, last
                )
            lines.append(text)
    if EXERCISE in names:
        lines.append(
            f"🏃 <b>Exercise</b>: {_of(w.exercise_days, w.logged_days)}"
            + share_change(w.exercise_days, w.logged_days, p.exercise_days, p.logged_days)
        )
    text = f"🤕 <b>Migraines</b>: {w.attacks or 'none'} started {this}"
    if p.logged_days:
        text += _change(w.attacks, p.attacks, str(p.attacks), True, last)
    lines.append(text)
    missing = [
        (what, example)
        for what, example, logged in (
            ("sleep", "“slept 6 hours”", bool(names & {SLEEP_HOURS, SLEEP_QUALITY})),
            ("stress", "“stress 3/5”", STRESS in names),
        )
        if not logged
    ]
    if missing and detail:
        whats = " and ".join(w for w, _ in missing)
        examples = ", ".join(e for _, e in missing)
        them = "them" if len(missing) > 1 else "it"
        lines += ["", f"<i>Log {whats} too ({examples}) to see {them} here.</i>"]
    return lines


def _fiber_lines(w: WeekStats, p: WeekStats, this: str, last: str, detail: bool) -> list[str]:
    per_day = w.fiber_per_day
    cover = w.fiber_coverage or 0.0
    if per_day is None:
        known = (
            f"I know the fiber of {_pct(cover)} of what you logged {this}"
            if round(100 * cover)
            else f"I don't know the fiber of what you logged {this}"
        )
        return ["🥦 <b>Fiber</b>: not enough known foods to add up", f"   <i>{known}</i>"]
    full = cover >= 1.0
    text = f"🥦 <b>Fiber</b>: {'about' if full else 'at least'} {per_day:.0f} g a day"
    before = p.fiber_per_day
    if before is not None:
        before_full = (p.fiber_coverage or 0.0) >= 1.0
        if full and before_full:
            text += _change(round(per_day), round(before), f"{before:.0f} g", True, last)
        else:  # a lower bound on either side: "up" or "down" could be the unknown foods
            text += f" ({last}: {'about' if before_full else 'at least'} {before:.0f} g)"
    out = [text]
    if detail:
        # always said: a low figure may only mean meals that were not logged
        said = "From what you logged"
        if w.food_days < w.logged_days:
            said += f", on the {plural(w.food_days, 'day')} with food"
        if not full:
            said += f", counting the {_pct(cover)} of your foods whose fiber I know"
        if w.food_days and w.servings / w.food_days < FEW_FOODS_A_DAY:
            # one or two entries a day is a diary of highlights, not of everything eaten
            said += (
                f" — about {w.servings / w.food_days:.0f} a day, so the real figure is "
                "likely higher"
            )
        out.append(f"   <i>{said}</i>")
        out.append(f"   <i>{FIBER_ADVICE[:1].upper() + FIBER_ADVICE[1:]}</i>")
    return out


def _sleep_lines(
    w: WeekStats, p: WeekStats, names: frozenset[str], this: str, last: str
) -> list[str]:
    if SLEEP_HOURS not in names and SLEEP_QUALITY not in names:
        return []
    poor, ok, good = w.sleep_quality
    rated = ", ".join(
        f"{n} {word}" for n, word in ((poor, "poor"), (ok, "OK"), (good, "good")) if n
    )
    if w.sleep_hours is None and not rated:
        return [f"😴 <b>Sleep</b>: none logged {this}"]
    if w.sleep_hours is None:
        return [f"😴 <b>Sleep</b>: {rated} {'night' if w.sleep_quality_nights == 1 else 'nights'}"]
    text = f"😴 <b>Sleep</b>: {_num(w.sleep_hours)} h a night on average"
    if p.sleep_hours is not None:
        text += _change(
            round(w.sleep_hours, 1), round(p.sleep_hours, 1), f"{_num(p.sleep_hours)} h", True, last
        )
    # hours and ratings are counted apart: "7 h, 8 h, a good and a poor night" is not two nights
    sub = "hours from " + plural(w.sleep_nights, "night")
    if rated:
        sub += f"; rated: {rated}"
    return [text, f"   <i>{sub}</i>"]


def _relation_lines(summary: GutSummary, report: TriggerReport, detail: bool) -> list[str]:
    s = report.settings
    lines = [
        "<b>How these relate to your migraines</b>",
        f"<i>From your whole diary ({plural(report.observed_days, 'day')}): the 24 hours "
        "before each new migraine vs other days.</i>",
    ]
    if not report.enough_data:
        more = max(s.min_at_risk_days - report.at_risk_days, 1)
        lines.append(
            f"Not enough days yet. I need at least {s.min_at_risk_days} logged days on which a "
            f"new migraine could start (outside a migraine and the "
            f"{s.relapse_hours / 24:.0f} days after one); you have {report.at_risk_days}. "
            f"That is at least {plural(more, 'more day')} of logging."
        )
        return lines + _low_coverage_lines(report)
    w = summary.this_week
    untagged = {
        item: f"I don't know yet which foods {what}."
        for item, what, tagged in (
            (FERMENTED_ITEM, "have live cultures", w.live_cultures_tagged),
            (ULTRA_PROCESSED_ITEM, "are ultra-processed", w.ultra_processed_tagged),
        )
        if not tagged
    }
    shown = 0
    # a food that seems to protect them is the gut finding they most want to see (kefir, say)
    protective_foods = [r for r in report.results if r.verdict == "protective" and not is_factor(r)]
    for food in protective_foods[:MAX_PROTECTIVE_FOODS]:
        lines += _item_lines(food, report, detail)
        shown += 1
    low_said: set[str] = set()
    # findings get a line each; the rest are grouped, so the reply stays short on a phone
    unlinked: list[str] = []  # looks safe
    unclear: list[str] = []  # not enough data yet
    for item in GUT_ITEMS:
        r = report.find(item)
        if r is not None and r.name == item and r.verdict == "looks_safe":
            unlinked.append(_grouped(r))
        elif r is not None and r.name == item and r.verdict == "not_enough_data":
            unclear.append(_grouped(r))
        elif r is not None and r.name == item:
            lines += _item_lines(r, report, detail)
            shown += 1
        elif _untested(item, report):
            if item not in low_said:
                low_said.update(i for i in GUT_ITEMS if _untested(i, report))
                lines += _low_coverage_lines(report)
            shown += 1
        elif item in untagged:
            lines.append(f"• <b>{h(_item_label(item))}</b>: not checked — {untagged[item]}")
            shown += 1
        elif item in summary.factor_items or (
            item in report.measure_coverage
            and report.measure_coverage[item] >= s.measure_min_coverage
        ):
            unclear.append(_item_label(item))
    if unlinked:
        lines.append(
            f"• <b>No link so far</b> <i>(enough days to say they don't raise your risk by "
            f"half)</i>: {h(', '.join(unlinked))}."
        )
    if unclear:
        lines.append(
            f"• <b>Can't tell yet</b> <i>(more days will tell)</i>: {h(', '.join(unclear))}."
        )
    shown += bool(unlinked) + bool(unclear)
    if not shown:
        lines.append("Nothing to compare yet: log food, sleep or stress and check again.")
    return lines


def _grouped(r: FoodResult) -> str:
    """An item in a grouped line; a daily amount says how much of the food it knew."""
    if r.coverage is not None and r.coverage < 1.0:
        return f"{label(r)} ({_pct(r.coverage)} of your foods known)"
    return label(r)


def _item_label(item: str) -> str:
    return item[:1].upper() + item[1:]


def _item_lines(r: FoodResult, report: TriggerReport, detail: bool) -> list[str]:
    """One finding in /triggers' words: verdict, size, then the counts it rests on."""
    s = report.settings
    name = f"• <b>{h(label(r))}</b>"
    notes: list[str] = []
    if r.verdict == "likely_trigger":
        text = f"{name}: {VERDICT_WORDS[r.verdict]} — {risk_phrase(r)}."
        notes += doubt_notes(r)
    elif r.verdict == "possible_trigger":
        text = f"{name}: {VERDICT_WORDS[r.verdict]}, could still be chance — {risk_phrase(r)}."
        text += f" {more_days_phrase(r)}".rstrip()
        notes += doubt_notes(r)
    elif r.verdict == "protective":
        text = f"{name}: {VERDICT_WORDS[r.verdict]} — {lower_risk_phrase(r)}."
        notes.append("It may go with something else you do on those days.")
    elif r.verdict == "looks_safe":
        text = (
            f"{name}: {VERDICT_WORDS[r.verdict]} — enough days to say it does not raise your "
            "risk by half or more."
        )
    elif r.unexposed < s.min_unexposed:
        text = (
            f"{name}: {VERDICT_WORDS[r.verdict]} — only {plural(r.unexposed, 'day')} without it, "
            f"I need {s.min_unexposed} to compare."
        )
    elif r.too_few_days:
        needed = (
            f"about {r.extra_exposed_days_needed} more needed"
            if r.extra_exposed_days_needed and not is_factor(r)
            else "too few for the diary to tell yet"
        )
        text = (
            f"{name}: {VERDICT_WORDS[r.verdict]} — only {plural(r.exposed, 'day')} with it so "
            f"far; {needed}."
        )
    else:  # tested, but the diary cannot tell it apart from a trigger yet
        text = f"{name}: {VERDICT_WORDS[r.verdict]} — can't tell either way."
        text += f" {more_days_phrase(r)}".rstrip()
    out = [text]
    if not detail:
        return out
    if r.verdict in ("likely_trigger", "possible_trigger", "protective"):
        counts = counts_with_it(r, report.window)
        out.append(f"  <i>{counts[:1].upper() + counts[1:]}.</i>")
    if r.coverage is not None and r.coverage < 1.0:
        out.append(
            f"  <i>Counted from the {_pct(r.coverage)} of your foods whose amounts I know.</i>"
        )
    out += [f"  <i>{n}</i>" for n in notes]
    return out


def _untested(item: str, report: TriggerReport) -> bool:
    """A food measure the analysis left untested because too few servings carry its amount."""
    cover = report.measure_coverage.get(item)
    return cover is not None and cover < report.settings.measure_min_coverage


def _low_coverage_lines(report: TriggerReport) -> list[str]:
    """The food measures left unchecked; one line when no food is known at all (someone who
    only answers the check-in would otherwise read four lines about "the foods you logged")."""
    untested = [i for i in GUT_ITEMS if _untested(i, report)]
    ate = any(r.level in ("food", "category") for r in report.results)
    if untested and not ate:
        names = ", ".join(_item_label(i) for i in untested)
        return [f"• <b>Not checked yet</b>: {h(names)} — log what you eat to see these."]
    return [_low_coverage_line(i, report) for i in untested]


def _low_coverage_line(item: str, report: TriggerReport) -> str:
    cover = report.measure_coverage[item]
    floor = report.settings.measure_min_coverage
    if not round(100 * cover):
        why = "I don't know this for the foods you logged yet."
    else:
        why = f"I know it for {_pct(cover)} of what you logged, and need {_pct(floor)}."
    return f"• <b>{h(_item_label(item))}</b>: not checked — {why}"
