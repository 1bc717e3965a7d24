"""What the dialogue core answers, independent of Telegram or the terminal."""

from __future__ import annotations

from dataclasses import dataclass, field

TELEGRAM_TEXT_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: `data` comes back to the core when it is tapped."""

    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Document:
    """A file sent with a reply (/export): Telegram uploads it, the terminal chat saves it."""

    filename: str
    data: bytes


@dataclass(slots=True)
class Reply:
    """One answer. `text` is Telegram HTML (<b>, <i>, <code> only).

    For a button tap: `edit` replaces the tapped message's text, `toast` is the short notice
    Telegram shows; a tap that changes nothing has only a toast.
    """

    text: str = ""
    buttons: list[list[Button]] = field(default_factory=list)
    edit: bool = False
    toast: str | None = None
    photo: bytes | None = None
    photo_caption: str | None = None
    ask_location: bool = False  # offer the one-tap "share location" keyboard
    remove_keyboard: bool = False
    # A second message sent right after this one (e.g. the check-in offer after /start: a
    # message carries one keyboard, and /start's is the share-location one).
    follow_up: Reply | None = None
    documents: list[Document] = field(default_factory=list)


def clip(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> str:
    """Keep a reply inside Telegram's limit, cutting at a line break when one is near."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit - 2)
    cut = cut if cut > limit // 2 else limit - 2
    return text[:cut].rstrip() + "\n…"
