"""This module contains a fake Telegram Bot API on loopback, and Telegram's updates to the app.

The real python-telegram-bot is pointed at it (``Bot(token, base_url=f"{fake.url}/bot")``). It
answers the methods the service uses with Bot API envelopes and error descriptions, builds real
update payloads, serves them by long polling or posts them to the webhook, and can fail on
purpose: flood control, blocked chats, bad gateways and slow answers.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from types import TracebackType
from typing import Any, Self

import aiohttp
from aiohttp import web

from tests.fakes import serve_on_loopback

JSON = dict[str, Any]

# python-telegram-bot sends every parameter as a form field, JSON-encoding anything that is not a
# string; these are the fields whose values are objects, numbers or booleans.
_JSON_FIELDS = {
    "reply_markup",
    "allowed_updates",
    "entities",
    "caption_entities",
    "link_preview_options",
    "reply_parameters",
}
_INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "max_connections", "cache_time"}
_BOOL_FIELDS = {"drop_pending_updates", "show_alert", "disable_notification", "protect_content"}

_BOT_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    403: "Forbidden: bot was blocked by the user",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    504: "Gateway Timeout",
}
_WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_OTHER_POLLER = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"


class WebhookSecret(Enum):
    """``deliver(secret=...)`` default: send the secret token given to setWebhook."""

    FROM_SET_WEBHOOK = "from setWebhook"


@dataclass
class SentTelegram:
    """A message the bot sent with sendMessage."""

    chat_id: int
    text: str
    reply_markup: JSON | None
    message_id: int
    at: float


@dataclass
class EditedTelegram:
    """An edit of one of the bot's messages (editMessageText or editMessageReplyMarkup)."""

    method: str
    chat_id: int
    message_id: int
    text: str | None
    reply_markup: JSON | None
    at: float


