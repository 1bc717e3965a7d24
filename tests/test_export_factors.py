"""Factor events (sleep, stress, exercise...) survive /export and `haven import`, both formats.

In the CSV a factor's number travels in `quantity` and its words in `dose`; in the JSON they are
`value` and `detail`. Either way the restored diary exports byte for byte the same.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from bot.config import Settings
from bot.core.dialogue import Incoming
from bot.diary_csv import read_events
from bot.services import open_services
from tests.test_cli import haven
from tests.test_export import export

T0 = datetime(2026, 11, 24, 12, 40, tzinfo=UTC)
USER = 501  # tests.test_export.export exports this person


def build(url: str) -> None:
    async def run() -> None:
        services = await open_services(Settings(database_url=url, _env_file=None))  # type: ignore[call-arg]
        try:
            for mid, text in enumerate(
                ["slept 6.5 hours", "went for a 30 min run", "took my probiotic", "had cheese"], 1
            ):
                await services.dialogue.handle_text(Incoming(USER, USER, mid, T0, text))
        finally:
            await services.close()

    asyncio.run(run())


def test_factors_round_trip_through_csv_and_json(tmp_path: Path) -> None:
    build(f"sqlite+aiosqlite:///{tmp_path}/a.sqlite3")
    first = export(tmp_path, "a.sqlite3", "one")

    rows = list(csv.DictReader(io.StringIO(first[".csv"].decode())))
    factors = [(r["name"], r["quantity"], r["dose"]) for r in rows if r["kind"] == "factor"]
    assert sorted(factors) == [
        ("exercise", "30", "run"),
        ("probiotic", "", ""),
        ("sleep_hours", "6.5", ""),
    ]
    events = {e.name: e for e in read_events(first[".csv"].decode().splitlines())}
    assert (events["sleep_hours"].value, events["sleep_hours"].quantity) == (6.5, None)
    assert (events["exercise"].value, events["exercise"].detail) == (30.0, "run")

    document = json.loads(first[".json"])
    [run] = [e for e in document["events"] if e["name"] == "exercise"]
    assert (run["value"], run["detail"], run["quantity"]) == (30.0, "run", None)

    for suffix, db in ((".json", "b"), (".csv", "c")):
        [path] = (tmp_path / "one").glob(f"*{suffix}")
        restored = haven(
            "import",
            f"one/{path.name}",
            "--user",
            str(USER),
            tmp_path=tmp_path,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/{db}.sqlite3",
        )
        assert restored.returncode == 0, restored.stderr
        again = export(tmp_path, f"{db}.sqlite3", f"out-{db}")
        if suffix == ".json":
            assert again == first
        else:  # the CSV carries no source texts: compare the six import columns
            before = [r[:6] for r in csv.reader(io.StringIO(first[".csv"].decode()))]
            after = [r[:6] for r in csv.reader(io.StringIO(again[".csv"].decode()))]
            assert after == before
