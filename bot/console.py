"""`haven chat`: the same conversation in the terminal, on the same database, no token needed.

Buttons are shown numbered; type `#N` to tap button N of the last message.
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.core.dialogue import Dialogue, Incoming
from bot.core.replies import Button, Reply

_TAG = re.compile(r"</?(b|i|code)>")


def to_terminal(text: str, *, colour: bool) -> str:
    """Telegram HTML → plain text (bold stays bold on a colour terminal)."""
    if colour:
        text = text.replace("<b>", "\033[1m").replace("</b>", "\033[0m")
    return html.unescape(_TAG.sub("", text))


class Console:
    def __init__(
        self,
        dialogue: Dialogue,
        user_id: int,
        out: TextIO = sys.stdout,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.dialogue = dialogue
        self.user_id = user_id
        self.out = out
        self.clock = clock
        self.colour = out.isatty()
        self.buttons: list[Button] = []
        # Message ids only need to be unique in this chat, across runs: milliseconds are.
        self._next_id = int(time.time() * 1000)

    def show(self, reply: Reply | None) -> None:
        if reply is None:
            return
        if reply.toast:
            self.out.write(f"  ({reply.toast})\n")
        if reply.text:
            prefix = "haven (edited)> " if reply.edit else "haven> "
            self.out.write(prefix + to_terminal(reply.text, colour=self.colour) + "\n")
        if reply.edit or reply.buttons:
            self.buttons = [button for row in reply.buttons for button in row]
        if self.buttons and reply.buttons:
            labels = "  ".join(f"[#{i}] {b.label}" for i, b in enumerate(self.buttons, 1))
            self.out.write(f"  {labels}\n  (type #N to tap a button)\n")
        if reply.photo is not None:
            with tempfile.NamedTemporaryFile(
                prefix="haven-chart-", suffix=".png", delete=False
            ) as fh:
                fh.write(reply.photo)
            self.out.write(f"  [chart saved to {fh.name}]\n")
        if reply.documents:
            folder = Path(tempfile.mkdtemp(prefix="haven-export-"))
            for document in reply.documents:
                path = folder / document.filename
                path.write_bytes(document.data)
                self.out.write(f"  [file saved to {path}]\n")
        self.out.flush()
        self.show(reply.follow_up)

    async def handle(self, line: str) -> Reply | None:
        line = line.strip()
        if not line:
            return None
        if line.startswith("#") and line[1:].isdigit():
            index = int(line[1:]) - 1
            if not 0 <= index < len(self.buttons):
                return Reply(toast="There is no such button.")
            return await self.dialogue.handle_button(self.user_id, self.buttons[index].data)
        self._next_id += 1
        message = Incoming(
            user_id=self.user_id,
            chat_id=self.user_id,
            message_id=self._next_id,
            sent_at=self.clock(),
            text=line,
        )
        return await self.dialogue.handle_text(message)

    async def run(self) -> None:
        self.out.write(
            "Haven terminal chat — talk to it as you would on Telegram. Ctrl-D or /quit to leave.\n"
        )
        if await self.dialogue.diary.get_user(self.user_id) is None:
            self.show(await self.handle("/start"))
        else:
            self.out.write("Welcome back. Tell me what you had, or type /help.\n")
        while True:
            try:
                line = await asyncio.to_thread(input, "you> ")
            except EOFError:
                self.out.write("\nBye — everything you logged is saved.\n")
                return
            if line.strip() in {"/quit", "/exit"}:
                self.out.write("Bye — everything you logged is saved.\n")
                return
            try:
                self.show(await self.handle(line))
            except Exception as exc:  # one bad line must not end the session
                self.out.write(f"haven> Sorry, something went wrong ({exc.__class__.__name__}).\n")
