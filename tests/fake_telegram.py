"""A fake Telegram Bot API server for end-to-end tests of the real PTB ``Application``.

The server speaks the Bot API over HTTP on 127.0.0.1 (random free port). Point PTB at it with
``ApplicationBuilder().base_url(f"{tg.url}/bot").base_file_url(f"{tg.url}/file/bot")`` or use
:meth:`FakeTelegram.builder`. Tests inject updates through :meth:`FakeTelegram.user` and read the
bot's calls through :attr:`FakeTelegram.calls`, :meth:`FakeTelegram.sent`,
:meth:`FakeTelegram.wait_for`, :meth:`FakeTelegram.texts` and friends.

What PTB 22 really sends (``HTTPXRequest.do_request``): every call is ``POST`` with the parameters
as form fields, ``application/x-www-form-urlencoded`` normally and ``multipart/form-data`` when a
file is uploaded. String parameters are sent raw; all other values are JSON-encoded (``chat_id``
``"42"``, ``reply_markup`` ``'{"inline_keyboard": ...}'``, booleans ``"true"``). The server also
accepts JSON bodies and query strings, so hand-written requests work too.

Behaviour that mirrors Telegram (switch off with ``tg.strict = False``): HTML ``parse_mode`` is
validated (unsupported or unbalanced tags give 400 ``can't parse entities``) and the message
keeps the visible text without tags; editing to identical content gives 400 ``message is not
modified``; editing or deleting an unknown message gives 400; empty or over-long text, over-long
captions and ``callback_data`` over 64 bytes give 400; answering an unknown or already answered
callback query gives 400. ``editMessageText`` without ``reply_markup`` removes the inline keyboard,
as Telegram does. Only inline keyboards are echoed in returned messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import datetime as dt
import html
import itertools
import json
import re
import socket
import struct
import time
import zlib
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pytest_asyncio
from aiohttp import web
from telegram.ext import Application, ApplicationBuilder, ContextTypes

__all__ = [
    "PNG_SIGNATURE",
    "TINY_PNG",
    "ApiError",
    "Call",
    "FakeTelegram",
    "FakeUser",
    "UploadedFile",
    "running",
    "tg",
]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _make_png(width: int = 1, height: int = 1) -> bytes:
    """Build a valid, tiny, white RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return (
        PNG_SIGNATURE
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


TINY_PNG = _make_png()
"""A valid 1x1 PNG, handy as upload content or as a user's photo."""

# Parameters that PTB sends as raw strings; everything else is JSON-decoded when possible.
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "url",
        "secret_token",
        "action",
        "emoji",
        "query",
        "title",
        "description",
        "short_description",
        "name",
        "language_code",
        "business_connection_id",
        "message_effect_id",
        "file_id",
        "photo",
        "document",
        "sticker",
        "voice",
        "audio",
        "video",
        "animation",
        "thumbnail",
        "ip_address",
    }
)

_HTML_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>")

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_DEFAULT_ERRORS: dict[int, tuple[str, dict[str, Any] | None]] = {
    429: ("Too Many Requests: retry after 1", {"retry_after": 1}),
    403: ("Forbidden: bot was blocked by the user", None),
    400: ("Bad Request: chat not found", None),
}
_TRUE_METHODS = frozenset(
    {
        "sendchataction",
        "close",
        "logout",
        "deletemycommands",
        "setmydescription",
        "setmyshortdescription",
        "setmyname",
        "setchatmenubutton",
        "pinchatmessage",
        "unpinchatmessage",
        "unpinallchatmessages",
        "setmydefaultadministratorrights",
        "setmessagereaction",
    }
)


