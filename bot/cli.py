"""`haven`: one console script for every way of running Haven."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config import Settings, load_settings
from bot.logs import configure_logging


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = load_settings()
    if getattr(args, "database_url", None):
        settings.database_url = args.database_url
    configure_logging(
        settings.log_level, [settings.telegram_bot_token, settings.webhook_secret]
    )  # secrets are redacted from every line (bot/logs.py)
    result: int = args.func(args, settings)
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="haven", description=__doc__)
    parser.add_argument("--database-url", help="overrides DATABASE_URL")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run the Telegram bot (long polling, or --webhook)")
    run.add_argument(
        "--webhook", action="store_true", help="serve Telegram's webhook (WEBHOOK_* settings)"
    )
    run.set_defaults(func=cmd_run)
    chat = sub.add_parser("chat", help="talk to Haven in the terminal (no token needed)")
    chat.add_argument("--user", type=int, help="the local user id (default: CONSOLE_USER_ID)")
    chat.set_defaults(func=cmd_chat)
    sub.add_parser(
        "start", help="`run` when TELEGRAM_BOT_TOKEN is set, otherwise `chat`"
    ).set_defaults(func=cmd_start)

    parse = sub.add_parser("parse", help="show the events a message would log, as JSON")
    parse.add_argument("text", nargs="?", help="the message (omit with --jsonl)")
    parse.add_argument("--now", help="the message's sent time, ISO 8601 (default: now)")
    parse.add_argument("--tz", default="UTC", help="the person's timezone (default: UTC)")
    parse.add_argument("--jsonl", action="store_true", help="one message per stdin line")
    parse.set_defaults(func=cmd_parse)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="migrate to the newest schema").set_defaults(func=cmd_upgrade)

    exp = sub.add_parser("export", help="write a user's whole diary as CSV and JSON files")
    exp.add_argument("--user", type=int, required=True)
    exp.add_argument("--out", type=Path, default=Path("."), help="directory (default: here)")
    exp.set_defaults(func=cmd_export)

    imp = sub.add_parser(
        "import", help="add a CSV diary (at,kind,...), or restore a JSON export into an empty one"
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--user", type=int, required=True)
    imp.set_defaults(func=cmd_import)

    trig = sub.add_parser("triggers", help="the /triggers analysis for one user")
    trig.add_argument("--user", type=int, required=True)
    trig.add_argument("--window", choices=["24h", "48h"], default="24h")
    trig.add_argument("--json", action="store_true", help="machine-readable results")
    trig.set_defaults(func=cmd_triggers)
    return parser


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.telegram_bot_token:
        print("TELEGRAM_BOT_TOKEN is not set (environment or .env). Try `haven chat`.")
        return 2
    from bot.telegram.app import build_application

    if getattr(args, "webhook", False):
        from bot.telegram.webhook import WebhookMisconfigured, run_webhook

        try:
            run_webhook(settings)
        except WebhookMisconfigured as exc:
            print(f"cannot start the webhook: {exc}")
            return 2
        return 0
    # SIGINT/SIGTERM stop polling, then PTB finishes the updates in flight before exiting.
    build_application(settings).run_polling(allowed_updates=None)
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    for name in ("", "alembic"):  # keep the chat readable
        logging.getLogger(name).setLevel(logging.WARNING)
    from bot.console import Console
    from bot.services import open_services

    async def chat() -> None:
        services = await open_services(settings)
        try:
            await Console(services.dialogue, args.user or settings.console_user_id).run()
        finally:
            await services.close()

    asyncio.run(chat())
    return 0


def cmd_start(args: argparse.Namespace, settings: Settings) -> int:
    if settings.telegram_bot_token:
        return cmd_run(args, settings)
    print("No TELEGRAM_BOT_TOKEN set: opening the terminal chat instead.\n")
    args.user = None
    return cmd_chat(args, settings)


def cmd_parse(args: argparse.Namespace, settings: Settings) -> int:
    from bot.parsing import parse_message

    try:
        tz = ZoneInfo(args.tz)
    except (ZoneInfoNotFoundError, ValueError):
        print(f"unknown timezone {args.tz!r}; use an IANA name such as Europe/London")
        return 2
    if args.now:
        now = datetime.fromisoformat(args.now)
        now = now.replace(tzinfo=tz) if now.tzinfo is None else now.astimezone(tz)
    else:
        now = datetime.now(UTC).astimezone(tz)

    def as_json(text: str) -> str:
        result = parse_message(text, now, tz)
        return json.dumps({"events": [e.to_json() for e in result.events]}, ensure_ascii=False)

    if args.jsonl:
        for line in sys.stdin:
            print(as_json(line.rstrip("\n")), flush=True)
        return 0
    if args.text is None:
        print("give the message text, or --jsonl to read messages from stdin")
        return 2
    print(as_json(args.text))
    return 0


def cmd_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from storage import create_engine, upgrade

    async def run() -> None:
        engine = create_engine(settings.database_url)
        await upgrade(engine)
        await engine.dispose()

    asyncio.run(run())
    print(f"database at head: {settings.database_url}")
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.rights import export_files
    from bot.services import open_services
    from storage.rights import Rights

    async def load() -> list:  # type: ignore[type-arg]
        services = await open_services(settings)
        try:
            snapshot = await Rights(services.diary.sessions).snapshot(args.user)
        finally:
            await services.close()
        if snapshot is None:
            return []
        return export_files(snapshot, datetime.now(UTC).date().isoformat())

    documents = asyncio.run(load())
    if not documents:
        print(f"user {args.user} has no diary")
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for document in documents:
        path = args.out / document.filename
        path.write_bytes(document.data)
        print(path)
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from bot.diary_csv import ImportRefused, read_events, with_canonical_food_names
    from bot.parsing.vocabulary import default_vocabulary
    from bot.services import open_services

    if args.file.suffix.lower() == ".json":
        return _restore_json(args, settings)
    try:
        with args.file.open(newline="", encoding="utf-8") as fh:
            events = with_canonical_food_names(read_events(fh), default_vocabulary())
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror}")
        return 2
    except ImportRefused as refused:
        for error in refused.errors:
            print(f"{args.file}:{error.line}: {error.message}")
        print(f"nothing imported: {len(refused.errors)} bad row(s)")
        return 1

    async def run() -> int:
        services = await open_services(settings)
        try:
            return len(await services.diary.add_events(args.user, events))
        finally:
            await services.close()

    print(f"imported {asyncio.run(run())} events for user {args.user}")
    return 0


def _restore_json(args: argparse.Namespace, settings: Settings) -> int:
    """A JSON export goes back whole (messages, settings) into a person with no diary yet."""
    from bot.core.rights import restore
    from bot.diary_csv import ImportRefused
    from bot.diary_json import read_restore
    from bot.services import open_services
    from storage.rights import DiaryNotEmpty

    try:
        data, reminder = read_restore(args.file.read_text(encoding="utf-8"))
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror}")
        return 2
    except ImportRefused as refused:
        for error in refused.errors:
            print(f"{args.file}: entry {error.line}: {error.message}")
        print(f"nothing imported: {len(refused.errors)} problem(s)")
        return 1

    async def run() -> int:
        services = await open_services(settings)
        try:
            return await restore(services.diary, args.user, data, reminder)
        finally:
            await services.close()

    try:
        count = asyncio.run(run())
    except DiaryNotEmpty:
        print(f"user {args.user} already has a diary: a JSON export restores into an empty one")
        print("(import the CSV to add entries to an existing diary)")
        return 1
    print(f"restored {count} events and {len(data.messages)} messages for user {args.user}")
    return 0


def cmd_triggers(args: argparse.Namespace, settings: Settings) -> int:
    from analysis import TriggerReport, render_report_html
    from bot.console import to_terminal
    from bot.core.triggers import report_for
    from bot.services import open_services

    async def load() -> TriggerReport:
        services = await open_services(settings)
        try:
            user = await services.diary.ensure_user(args.user)
            events = await services.diary.timeline(args.user)
            vocabulary = await services.dialogue.teaching.vocabulary_for(args.user)
            return report_for(
                events, ZoneInfo(user.timezone), vocabulary, args.window, datetime.now(UTC)
            )
        finally:
            await services.close()

    report = asyncio.run(load())
    if args.json:
        print(json.dumps([r.to_json() for r in report.results], indent=2))
    else:
        print(to_terminal(render_report_html(report), colour=sys.stdout.isatty()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
