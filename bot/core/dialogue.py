"""The conversation: an incoming text, command or button becomes storage calls and a reply.

Shared by the Telegram adapter and the terminal chat, so both behave identically. No Telegram types
here and no SQL: storage goes through `Diary`, statistics through `analysis`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from bot.core import wording
from bot.core.checkins import CheckIns
from bot.core.food_list import foods_reply
from bot.core.replies import Button, Reply, clip
from bot.core.rights import DataRights
from bot.core.settings import SettingsMenu
from bot.core.teaching import Teaching
from bot.core.timezones import TimezoneLookup, resolve_timezone
from bot.parsing import parse_message
from bot.parsing.events import ParsedEvent
from bot.parsing.vocabulary import Vocabulary
from storage import Diary, Event, Recorded

log = logging.getLogger(__name__)

EXAMPLES = (
    "<code>had cheese and red wine</code>\n"
    "<code>2 coffees this morning</code>\n"
    "<code>migraine started at 3pm, 7/10</code>\n"
    "<code>took 50mg sumatriptan</code>\n"
    "<code>no migraine today</code>"
)
HISTORY_DEFAULT_DAYS = 7
HISTORY_MAX_DAYS = 90

# The command menu: (command, one-line description). Telegram shows it; /help repeats it.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Welcome and how to log"),
    ("history", "Your recent entries, e.g. /history 14"),
    ("undo", "Remove what your last message logged"),
    ("timezone", "Set your timezone, e.g. /timezone Europe/Berlin"),
    ("triggers", "Which foods seem to raise your migraine risk"),
    ("gut", "Your week: fiber, live-culture foods, sleep, stress"),
    ("foods", "What you have logged, by category, with counts"),
    ("food", "Teach me a word of yours, e.g. /food joe = coffee"),
    ("reminder", "Daily check-in time, e.g. /reminder 21:00 or /reminder off"),
    ("settings", "Extra check-in questions: sleep, stress, exercise, period"),
    ("export", "All your data, as CSV and JSON files"),
    ("erase", "Delete everything I keep about you (asks first)"),
    ("help", "How to log, with examples"),
)


@dataclass(frozen=True, slots=True)
class Incoming:
    """A message as the core needs it; `sent_at` is the message's own date (UTC, tz-aware)."""

    user_id: int
    chat_id: int
    message_id: int
    sent_at: datetime
    text: str
    edited_at: datetime | None = None


Command = Callable[["Dialogue", Incoming, str], Awaitable[Reply]]


