"""Export → `haven import` into an empty database → export gives identical files.

The diary is built through the real dialogue (messages, an edit, an undo, a CSV import, a
timezone, a reminder and two /settings switches), then exported and restored with the real
`haven` command line.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.dialogue import Incoming
from bot.diary_csv import COLUMNS, read_events
from bot.services import open_services
from tests.test_cli import haven

T0 = datetime(2026, 11, 20, 7, 30, tzinfo=UTC)
USER = 501


def build_diary(url: str) -> None:
    async def run() -> None:
        services = await open_services(Settings(database_url=url, _env_file=None))  # type: ignore[call-arg]
        dialogue = services.dialogue

        async def say(mid: int, text: str, at: datetime, edited: datetime | None = None) -> None:
            await dialogue.handle_text(Incoming(USER, USER, mid, at, text, edited))

        try:
            await say(1, "/timezone Europe/Berlin", T0)
            await say(2, '2 coffees and a croissant, then some "aged" cheese, too', T0)
            await say(3, "migraine started at 3pm, 7/10", T0 + timedelta(hours=8))
            await say(4, "took 50mg sumatriptan", T0 + timedelta(hours=9))
            await say(5, "had red wine", T0 + timedelta(days=1))
            await say(5, "had a beer", T0 + timedelta(days=1), T0 + timedelta(days=1, minutes=2))
            await say(6, "had an apple", T0 + timedelta(days=2))
            await say(7, "/undo", T0 + timedelta(days=2, minutes=1))
            await say(8, "/reminder 21:30", T0 + timedelta(days=2, minutes=2))
            await say(9, "/food my usual = flat white", T0 + timedelta(days=2, minutes=3))
            await say(10, "/settings", T0 + timedelta(days=2, minutes=4))
            for code in ("t", "p"):  # stress and period tracking on, as tapped in /settings
                await dialogue.handle_button(USER, f"st:{USER}:{code}:1")
            await services.diary.add_events(
                USER,
                read_events(
                    [
                        "at,kind,name,quantity,severity,dose",
                        "2026-11-01T12:00:00+00:00,food,dark chocolate,0.5,,",
                    ]
                ),
            )
        finally:
            await services.close()

    asyncio.run(run())


def export(tmp_path: Path, db: str, out: str) -> dict[str, bytes]:
    result = haven(
        "export",
        "--user",
        str(USER),
        "--out",
        out,
        tmp_path=tmp_path,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/{db}",
    )
    assert result.returncode == 0, result.stderr
    files = [Path(line) for line in result.stdout.split()]
    return {path.suffix: (tmp_path / path).read_bytes() for path in files}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """One diary, built and exported once for the tests below."""
    tmp_path = tmp_path_factory.mktemp("export")
    build_diary(f"sqlite+aiosqlite:///{tmp_path}/first.sqlite3")
    return tmp_path, export(tmp_path, "first.sqlite3", "one")


def test_export_import_export_is_byte_identical(
    exported: tuple[Path, dict[str, bytes]],
) -> None:
    tmp_path, first = exported
    assert set(first) == {".csv", ".json"}

    rows = list(csv.DictReader(io.StringIO(first[".csv"].decode())))
    assert list(rows[0]) == [*COLUMNS, "local_time", "source_text"]
    assert [r["name"] for r in rows] == [
        "dark chocolate",
        "coffee",
        "croissant",
        "cheese",
        "",
        "sumatriptan",
        "beer",
    ]
    assert rows[1]["quantity"] == "2" and rows[1]["local_time"].endswith("+01:00")
    assert rows[3]["source_text"] == '2 coffees and a croissant, then some "aged" cheese, too'
    assert rows[0]["source_text"] == ""  # imported: it came from no message
    document = json.loads(first[".json"])
    assert document["settings"] == {
        "timezone": "Europe/Berlin",
        "reminder": {"time": "21:30", "enabled": True, "off_reason": None},
        "checkin_rows": {
            "sleep_quality": False,
            "stress": True,
            "exercise": False,
            "period": True,
        },
    }
    assert [m["undone"] for m in document["messages"]] == [False, False, False, False, True]
    assert document["food_words"] == [
        {"phrase": "my usual", "target": "flat white", "kind": "synonym"}
    ]

    restored = haven(
        "import",
        "one/" + _name(first, tmp_path, "one", ".json"),
        "--user",
        str(USER),
        tmp_path=tmp_path,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/second.sqlite3",
    )
    assert restored.returncode == 0, restored.stderr
    assert "restored 7 events" in restored.stdout
    second = export(tmp_path, "second.sqlite3", "two")
    assert second[".csv"] == first[".csv"]
    assert second[".json"] == first[".json"]

    again = haven(
        "import",
        "one/" + _name(first, tmp_path, "one", ".json"),
        "--user",
        str(USER),
        tmp_path=tmp_path,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/second.sqlite3",
    )
    assert again.returncode == 1 and "already has a diary" in again.stdout  # never doubled


def test_exported_csv_imports_its_six_columns_and_ignores_the_rest(
    exported: tuple[Path, dict[str, bytes]],
) -> None:
    tmp_path, first = exported
    imported = haven(
        "import",
        "one/" + _name(first, tmp_path, "one", ".csv"),
        "--user",
        "7",
        tmp_path=tmp_path,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/third.sqlite3",
    )
    assert imported.returncode == 0, imported.stderr
    result = haven(
        "export",
        "--user",
        "7",
        "--out",
        "three",
        tmp_path=tmp_path,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/third.sqlite3",
    )
    [csv_path] = [Path(p) for p in result.stdout.split() if p.endswith(".csv")]
    again = list(csv.reader(io.StringIO((tmp_path / csv_path).read_text())))
    before = list(csv.reader(io.StringIO(first[".csv"].decode())))
    assert [row[:6] for row in again] == [row[:6] for row in before]


def _name(files: dict[str, bytes], tmp_path: Path, folder: str, suffix: str) -> str:
    [path] = (tmp_path / folder).glob(f"*{suffix}")
    return path.name
