"""/erase's confirmation: only its owner, only fresh, and cancel deletes nothing."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.console import Console
from bot.core.replies import Document, Reply
from bot.core.rights import DataRights
from storage import Diary

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


async def test_erase_button_is_checked_for_owner_and_age(diary: Diary) -> None:
    now = [T0]
    rights = DataRights(diary, clock=lambda: now[0])
    await diary.ensure_user(5, 5)
    [[yes, cancel]] = rights.confirm_erase(5).buttons

    assert "isn't yours" in (await rights.button(6, yes.data)).toast  # type: ignore[operator]
    cancelled = await rights.button(5, cancel.data)
    assert cancelled.edit and "nothing was deleted" in cancelled.text
    now[0] = T0 + timedelta(minutes=11)
    stale = await rights.button(5, yes.data)
    assert "expired" in stale.text and await diary.get_user(5) is not None
    assert (await rights.button(5, "er:yes:5:not-a-time")).toast is not None

    now[0] = T0 + timedelta(minutes=1)
    done = await rights.button(5, yes.data)
    assert "Nothing of yours is left" in done.text and await diary.get_user(5) is None


async def test_export_of_an_empty_diary_says_so(diary: Diary) -> None:
    reply = await DataRights(diary).export(5)
    assert "nothing to export" in reply.text and reply.documents == []


def test_the_terminal_chat_saves_exported_files() -> None:
    out = io.StringIO()
    console = Console(None, 1, out=out)  # type: ignore[arg-type]  # show() needs no dialogue
    console.show(Reply("Your whole diary", documents=[Document("haven-diary.csv", b"at,kind\n")]))
    found = re.search(r"file saved to ([^\s\]]+)", out.getvalue())
    assert found is not None and Path(found.group(1)).read_bytes() == b"at,kind\n"
