"""Daily check-ins and follow-ups, as conversation: texts, buttons, answers and /reminder.

No Telegram here: the sweep (`bot/telegram/reminders.py`) asks `compose` what to send for a claimed
nudge and reports back with `sent`; taps come in through `button`. Migraine-free days matter as much
as attacks (they are the denominator of every relative risk), hence the daily question.

Button data (under Telegram's 64 bytes):
  rm:on:<minute> | rm:other | rm:no                 the /start offer
  ci:<message nudge>:<day nudge>:n | m | t:<part> | s:<part>:<1-10>   a check-in answer
  fe:<message nudge or 0>:<attack start event>:now | earlier | going   is the migraine over?
  fu:<nudge>:pain_free | better | no_change         did the medication help?
  cf:<check-in nudge>:<row>:<choice>                a factor row chosen in /settings (FACTOR_ROWS)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html import escape, unescape
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.core.factor_words import describe_factor
from bot.core.replies import Button, Reply
from bot.core.schedule import (
    CALENDAR,
    after_quiet_hours,
    format_clock,
    in_quiet_hours,
    parse_clock,
    wall_clock,
)
from storage import Claimed, Diary, Event, NewEvent, Nudge, Reminders
from storage.diary import UNENDED_ATTACK
from storage.settings import CheckInRows, CheckInSettings

log = logging.getLogger(__name__)

DEFAULT_MINUTE = 21 * 60
OTHER_TIMES = (19 * 60, 20 * 60, 21 * 60 + 30, 22 * 60)
CATCH_UP_DAYS = 2
PARTS = {"m": ("morning", 9 * 60), "a": ("afternoon", 14 * 60), "e": ("evening", 19 * 60)}
ATTACK_FOLLOW_UP = timedelta(hours=4)
LOGGED_LATE_GRACE = timedelta(hours=1)
ATTACK_ASKS = 3  # 'Is the migraine over?' at most this often per attack
# 'Is the migraine over?' is asked for up to 72 h after the start: an attack can last that long
# (the definition's upper bound), and the answer logs a real end. Only the questions: what counts
# as the attack with no logged end (a start "in" it, a check-in day "carried" by it) is
# UNENDED_ATTACK, 24 h, as in the analysis.
ATTACK_GIVE_UP = timedelta(hours=72)
MEDICATION_FOLLOW_UP = timedelta(hours=2)  # pain freedom at 2 h: the standard trial endpoint
MEDICATION_TOO_LATE = timedelta(hours=2)  # after 4 h the 2-h answer is no longer worth asking
HELPED = {"pain_free": "Pain-free", "better": "Better", "no_change": "No change"}
ENDED = {"now": "Yes, just now", "earlier": "Earlier today", "going": "Still going"}
EXPIRED = Reply(toast="That button has expired — nothing was changed.")
FOOD_INVITE = (
    "<i>Anything you ate or drank today that you didn't log? Just type it, "
    "e.g. <code>had pasta and a beer</code>.</i>"
)


WAKING = 7 * 60  # sleep is dated at waking, as the parser dates "slept badly" (07:00)
FACTOR_FALLBACK = 21 * 60  # the day's factors when the check-in's own time is not that day


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class FactorRow:
    """One optional check-in row (/settings): its question, its buttons, what a tap logs.

    `factor` is the /settings switch (storage.settings.FACTORS), `code` its short name in button
    data. `choices` maps a choice (kept as the answer) to its button label (led by the row's
    emoji, so a row is recognisable without its question line) and answer word, and
    `logs` maps it to the factor event's (name, value) the analysis reads (analysis/factors.py).
    A choice missing from `logs` logs nothing but is kept as the answer, so the row shows ✓.
    """

    factor: str
    code: str
    emoji: str
    choices: dict[str, tuple[str, str]]
    logs: dict[str, tuple[str, float | None]]
    at_waking: bool = False

    @property
    def title(self) -> str:
        return "Sleep" if self.factor == "sleep_quality" else self.factor.capitalize()

    # The factor events that answer the row when typed ("slept 5 hours", "stress 2/5"), and
    # those a tap replaces. Hours slept answer the sleep row but are not what it asks (how
    # well), so a tap adds the quality and keeps the hours.
    reads: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()

    def question(self, day: date, when: str, *, answered: bool = False) -> str:
        if self.factor == "sleep_quality":
            return "Sleep last night" if when == "today" else f"Sleep the night before {day:%A}"
        if self.factor == "stress" and not answered:  # the scale only while it is a question
            return f"Stress {when}, 1 (calm) to 5 (very)"
        return f"{self.factor.capitalize()} {when}"

    def typed_choice(self, event: Event) -> str | None:
        """The button a typed factor event amounts to (ticked in the row), if any."""
        if event.name == "sleep_quality" and event.value is not None:
            key = str(round(event.value))
        elif event.name == "stress" and event.value is not None:
            key = str(min(5, max(1, round(event.value))))
        else:
            key = {"exercise": "y", "period_start": "s", "period": "o"}.get(event.name or "", "")
        return key if key in self.choices else None

    def typed_word(self, event: Event) -> str:
        """A typed factor event as the row's answer: 'poor', '5 h', '2/5', 'yes (run, 30 min)'."""
        if event.name == "sleep_hours":
            return f"{event.value:g} h" if event.value is not None else "slept"
        if event.name == "exercise":
            said = [escape(event.detail or "")] if event.detail else []
            said += [f"{event.value:g} min"] if event.value is not None else []
            return "yes" + (f" ({', '.join(said)})" if said else "")
        key = self.typed_choice(event)
        return self.choices[key][1] if key is not None else escape(event.name or "")


