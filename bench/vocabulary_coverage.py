"""How much of the food vocabulary, and of what people log, has a fiber value and the gut tags.

Run: .venv/bin/python -m bench.vocabulary_coverage [--vocab foods.csv]

Prints two tables. The vocabulary: rows with a fiber value per serving (foods and drinks, then
all rows including categories), split by where the figure came from (USDA SR28, Haven's estimate,
zero by composition), and rows tagged ultra-processed or live-cultures (own or inherited tags).
Logged servings: the share of food events whose name resolves to a vocabulary food with a fiber
value, over the parser's test messages (tests/data/parser_cases.jsonl, parsed with the real
parser) and over the seeded synthetic diaries of bench/simulate_triggers.py and
bench/simulate_protective.py (one diary each, seed 1). One food event counts as one serving ("2
coffees" is one event), as in analysis/measures.py. The analysis tests a food measure only when at
least half of the logged servings carry its data, so the last column is what matters for it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from analysis import DiaryEvent
from bench import simulate_protective, simulate_triggers
from bot.parsing import parse_message
from bot.parsing.cases import load_cases
from bot.parsing.vocabulary import DATA_FILE, Food, Vocabulary

SOURCES = ("usda-sr28", "fiber-estimate", "fiber-zero")


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f} %" if whole else "    -  "


def vocabulary_table(vocab: Vocabulary) -> list[tuple[str, int, int]]:
    """(label, count, out of) rows for the vocabulary itself."""
    foods = [f for f in vocab.foods.values() if not f.is_category]
    every = list(vocab.foods.values())
    rows: list[tuple[str, int, int]] = []
    for label, group in (("foods and drinks", foods), ("all rows", every)):
        with_fiber = [f for f in group if f.fiber_g is not None]
        rows.append((f"{label}: with a fiber value", len(with_fiber), len(group)))
        for source in SOURCES:
            n = sum(1 for f in with_fiber if source in f.source)
            rows.append((f"  of which {source}", n, len(group)))
    for tag in ("ultra-processed", "live-cultures"):
        rows.append((f"foods and drinks tagged {tag}", _tagged(foods, tag), len(foods)))
        rows.append((f"all rows tagged {tag}", _tagged(every, tag), len(every)))
    return rows


def _tagged(foods: Sequence[Food], tag: str) -> int:
    return sum(1 for f in foods if tag in f.tags)


def parser_servings(vocab: Vocabulary) -> list[str]:
    """Food names the parser logs from the labelled test messages."""
    names = []
    for case in load_cases():
        for event in parse_message(case.text, case.now, case.tz, vocab).events:
            if event.kind == "food" and event.name:
                names.append(event.name)
    return names


def simulated_servings(simulate: Callable[[int], Sequence[DiaryEvent]]) -> list[str]:
    """Food names logged in one seeded synthetic diary."""
    return [e.name for e in simulate(1) if e.kind == "food" and e.name]


def servings_table(vocab: Vocabulary, parsed: list[str]) -> list[tuple[str, int, int, int, float]]:
    """(source, servings, resolved to a vocabulary food, with a fiber value, share) rows."""
    sources = {
        f"parser test messages ({len(load_cases())})": parsed,
        "simulate_triggers diary (seed 1, 1 year)": simulated_servings(
            simulate_triggers.simulate_diary
        ),
        "simulate_protective diary (seed 1, 2 years)": simulated_servings(
            simulate_protective.simulate_diary
        ),
    }
    rows = []
    for label, names in sources.items():
        resolved = [f for n in names if (f := vocab.resolve(n)) is not None]
        fiber = sum(1 for f in resolved if f.fiber_g is not None)
        rows.append((label, len(names), len(resolved), fiber, vocab.fiber_coverage(names)))
    return rows


def missing(vocab: Vocabulary, names: Sequence[str]) -> list[str]:
    """Logged names without a fiber value, most frequent first."""
    counts: dict[str, int] = {}
    for n in names:
        f = vocab.resolve(n)
        if f is None or f.fiber_g is None:
            counts[n] = counts.get(n, 0) + 1
    return [f"{n} ×{c}" for n, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vocab", type=Path, default=DATA_FILE, help="a foods.csv to measure")
    args = parser.parse_args(argv)
    vocab = Vocabulary.from_csv(args.vocab)

    print(f"vocabulary: {args.vocab}\n")
    print(f"{'rows':<52} {'count':>6} {'of':>6} {'share':>8}")
    for label, n, total in vocabulary_table(vocab):
        print(f"{label:<52} {n:>6} {total:>6} {_share(n, total):>8}")

    print(f"\n{'logged servings':<52} {'events':>6} {'known':>6} {'fiber':>6} {'share':>8}")
    parsed = parser_servings(vocab)
    for label, n, known, fiber, share in servings_table(vocab, parsed):
        print(f"{label:<52} {n:>6} {known:>6} {fiber:>6} {100 * share:6.1f} %")
    gaps = missing(vocab, parsed)
    print(f"\nparser test servings without a fiber value: {', '.join(gaps) or 'none'}")


if __name__ == "__main__":
    main()
