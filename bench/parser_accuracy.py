"""Parser accuracy on the labelled cases, and how long a message takes to parse.

Run: .venv/bin/python -m bench.parser_accuracy [--vocab foods.csv] [--show-failures]

Prints: number of cases, exact-message accuracy (every event right, time to the minute), per-kind
precision/recall/F1 over events (matched on kind, name, quantity, severity and dose), the share of
matched events whose time is right, and the median parse time for messages with and without
time words (the latter must never reach dateparser, so they should be much faster).
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections import Counter
from pathlib import Path

from bot.parsing import parse_message, warm_up
from bot.parsing.cases import Case, EventKey, load_cases, parsed_key, sort_keys
from bot.parsing.events import EVENT_KINDS
from bot.parsing.times import warm_dateparser
from bot.parsing.vocabulary import Vocabulary, default_vocabulary

# Roughly "does this message state a time": used only to split the timing figures.
TIME_WORDS = re.compile(
    r"\d\s*(?:am|pm)\b|\d:\d\d|\bat\s+\d|\baround\s+\d|\bsince\b|\bago\b|yesterday|tonight|"
    r"\bthis\s+(?:morning|afternoon|evening)|last\s+night|\bfor\s+(?:breakfast|lunch|dinner)|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|\bwoke\b|november|march",
    re.IGNORECASE,
)
REPEATS = 20


def _without_time(key: EventKey) -> tuple[object, ...]:
    return key[:5] + key[6:]


def _match(expected: list[EventKey], got: list[EventKey]) -> tuple[int, int, list[EventKey]]:
    """Events matched ignoring time, how many of those have the right time, and the unmatched."""
    remaining = list(got)
    matched = timed = 0
    for key in expected:
        same = [g for g in remaining if _without_time(g) == _without_time(key)]
        if same:
            best = next((g for g in same if g[5] == key[5]), same[0])
            remaining.remove(best)
            matched += 1
            timed += best[5] == key[5]
    return matched, timed, remaining


def _median_ms(cases: list[Case], vocabulary: Vocabulary) -> float:
    if not cases:
        return float("nan")
    samples = []
    for case in cases:
        start = time.perf_counter()
        for _ in range(REPEATS):
            parse_message(case.text, case.now, case.tz, vocabulary)
        samples.append((time.perf_counter() - start) / REPEATS * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vocab", type=Path, help="a foods.csv to use instead of the shipped one")
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args()
    if args.vocab:
        vocabulary = Vocabulary.from_csv(args.vocab)
        warm_dateparser()
    else:
        warm_up()
        vocabulary = default_vocabulary()
    cases = load_cases()

    exact = 0
    true_pos: Counter[str] = Counter()
    false_pos: Counter[str] = Counter()
    false_neg: Counter[str] = Counter()
    matched_total = timed_total = 0
    for case in cases:
        result = parse_message(case.text, case.now, case.tz, vocabulary)
        got = sort_keys([parsed_key(e) for e in result.events])
        expected = sort_keys(case.expected)
        ok = got == expected and (case.intent is None or case.intent == result.intent)
        exact += ok
        if not ok and args.show_failures:
            print(f"line {case.line}: {case.text!r}\n  expected {expected}\n  got      {got}")
        for kind in EVENT_KINDS:
            exp_k = [k for k in expected if k[0] == kind]
            got_k = [k for k in got if k[0] == kind]
            matched, timed, _ = _match(exp_k, got_k)
            true_pos[kind] += matched
            false_pos[kind] += len(got_k) - matched
            false_neg[kind] += len(exp_k) - matched
            matched_total += matched
            timed_total += timed

    print(f"{'cases':<28}{len(cases):>8}")
    print(f"{'exact-message accuracy':<28}{exact / len(cases):>8.1%}")
    print(f"{'times right (matched events)':<28}{timed_total / max(matched_total, 1):>8.1%}")
    print()
    print(f"{'kind':<16}{'events':>7}{'precision':>11}{'recall':>9}{'F1':>7}")
    for kind in EVENT_KINDS:
        tp, fp, fn = true_pos[kind], false_pos[kind], false_neg[kind]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"{kind:<16}{tp + fn:>7}{precision:>11.1%}{recall:>9.1%}{f1:>7.2f}")
    print()
    with_time = [c for c in cases if TIME_WORDS.search(c.text)]
    without = [c for c in cases if not TIME_WORDS.search(c.text)]
    print(f"median parse time, with time words    ({len(with_time):>3}): ", end="")
    print(f"{_median_ms(with_time, vocabulary):.3f} ms")
    print(f"median parse time, without time words ({len(without):>3}): ", end="")
    print(f"{_median_ms(without, vocabulary):.3f} ms")


if __name__ == "__main__":
    main()
