"""The /triggers replies in Telegram HTML: a short ranked summary and the detail of one food.

Only <b>, <i> and <code> are used, every name is escaped, and the summary stays under Telegram's
4096-character limit by listing fewer foods when it must.
"""

from __future__ import annotations

from analysis.factors import FACTOR_ITEMS
from analysis.model import FoodResult, TriggerReport
from analysis.wording import (
    ITEM_WINDOW_WORDS,
    VERDICT_WORDS,
    WINDOW_WORDS,
    WINDOW_WORDS_WITH_FACTORS,
    counts_sentence,
    h,
    interval,
    is_factor,
    label,
    lower_risk_phrase,
    plural,
    risk_phrase,
    times,
)

TELEGRAM_LIMIT = 4096


def render_report_html(report: TriggerReport) -> str:
    """The /triggers summary: triggers, safe foods, amount of data, what would sharpen it."""
    for caps in ((6, 6, 15, 4), (4, 4, 10, 3), (3, 3, 6, 2), (2, 2, 3, 1), (1, 1, 0, 0)):
        text = _summary(report, *caps)
        if len(text) < TELEGRAM_LIMIT:
            return text
    return text[: TELEGRAM_LIMIT - 2] + "…"


def _summary(
    report: TriggerReport, n_likely: int, n_possible: int, n_safe: int, n_tips: int
) -> str:
    s = report.settings
    with_factors = any(is_factor(r) for r in report.results)
    title, window = (
        ("Your triggers", WINDOW_WORDS_WITH_FACTORS[report.window])
        if with_factors
        else ("Your food triggers", WINDOW_WORDS[report.window])
    )
    lines = [f"<b>{title}</b>\n<i>Looking at {window}.</i>", ""]
    if not report.enough_data:
        return "\n".join(lines + _not_enough(report))
    lines.append(
        f"Based on {plural(report.at_risk_days, 'day')} when a new migraine could start "
        f"({report.onset_days} did), from {plural(report.observed_days, 'logged day')}."
    )
    likely = [r for r in report.results if r.verdict == "likely_trigger"]
    possible = [r for r in report.results if r.verdict == "possible_trigger"]
    protective = [r for r in report.results if r.verdict == "protective"]
    safe_all = [r for r in report.results if r.verdict == "looks_safe"]
    safe = [r for r in safe_all if not is_factor(r)]
    # "poor sleep looks safe" would read as advice: for factors it is only "no link seen yet"
    unlinked = [r for r in safe_all if is_factor(r)]

    if likely:
        lines += ["", "<b>Likely triggers</b>"]
        lines += [_trigger_item(r, report) for r in likely[:n_likely]]
        if len(likely) > n_likely:
            lines.append(f"…and {len(likely) - n_likely} more.")
    if possible:
        lines += ["", "<b>Possible triggers</b> <i>(could still be chance)</i>"]
        lines += [_trigger_item(r, report) for r in possible[:n_possible]]
        if len(possible) > n_possible:
            lines.append(f"…and {len(possible) - n_possible} more.")
    if not likely and not possible:
        lines += ["", f"No food stands out yet (none above {times(s.trigger_rr)} the risk)."]
    if protective and n_possible:
        lines += ["", "<b>Seems to protect you</b> <i>(fewer migraines after it)</i>"]
        lines += [_protective_item(r, report) for r in protective[:n_possible]]
        if len(protective) > n_possible:
            lines.append(f"…and {len(protective) - n_possible} more.")
    if safe and n_safe:
        names = ", ".join(h(label(r)) for r in safe[:n_safe])
        more = f" and {len(safe) - n_safe} more" if len(safe) > n_safe else ""
        lines += ["", "<b>Look safe so far</b>", f"{names}{more}."]
    if unlinked and n_safe:
        names = ", ".join(h(label(r)) for r in unlinked)
        lines += [
            "",
            "<b>No link to your migraines so far</b> "
            "<i>(enough days to say they don't raise your risk by half)</i>",
            f"{names}.",
        ]
    tips = _tips(report, n_tips)
    if tips:
        lines += ["", "<b>What would sharpen the picture</b>", *tips]
    lines += [
        "",
        "<i>Patterns in your diary, not proof. A planned test on a good day is the surest check."
        " Details: /triggers food NAME</i>",
    ]
    return "\n".join(lines)