class ApiError(Exception):
    """An error answered the way Telegram does: ``{"ok": false, "error_code": ...}``."""

    def __init__(
        self, status: int, description: str, parameters: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = dict(parameters) if parameters else None

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram would answer with."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass
class UploadedFile:
    """A file the bot uploaded (a multipart part) or a user sent (:meth:`FakeUser.send_photo`)."""

    file_id: str
    file_unique_id: str
    data: bytes
    filename: str | None = None
    content_type: str | None = None
    field: str | None = None
    method: str | None = None
    chat_id: int | str | None = None

    @property
    def is_png(self) -> bool:
        """Whether the content starts with the PNG signature."""
        return self.data.startswith(PNG_SIGNATURE)


@dataclass
class Call:
    """One recorded Bot API request and how the fake answered it."""

    method: str
    params: dict[str, Any]
    token: str
    content_type: str = ""
    status: int = 0
    response: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the fake answered with ``ok: true`` (``status`` is 0 while still pending)."""
        return self.status == 200

    @property
    def result(self) -> Any:
        """The ``result`` field of a successful answer (``None`` for errors)."""
        return self.response.get("result")

    @property
    def chat_id(self) -> int | str | None:
        """The ``chat_id`` parameter, normalised to ``int`` when numeric."""
        return _norm_chat(self.params.get("chat_id"))


@dataclass
class _Failure:
    method: str
    chat_id: int | str | None
    error: ApiError
    times: int


def _norm_chat(value: Any) -> int | str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    text = str(value)
    with contextlib.suppress(ValueError):
        return int(text)
    return text


def _decode_form_value(key: str, value: str) -> Any:
    if key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _markup(value: Any) -> dict[str, Any] | None:
    """Decode ``reply_markup`` (dict or JSON string) to a dict, or ``None``."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = json.loads(value)
    if not isinstance(value, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    return value


def _inline_markup(value: Any) -> dict[str, Any] | None:
    markup = _markup(value)
    if markup is None or "inline_keyboard" not in markup:
        return None
    return markup


def html_to_text(source: str) -> str:
    """Validate Telegram-flavoured HTML and return the visible text (raises :class:`ApiError`)."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    while True:
        lt = source.find("<", pos)
        if lt == -1:
            out.append(source[pos:])
            break
        out.append(source[pos:lt])
        match = _TAG_RE.match(source, lt)
        offset = len(source[:lt].encode("utf-8"))
        if match is None:
            raise ApiError(
                400,
                f'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset '
                f"{offset}",
            )
        closing, name = match.group(1), match.group(2).lower()
        if name not in _HTML_TAGS:
            kind = "end" if closing else "start"
            raise ApiError(
                400,
                f'Bad Request: can\'t parse entities: Unsupported {kind} tag "{name}" at byte '
                f"offset {offset}",
            )
        if closing:
            if not stack or stack[-1] != name:
                raise ApiError(
                    400,
                    f"Bad Request: can't parse entities: Unmatched end tag at byte offset "
                    f'{offset}, expected "</{stack[-1] if stack else ""}>", found "</{name}>"',
                )
            stack.pop()
        else:
            stack.append(name)
        pos = match.end()
    if stack:
        raise ApiError(
            400,
            f"Bad Request: can't parse entities: Can't find end tag corresponding to start tag "
            f'"{stack[-1]}"',
        )
    return html.unescape("".join(out))


class FakeUser:
    """A Telegram user in a private chat with the bot; its methods enqueue realistic updates."""

    def __init__(
        self,
        tg: FakeTelegram,
        user_id: int,
        first_name: str = "Test",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        tz: str | dt.tzinfo | None = None,
    ) -> None:
        self.tg = tg
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.tz: dt.tzinfo = ZoneInfo(tz) if isinstance(tz, str) else (tz or dt.UTC)
        self.last_update: dict[str, Any] | None = None

    @property
    def user(self) -> dict[str, Any]:
        """The ``User`` object Telegram puts in ``from``."""
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    @property
    def chat(self) -> dict[str, Any]:
        """The private ``Chat`` object (chat id = user id)."""
        data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data

    def timestamp(self, when: float | dt.datetime | None = None) -> int:
        """Unix time for ``when``: ``None`` is now, naive datetimes are in the user's ``tz``."""
        if when is None:
            return int(self.tg.now())
        if isinstance(when, dt.datetime):
            if when.tzinfo is None:
                when = when.replace(tzinfo=self.tz)
            return int(when.timestamp())
        return int(when)

    def _enqueue(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = self.tg.enqueue_raw({kind: payload})
        self.last_update = update
        return update

    def _message(
        self,
        content: Mapping[str, Any],
        date: float | dt.datetime | None,
        message_id: int | None,
    ) -> int:
        mid = self.tg._allocate_message_id(self.id, message_id)
        message = {
            "message_id": mid,
            "from": self.user,
            "chat": self.chat,
            "date": self.timestamp(date),
            **content,
        }
        self.tg.messages[(self.id, mid)] = copy.deepcopy(message)
        self._enqueue("message", message)
        return mid

    def send_text(
        self,
        text: str,
        date: float | dt.datetime | None = None,
        message_id: int | None = None,
        *,
        entities: list[dict[str, Any]] | None = None,
    ) -> int:
        """Send a text message; returns its ``message_id``."""
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        return self._message(content, date, message_id)

    def send_command(
        self,
        command: str,
        date: float | dt.datetime | None = None,
        message_id: int | None = None,
    ) -> int:
        """Send ``"/cmd args"`` with the ``bot_command`` entity Telegram adds; returns its id."""
        if not command.startswith("/"):
            command = "/" + command
        head = command.split(maxsplit=1)[0] if command.strip() else command
        entity = {"type": "bot_command", "offset": 0, "length": len(head.encode("utf-16-le")) // 2}
        return self.send_text(command, date, message_id, entities=[entity])

    def edit_text(
        self,
        message_id: int,
        new_text: str,
        date: float | dt.datetime | None = None,
        edit_date: float | dt.datetime | None = None,
    ) -> int:
        """Edit one of the user's messages (an ``edited_message`` update); returns message id."""
        old = self.tg.messages.get((self.id, message_id), {})
        message = {
            "message_id": message_id,
            "from": self.user,
            "chat": self.chat,
            "date": self.timestamp(date) if date is not None else old.get("date", self.timestamp()),
            "edit_date": self.timestamp(edit_date),
            "text": new_text,
        }
        if new_text.startswith("/"):
            head = new_text.split(maxsplit=1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(head)}]
        self.tg.messages[(self.id, message_id)] = copy.deepcopy(message)
        self._enqueue("edited_message", message)
        return message_id

    def send_sticker(self, emoji: str = "🙂", date: float | dt.datetime | None = None) -> int:
        """Send a regular static sticker; returns its ``message_id``."""
        file_id = self.tg._new_file_id("sticker")
        sticker = {
            "file_id": file_id,
            "file_unique_id": file_id + "u",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._message({"sticker": sticker}, date, None)

    def send_photo(
        self,
        caption: str | None = None,
        date: float | dt.datetime | None = None,
        *,
        data: bytes = TINY_PNG,
    ) -> int:
        """Send a photo (its bytes are downloadable through ``getFile``); returns message id."""
        stored = self.tg._store_file(data, filename="photo.png", content_type="image/png")
        stored.chat_id = self.id
        content: dict[str, Any] = {"photo": self.tg._photo_sizes(stored)}
        if caption is not None:
            content["caption"] = caption
        return self._message(content, date, None)

    def send_voice(self, duration: int = 3, date: float | dt.datetime | None = None) -> int:
        """Send a voice note; returns its ``message_id``."""
        stored = self.tg._store_file(b"OggS" + b"\x00" * 60, content_type="audio/ogg")
        voice = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(stored.data),
        }
        return self._message({"voice": voice}, date, None)

    def send_location(
        self, latitude: float, longitude: float, date: float | dt.datetime | None = None
    ) -> int:
        """Share a location; returns its ``message_id``."""
        location = {"latitude": latitude, "longitude": longitude}
        return self._message({"location": location}, date, None)

    def tap(
        self,
        button_message: int | Mapping[str, Any],
        callback_data: str,
        *,
        check: bool = True,
        by: FakeUser | None = None,
    ) -> str:
        """Tap an inline button of a bot message; returns the callback query id.

        ``by`` makes someone else the tapper (as in a group, or a keyboard in a forwarded message).

        ``button_message`` is a message id in this chat or a message dict (e.g. from
        :meth:`FakeTelegram.last_message` or ``Call.result``). The current state of the stored
        message is sent, as Telegram does. With ``check`` the button must exist on it.
        """
        if isinstance(button_message, Mapping):
            message_id = int(button_message["message_id"])
        else:
            message_id = int(button_message)
        message = self.tg.messages.get((self.id, message_id))
        if message is None:
            raise AssertionError(f"no message {message_id} in chat {self.id} to tap")
        if check:
            available = [
                data for row in self.tg.buttons(message) for _text, data in row if data is not None
            ]
            if callback_data not in available:
                raise AssertionError(
                    f"message {message_id} has no button with callback_data={callback_data!r}; "
                    f"available: {available}"
                )
        query_id = str(next(self.tg._query_ids))
        self.tg._open_queries.add(query_id)
        query = {
            "id": query_id,
            "from": (by or self).user,
            "message": copy.deepcopy(message),
            "chat_instance": f"ci{self.id}",
            "data": callback_data,
        }
        self._enqueue("callback_query", query)
        return query_id


class FakeTelegram:
    """The fake Bot API server. Use ``async with FakeTelegram() as tg:`` or the ``tg`` fixture."""

    def __init__(
        self,
        token: str = "123:ABC",
        *,
        bot_username: str = "haven_test_bot",
        bot_first_name: str = "Haven",
        now: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        self.now = now
        self.strict = True
        bot_id = token.split(":", 1)[0]
        self.bot_user: dict[str, Any] = {
            "id": int(bot_id) if bot_id.isdigit() else 123,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[Call] = []
        self.files: list[UploadedFile] = []
        self.messages: dict[tuple[int | str, int], dict[str, Any]] = {}
        self.deleted: list[tuple[int | str, int]] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.blocked: set[int] = set()
        self.webhook_url = ""
        self.last_update: dict[str, Any] | None = None
        self.pending: list[dict[str, Any]] = []
        self.users: dict[int, FakeUser] = {}
        self._files_by_id: dict[str, UploadedFile] = {}
        self._sources: dict[tuple[int | str, int], tuple[str, str | None]] = {}
        self._next_mid: dict[int | str, int] = {}
        self._update_ids = itertools.count(10_000)
        self._query_ids = itertools.count(7_000_000_001)
        self._file_counter = itertools.count(1)
        self._failures: list[_Failure] = []
        self._open_queries: set[str] = set()
        self._allowed_updates: list[str] | None = None
        self._updates_event = asyncio.Event()
        self._calls_cond = asyncio.Condition()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ---------------------------------------------------------------- lifecycle

    @property
    def url(self) -> str:
        """Base URL of the server, e.g. ``http://127.0.0.1:54321``."""
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> FakeTelegram:
        """Start listening on a random free port of 127.0.0.1."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        return self

    async def stop(self) -> None:
        """Release pending long polls and stop the server."""
        self._closing = True
        self._notify_updates()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def builder(self, token: str | None = None) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
        """An ``ApplicationBuilder`` wired to this server with short timeouts."""
        return (
            ApplicationBuilder()
            .token(token or self.token)
            .base_url(f"{self.url}/bot")
            .base_file_url(f"{self.url}/file/bot")
            .connect_timeout(2.0)
            .read_timeout(2.0)
            .write_timeout(2.0)
            .pool_timeout(2.0)
            .get_updates_connect_timeout(2.0)
            .get_updates_read_timeout(2.0)
            .get_updates_write_timeout(2.0)
            .get_updates_pool_timeout(2.0)
        )

    # ---------------------------------------------------------------- injecting updates

    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        tz: str | dt.tzinfo | None = None,
    ) -> FakeUser:
        """A :class:`FakeUser` whose private chat id is ``user_id``."""
        helper = FakeUser(
            self,
            user_id,
            first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            tz=tz,
        )
        self.users[user_id] = helper
        return helper

    def enqueue_raw(
        self, update: Mapping[str, Any], *, keep_update_id: bool = False
    ) -> dict[str, Any]:
        """Queue an update dict (deep-copied); a fresh, increasing ``update_id`` is set unless
        ``keep_update_id``. Returns the queued update."""
        queued = copy.deepcopy(dict(update))
        if not keep_update_id or "update_id" not in queued:
            queued["update_id"] = next(self._update_ids)
        self.pending.append(queued)
        self.last_update = copy.deepcopy(queued)
        self._notify_updates()
        return copy.deepcopy(queued)

    def _notify_updates(self) -> None:
        """Wake every pending long poll (they re-check ``pending``)."""
        event, self._updates_event = self._updates_event, asyncio.Event()
        event.set()

    # ---------------------------------------------------------------- error injection

    def fail_next(
        self,
        method: str,
        chat_id: int | str | None = None,
        status: int = 429,
        description: str | None = None,
        parameters: Mapping[str, Any] | None = None,
        *,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (for ``chat_id`` if given) fail.

        Defaults by status: 429 ``Too Many Requests: retry after 1`` with ``retry_after: 1``,
        403 ``Forbidden: bot was blocked by the user``, 400 ``Bad Request: chat not found``.
        """
        default_description, default_parameters = _DEFAULT_ERRORS.get(
            status, (f"Error {status}", None)
        )
        error = ApiError(
            status,
            description if description is not None else default_description,
            parameters if parameters is not None else default_parameters,
        )
        self._failures.append(_Failure(method.lower(), _norm_chat(chat_id), error, times))

    def block(self, user_id: int) -> None:
        """The user blocks the bot: every later call to that chat gets 403 Forbidden."""
        self.blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        """The user unblocks the bot."""
        self.blocked.discard(user_id)

    def _take_failure(self, method: str, chat_id: int | str | None) -> ApiError | None:
        for failure in self._failures:
            if failure.method == method and failure.chat_id in (None, chat_id):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                return failure.error
        return None

    # ---------------------------------------------------------------- reading what the bot did

    @property
    def requests(self) -> list[tuple[str, dict[str, Any]]]:
        """Every request as ``(method, params)``, in arrival order (including failed ones)."""
        return [(call.method, call.params) for call in self.calls]

    def mark(self) -> int:
        """Current position in :attr:`calls`, for ``sent(since=...)`` / ``wait_for(since=...)``."""
        return len(self.calls)

    def matching(
        self,
        method: str | None = "sendMessage",
        chat_id: int | str | None = None,
        *,
        since: int = 0,
        include_failed: bool = False,
    ) -> list[Call]:
        """Recorded :class:`Call` objects filtered like :meth:`sent`."""
        wanted = _norm_chat(chat_id)
        return [
            call
            for call in self.calls[since:]
            if (method is None or call.method.lower() == method.lower())
            and (wanted is None or call.chat_id == wanted)
            and (include_failed or call.ok)
        ]

    def sent(
        self,
        chat_id: int | str | None = None,
        method: str | None = "sendMessage",
        *,
        since: int = 0,
        include_failed: bool = False,
    ) -> list[dict[str, Any]]:
        """Params of successful calls of ``method`` (any method if ``None``) to ``chat_id``."""
        return [
            call.params
            for call in self.matching(method, chat_id, since=since, include_failed=include_failed)
        ]

    async def wait_for(
        self,
        method: str | None = "sendMessage",
        chat_id: int | str | None = None,
        count: int = 1,
        timeout: float = 5.0,
        *,
        since: int = 0,
        include_failed: bool = False,
    ) -> list[dict[str, Any]]:
        """Wait until at least ``count`` matching calls (after ``since``) were answered and
        return their params. Raises ``AssertionError`` listing what arrived on timeout."""

        def ready() -> bool:
            found = self.matching(method, chat_id, since=since, include_failed=include_failed)
            return len(found) >= count

        try:
            async with asyncio.timeout(timeout):
                async with self._calls_cond:
                    await self._calls_cond.wait_for(ready)
        except TimeoutError:
            seen = [
                (c.method, c.chat_id, c.status)
                for c in self.calls[since:]
                if c.method != "getUpdates"
            ]
            raise AssertionError(
                f"timed out after {timeout}s waiting for {count} x {method} (chat_id={chat_id}); "
                f"got: {seen}"
            ) from None
        return self.sent(chat_id, method, since=since, include_failed=include_failed)

    def texts(self, chat_id: int | str | None = None) -> list[str]:
        """Visible texts of successful ``sendMessage`` and ``editMessageText`` calls, in order."""
        out: list[str] = []
        for call in self.calls:
            if not call.ok or call.method.lower() not in ("sendmessage", "editmessagetext"):
                continue
            result = call.result
            if not isinstance(result, dict):
                continue
            if chat_id is not None and _norm_chat(result["chat"]["id"]) != _norm_chat(chat_id):
                continue
            out.append(result.get("text", ""))
        return out

    def last_text(self, chat_id: int | str | None = None) -> str | None:
        """The latest of :meth:`texts`, or ``None``."""
        found = self.texts(chat_id)
        return found[-1] if found else None

    def last_message(self, chat_id: int | str) -> dict[str, Any]:
        """Current state of the bot's newest surviving message in the chat."""
        wanted = _norm_chat(chat_id)
        bot_id = self.bot_user["id"]
        candidates = [
            (mid, msg)
            for (cid, mid), msg in self.messages.items()
            if cid == wanted and msg.get("from", {}).get("id") == bot_id
        ]
        if not candidates:
            raise AssertionError(f"the bot has no message in chat {chat_id}")
        return copy.deepcopy(max(candidates, key=lambda item: item[0])[1])

    @staticmethod
    def buttons(request_params: Mapping[str, Any]) -> list[list[tuple[str, str | None]]]:
        """Inline keyboard rows as ``(text, callback_data)`` of request params or a message."""
        markup = _markup(request_params.get("reply_markup"))
        if not markup:
            return []
        return [
            [(button.get("text", ""), button.get("callback_data")) for button in row]
            for row in markup.get("inline_keyboard", [])
        ]

    # ---------------------------------------------------------------- HTTP plumbing

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = {
            key: _decode_form_value(key, value) for key, value in request.query.items()
        }
        if not request.body_exists:
            return params
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
            return params
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                stored = self._store_file(
                    value.file.read(), filename=value.filename, content_type=value.content_type
                )
                stored.field = key
                params[key] = stored
            else:
                params[key] = _decode_form_value(key, str(value))
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._read_params(request)
        call = Call(
            method=method,
            params=params,
            token=request.match_info["token"],
            content_type=request.content_type if request.body_exists else "",
        )
        self.calls.append(call)
        for value in params.values():
            if isinstance(value, UploadedFile):
                value.method, value.chat_id = method, call.chat_id
        try:
            error = self._take_failure(method.lower(), call.chat_id)
            if error is not None:
                raise error
            if isinstance(call.chat_id, int) and call.chat_id in self.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            result = await self._dispatch(method.lower(), params)
        except ApiError as err:
            call.status, call.response = err.status, err.payload()
        else:
            call.status, call.response = 200, {"ok": True, "result": result}
        async with self._calls_cond:
            self._calls_cond.notify_all()
        return web.json_response(call.response, status=call.status)

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        stored = self._files_by_id.get(file_id)
        if stored is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=stored.data, content_type="application/octet-stream")

    async def _dispatch(self, method: str, params: dict[str, Any]) -> Any:
        handlers: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getme": lambda p: copy.deepcopy(self.bot_user),
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "editmessagecaption": self._edit_message_caption,
            "answercallbackquery": self._answer_callback_query,
            "sendphoto": lambda p: self._send_media(p, "photo"),
            "senddocument": lambda p: self._send_media(p, "document"),
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemessage": self._delete_message,
            "getfile": self._get_file,
        }
        if method == "getupdates":
            return await self._get_updates(params)
        if method in handlers:
            return handlers[method](params)
        if method in _TRUE_METHODS:
            return True
        raise ApiError(400, f"Bad Request: the fake Telegram server does not implement {method!r}")

    # ---------------------------------------------------------------- Bot API methods

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = str(params.get("url", ""))
        if params.get("drop_pending_updates"):
            self.pending.clear()
        return True

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self.pending.clear()
        return True

    def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending),
        }

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list) and allowed:
            self._allowed_updates = [str(kind) for kind in allowed]
        elif isinstance(allowed, list):
            self._allowed_updates = None
        if isinstance(offset, int):
            if offset < 0:
                self.pending = self.pending[offset:]
            else:
                self.pending = [u for u in self.pending if u["update_id"] >= offset]

        def ready() -> list[dict[str, Any]]:
            kinds = self._allowed_updates
            return [u for u in self.pending if kinds is None or any(k in u for k in kinds)][:limit]

        found = ready()
        if found or timeout <= 0 or self._closing:
            return copy.deepcopy(found)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                while not found and not self._closing:
                    await self._updates_event.wait()
                    found = ready()
        return copy.deepcopy(found)

    def _chat(self, chat_id: int | str) -> dict[str, Any]:
        if isinstance(chat_id, int) and chat_id in self.users:
            return self.users[chat_id].chat
        if isinstance(chat_id, str):
            return {"id": -1001, "type": "channel", "title": chat_id, "username": chat_id[1:]}
        if chat_id < 0:
            return {"id": chat_id, "type": "supergroup", "title": f"Group {chat_id}"}
        return {"id": chat_id, "type": "private", "first_name": "User"}

    def _allocate_message_id(self, chat_id: int | str, wanted: int | None = None) -> int:
        current = self._next_mid.get(chat_id, 1)
        if wanted is None:
            wanted = current
        self._next_mid[chat_id] = max(current, wanted + 1)
        return wanted

    def _require_chat(self, params: dict[str, Any]) -> int | str:
        chat_id = _norm_chat(params.get("chat_id"))
        if chat_id is None or chat_id == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        return chat_id

    def _visible(self, text: str, parse_mode: str | None, what: str = "text") -> str:
        visible = text
        if self.strict and parse_mode and parse_mode.upper() == "HTML":
            visible = html_to_text(text)
        if self.strict and what == "text":
            if not visible.strip():
                raise ApiError(400, "Bad Request: message text is empty")
            if len(visible) > 4096:
                raise ApiError(400, "Bad Request: message is too long")
        if self.strict and what == "caption" and len(visible) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        return visible

    def _check_markup(self, params: dict[str, Any]) -> dict[str, Any] | None:
        markup = _inline_markup(params.get("reply_markup"))
        if self.strict and markup:
            for row in markup["inline_keyboard"]:
                for button in row:
                    data = button.get("callback_data")
                    if data is not None and len(str(data).encode("utf-8")) > 64:
                        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _new_message(self, chat_id: int | str, content: dict[str, Any]) -> dict[str, Any]:
        mid = self._allocate_message_id(chat_id)
        message = {
            "message_id": mid,
            "from": copy.deepcopy(self.bot_user),
            "chat": self._chat(chat_id),
            "date": int(self.now()),
            **content,
        }
        self.messages[(chat_id, mid)] = message
        return copy.deepcopy(message)

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._require_chat(params)
        raw = str(params.get("text", ""))
        parse_mode = params.get("parse_mode")
        content: dict[str, Any] = {"text": self._visible(raw, parse_mode)}
        markup = self._check_markup(params)
        if markup:
            content["reply_markup"] = markup
        message = self._new_message(chat_id, content)
        self._sources[(chat_id, message["message_id"])] = (raw, parse_mode)
        return message

    def _target(self, params: dict[str, Any], verb: str) -> tuple[int | str, int] | None:
        if params.get("inline_message_id"):
            return None
        chat_id = self._require_chat(params)
        try:
            key = (chat_id, int(params.get("message_id", 0)))
        except (TypeError, ValueError):
            raise ApiError(400, f"Bad Request: message to {verb} not found") from None
        message = self.messages.get(key)
        if message is None:
            raise ApiError(400, f"Bad Request: message to {verb} not found")
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise ApiError(400, f"Bad Request: message can't be {verb}ed")
        return key

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        key = self._target(params, "edit")
        raw = str(params.get("text", ""))
        parse_mode = params.get("parse_mode")
        visible = self._visible(raw, parse_mode)
        markup = self._check_markup(params)
        if key is None:
            return True
        message = self.messages[key]
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        same_text = self._sources.get(key, (message["text"], None)) == (raw, parse_mode)
        if self.strict and same_text and message.get("reply_markup") == markup:
            raise ApiError(400, _NOT_MODIFIED)
        message["text"] = visible
        message["edit_date"] = int(self.now())
        self._set_markup(message, markup)
        self._sources[key] = (raw, parse_mode)
        return copy.deepcopy(message)

    def _edit_message_caption(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        key = self._target(params, "edit")
        caption = self._visible(str(params.get("caption", "")), params.get("parse_mode"), "caption")
        markup = self._check_markup(params)
        if key is None:
            return True
        message = self.messages[key]
        if (
            self.strict
            and message.get("caption", "") == caption
            and (message.get("reply_markup") == markup)
        ):
            raise ApiError(400, _NOT_MODIFIED)
        message["caption"] = caption
        message["edit_date"] = int(self.now())
        self._set_markup(message, markup)
        return copy.deepcopy(message)

    def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        key = self._target(params, "edit")
        markup = self._check_markup(params)
        if key is None:
            return True
        message = self.messages[key]
        if self.strict and message.get("reply_markup") == markup:
            raise ApiError(400, _NOT_MODIFIED)
        message["edit_date"] = int(self.now())
        self._set_markup(message, markup)
        return copy.deepcopy(message)

    @staticmethod
    def _set_markup(message: dict[str, Any], markup: dict[str, Any] | None) -> None:
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)

    def _delete_message(self, params: dict[str, Any]) -> bool:
        chat_id = self._require_chat(params)
        key = (chat_id, int(params.get("message_id", 0)))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to delete not found")
        del self.messages[key]
        self.deleted.append(key)
        return True

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if self.strict and query_id not in self._open_queries:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._open_queries.discard(query_id)
        return True

    def _new_file_id(self, prefix: str = "file") -> str:
        return f"FAKE-{prefix}-{next(self._file_counter)}"

    def _store_file(
        self, data: bytes, *, filename: str | None = None, content_type: str | None = None
    ) -> UploadedFile:
        file_id = self._new_file_id()
        stored = UploadedFile(
            file_id=file_id,
            file_unique_id=file_id.replace("FAKE-", "U-"),
            data=data,
            filename=filename,
            content_type=content_type,
        )
        self.files.append(stored)
        self._files_by_id[file_id] = stored
        return stored

    @staticmethod
    def _png_size(data: bytes) -> tuple[int, int]:
        if data.startswith(PNG_SIGNATURE) and len(data) >= 24:
            width, height = struct.unpack(">II", data[16:24])
            return int(width), int(height)
        return 320, 240

    def _photo_sizes(self, stored: UploadedFile) -> list[dict[str, Any]]:
        width, height = self._png_size(stored.data)
        thumb_scale = min(1.0, 90 / max(width, height, 1))
        return [
            {
                "file_id": stored.file_id + "-thumb",
                "file_unique_id": stored.file_unique_id + "-thumb",
                "width": max(1, int(width * thumb_scale)),
                "height": max(1, int(height * thumb_scale)),
                "file_size": min(len(stored.data), 1024),
            },
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "width": width,
                "height": height,
                "file_size": len(stored.data),
            },
        ]

    def _send_media(self, params: dict[str, Any], kind: str) -> dict[str, Any]:
        chat_id = self._require_chat(params)
        value = params.get(kind)
        if isinstance(value, UploadedFile):
            stored = value
        elif isinstance(value, str) and value in self._files_by_id:
            stored = self._files_by_id[value]
        elif isinstance(value, str) and value:
            stored = self._store_file(value.encode(), filename=value)
        else:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        content: dict[str, Any]
        if kind == "photo":
            content = {"photo": self._photo_sizes(stored)}
        else:
            content = {
                "document": {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "file_name": stored.filename or "file",
                    "mime_type": stored.content_type or "application/octet-stream",
                    "file_size": len(stored.data),
                }
            }
        if params.get("caption") is not None:
            content["caption"] = self._visible(
                str(params["caption"]), params.get("parse_mode"), "caption"
            )
        markup = self._check_markup(params)
        if markup:
            content["reply_markup"] = markup
        return self._new_message(chat_id, content)

    def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file_id", ""))
        stored = self._files_by_id.get(file_id.removesuffix("-thumb"))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": f"files/{stored.file_id}",
        }

    @staticmethod
    def _commands_key(params: Mapping[str, Any]) -> str:
        scope = params.get("scope") or {"type": "default"}
        if isinstance(scope, str):
            scope = json.loads(scope)
        return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands") or []
        if isinstance(commands, str):
            commands = json.loads(commands)
        self.commands[self._commands_key(params)] = list(commands)
        return True

    def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return copy.deepcopy(self.commands.get(self._commands_key(params), []))

    def my_commands(
        self, scope: Mapping[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """Commands set through ``setMyCommands`` for a scope (default scope if ``None``)."""
        key = self._commands_key(
            {"scope": dict(scope) if scope else None, "language_code": language_code}
        )
        return copy.deepcopy(self.commands.get(key, []))


@contextlib.asynccontextmanager
async def running(
    app: Application[Any, Any, Any, Any, Any, Any],
    *,
    timeout: int = 1,
    raise_errors: bool = True,
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Initialise, start and poll ``app``; on exit stop the updater, then the app, quickly.

    With ``raise_errors`` an error handler collects exceptions raised by handlers and the first
    one is re-raised on exit, so a failing handler fails the test instead of only being logged.
    """
    errors: list[BaseException] = []

    async def collect(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if context.error is not None:
            errors.append(context.error)

    if raise_errors:
        app.add_error_handler(collect)
    try:
        async with app:
            await app.start()
            assert app.updater is not None, "build the Application with an Updater"
            await app.updater.start_polling(poll_interval=0.0, timeout=max(1, timeout))
            try:
                yield app
            finally:
                if app.updater.running:
                    await app.updater.stop()
                if app.running:
                    await app.stop()
    finally:
        if raise_errors:
            app.remove_error_handler(collect)
    if errors:
        raise errors[0]


@pytest_asyncio.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    """A started :class:`FakeTelegram`, stopped after the test."""
    async with FakeTelegram() as server:
        yield server
