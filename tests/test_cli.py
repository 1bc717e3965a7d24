"""The `haven` console script as a person or a script would use it (a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HAVEN = [sys.executable, "-m", "bot.cli"]


def haven(
    *args: str, tmp_path: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.sqlite3",
        "TELEGRAM_BOT_TOKEN": "",
        **env,
    }
    return subprocess.run(
        [*HAVEN, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,  # no stray .env from the checkout
        env=environment,
        check=False,
    )


def test_parse_prints_the_events_contract(tmp_path: Path) -> None:
    out = haven(
        "parse",
        "--now",
        "2026-11-24T18:30:00+00:00",
        "--tz",
        "Europe/London",
        "had 2 coffees and took 50mg sumatriptan at 4pm",
        tmp_path=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    events = json.loads(out.stdout)["events"]
    assert {
        "kind": "food",
        "at": "2026-11-24T18:30:00+00:00",
        "name": "coffee",
        "quantity": 2.0,
    } in events
    assert {
        "kind": "medication",
        "at": "2026-11-24T16:00:00+00:00",
        "name": "sumatriptan",
        "dose": "50mg",
    } in events


def test_parse_jsonl_answers_one_line_per_message(tmp_path: Path) -> None:
    out = haven(
        "parse",
        "--jsonl",
        "--now",
        "2026-11-24T12:00:00",
        "--tz",
        "Asia/Kolkata",
        tmp_path=tmp_path,
        stdin="no migraine today\nhello\nskipped lunch\n",
    )
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [[e["kind"] for e in line["events"]] for line in lines] == [
        ["no_migraine"],
        [],
        ["skipped_meal"],
    ]
    assert lines[2]["events"][0]["name"] == "lunch"
    assert lines[0]["events"][0]["at"].endswith("+05:30")


def test_parse_rejects_an_unknown_timezone(tmp_path: Path) -> None:
    out = haven("parse", "--tz", "Mars/Base", "coffee", tmp_path=tmp_path)
    assert out.returncode == 2 and "unknown timezone" in out.stdout


def test_start_without_token_opens_the_terminal_chat_and_keeps_the_diary(tmp_path: Path) -> None:
    out = haven("start", tmp_path=tmp_path, stdin="had cheese and wine at lunch\n/history\n")
    assert out.returncode == 0, out.stderr
    assert "terminal chat" in out.stdout
    assert "Logged 🧀 cheese and 🍷" in out.stdout and "12:30" in out.stdout
    history = out.stdout.split("you> ")[-2]
    assert "cheese" in history and "wine" in history
    again = haven("chat", tmp_path=tmp_path, stdin="/history\n")
    assert "cheese" in again.stdout  # the same database, a new session


def test_chat_buttons_are_tapped_by_number(tmp_path: Path) -> None:
    out = haven("chat", tmp_path=tmp_path, stdin="migraine started\n#7\n/history\n")
    assert out.returncode == 0, out.stderr
    assert "[#7] 7" in out.stdout and "severity 7/10" in out.stdout
    assert "migraine 7/10" in out.stdout.split("you> ")[-2]


def test_db_upgrade_then_import_reports_bad_rows_and_imports_nothing(tmp_path: Path) -> None:
    assert haven("db", "upgrade", tmp_path=tmp_path).returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "at,kind,name,quantity,severity,dose\n"
        "2026-11-01T12:00:00+00:00,food,cheese,,,\n"
        "yesterday,food,wine,,,\n"
        "2026-11-01T15:00:00+00:00,migraine_start,,,11,\n"
    )
    out = haven("import", str(bad), "--user", "5", tmp_path=tmp_path)
    assert out.returncode == 1
    assert "bad.csv:3:" in out.stdout and "bad.csv:4:" in out.stdout
    assert "nothing imported" in out.stdout
    good = tmp_path / "good.csv"
    good.write_text(
        "at,kind,name,quantity,severity,dose\n"
        "2026-11-01T12:00:00+00:00,food,cheese,,,\n"
        "2026-11-01T15:00:00+01:00,migraine_start,,,7,\n"
    )
    out = haven("import", str(good), "--user", "5", tmp_path=tmp_path)
    assert out.returncode == 0 and "imported 2 events" in out.stdout


def test_import_then_triggers_json_finds_the_planted_trigger(tmp_path: Path) -> None:
    from bench.simulate_triggers import simulate_diary

    diary = tmp_path / "diary.csv"
    rows = ["at,kind,name,quantity,severity,dose"]
    for e in simulate_diary(3, days=365):
        rows.append(f"{e.at.isoformat()},{e.kind},{e.name or ''},,{e.severity or ''},")
    diary.write_text("\n".join(rows) + "\n")
    assert haven("import", str(diary), "--user", "9", tmp_path=tmp_path).returncode == 0
    out = haven("triggers", "--user", "9", "--json", tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    results = {r["name"]: r for r in json.loads(out.stdout)}
    keys = {"name", "level", "a", "b", "c", "d", "rr", "ci_low", "ci_high", "p", "q", "verdict"}
    assert all(keys <= r.keys() for r in results.values())
    wine = results["red wine"]
    assert wine["level"] == "food" and wine["verdict"] == "likely_trigger"
    assert wine["ci_low"] > 1 and wine["a"] + wine["b"] + wine["c"] + wine["d"] > 60
    assert results["alcohol"]["level"] == "category"
    text = haven("triggers", "--user", "9", tmp_path=tmp_path)
    assert "Red wine" in text.stdout and "Likely triggers" in text.stdout
