"""/settings: which optional one-tap rows the daily check-in shows (all off by default).

A tap on a switch sets it to what the button showed it would (not a blind flip, so an old
/settings message or a double tap does what it said) and re-renders the same message.

Button data (under Telegram's 64 bytes): st:<owner's user id>:<row code>:<1 on | 0 off>, the row
codes being the check-in's (bot/core/checkins.py FACTOR_ROWS).
"""

from __future__ import annotations

from bot.core.checkins import EXPIRED, ROWS_BY_CODE, CheckIns
from bot.core.replies import Button, Reply
from bot.core.schedule import format_clock
from storage.settings import CheckInRows

# (row code, switch label, one-line explanation), in check-in order.
SWITCHES = (
    ("s", "Sleep quality", "😴 <b>Sleep quality</b>: how you slept last night — poor, OK or good."),
    (
        "t",
        "Stress 1–5",
        "😣 <b>Stress 1–5</b>: how stressful the day was, 1 (calm) to 5 (very stressed).",
    ),
    ("x", "Exercise", "🏃 <b>Exercise</b>: whether you exercised that day, yes or no."),
    (
        "p",
        "Period tracking",
        "🩸 <b>Period tracking</b>: only if it applies to you, and entirely up to you. Periods "
        "can play a part in migraine; turned on, the check-in asks whether your period started "
        "or is ongoing. Turned off, I never ask about it.",
    ),
)


class SettingsMenu:
    def __init__(self, checkins: CheckIns) -> None:
        self.checkins = checkins
        self.store = checkins.settings

    async def command(self, user_id: int) -> Reply:
        rows = await self.store.rows(user_id)
        return Reply(await self._text(user_id), buttons=self._buttons(user_id, rows))

    async def button(self, user_id: int, data: str) -> Reply:
        parts = data.split(":")
        if len(parts) != 4 or parts[2] not in ROWS_BY_CODE or parts[3] not in ("0", "1"):
            return EXPIRED
        try:
            owner = int(parts[1])
        except ValueError:
            return EXPIRED
        if owner != user_id:
            return Reply(toast="That button isn't yours — nothing was changed.")
        row, on = ROWS_BY_CODE[parts[2]], parts[3] == "1"
        rows = await self.store.set_row(user_id, row.factor, on)
        label = next(label for code, label, _ in SWITCHES if code == row.code)
        toast = f"{label}: {'on' if on else 'off'}"
        if row.factor == "period" and not on:
            toast = "Period tracking off — I won't ask about it"
        return Reply(
            await self._text(user_id),
            buttons=self._buttons(user_id, rows),
            edit=True,
            toast=toast,
        )

    async def _text(self, user_id: int) -> str:
        reminder = await self.checkins.reminders.get(user_id)
        if reminder is not None and reminder.enabled and reminder.next_due is not None:
            status = f"Your daily check-in is at <b>{format_clock(reminder.minute)}</b>."
        else:
            status = (
                "Your daily check-in is off, so these wait until it is on: "
                "<code>/reminder 21:00</code> turns it on."
            )
        lines = [line for _, _, line in SWITCHES]
        return (
            "<b>Check-in questions</b>\n"
            "Each adds a one-tap row to your daily check-in, below “any migraine?”. "
            "All are off unless you turn them on: tap to switch.\n\n"
            + "\n".join(lines)
            + f"\n\n{status}\n"
            "<i>You can always write these instead, e.g. <code>slept badly</code>, "
            "<code>stress 4/5</code>, <code>went for a run</code>.</i>"
        )

    @staticmethod
    def _buttons(user_id: int, rows: CheckInRows) -> list[list[Button]]:
        out: list[list[Button]] = []
        for code, label, _ in SWITCHES:
            on = ROWS_BY_CODE[code].factor in rows.enabled
            mark = "✅" if on else "▫️"
            out.append([Button(f"{mark} {label}", f"st:{user_id}:{code}:{0 if on else 1}")])
        return out