@dataclass
class AnsweredCallback:
    """An answerCallbackQuery call for a callback query the fake handed out."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    at: float


@dataclass
class _Failure:
    error_code: int
    description: str
    retry_after: int | None


class _ApiError(Exception):
    def __init__(self, error_code: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def response(self) -> web.Response:
        body: JSON = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return web.json_response(body, status=self.error_code)


class FakeTelegram:
    """A loopback Bot API for one bot, used as ``async with FakeTelegram() as fake``."""

    def __init__(
        self,
        token: str = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11",
        username: str = "companion_test_bot",
    ) -> None:
        self.token = token
        self.username = username
        self.bot_user: JSON = {
            "id": int(token.partition(":")[0]),
            "is_bot": True,
            "first_name": "Companion",
            "username": username,
        }
        self.sent: list[SentTelegram] = []
        self.calls: list[tuple[str, JSON]] = []
        self.webhook: JSON | None = None
        self.answered_callbacks: list[AnsweredCallback] = []
        self.edited: list[EditedTelegram] = []
        self._methods: dict[str, Callable[[JSON], Awaitable[Any]]] = {
            "getme": self._get_me,
            "sendmessage": self._send_message,
            "sendchataction": self._send_chat_action,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "answercallbackquery": self._answer_callback_query,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
        }
        self._failures: defaultdict[str, deque[_Failure]] = defaultdict(deque)
        self._delays: defaultdict[str, deque[float]] = defaultdict(deque)
        self._blocked: set[int] = set()
        self._updates: list[JSON] = []
        self._arrived = asyncio.Event()
        self._polls = 0
        self._closing = False
        self._next_update_id = 100_000_001
        self._next_message_id: defaultdict[int, int] = defaultdict(lambda: 1)
        self._users: dict[int, JSON] = {}
        self._bot_messages: dict[tuple[int, int], JSON] = {}
        self._user_messages: dict[int, int] = {}
        self._open_callbacks: set[str] = set()
        self._runner: web.AppRunner | None = None
        self._port = 0

    # --- the server ---------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner, self._port = await serve_on_loopback(app)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Long polls in progress return at once rather than holding up the shutdown.
        self._closing = True
        self._arrived.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def url(self) -> str:
        """The server's root; the bot's ``base_url`` is this plus ``/bot``."""
        if not self._port:
            raise RuntimeError("FakeTelegram is not running; use it as an async context manager")
        return f"http://127.0.0.1:{self._port}"

    # --- failing on purpose ------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with this Bot API error."""
        if description is None and retry_after is not None:
            description = f"Too Many Requests: retry after {retry_after}"
        description = description or _DEFAULT_DESCRIPTIONS.get(error_code, "Error")
        failure = _Failure(error_code, description, retry_after)
        self._failures[method.lower()].extend(failure for _ in range(times))

    def block(self, chat_id: int) -> None:
        """The user of ``chat_id`` blocked the bot: sendMessage to it fails with 403."""
        self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """The user of ``chat_id`` unblocked the bot again."""
        self._blocked.discard(chat_id)

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` answer only after ``seconds``."""
        self._delays[method.lower()].extend(seconds for _ in range(times))

    # --- requests ----------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _ApiError(401, "Unauthorized").response()
        method = request.match_info["method"]
        # Bot API method names are case-insensitive.
        implementation = self._methods.get(method.lower())
        if implementation is None:
            return _ApiError(404, "Not Found").response()
        try:
            params = await _read_params(request)
            self.calls.append((method, params))
            failures = self._failures[method.lower()]
            if failures:
                failure = failures.popleft()
                raise _ApiError(failure.error_code, failure.description, failure.retry_after)
            response = web.json_response({"ok": True, "result": await implementation(params)})
        except _ApiError as error:
            response = error.response()
        delays = self._delays[method.lower()]
        if delays:
            # The call has taken effect when the answer is slow, as at Telegram: a client that
            # times out and retries may send the same message twice.
            await asyncio.sleep(delays.popleft())
        return response

    async def _get_me(self, params: JSON) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _send_message(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise _ApiError(400, "Bad Request: message is too long")
        if chat_id in self._blocked:
            raise _ApiError(403, "Forbidden: bot was blocked by the user")
        markup = _markup(params)
        message = self._message(chat_id, self.bot_user, text)
        # A Message object carries its keyboard only when the keyboard is inline.
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._bot_messages[(chat_id, message["message_id"])] = message
        self.sent.append(
            SentTelegram(chat_id, text, markup, message["message_id"], time.monotonic())
        )
        return message

    async def _send_chat_action(self, params: JSON) -> bool:
        self._chat_id(params)
        return True

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self.webhook is not None:
            raise _ApiError(409, _WEBHOOK_ACTIVE)
        # A newer getUpdates ends any older one still waiting, as at Telegram.
        self._polls += 1
        poll = self._polls
        self._arrived.set()
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        allowed = params.get("allowed_updates") or []
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        if offset < 0:
            # A negative offset keeps only the last -offset updates and forgets the rest.
            self._updates = self._updates[offset:]
        while True:
            self._updates = [
                update
                for update in self._updates
                if update["update_id"] >= offset and (not allowed or _kind(update) in allowed)
            ]
            if self._polls != poll:
                raise _ApiError(409, _OTHER_POLLER)
            remaining = deadline - time.monotonic()
            if self._updates or self._closing or remaining <= 0:
                return self._updates[:limit]
            self._arrived.clear()
            try:
                async with asyncio.timeout(remaining):
                    await self._arrived.wait()
            except TimeoutError:
                pass

    async def _set_webhook(self, params: JSON) -> bool:
        if not params.get("url"):
            # Telegram treats setWebhook with an empty url as deleteWebhook.
            return await self._delete_webhook(params)
        self.webhook = {
            "url": params["url"],
            "secret_token": params.get("secret_token"),
            "allowed_updates": params.get("allowed_updates"),
        }
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _delete_webhook(self, params: JSON) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._arrived.set()
        return True

    async def _get_webhook_info(self, params: JSON) -> JSON:
        info: JSON = {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook:
            info["max_connections"] = 40
            if self.webhook["allowed_updates"]:
                info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    async def _answer_callback_query(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        # Each query can be answered once, like at Telegram.
        if query_id not in self._open_callbacks:
            raise _ApiError(400, _QUERY_INVALID)
        self._open_callbacks.discard(query_id)
        text = params.get("text")
        self.answered_callbacks.append(
            AnsweredCallback(query_id, text, bool(params.get("show_alert")), time.monotonic())
        )
        return True

    async def _edit_message_text(self, params: JSON) -> JSON:
        message = self._editable(params)
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        return self._edit("editMessageText", message, text, _markup(params))

    async def _edit_message_reply_markup(self, params: JSON) -> JSON:
        message = self._editable(params)
        return self._edit("editMessageReplyMarkup", message, message["text"], _markup(params))

    def _editable(self, params: JSON) -> JSON:
        chat_id, message_id = self._chat_id(params), params.get("message_id")
        message = (
            self._bot_messages.get((chat_id, message_id)) if isinstance(message_id, int) else None
        )
        if message is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        return message

    def _edit(self, method: str, message: JSON, text: str, markup: JSON | None) -> JSON:
        if text == message["text"] and markup == message.get("reply_markup"):
            raise _ApiError(400, _NOT_MODIFIED)
        message["text"] = text
        message["edit_date"] = int(time.time())
        message.pop("reply_markup", None)
        if markup is not None:
            message["reply_markup"] = markup
        chat_id, message_id = message["chat"]["id"], message["message_id"]
        self.edited.append(
            EditedTelegram(method, chat_id, message_id, text, markup, time.monotonic())
        )
        return message

    def _chat_id(self, params: JSON) -> int:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _ApiError(400, "Bad Request: chat_id is empty")
        if not isinstance(chat_id, int) or chat_id == 0:
            raise _ApiError(400, "Bad Request: chat not found")
        return chat_id

    # --- updates -----------------------------------------------------------------------------

    def text_update(
        self, chat_id: int, text: str, *, first_name: str = "Pat", username: str | None = None
    ) -> JSON:
        """A message update from the resident of ``chat_id``, with bot_command entities."""
        message = self._message(chat_id, self._user(chat_id, first_name, username), text)
        entities = [
            {
                "type": "bot_command",
                "offset": _utf16_len(text[: match.start()]),
                "length": _utf16_len(match.group()),
            }
            for match in _BOT_COMMAND.finditer(text)
        ]
        if entities:
            message["entities"] = entities
        self._user_messages[chat_id] = message["message_id"]
        return self._update("message", message)

    def photo_update(
        self, chat_id: int, caption: str | None = None, *, first_name: str = "Pat"
    ) -> JSON:
        """A photo message update, with the sizes Telegram sends and an optional caption."""
        message = self._message(chat_id, self._user(chat_id, first_name, None))
        file_id = uuid.uuid4().hex
        message["photo"] = [
            {
                "file_id": f"AgAC{file_id}{side}",
                "file_unique_id": f"AQAD{file_id[:8]}{side}",
                "width": side,
                "height": side * 3 // 4,
                "file_size": side * 90,
            }
            for side in (90, 320, 800)
        ]
        if caption is not None:
            message["caption"] = caption
        self._user_messages[chat_id] = message["message_id"]
        return self._update("message", message)

    def edited_message_update(
        self, chat_id: int, text: str, *, message_id: int | None = None, first_name: str = "Pat"
    ) -> JSON:
        """The resident edited one of their messages (by default their last one)."""
        message_id = message_id or self._user_messages.get(chat_id)
        if message_id is None:
            raise ValueError(f"no message from chat {chat_id} to edit; pass message_id")
        user = self._user(chat_id, first_name, None)
        message = {
            "message_id": message_id,
            "from": user,
            "chat": _private_chat(user),
            "date": int(time.time()) - 60,
            "edit_date": int(time.time()),
            "text": text,
        }
        return self._update("edited_message", message)

    def callback_update(
        self,
        chat_id: int,
        data: str,
        *,
        message_id: int | None = None,
        message_text: str | None = None,
        first_name: str = "Pat",
    ) -> JSON:
        """The resident pressed an inline button on a bot message (by default its last one)."""
        message_id = message_id or max(
            (mid for cid, mid in self._bot_messages if cid == chat_id), default=None
        )
        if message_id is None:
            raise ValueError(f"the bot sent no message to chat {chat_id}; pass message_id")
        user = self._user(chat_id, first_name, None)
        message = dict(
            self._bot_messages.get((chat_id, message_id))
            or {
                "message_id": message_id,
                "from": self.bot_user,
                "chat": _private_chat(user),
                "date": int(time.time()),
                "text": message_text or "",
            }
        )
        if message_text is not None:
            message["text"] = message_text
        query_id = str(uuid.uuid4().int % 10**19)
        self._open_callbacks.add(query_id)
        query = {
            "id": query_id,
            "from": user,
            "message": message,
            "chat_instance": str(-(chat_id * 7919 % 10**18)),
            "data": data,
        }
        return self._update("callback_query", query)

    def queue_update(self, update: JSON) -> None:
        """Queue an update for getUpdates; a waiting long poll returns it at once."""
        self._updates.append(update)
        self._arrived.set()

    async def deliver(
        self,
        update: JSON,
        *,
        secret: str | WebhookSecret | None = WebhookSecret.FROM_SET_WEBHOOK,
    ) -> tuple[int, str]:
        """POST ``update`` to the webhook as Telegram does; returns the app's status and text.

        ``secret`` overrides the X-Telegram-Bot-Api-Secret-Token header (None: leave it out).
        """
        if self.webhook is None:
            raise AssertionError("no webhook is set; the app has not called setWebhook")
        token = self.webhook["secret_token"] if isinstance(secret, WebhookSecret) else secret
        headers = {"X-Telegram-Bot-Api-Secret-Token": token} if token is not None else {}
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.webhook["url"], json=update, headers=headers) as response,
        ):
            return response.status, await response.text()

    def _update(self, kind: str, payload: JSON) -> JSON:
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        return update

    def _user(self, chat_id: int, first_name: str, username: str | None) -> JSON:
        user: JSON = {"id": chat_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        user["language_code"] = "en"
        self._users[chat_id] = user
        return user

    def _message(self, chat_id: int, sender: JSON, text: str | None = None) -> JSON:
        # In a private chat both sides share one sequence of message ids.
        message_id = self._next_message_id[chat_id]
        self._next_message_id[chat_id] += 1
        user = self._users.get(chat_id) or {"id": chat_id, "first_name": "Pat"}
        message: JSON = {
            "message_id": message_id,
            "from": sender,
            "chat": _private_chat(user),
            "date": int(time.time()),
        }
        if text is not None:
            message["text"] = text
        return message

    # --- for tests ---------------------------------------------------------------------------

    async def wait_for_sent(self, n: int, timeout: float = 5.0) -> list[SentTelegram]:
        """Wait until the bot sent at least ``n`` messages; fail with what was sent if not."""
        deadline = time.monotonic() + timeout
        while len(self.sent) < n:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {n} messages within {timeout}s, got {self.sent!r}")
            await asyncio.sleep(0.01)
        return self.sent


async def _read_params(request: web.Request) -> JSON:
    """The call's parameters from the query string and a JSON, form or multipart body."""
    raw: JSON = dict(request.query)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as error:
            raise _ApiError(400, "Bad Request: can't parse JSON body") from error
        raw.update(body if isinstance(body, dict) else {})
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in (await request.post()).items():
            if isinstance(value, str):
                raw[key] = value
            elif isinstance(value, bytes | bytearray):
                raw[key] = value.decode()
            else:
                raw[key] = value.filename
    return {key: _decode(key, value) for key, value in raw.items()}


def _decode(key: str, value: Any) -> Any:
    """Undo the form encoding of one parameter; JSON bodies arrive typed and pass through."""
    if not isinstance(value, str):
        return value
    if key in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError as error:
            raise _ApiError(400, f"Bad Request: can't parse {key} JSON object") from error
    if key in _INT_FIELDS and re.fullmatch(r"-?\d+", value):
        return int(value)
    if key in _BOOL_FIELDS:
        return value.lower() in ("true", "1")
    return value


def _markup(params: JSON) -> JSON | None:
    markup = params.get("reply_markup")
    if markup is not None and not isinstance(markup, dict):
        raise _ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    return markup


def _private_chat(user: JSON) -> JSON:
    chat: JSON = {key: user[key] for key in ("id", "first_name", "username") if key in user}
    return {**chat, "type": "private"}


def _kind(update: JSON) -> str:
    return next(key for key in update if key != "update_id")


def _utf16_len(text: str) -> int:
    # Telegram measures entity offsets and lengths in UTF-16 code units.
    return len(text.encode("utf-16-le")) // 2
