"""Haven's parser against dateparser's `search_dates` on the same labelled messages.

Run: .venv/bin/python -m bench.parser_vs_dateparser [--repeats 5]

Both run in the same warm process (vocabulary loaded, dateparser's English data built, one
untimed pass each first) over every message in `tests/data/parser_cases.jsonl`, each message
timed `--repeats` times; the per-message figure is the mean of those repeats. Prints the median
and 90th percentile per message for both, and dateparser/Haven. `search_dates` only finds dates;
Haven's `parse_message` finds food, medication, migraines *and* their times, so this is the
price of the whole parse against dateparser's date search alone. It also counts how many
messages ever reach dateparser inside Haven (only those with an explicit calendar date may).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from bot.parsing import parse_message, times, warm_up
from bot.parsing.cases import Case, load_cases
from bot.parsing.vocabulary import default_vocabulary


def _per_message_ms(cases: list[Case], run: Callable[[Case], object], repeats: int) -> list[float]:
    samples = []
    for case in cases:
        start = time.perf_counter()
        for _ in range(repeats):
            run(case)
        samples.append((time.perf_counter() - start) / repeats * 1000)
    return samples


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    from dateparser.search import search_dates

    warm_up()
    vocabulary = default_vocabulary()
    cases = load_cases()

    def haven(case: Case) -> object:
        return parse_message(case.text, case.now, case.tz, vocabulary)

    def dateparser_search(case: Case) -> object:
        settings: Any = {"RELATIVE_BASE": case.now.replace(tzinfo=None)}
        return search_dates(case.text, languages=["en"], settings=settings)

    reached: set[str] = set()
    original = times._dateparser_parse

    def counting(text: str, base: Any, date_order: str = "DMY") -> Any:
        reached.add(text)
        return original(text, base, date_order)

    times._dateparser_parse = counting  # count which messages reach dateparser inside Haven
    try:
        reaching = 0
        for case in cases:  # the untimed warm pass, also counting messages that reach dateparser
            reached.clear()
            haven(case)
            reaching += bool(reached)
            dateparser_search(case)
    finally:
        times._dateparser_parse = original

    ours = _per_message_ms(cases, haven, args.repeats)
    theirs = _per_message_ms(cases, dateparser_search, args.repeats)
    rows = [
        ("Haven parse_message", ours),
        ("dateparser search_dates", theirs),
    ]
    print(f"{len(cases)} messages, {args.repeats} repeats each, same warm process")
    print(f"{'':<26}{'median ms':>10}{'p90 ms':>9}{'total ms':>10}")
    for name, values in rows:
        print(
            f"{name:<26}{statistics.median(values):>10.3f}{_p90(values):>9.3f}{sum(values):>10.1f}"
        )
    median_ratio = statistics.median(theirs) / statistics.median(ours)
    print(
        f"{'ratio dateparser/Haven':<26}{median_ratio:>9.1f}x"
        f"{_p90(theirs) / _p90(ours):>8.1f}x{sum(theirs) / sum(ours):>9.1f}x"
    )
    print(f"messages that reach dateparser inside Haven: {reaching} of {len(cases)}")


if __name__ == "__main__":
    main()