class Dialogue:
    def __init__(
        self,
        diary: Diary,
        vocabulary: Vocabulary,
        timezone_lookup: TimezoneLookup | None = None,
    ) -> None:
        self.diary = diary
        self.vocabulary = vocabulary
        self.timezone_lookup = timezone_lookup or TimezoneLookup()
        self.checkins = CheckIns(diary)  # daily check-ins and follow-ups (bot/core/checkins.py)
        self.rights = DataRights(diary)  # /export and /erase (bot/core/rights.py)
        self.teaching = Teaching(diary, vocabulary)  # /food, /foods (bot/core/teaching.py)
        self.settings = SettingsMenu(self.checkins)  # /settings (bot/core/settings.py)

    # ---- entry points -------------------------------------------------------------------------

    async def handle_text(self, msg: Incoming) -> Reply | None:
        """Free text: log what it says. None means say nothing (a redelivered update)."""
        if msg.text.startswith("/"):
            name, _, args = msg.text[1:].partition(" ")
            return await self.handle_command(msg, name.split("@")[0].lower(), args.strip())
        taught = None if msg.edited_at else await self.teaching.from_text(msg.user_id, msg.text)
        if taught is not None:  # "kombucha is a soft drink"
            return taught
        tz = await self._timezone(msg)
        vocabulary = await self.teaching.vocabulary_for(msg.user_id)  # theirs: with /food words
        parsed = parse_message(msg.text, msg.sent_at.astimezone(tz), tz, vocabulary)
        recorded = await self.diary.record_message(
            user_id=msg.user_id,
            chat_id=msg.chat_id,
            message_id=msg.message_id,
            sent_at=msg.sent_at,
            text=msg.text,
            events=parsed.events,
            tz=tz,  # a migraine clears its local day's "no migraine" in the same transaction
            edited_at=msg.edited_at,
        )
        if recorded.status == "duplicate":
            log.info("duplicate message %s/%s ignored", msg.chat_id, msg.message_id)
            return None
        edited = recorded.status == "edited"
        already = self._already_logged(msg, tz, recorded)  # "That migraine is already logged…"
        if recorded.answered:  # an edit saying again what a check-in answer had replaced
            said = wording.join_words([self._describe(e) for e in recorded.answered])
            note = f"Your check-in answer stands, so I left out {said}."
            already = f"{already}\n{note}" if already else note
        put_back = self.checkins.put_back_note(recorded.restored, msg.sent_at, tz)
        if not recorded.events:
            if already:
                return Reply(("Updated from your edit:\n" if edited else "") + already + put_back)
            if edited:
                return Reply(
                    "Edited: nothing to log in it now, so I removed what it had logged." + put_back
                )
            if parsed.intent == "attack_ongoing":
                return await self._attack_ongoing(msg, tz)
            return self._nothing_logged(parsed.intent)
        await self.checkins.on_logged(msg.user_id, recorded.events)
        cleared = self.checkins.cleared_note(recorded.cleared, msg.sent_at, tz)
        reply = await self._confirm(msg, tz, recorded.events, edited=edited)
        if already:
            reply.text += "\n" + already
        reply.text += cleared + put_back  # "…and removed Saturday's “no migraine”."
        return reply

    async def handle_command(self, msg: Incoming, name: str, args: str) -> Reply:
        command = COMMAND_HANDLERS.get(name)
        if command is None:
            return Reply(
                f"I don't know /{escape(name)}. These are the commands I understand:\n"
                + self._command_list()
            )
        return await command(self, msg, args)

    async def handle_button(self, user_id: int, data: str) -> Reply:
        """A tapped inline button. Foreign, stale or unknown buttons change nothing."""
        kind, _, rest = data.partition(":")
        if kind == "sev":
            return await self._set_severity(user_id, rest)
        if kind in ("rm", "ci", "fe", "fu", "cf"):
            return await self.checkins.button(user_id, data)
        if kind == "st":
            return await self.settings.button(user_id, data)
        if kind == "er":
            return await self.rights.button(user_id, data)
        if kind == "pf":
            return await self.teaching.button(user_id, data)
        return Reply(toast="That button has expired — nothing was changed.")

    async def handle_location(self, user_id: int, latitude: float, longitude: float) -> Reply:
        zone = self.timezone_lookup.at(latitude, longitude)
        if zone is None:
            return Reply(
                "I couldn't find a timezone for that place. Send it by name instead, e.g. "
                "<code>/timezone Europe/London</code>.",
                remove_keyboard=True,
            )
        await self.diary.ensure_user(user_id)
        await self.diary.set_timezone(user_id, zone)
        await self.checkins.timezone_changed(user_id)
        return Reply(self._timezone_set_text(zone), remove_keyboard=True)

    def unsupported(self, what: str) -> Reply:
        """Stickers, photos, voice notes and the like: nothing is logged, and we say how to log."""
        return Reply(
            f"I can't read {what} yet, so nothing was logged. Tell me in words, for example:\n"
            + EXAMPLES
        )

    # ---- commands ------------------------------------------------------------------------------

    async def cmd_start(self, msg: Incoming, args: str) -> Reply:
        user = await self.diary.ensure_user(msg.user_id, msg.chat_id)
        return Reply(
            "Hi, I'm <b>Haven</b> 👋 I help you find the foods that trigger "
            "<i>your</i> migraines.\n\n"
            "1. Tell me what you eat and drink, as you'd tell a friend.\n"
            "2. Tell me when a migraine starts and ends, and what you took for it.\n"
            "3. After a few weeks, /triggers shows what raises your risk.\n\n"
            f"Try (tap to copy):\n{EXAMPLES}\n\n"
            f"Your timezone is <b>{escape(user.timezone)}</b>. Share your location with the button "
            "below to set it, or send e.g. <code>/timezone Europe/London</code>.",
            ask_location=True,
            follow_up=await self.checkins.offer(msg.user_id),
        )

    async def cmd_help(self, msg: Incoming, args: str) -> Reply:
        return Reply(
            "Just write what you had or how you feel, e.g.\n"
            f"{EXAMPLES}\n\nCommands:\n{self._command_list()}"
        )

    async def cmd_timezone(self, msg: Incoming, args: str) -> Reply:
        user = await self.diary.ensure_user(msg.user_id, msg.chat_id)
        if not args:
            return Reply(
                f"Your timezone is <b>{escape(user.timezone)}</b>. To change it, share your "
                "location with the button below or send e.g. <code>/timezone Europe/Berlin</code>.",
                ask_location=True,
            )
        zone = resolve_timezone(args)
        if zone is None:
            return Reply(
                f"“{escape(args[:60])}” isn't a timezone I know. Use a region/city name, e.g.\n"
                "<code>/timezone Europe/London</code>\n<code>/timezone America/New_York</code>\n"
                "<code>/timezone Asia/Kolkata</code>\nor share your location."
            )
        await self.diary.set_timezone(msg.user_id, zone)
        await self.checkins.timezone_changed(msg.user_id)
        return Reply(self._timezone_set_text(zone))

    async def cmd_history(self, msg: Incoming, args: str) -> Reply:
        days = HISTORY_DEFAULT_DAYS
        if args:
            try:
                days = int(args.split()[0])
            except ValueError:
                return Reply("Give the number of days, e.g. <code>/history 14</code>.")
            if not 1 <= days <= HISTORY_MAX_DAYS:
                return Reply(f"Choose between 1 and {HISTORY_MAX_DAYS} days.")
        tz = await self._timezone(msg)
        today = msg.sent_at.astimezone(tz).date()
        first_day = today - timedelta(days=days - 1)
        start = datetime.combine(first_day, datetime.min.time(), tz)
        events = await self.diary.events_between(msg.user_id, start)
        if not events:
            span = "today" if days == 1 else f"the last {days} days"
            return Reply(f"Nothing logged for {span}. Tell me what you had, e.g.\n{EXAMPLES}")
        notes = await self.checkins.history_notes(msg.user_id, events)
        return Reply(self._history_text(events, tz, msg.sent_at, days, notes))

    async def cmd_undo(self, msg: Incoming, args: str) -> Reply:
        undone = await self.diary.undo_last(msg.user_id)
        if not undone.removed:
            return Reply("There is nothing to undo.")
        names = wording.join_words([self._describe(e) for e in undone.removed])
        tz = await self._timezone(msg)
        # "…and put back Tuesday's “no migraine”." (what the undone migraine had ruled out)
        put_back = self.checkins.put_back_note(undone.restored, msg.sent_at, tz)
        return Reply(f"Removed {names}.{put_back}")

    async def cmd_reminder(self, msg: Incoming, args: str) -> Reply:
        await self.diary.ensure_user(msg.user_id, msg.chat_id)
        return await self.checkins.cmd_reminder(msg.user_id, args)

    async def cmd_settings(self, msg: Incoming, args: str) -> Reply:
        await self.diary.ensure_user(msg.user_id, msg.chat_id)
        return await self.settings.command(msg.user_id)

    async def cmd_export(self, msg: Incoming, args: str) -> Reply:
        return await self.rights.export(msg.user_id)

    async def cmd_erase(self, msg: Incoming, args: str) -> Reply:
        return self.rights.confirm_erase(msg.user_id)

    async def cmd_triggers(self, msg: Incoming, args: str) -> Reply:
        from bot.core.triggers import triggers_reply  # statistics stack loads only when asked

        tz = await self._timezone(msg)
        events = await self.diary.timeline(msg.user_id)
        vocabulary = await self.teaching.vocabulary_for(msg.user_id)
        return await triggers_reply(events, tz, vocabulary, args, msg.sent_at)

    async def cmd_gut(self, msg: Incoming, args: str) -> Reply:
        from bot.core.gut import gut_reply  # statistics stack loads only when asked

        tz = await self._timezone(msg)
        events = await self.diary.timeline(msg.user_id)
        vocabulary = await self.teaching.vocabulary_for(msg.user_id)
        return await gut_reply(events, tz, vocabulary, msg.sent_at)

    async def cmd_food(self, msg: Incoming, args: str) -> Reply:
        await self.diary.ensure_user(msg.user_id, msg.chat_id)
        return await self.teaching.command(msg.user_id, args)

    async def cmd_foods(self, msg: Incoming, args: str) -> Reply:
        counts = await self.teaching.store.food_counts(msg.user_id)
        return foods_reply(counts, await self.teaching.vocabulary_for(msg.user_id))

    # ---- helpers -------------------------------------------------------------------------------

    async def _timezone(self, msg: Incoming) -> ZoneInfo:
        user = await self.diary.ensure_user(msg.user_id, msg.chat_id)
        return ZoneInfo(user.timezone)

    def _describe(self, event: Event | ParsedEvent) -> str:
        return wording.describe(
            event.kind,
            event.name,
            event.quantity,
            event.severity,
            event.dose,
            self.vocabulary,
            value=event.value,
            detail=event.detail,
        )

    async def _confirm(
        self, msg: Incoming, tz: ZoneInfo, events: Sequence[Event], *, edited: bool
    ) -> Reply:
        """'Logged 🧀 cheese and 🍷 red wine at 12:40 today.' — grouped by time when they differ."""
        by_time: dict[str, list[str]] = defaultdict(list)
        for event in events:
            by_time[wording.when(event.at, msg.sent_at, tz)].append(self._describe(event))
        lead = "Updated from your edit:" if edited else "Logged"
        if len(by_time) == 1:
            [(at, names)] = by_time.items()
            text = f"{lead} {wording.join_words(names)} at {at}."
        else:
            lines = [f"• {wording.join_words(names)} at {at}" for at, names in by_time.items()]
            text = f"{lead}{'' if edited else ':'}\n" + "\n".join(lines)
        unknown = wording.unique_in_order(
            escape(e.name or "") for e in events if e.kind == "food" and not e.known
        )
        if unknown:
            text += f"\n<i>New to me: {wording.join_words(unknown)} — kept as you wrote it"
            text += " (teach me with /food).</i>"
        buttons: list[list[Button]] = []
        for event in events:
            if event.kind == "migraine_start" and event.severity is None:
                text += "\nHow bad is it, from 1 (mild) to 10 (worst)?"
                buttons = severity_keyboard(event.id)
                break
        for event in events:
            if event.kind == "migraine_end":
                text += await self._attack_length(msg.user_id, event)
        return Reply(clip(text), buttons=buttons)

    async def _attack_length(self, user_id: int, end: Event) -> str:
        start = await self.diary.open_attack(user_id, end.at - timedelta(seconds=1))
        if start is None:
            return (
                "\n<i>I don't have a migraine still going to end — if you know when this one "
                "began, tell me, e.g. <code>migraine started at 9am</code>.</i>"
            )
        minutes = int((end.at - start.at).total_seconds() // 60)
        return f"\nIt lasted {minutes // 60} h {minutes % 60} min. I hope you feel better."

    @staticmethod
    def _already_logged(msg: Incoming, tz: ZoneInfo, recorded: Recorded) -> str:
        """What the message said about a migraine already in the diary, which it did not log
        twice: 'That migraine is already logged (15:00, 8/10).', 'That migraine is already
        logged: I've moved its start to 14:00.' (a start up to 2 h earlier corrects it),
        'Already noted: your migraine ended at 16:00.' Empty when it said nothing of the kind."""
        today = msg.sent_at.astimezone(tz).date()

        def clock(at: datetime) -> str:
            local = at.astimezone(tz)
            day = "" if local.date() == today else f" {wording.day_label(local.date(), today)}"
            return f"{local:%H:%M}{day}"

        lines: list[str] = []
        for same in recorded.same_attack:
            start = same.start
            done: list[str] = []
            if same.moved:  # "migraine started at 2pm" after a 15:00 start: the correction wins
                done.append(f"moved its start to {clock(start.at)}")
            if same.severity_set:
                done.append(f"set its severity to <b>{start.severity}/10</b>")
            if same.moved:
                lines.append(f"That migraine is already logged: I've {' and '.join(done)}.")
            elif same.severity_set:
                lines.append(
                    f"That migraine is already logged ({clock(start.at)}): I've {done[0]}."
                )
            else:
                sev = f", {start.severity}/10" if start.severity is not None else ""
                lines.append(f"That migraine is already logged ({clock(start.at)}{sev}).")
        for end in recorded.already_ended:
            lines.append(f"Already noted: your migraine ended at {clock(end.at)}.")
        return "\n".join(dict.fromkeys(lines))

    async def _set_severity(self, user_id: int, rest: str) -> Reply:
        try:
            event_id, severity = (int(part) for part in rest.split(":"))
        except ValueError:
            return Reply(toast="That button has expired — nothing was changed.")
        if not 1 <= severity <= 10:
            return Reply(toast="That button has expired — nothing was changed.")
        event = await self.diary.set_severity(user_id, event_id, severity)
        if event is None:
            return Reply(toast="That entry no longer exists or isn't yours — nothing was changed.")
        user = await self.diary.ensure_user(user_id)
        tz = ZoneInfo(user.timezone)
        at = event.at.astimezone(tz).strftime("%H:%M %a %-d %b")
        return Reply(
            f"Logged 🤕 migraine at {at}, severity <b>{severity}/10</b>. "
            "Tell me when it's over, e.g. <code>migraine gone</code>.",
            edit=True,
            toast=f"Severity {severity}/10 saved",
        )

    def _history_text(
        self,
        events: Sequence[Event],
        tz: ZoneInfo,
        now: datetime,
        days: int,
        notes: dict[int, str] | None = None,
    ) -> str:
        by_day: dict[str, list[str]] = defaultdict(list)
        today = now.astimezone(tz).date()
        for event in events:
            local = event.at.astimezone(tz)
            label = local.strftime("%a %-d %b")
            if local.date() == today:
                label += " (today)"
            note = (notes or {}).get(event.id, "")
            by_day[label].append(f"{local:%H:%M} {self._describe(event)}{note}")
        blocks = [f"<b>{day}</b>\n" + "\n".join(lines) for day, lines in by_day.items()]
        entries = f"{len(events)} {'entry' if len(events) == 1 else 'entries'}"
        title = f"Today ({entries}):" if days == 1 else f"Your last {days} days ({entries}):"
        text = title + "\n\n" + "\n\n".join(blocks)
        while len(text) > 3900 and len(blocks) > 1:  # keep the newest days within Telegram's limit
            blocks.pop(0)
            text = title + "\n<i>(older days left out: try a shorter /history)</i>\n\n"
            text += "\n\n".join(blocks)
        return clip(text)

    async def _attack_ongoing(self, msg: Incoming, tz: ZoneInfo) -> Reply:
        """'Head still pounding': nothing new to log, but the person deserves more than 'not
        understood' — point at the open attack, or offer to log one."""
        attack = await self.diary.open_attack(msg.user_id, msg.sent_at)
        if attack is None:
            return Reply(
                "Sorry you're in pain. I have no migraine open for you: if one has started, "
                "tell me when, e.g. <code>migraine started at 2pm, 6/10</code>."
            )
        since = wording.when(attack.at, msg.sent_at, tz)
        return Reply(
            f"Sorry it's still going 😔 Your migraine from {since} is still open. "
            "Tell me when it's over, e.g. <code>migraine gone</code>."
        )

    def _nothing_logged(self, intent: str) -> Reply:
        if intent == "greeting":
            return Reply(f"Hi! 👋 Tell me what you had or how you feel, e.g.\n{EXAMPLES}")
        if intent == "thanks":
            return Reply("You're welcome. I'm here whenever you want to log something.")
        if intent == "question":
            return Reply(
                "I keep your migraine and food diary. Write what you eat, drink and take, and "
                "when a migraine starts and ends; /triggers shows what seems to raise your risk.\n"
                f"Examples:\n{EXAMPLES}\n\nCommands:\n{self._command_list()}"
            )
        if intent == "stress_out_of_range":
            return Reply(
                "Stress is 1–5 (1 relaxed, 3 some, 5 very stressed), or out of 10 "
                "(<code>stress 8/10</code>). Nothing was saved — send it again, e.g. "
                "<code>stress 4/5</code>."
            )
        if intent == "sleep_out_of_range":
            return Reply(
                "That's more hours than one night can have, so nothing was saved. Send it "
                "again, e.g. <code>slept 7 hours</code>."
            )
        if intent == "future":
            return Reply(
                "I only log what has already happened, so nothing was saved. "
                "Tell me once you've had it."
            )
        if intent == "negation_only":
            return Reply("Noted — nothing to log for that.")
        return Reply(
            "Sorry, I couldn't find anything to log in that. Nothing was saved. "
            f"You can write, for example:\n{EXAMPLES}"
        )

    @staticmethod
    def _command_list() -> str:
        return "\n".join(f"/{name} — {escape(description)}" for name, description in COMMANDS)

    @staticmethod
    def _timezone_set_text(zone: str) -> str:
        return f"Timezone set to <b>{escape(zone)}</b>. Times you mention will be read in it."


def severity_keyboard(event_id: int) -> list[list[Button]]:
    """Buttons 1–10 in two rows; the event id makes a tap on a deleted entry detectable."""
    return [
        [Button(str(n), f"sev:{event_id}:{n}") for n in range(1, 6)],
        [Button(str(n), f"sev:{event_id}:{n}") for n in range(6, 11)],
    ]


COMMAND_HANDLERS: dict[str, Command] = {
    "start": Dialogue.cmd_start,
    "help": Dialogue.cmd_help,
    "timezone": Dialogue.cmd_timezone,
    "history": Dialogue.cmd_history,
    "undo": Dialogue.cmd_undo,
    "triggers": Dialogue.cmd_triggers,
    "gut": Dialogue.cmd_gut,
    "export": Dialogue.cmd_export,
    "erase": Dialogue.cmd_erase,
    "reminder": Dialogue.cmd_reminder,
    "settings": Dialogue.cmd_settings,
    "food": Dialogue.cmd_food,
    "foods": Dialogue.cmd_foods,
}
