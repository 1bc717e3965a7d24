"""Start-up cost of the food vocabulary: time and memory to load it, and lookup speed.

Run with `python -m bench.vocabulary_load [--runs N]`. Loads the shipped data file N times in this
process (wall-clock median and worst, and CPU-time median), once under tracemalloc for memory, and
times `match_at` on a message with typical and misspelt words, so that a growing data file cannot
quietly slow down the bot's start.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable

from bot.parsing.vocabulary import DATA_FILE, Vocabulary, words_of

SAMPLE = (
    "had a glass of red and some dark chocolate after dinner, then a cheese toastie; "
    "capuccino and a brocoli sandwhich at lunch, started feeling pretty rough by the morning"
)


def _timed(
    fn: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter
) -> list[float]:
    out = []
    for _ in range(runs):
        start = clock()
        fn()
        out.append(clock() - start)
    return out


# A fresh interpreter that imports only the vocabulary module (by path, so that the parser
# package's own imports are not counted) and loads the shipped data: import-to-ready time.
_COLD = """
import importlib.util, sys, time
start = time.perf_counter()
spec = importlib.util.spec_from_file_location("vocabulary", {path!r})
module = importlib.util.module_from_spec(spec)
sys.modules["vocabulary"] = module
spec.loader.exec_module(module)
module.Vocabulary.from_csv()
print(time.perf_counter() - start)
"""


def _cold_start(runs: int) -> list[float]:
    import bot.parsing.vocabulary as vocabulary_module

    code = _COLD.format(path=vocabulary_module.__file__)
    out = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        out.append(float(done.stdout.strip()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    loads = _timed(lambda: Vocabulary.from_csv(DATA_FILE), args.runs)
    # CPU time is steadier than wall time on a shared machine.
    cpu = _timed(lambda: Vocabulary.from_csv(DATA_FILE), args.runs, time.process_time)

    cold = _cold_start(max(3, args.runs // 2))

    tracemalloc.start()
    vocab = Vocabulary.from_csv(DATA_FILE)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    words = words_of(SAMPLE)

    def scan() -> None:
        for i in range(len(words)):
            vocab.match_at(words, i)

    scans = _timed(scan, 50)
    foods = sum(1 for f in vocab.foods.values() if f.kind != "category")
    rows = [
        ("rows (foods + categories)", f"{len(vocab)} ({foods} + {len(vocab) - foods})"),
        ("phrases listed (plurals resolved at lookup)", f"{len(vocab.phrases())}"),
        (f"load time, median of {args.runs}", f"{statistics.median(loads) * 1000:.1f} ms"),
        (f"load time, worst of {args.runs}", f"{max(loads) * 1000:.1f} ms"),
        (f"load CPU time, median of {args.runs}", f"{statistics.median(cpu) * 1000:.1f} ms"),
        (
            f"fresh process, import to ready, median of {len(cold)}",
            f"{statistics.median(cold) * 1000:.1f} ms",
        ),
        ("memory retained after load", f"{current / 1e6:.1f} MB"),
        ("memory peak during load", f"{peak / 1e6:.1f} MB"),
        (
            f"match_at per word ({len(words)}-word message)",
            f"{statistics.median(scans) / len(words) * 1e6:.0f} µs",
        ),
    ]
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  -----")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