FACTOR_ROWS = (
    FactorRow(
        "sleep_quality",
        "s",
        "😴",
        {"1": ("😴 Poor", "poor"), "2": ("😴 OK", "OK"), "3": ("😴 Good", "good")},
        {"1": ("sleep_quality", 1), "2": ("sleep_quality", 2), "3": ("sleep_quality", 3)},
        at_waking=True,
        reads=("sleep_quality", "sleep_hours"),
        replaces=("sleep_quality",),
    ),
    FactorRow(
        "stress",
        "t",
        "😣",
        {str(n): (str(n), f"{n}/5") for n in range(1, 6)},
        {str(n): ("stress", n) for n in range(1, 6)},
        reads=("stress",),
        replaces=("stress",),
    ),
    # "No" logs nothing: the analysis reads exercise as logged-or-not (no entry is no exercise),
    # so an event for "no" would have to be one it ignores; the answer row alone remembers it.
    FactorRow(
        "exercise",
        "x",
        "🏃",
        {"y": ("🏃 Yes", "yes"), "n": ("🏃 No", "no")},
        {"y": ("exercise", None)},  # minutes unknown
        reads=("exercise",),  # never replaced: a typed exercise has its activity and minutes
    ),
    # Only ever shown with period tracking on. "Started" is what the analysis reads (its period
    # rule runs from the start day); "Ongoing" logs a day of it, as "on my period" does.
    FactorRow(
        "period",
        "p",
        "🩸",
        {"s": ("🩸 Started", "started"), "o": ("🩸 Ongoing", "ongoing"), "n": ("🩸 No", "no")},
        {"s": ("period_start", None), "o": ("period", None)},
        reads=("period_start", "period"),
        replaces=("period_start", "period"),
    ),
)
ROWS_BY_CODE = {row.code: row for row in FACTOR_ROWS}


@dataclass(slots=True)
class Outgoing:
    """What the sweep should do with a claimed nudge: send `reply` (quietly at night), put it
    off until `postpone`, or — with neither — drop it."""

    reply: Reply | None = None
    silent: bool = False
    postpone: datetime | None = None
    covers: str | None = None


def _day(d: date) -> str:
    return d.strftime("%a %-d %b")


def _days(covers: str | None) -> list[date]:
    return [date.fromisoformat(part) for part in covers.split(",")] if covers else []


def _when(day: date, today: date) -> str:
    return "today" if day == today else ("yesterday" if day == today - timedelta(1) else "that day")