def _not_enough(report: TriggerReport) -> list[str]:
    s = report.settings
    out = [
        "<b>Not enough days yet</b>",
        "I compare days after a food with days without it, so I need at least "
        f"{s.min_at_risk_days} days on which a new migraine could start: logged days, "
        f"outside a migraine and the {s.relapse_hours / 24:.0f} days after one. "
        f"You have {report.at_risk_days} so far.",
        "",
        "Keep logging what you eat, also on good days, and answer the evening check-in. "
        "About 90 days give a first picture.",
    ]
    if report.window_gap_days:
        out.append(
            f"{plural(report.window_gap_days, 'day')} could not be used because the day before "
            "had nothing logged."
        )
    return out


def _trigger_item(r: FoodResult, report: TriggerReport) -> str:
    sentence = counts_sentence(r, report.window)
    text = f"• <b>{h(label(r))}</b>: {sentence} — {risk_phrase(r)}."
    notes = doubt_notes(r)
    return text + "".join(f"\n  <i>{n}</i>" for n in notes)


def _protective_item(r: FoodResult, report: TriggerReport) -> str:
    """'• Yoghurt: on 3 of 40 days after yoghurt you had a migraine, vs ... — about half...'."""
    return f"• <b>{h(label(r))}</b>: {counts_sentence(r, report.window)} — {lower_risk_phrase(r)}."


def doubt_notes(r: FoodResult) -> list[str]:
    """The warnings under a trigger (a companion it can't be told from, a possible craving);
    /gut lists the same results with the same notes."""
    notes: list[str] = []
    if r.confounded_with and is_factor(r):
        notes.append(f"Can't separate from {h(r.confounded_with)} yet: they mostly came together.")
    elif r.confounded_with:
        notes.append(
            f"Can't separate from {h(r.confounded_with)} yet: you mostly had them together. "
            "Try one without the other."
        )
    if r.craving_suspect:
        earlier = ""
        if r.rr_without_late is not None:
            earlier = f" Counting only earlier intake: {times(r.rr_without_late)}."
        notes.append(
            "You often had it in the few hours before a migraine. A craving can be an early "
            "sign of an attack rather than its cause: to test it, have some on a good day."
            + earlier
        )
    return notes


def _tips(report: TriggerReport, n: int) -> list[str]:
    if n == 0:
        return []
    tips: list[str] = []
    for r in report.results:
        if r.verdict == "possible_trigger" and r.extra_exposed_days_needed and not is_factor(r):
            tips.append(
                f"• {h(label(r))}: about {r.extra_exposed_days_needed} more days with it "
                "would tell."
            )
    thin = [r for r in report.results if r.too_few_days and r.exposed > 0 and not is_factor(r)]
    thin.sort(key=lambda r: -r.exposed)
    for r in thin:
        if r.extra_exposed_days_needed is not None:
            tips.append(
                f"• {h(label(r))}: only {plural(r.exposed, 'day')} so far; about "
                f"{r.extra_exposed_days_needed} more needed."
            )
    tips = tips[:n]
    rest = sum(1 for r in report.results if r.too_few_days and not is_factor(r))
    if rest > len(tips):
        verb = "has" if rest == 1 else "have"
        tips.append(f"• {plural(rest, 'food')} {verb} too few days to judge yet.")
    if report.window_gap_days:
        tips.append(
            f"• {plural(report.window_gap_days, 'day')} left out because the day before had "
            "nothing logged: a quick entry every day helps."
        )
    return tips