def _day_window(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """A local day as [midnight, next midnight)."""
    start = datetime.combine(day, datetime.min.time(), tz)
    return start, datetime.combine(day + timedelta(1), datetime.min.time(), tz)


def _day_named(day: date, today: date) -> str:
    """'today', 'Saturday' within the past week, 'Sat 21 Nov' before that."""
    if day == today:
        return "today"
    return f"{day:%A}" if timedelta(0) < today - day < timedelta(7) else _day(day)


def _began(attack: Event, tz: ZoneInfo, day: date) -> str:
    """'16:00', or '16:00 on Saturday' for an attack that began before `day`."""
    local = attack.at.astimezone(tz)
    return f"{local:%H:%M}" if local.date() == day else f"{local:%H:%M} on {local:%A}"


def _plain(event: Event) -> str:
    """A factor event in a few words, for a toast (plain text, not HTML)."""
    return unescape(describe_factor(event.name, event.value, event.detail))


class CheckIns:
    def __init__(self, diary: Diary, clock: Callable[[], datetime] = utcnow) -> None:
        self.diary = diary
        self.reminders = Reminders(diary.sessions, CALENDAR)
        self.settings = CheckInSettings(diary.sessions)  # the optional factor rows (/settings)
        self.clock = clock  # tests drive time through this

    async def _tz(self, user_id: int) -> ZoneInfo:
        return (await self._person(user_id))[0]

    async def _person(self, user_id: int) -> tuple[ZoneInfo, CheckInRows]:
        """The person's timezone and check-in rows, from one load of their `users` row."""
        user = await self.diary.ensure_user(user_id)
        return ZoneInfo(user.timezone), CheckInRows.of(user)

    # ---- /start offer and /reminder ------------------------------------------------------------

    async def unreachable(self, user_id: int) -> bool:
        """Telegram refused a reply (blocked): stop check-ins, as a refused check-in would.
        True the first time, so the caller logs it once."""
        return await self.reminders.blocked(user_id, self.clock())

    async def offer(self, user_id: int) -> Reply | None:
        """The daily check-in offer, for someone who has not said yes or no to it yet (or whose
        check-ins stopped because they had blocked the bot and are now back)."""
        reminder = await self.reminders.get(user_id)
        if reminder is not None and reminder.off_reason != "blocked":
            return None
        return Reply(
            "Shall I check in once a day? Each evening I'll ask “any migraine today?”, one tap "
            "to answer. Migraine-free days count as much as the bad ones for finding triggers.",
            buttons=[
                [Button(f"Yes, at {format_clock(DEFAULT_MINUTE)}", f"rm:on:{DEFAULT_MINUTE}")],
                [Button("Another time", "rm:other"), Button("No thanks", "rm:no")],
            ],
        )

    async def cmd_reminder(self, user_id: int, args: str) -> Reply:
        now = self.clock()
        word = args.strip().lower()
        if word in {"off", "stop", "no", "none"}:
            await self.reminders.turn_off(user_id, now)
            return Reply(
                "Daily check-ins are off. <code>/reminder 21:00</code> turns them back on."
            )
        if not word:
            reminder = await self.reminders.get(user_id)
            tz = await self._tz(user_id)
            if reminder is not None and reminder.enabled and reminder.timezone != tz.key:
                reminder = await self.reminders.retime(user_id, now)
            if reminder is None or not reminder.enabled or reminder.next_due is None:
                return Reply(
                    "Daily check-ins are off. Send e.g. <code>/reminder 21:00</code> and I'll ask "
                    "once a day, at that time on your clock, whether you had a migraine."
                )
            return Reply(self._set_text(reminder.minute, tz, reminder.next_due, lead="Your"))
        minute = parse_clock(word)
        if minute is None:
            return Reply(
                f"“{escape(args[:30])}” isn't a time I can read. Send e.g. "
                "<code>/reminder 21:00</code>, or <code>/reminder off</code>."
            )
        return Reply(await self._turn_on(user_id, minute, now))

    async def _turn_on(self, user_id: int, minute: int, now: datetime) -> str:
        reminder = await self.reminders.set_time(user_id, minute, now)
        tz = ZoneInfo(reminder.timezone)
        assert reminder.next_due is not None
        text = self._set_text(minute, tz, reminder.next_due, lead="Done. Your")
        if tz.key == "UTC":
            text += (
                "\n<i>Your timezone is still UTC: set it with <code>/timezone Europe/London</code>"
                " (your own) so the time is yours.</i>"
            )
        return text

    @staticmethod
    def _set_text(minute: int, tz: ZoneInfo, next_due: datetime, *, lead: str) -> str:
        local = next_due.astimezone(tz)
        return (
            f"{lead} daily check-in is at <b>{format_clock(minute)}</b> ({escape(tz.key)}). "
            f"Next: {local:%a %-d %b at %H:%M}.\n"
            "<code>/reminder 20:30</code> changes it, <code>/reminder off</code> stops it."
        )

    async def timezone_changed(self, user_id: int) -> None:
        """Keep the same wall-clock time in the new zone."""
        await self.reminders.retime(user_id, self.clock())

    # ---- buttons -------------------------------------------------------------------------------

    async def button(self, user_id: int, data: str) -> Reply:
        kind, _, rest = data.partition(":")
        parts = rest.split(":")
        try:
            if kind == "rm":
                return await self._offer_button(user_id, parts)
            if kind == "ci":
                return await self._checkin_button(user_id, int(parts[0]), int(parts[1]), parts[2:])
            if kind == "fe":
                return await self._ended_button(user_id, int(parts[0]), int(parts[1]), parts[2])
            if kind == "fu":
                return await self._helped_button(user_id, int(parts[0]), parts[1])
            if kind == "cf":
                return await self._factor_button(user_id, int(parts[0]), parts[1], parts[2])
        except (ValueError, IndexError):
            pass
        return EXPIRED

    async def _offer_button(self, user_id: int, parts: list[str]) -> Reply:
        now = self.clock()
        if parts[0] == "on":
            minute = int(parts[1])
            if not 0 <= minute < 24 * 60:
                return EXPIRED
            text = await self._turn_on(user_id, minute, now)
            return Reply(text, edit=True, toast=f"Check-in at {format_clock(minute)}")
        if parts[0] == "other":
            return Reply(
                "Which time suits you? Tap one, or send any time as e.g. "
                "<code>/reminder 20:45</code>.",
                buttons=[[Button(format_clock(m), f"rm:on:{m}") for m in OTHER_TIMES]],
                edit=True,
            )
        if parts[0] == "no":
            await self.reminders.turn_off(user_id, now, reason="declined")
            return Reply(
                "No check-ins, then. <code>/reminder 21:00</code> turns them on any time.",
                edit=True,
            )
        return EXPIRED

    async def _checkin_button(
        self, user_id: int, message_id: int, day_id: int, action: list[str]
    ) -> Reply:
        now = self.clock()
        owner, target = await self.reminders.nudge(message_id), await self.reminders.nudge(day_id)
        if owner is None or target is None or target.day is None or target.kind != "checkin":
            return EXPIRED
        if owner.user_id != user_id or target.user_id != user_id:
            return Reply(toast="That check-in isn't yours — nothing was changed.")
        if target.answer is not None:
            return Reply(toast="Already answered — see /history.")
        tz, rows = await self._person(user_id)
        day = target.day
        prefix = f"ci:{message_id}:{day_id}"
        if action[0] == "n":
            open_now = await self.diary.open_attack(user_id, now)
            state, _ = await self._day_state(target, tz, now, open_now)
            if state != "ask":  # an old message: the day has an attack or its answer already
                return await self._rerender(
                    owner, tz, now, "Already in your diary — see /history", rows
                )
            at = now if now.astimezone(tz).date() == day else wall_clock(day, 12 * 60, tz)
            stored = await self.reminders.answer(
                day_id, user_id, "no_migraine", now, [NewEvent("no_migraine", at)]
            )
            toast = "Migraine-free day saved ✅" if stored is not None else "Already answered"
            return await self._rerender(owner, tz, now, toast, rows)
        if action[0] == "m":
            return Reply(
                f"Migraine on {_day(day)} — roughly when did it start?",
                buttons=[
                    [Button(name.capitalize(), f"{prefix}:t:{p}") for p, (name, _) in PARTS.items()]
                ],
                edit=True,
            )
        part = action[1]
        if part not in PARTS:
            return EXPIRED
        name, minute = PARTS[part]
        if action[0] == "t":
            scale = [
                [Button(str(n), f"{prefix}:s:{part}:{n}") for n in range(1, 6)],
                [Button(str(n), f"{prefix}:s:{part}:{n}") for n in range(6, 11)],
            ]
            return Reply(
                f"Migraine on {_day(day)}, in the {name}. How bad was it, "
                "from 1 (mild) to 10 (worst)?",
                buttons=scale,
                edit=True,
            )
        if action[0] == "s":
            severity = int(action[2])
            if not 1 <= severity <= 10:
                return EXPIRED
            start_at = min(wall_clock(day, minute, tz), now)
            # A 'no migraine' typed for that day no longer holds: set aside with the answer.
            stored = await self.reminders.answer(
                day_id,
                user_id,
                "migraine",
                now,
                [NewEvent("migraine_start", start_at, severity)],
                clears=_day_window(day, tz),
            )
            if stored and now.astimezone(tz).date() == day:
                # Today's attack: the re-rendered message asks whether it is over; ask again
                # later if that goes unanswered.
                due = after_quiet_hours(max(start_at, now) + ATTACK_FOLLOW_UP, tz)
                await self.reminders.add(
                    user_id=user_id,
                    kind="attack_end",
                    key=f"end:{stored[0].id}:1",
                    due_at=due,
                    event_id=stored[0].id,
                )
            return await self._rerender(owner, tz, now, f"Migraine {severity}/10 saved", rows)
        return EXPIRED

    async def _factor_button(self, user_id: int, nudge_id: int, code: str, choice: str) -> Reply:
        """A tap in a factor row: log its event for the check-in's day, replacing an earlier
        answer in the same row, and show the check-in again with the answer ticked."""
        row = ROWS_BY_CODE.get(code)
        if row is None or choice not in row.choices:
            return EXPIRED
        nudge = await self.reminders.nudge(nudge_id)
        if nudge is None or nudge.kind != "checkin" or nudge.day is None:
            return EXPIRED
        if nudge.user_id != user_id:
            return Reply(toast="That check-in isn't yours — nothing was changed.")
        now, (tz, rows) = self.clock(), await self._person(user_id)
        if row.factor not in rows.enabled:
            # Switched off since the check-in was sent: log nothing, and drop the row.
            return await self._rerender(
                nudge, tz, now, "That question is off — see /settings", rows
            )
        answers = await self.settings.answered(nudge.id)
        wrote = (await self._typed(nudge, tz, answers)).get(row.factor, [])
        if wrote and choice not in row.logs:
            # "No" to exercise (or period) they wrote that day: refused rather than deleting
            # it. The typed entry is their own words, with the activity and minutes a tap
            # cannot give back, and a one-tap "no" that silently erases a message's entry
            # would be a surprise; "no" logs nothing anyway. Editing or undoing that message
            # is how to take it back, and the row keeps showing what they wrote.
            when = _when(nudge.day, now.astimezone(tz).date())
            toast = (
                f"You logged {_plain(wrote[0])} {when} — edit that message "
                "(or /undo if it was your last) to change it"
            )
            return await self._rerender(nudge, tz, now, toast, rows)
        _, own_event = answers.get(row.factor, (None, None))
        replaceable = [e for e in wrote if e.name in row.replaces]
        same = {row.typed_choice(e) for e in replaceable} == {choice}
        if (row.factor == "exercise" and wrote) or (replaceable and same and own_event is None):
            # Already in the diary as they wrote it: nothing added, the row shows it ticked.
            return await self._rerender(
                nudge, tz, now, "Already in your diary — you wrote it ✓", rows
            )
        event = self._factor_event(row, choice, nudge, tz, now)
        start, end = _day_window(nudge.day, tz)
        stored, removed = await self.settings.answer_over(
            nudge.id,
            user_id,
            row.factor,
            choice,
            event,
            now,
            replaces=row.replaces,
            start=start,
            end=end,
        )
        if stored == "refused":
            return EXPIRED
        if stored == "unchanged":
            return Reply(toast="Already saved — see /history.")
        toast = f"{row.title}: {row.choices[choice][1]} ✓"
        if removed:
            toast += f" (replaces {', '.join(_plain(e) for e in removed)})"
        return await self._rerender(nudge, tz, now, toast, rows)

    @staticmethod
    def _factor_event(
        row: FactorRow, choice: str, nudge: Nudge, tz: ZoneInfo, now: datetime
    ) -> NewEvent | None:
        """The event a factor answer logs, dated in the check-in's own day: sleep at waking
        (07:00), the rest at the check-in's time (21:00 when that is not on the day), never
        later than now."""
        if choice not in row.logs:
            return None
        assert nudge.day is not None
        name, value = row.logs[choice]
        if row.at_waking:
            at = wall_clock(nudge.day, WAKING, tz)
        elif nudge.scheduled_at and nudge.scheduled_at.astimezone(tz).date() == nudge.day:
            at = nudge.scheduled_at
        else:
            at = wall_clock(nudge.day, FACTOR_FALLBACK, tz)
        return NewEvent("factor", min(at, now), name=name, value=value)

    async def _rerender(
        self,
        owner: Nudge,
        tz: ZoneInfo,
        now: datetime,
        toast: str,
        rows: CheckInRows | None = None,
    ) -> Reply:
        fresh = await self.reminders.nudge(owner.id)  # the answer just stored
        owner = fresh or owner
        reply = await self._checkin_reply(owner, tz, now, _days(owner.covers), rows)
        reply.edit, reply.toast = True, toast
        return reply

    async def _ended_button(
        self, user_id: int, message_id: int, start_id: int, answer: str
    ) -> Reply:
        if answer not in ENDED:
            return EXPIRED
        now = self.clock()
        tz = await self._tz(user_id)
        if answer == "going":
            asked = await self._attack_nudges(start_id)
            if any(n.answer == "going" for n in asked) and any(n.due_at for n in asked):
                return Reply(toast="Noted — I'll ask again later.")  # a second tap: no change
        end_at: datetime | None = None
        if answer == "now":
            end_at = now
        elif answer == "earlier":
            end_at = await self._earlier_today(user_id, start_id, tz, now)
        result = await self.reminders.end_attack(user_id, start_id, answer, end_at, now)
        if result is None:
            return Reply(toast="That migraine is already over or isn't yours — nothing changed.")
        if answer == "going":
            await self._ask_again(user_id, result, tz, now)
            text = "Sorry it's still going. I'll ask again later (never at night)."
            toast = "Noted: still going"
        else:
            start = await self._event(user_id, start_id)
            minutes = int((result.at - start.at).total_seconds() // 60) if start else 0
            text = (
                f"Logged 🙂 migraine over at {result.at.astimezone(tz):%H:%M}"
                f" — it lasted {minutes // 60} h {minutes % 60} min. I hope you feel better."
            )
            if answer == "earlier":
                text += (
                    "\n<i>I put it halfway between the start and now; if you know the time, "
                    "tell me, e.g. <code>migraine ended at 3pm</code>.</i>"
                )
            toast = "Saved"
        if message_id:
            owner = await self.reminders.nudge(message_id)
            if owner is not None and owner.user_id == user_id and owner.kind == "checkin":
                return await self._rerender(owner, tz, now, toast)
        return Reply(text, edit=True, toast=toast)

    async def _earlier_today(
        self, user_id: int, start_id: int, tz: ZoneInfo, now: datetime
    ) -> datetime:
        start = await self._event(user_id, start_id)
        midnight = datetime.combine(now.astimezone(tz).date(), datetime.min.time(), tz)
        begin = max(start.at if start else midnight, midnight.astimezone(UTC))
        middle = begin + (now - begin) / 2
        return middle.replace(second=0, microsecond=0)

    async def _event(self, user_id: int, event_id: int) -> Event | None:
        async with self.diary.sessions() as session:
            event = await session.get(Event, event_id)
        return event if event is not None and event.user_id == user_id else None

    async def _ask_again(self, user_id: int, start: Event, tz: ZoneInfo, now: datetime) -> None:
        """'Still going': another 'Is the migraine over?' in 4 h, outside quiet hours."""
        if now - start.at > ATTACK_GIVE_UP:
            return
        asked = len(await self._attack_nudges(start.id))
        await self.reminders.add(
            user_id=user_id,
            kind="attack_end",
            key=f"end:{start.id}:{asked + 1}",
            due_at=after_quiet_hours(now + ATTACK_FOLLOW_UP, tz),
            event_id=start.id,
        )

    async def _attack_nudges(self, event_id: int) -> list[Nudge]:
        async with self.diary.sessions() as session:
            found = await session.scalars(
                select(Nudge).where(Nudge.event_id == event_id, Nudge.kind == "attack_end")
            )
            return list(found)

    async def _helped_button(self, user_id: int, nudge_id: int, answer: str) -> Reply:
        if answer not in HELPED:
            return EXPIRED
        nudge = await self.reminders.nudge(nudge_id)
        if nudge is None or nudge.kind != "medication" or nudge.event_id is None:
            return EXPIRED
        if nudge.user_id != user_id:
            return Reply(toast="That question isn't yours — nothing was changed.")
        if await self.reminders.answer(nudge_id, user_id, answer, self.clock()) is None:
            return Reply(toast="Already answered — see /history.")
        med = await self._event(user_id, nudge.event_id)
        name = escape(med.name or "the medication") if med else "the medication"
        return Reply(
            f"Noted: 💊 {name} — <b>{HELPED[answer].lower()}</b> after 2 hours. "
            "It shows in /history.",
            edit=True,
            toast="Saved",
        )

    # ---- follow-ups from logged messages -------------------------------------------------------

    async def on_logged(self, user_id: int, events: Sequence[Event]) -> None:
        """Queue follow-ups for what a message logged: 'is it over?' 4 h after an attack began
        (never at night), 'did it help?' 2 h after a medication."""
        now = self.clock()
        relevant = [e for e in events if e.kind in ("migraine_start", "medication")]
        if not relevant:
            return
        tz = await self._tz(user_id)
        ended = any(e.kind == "migraine_end" for e in events)
        for event in relevant:
            if event.kind == "migraine_start" and not ended:
                if now - event.at > ATTACK_GIVE_UP:
                    continue
                # 4 h after the start; an attack logged late is not asked about at once.
                due = max(event.at + ATTACK_FOLLOW_UP, now + LOGGED_LATE_GRACE)
                due = after_quiet_hours(due, tz)
                await self.reminders.add(
                    user_id=user_id,
                    kind="attack_end",
                    key=f"end:{event.id}:1",
                    due_at=due,
                    event_id=event.id,
                )
            elif event.kind == "medication":
                due = event.at + MEDICATION_FOLLOW_UP
                if now - due > MEDICATION_TOO_LATE:
                    continue
                await self.reminders.add(
                    user_id=user_id,
                    kind="medication",
                    key=f"med:{event.id}",
                    due_at=max(due, now),
                    event_id=event.id,
                )

    @staticmethod
    def cleared_note(cleared: Sequence[Event], now: datetime, tz: ZoneInfo) -> str:
        """'…and removed Saturday's “no migraine”.' for the entries a migraine logged by a
        message ruled out (storage sets them aside with the message: `Recorded.cleared`), or "".
        The day stays an observed day for /triggers: the attack is logged on it."""
        today = now.astimezone(tz).date()
        days = sorted({e.at.astimezone(tz).date() for e in cleared})
        if not days:
            return ""
        named = " and ".join(f"{_day_named(day, today)}'s “no migraine”" for day in days)
        return f"\n…and removed {named}."

    @staticmethod
    def put_back_note(restored: Sequence[Event], now: datetime, tz: ZoneInfo) -> str:
        """'…and put back Tuesday's “no migraine”.' for entries an undo or an edit restored
        (what the migraine it took back had ruled out), or ""."""
        today = now.astimezone(tz).date()
        days = sorted({e.at.astimezone(tz).date() for e in restored if e.kind == "no_migraine"})
        if not days:
            return ""
        named = " and ".join(f"{_day_named(day, today)}'s “no migraine”" for day in days)
        return f"\n…and put back {named}."

    async def history_notes(self, user_id: int, events: Sequence[Event]) -> dict[int, str]:
        """' — pain-free at 2 h' after each medication whose follow-up was answered."""
        meds = [e.id for e in events if e.kind == "medication"]
        outcomes = await self.reminders.outcomes(user_id, meds)
        return {eid: f" — {HELPED[a].lower()} at 2 h" for eid, a in outcomes.items() if a in HELPED}

    # ---- what the sweep sends ------------------------------------------------------------------

    async def compose(self, claimed: Claimed, now: datetime) -> Outgoing:
        nudge, tz = claimed.nudge, ZoneInfo(claimed.timezone)
        if nudge.kind == "checkin" and nudge.day is not None:
            earlier = await self.reminders.checkins(
                nudge.user_id, nudge.day - timedelta(days=CATCH_UP_DAYS), nudge.day - timedelta(1)
            )
            covers = [n.day for n in earlier if n.day and n.state == "sent" and n.answer is None]
            reply = await self._checkin_reply(nudge, tz, now, covers)
            return Outgoing(reply, covers=",".join(d.isoformat() for d in covers) or None)
        if nudge.kind == "attack_end" and nudge.event_id is not None:
            return await self._attack_question(nudge, nudge.event_id, tz, now)
        if nudge.kind == "medication" and nudge.event_id is not None:
            med = await self._event(nudge.user_id, nudge.event_id)
            if med is None or now - (med.at + MEDICATION_FOLLOW_UP) > MEDICATION_TOO_LATE:
                return Outgoing()
            name = escape(med.name or "your medication")
            buttons = [[Button(label, f"fu:{nudge.id}:{key}") for key, label in HELPED.items()]]
            text = f"Did {name} help? (taken at {med.at.astimezone(tz):%H:%M})"
            return Outgoing(Reply(text, buttons=buttons), silent=in_quiet_hours(now, tz))
        return Outgoing()

    async def _attack_question(
        self, nudge: Nudge, start_id: int, tz: ZoneInfo, now: datetime
    ) -> Outgoing:
        open_attack = await self.diary.open_attack(nudge.user_id, now)
        if open_attack is None or open_attack.id != start_id:
            return Outgoing()  # it ended (or a later attack began): nothing to ask
        if in_quiet_hours(now, tz):
            return Outgoing(postpone=after_quiet_hours(now, tz))
        local = open_attack.at.astimezone(tz)
        when = f"{local:%H:%M}" + (
            "" if local.date() == now.astimezone(tz).date() else f" {_day(local.date())}"
        )
        buttons = [[Button(label, f"fe:0:{start_id}:{key}") for key, label in ENDED.items()]]
        return Outgoing(Reply(f"Is the migraine over? (It started at {when}.)", buttons=buttons))

    async def sent(self, claimed: Claimed, outgoing: Outgoing, message_id: int) -> None:
        """Record the send; an unanswered 'is it over?' is asked again later."""
        now = self.clock()
        await self.reminders.mark_sent(claimed.nudge.id, message_id, now, outgoing.covers)
        nudge = claimed.nudge
        if nudge.kind == "attack_end" and nudge.event_id is not None:
            asked = len(await self._attack_nudges(nudge.event_id))
            start = await self._event(nudge.user_id, nudge.event_id)
            if start is not None and asked < ATTACK_ASKS and now - start.at < ATTACK_GIVE_UP:
                tz = ZoneInfo(claimed.timezone)
                await self.reminders.add(
                    user_id=nudge.user_id,
                    kind="attack_end",
                    key=f"end:{nudge.event_id}:{asked + 1}",
                    due_at=after_quiet_hours(now + ATTACK_FOLLOW_UP, tz),
                    event_id=nudge.event_id,
                )

    async def _checkin_reply(
        self,
        nudge: Nudge,
        tz: ZoneInfo,
        now: datetime,
        covers: list[date],
        rows: CheckInRows | None = None,
    ) -> Reply:
        """The whole check-in message from what is stored now; re-rendered after each tap.
        `rows`: the person's check-in rows when the caller has loaded them already (the sweep
        renders every check-in, so nothing is loaded twice)."""
        assert nudge.day is not None
        day, today = nudge.day, now.astimezone(tz).date()
        when = _when(day, today)
        lines: list[str] = []
        buttons: list[list[Button]] = []
        open_now = await self.diary.open_attack(nudge.user_id, now)  # once per render
        state, attack = await self._day_state(nudge, tz, now, open_now)
        header = f"Check-in for {_day(day)} — any migraine {when}?"
        if state == "open" and attack is not None and nudge.answer is None:
            header = (
                f"Check-in for {_day(day)} — you logged a migraine at "
                f"{_began(attack, tz, day)}. Is it over?"
            )
        if state == "ask":
            buttons.append(
                [
                    Button("No migraine", f"ci:{nudge.id}:{nudge.id}:n"),
                    Button("Migraine", f"ci:{nudge.id}:{nudge.id}:m"),
                ]
            )
        elif state == "free":
            lines.append("✅ No migraine — noted.")
        elif attack is not None:
            sev = f", {attack.severity}/10" if attack.severity else ""
            if nudge.answer is not None or state == "ended":
                lines.append(f"🤕 Migraine at {_began(attack, tz, day)}{sev}.")
            if state == "open":
                if nudge.answer is not None:
                    lines.append("Is it over?")
                buttons.append(
                    [Button(label, f"fe:{nudge.id}:{attack.id}:{k}") for k, label in ENDED.items()]
                )
        for past in (
            await self.reminders.checkins(nudge.user_id, min(covers), max(covers)) if covers else []
        ):
            if past.day not in covers or past.day is None:
                continue
            past_state, past_attack = await self._day_state(past, tz, now, open_now)
            name = past.day.strftime("%A")
            if past_state == "ask":
                lines.append(f"And {name}?")
                short = past.day.strftime("%a")
                buttons.append(
                    [
                        Button(f"{short}: no migraine", f"ci:{nudge.id}:{past.id}:n"),
                        Button(f"{short}: migraine", f"ci:{nudge.id}:{past.id}:m"),
                    ]
                )
            elif past_state == "free":
                lines.append(f"✅ {name}: no migraine — noted.")
            elif past_attack is not None:
                sev = f", {past_attack.severity}/10" if past_attack.severity else ""
                began = _began(past_attack, tz, past.day)
                lines.append(f"🤕 {name}: migraine at {began}{sev}.")
        if rows is None:
            rows = await self.settings.rows(nudge.user_id)
        if rows.enabled:  # everything off: the check-in is exactly the one-tap question
            extra_lines, extra_buttons = await self._factor_rows(nudge, rows, day, when, tz)
            lines += ["", *extra_lines]
            buttons += extra_buttons
        text = "\n".join([header, *lines, "", FOOD_INVITE.replace("today", when)])
        return Reply(text, buttons=buttons)

    async def _factor_rows(
        self, nudge: Nudge, rows: CheckInRows, day: date, when: str, tz: ZoneInfo
    ) -> tuple[list[str], list[list[Button]]]:
        """The rows turned on in /settings, below the migraine buttons: a line naming each
        question (with the answer once given) and its buttons (the chosen one ticked).

        What the person typed for the factor that day answers the row too ("(you wrote it)",
        its button ticked). A check-in answer that logged something wins over what was typed
        (which its tap replaced, or which was typed after it: shown as "you also wrote"); one
        that logs nothing ("Exercise: no") gives way to an entry typed that day."""
        answers = await self.settings.answered(nudge.id)
        typed = await self._typed(nudge, tz, answers)
        lines: list[str] = []
        buttons: list[list[Button]] = []
        for row in FACTOR_ROWS:
            if row.factor not in rows.enabled:
                continue
            chosen, event_id = answers.get(row.factor, (None, None))
            wrote = typed.get(row.factor, [])
            words = ", ".join(dict.fromkeys(row.typed_word(e) for e in wrote))
            answered = f"{row.emoji} {row.question(day, when, answered=True)}"
            ticked: set[str | None]
            if chosen in row.choices and (event_id is not None or not wrote):
                also = f" (you also wrote {words})" if wrote else ""
                lines.append(f"{answered}: <b>{row.choices[chosen][1]}</b>{also}")
                ticked = {chosen}
            elif wrote:
                lines.append(f"{answered}: <b>{words}</b> (you wrote it)")
                ticked = {row.typed_choice(e) for e in wrote}
            else:
                lines.append(f"{row.emoji} {row.question(day, when)}?")
                ticked = set()
            buttons.append(
                [
                    Button(
                        f"✓ {label}" if key in ticked else label,
                        f"cf:{nudge.id}:{row.code}:{key}",
                    )
                    for key, (label, _) in row.choices.items()
                ]
            )
        return lines, buttons

    async def _typed(
        self, nudge: Nudge, tz: ZoneInfo, answers: dict[str, tuple[str, int | None]]
    ) -> dict[str, list[Event]]:
        """Each row's factor events on the check-in's local day that this check-in did not log
        itself (typed, or imported), by row factor, in time order."""
        assert nudge.day is not None
        own = {event_id for _, event_id in answers.values() if event_id is not None}
        start, end = _day_window(nudge.day, tz)
        events = [
            e
            for e in await self.diary.events_between(nudge.user_id, start, end)
            if e.kind == "factor" and e.id not in own
        ]
        return {
            row.factor: found
            for row in FACTOR_ROWS
            if (found := [e for e in events if e.name in row.reads])
        }

    async def _day_state(
        self, nudge: Nudge, tz: ZoneInfo, now: datetime, open_now: Event | None
    ) -> tuple[str, Event | None]:
        """'ask', 'free' (a migraine-free day logged), 'open' or 'ended' (an attack that day, or
        one that began earlier and went on into it). A day already settled by what the person
        typed counts as answered. `open_now`: the attack open at `now` (`Diary.open_attack`),
        loaded once by the caller for every day it renders."""
        assert nudge.day is not None
        start = datetime.combine(nudge.day, datetime.min.time(), tz)
        events = await self.diary.events_between(
            nudge.user_id, start, start + timedelta(days=1, hours=1)
        )
        events = [e for e in events if e.at.astimezone(tz).date() == nudge.day]
        attacks = [e for e in events if e.kind == "migraine_start"]
        attack: Event | None
        if attacks:
            attack = attacks[-1]
        elif any(e.kind == "no_migraine" for e in events):
            attack = None
        else:
            # An attack that began on an earlier day and was still going on this one: the day
            # is not migraine-free, and it is not a new attack either. Nothing to ask.
            attack = await self.diary.attack_into(nudge.user_id, start, UNENDED_ATTACK)
            if attack is None:
                return "ask", None
        if attack is None:
            state = "free"
        else:
            state = "open" if open_now is not None and open_now.id == attack.id else "ended"
        if nudge.answer is None:  # the day is settled by what they logged themselves
            await self.reminders.answer(nudge.id, nudge.user_id, "logged", now)
        return state, attack