def render_food_detail_html(report: TriggerReport, name: str) -> str:
    """/triggers food NAME: every number for one food or category, in plain words."""
    r = report.find(name)
    if r is None:
        return _nothing_for(report, name)
    s = report.settings
    pct_exposed = f" ({100 * r.a / r.exposed:.0f} %)" if r.exposed else ""
    pct_other = f" ({100 * r.c / r.unexposed:.0f} %)" if r.unexposed else ""
    factor = is_factor(r)
    window = (ITEM_WINDOW_WORDS if factor else WINDOW_WORDS)[report.window]
    lines = [
        f"<b>{h(label(r))}</b> — "
        + ("no link so far" if factor and r.verdict == "looks_safe" else VERDICT_WORDS[r.verdict]),
        f"<i>Looking at {window}.</i>",
        "",
        f"Days {'with' if factor else 'after'} it: {r.exposed}; "
        f"a migraine started on {r.a}{pct_exposed}.",
        f"Other days: {r.unexposed}; a migraine started on {r.c}{pct_other}.",
    ]
    if r.coverage is not None and r.coverage >= 0.995:
        lines.append("Added up from everything you logged: I know the amounts of all of it.")
    elif r.coverage is not None:
        lines.append(
            f"Added up from the {100 * r.coverage:.0f} % of your logged servings whose amounts "
            "I know; the others count as none."
        )
    if not report.enough_data:
        lines += ["", *_not_enough(report)]
        return "\n".join(lines)
    if r.rr is not None:
        lines.append(
            f"Risk: {times(r.rr)} that of other days "
            f"(95 % interval {interval(r.ci_low, r.ci_high)})."
        )
    if r.verdict == "protective" and r.q_lower is not None:
        lines.append(
            f"Could it be chance? p = <code>{r.p_lower:.3g}</code> for a lower risk; allowing "
            f"for everything checked, q = <code>{r.q_lower:.3g}</code> "
            f"(below {s.likely_q:g} counts as clear)."
        )
    elif r.q is not None:
        lines.append(
            f"Could it be chance? p = <code>{r.p:.3g}</code>; allowing for everything checked, "
            f"q = <code>{r.q:.3g}</code> (below {s.likely_q:g} counts as likely)."
        )
    if r.adjusted_for and r.adjusted_rr is not None:
        lines.append(
            f"Taking {h(r.adjusted_for)} into account "
            f"({'often together with it' if factor else 'often eaten with it'}): "
            f"{times(r.adjusted_rr)}."
        )
    lines += [f"<i>{n}</i>" for n in doubt_notes(r)]
    if r.same_as:
        lines.append(f"Same days as {h(', '.join(r.same_as))}, so those give the same numbers.")
    if r.too_few_days:
        lines.append(
            f"Needs at least {s.min_exposed} days with it and {s.min_unexposed} without "
            "before I judge it."
        )
    if factor and r.verdict in ("not_enough_data", "possible_trigger"):
        lines.append("More days in your diary will tell; keep logging as usual.")
    elif r.extra_exposed_days_needed:
        lines.append(
            f"About {r.extra_exposed_days_needed} more days with it would show a doubling of "
            "risk, if there is one, 8 times out of 10."
        )
    elif r.verdict in ("not_enough_data", "possible_trigger") and r.exposed:
        lines.append("You have it too rarely for the diary alone to tell; a planned test would.")
    lines += ["", _meaning(r)]
    return "\n".join(lines)


def _nothing_for(report: TriggerReport, name: str) -> str:
    """/triggers food NAME when NAME has no result: why, in words that fit what NAME is."""
    s = report.settings
    title = f"<b>{h(name.strip()[:1].upper() + name.strip()[1:] or '?')}</b>\n"
    if name in report.measure_coverage:
        cover = report.measure_coverage[name]
        if cover < s.measure_min_coverage:
            return title + (
                f"I know the amounts for only {100 * cover:.0f} % of what you logged, so I "
                "don't check it yet: added up, the unknown foods would count as none."
            )
        return title + "None of your analysed days had it yet, so there is nothing to compare."
    if name in FACTOR_ITEMS:
        return title + (
            f"Not in your analysis yet: I check it once your diary has it on {s.min_exposed} "
            "days and not on others."
        )
    return title + (
        "I have no analysed days with it yet. Log it when you have it; after "
        f"{s.min_exposed} days with it I can start comparing."
    )


def _meaning(r: FoodResult) -> str:
    if is_factor(r) and r.verdict == "likely_trigger":
        return (
            "<i>A strong pattern that is unlikely to be chance. It shows a link, not the cause: "
            "talk it over with your doctor.</i>"
        )
    if is_factor(r) and r.verdict == "looks_safe":
        return "<i>Enough days to say it does not go with a risk raised by half or more.</i>"
    return {
        "likely_trigger": "<i>A strong pattern that is unlikely to be chance. Only a planned test "
        "(have it on a good day, note what follows) shows it is the cause.</i>",
        "possible_trigger": "<i>More migraines after it, but not enough days to rule out chance "
        "yet.</i>",
        "protective": "<i>Clearly fewer migraines after it, unlikely to be chance. A personal "
        "pattern, not medical advice: it may go with something else you do on those days.</i>",
        "looks_safe": "<i>Enough days to say it does not raise your risk by half or more.</i>",
        "not_enough_data": "<i>The diary cannot tell yet either way.</i>",
    }[r.verdict]
