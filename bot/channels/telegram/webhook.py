"""This module contains Telegram's webhook: updates posted with our secret token.

A call without the secret token (compared in constant time) is refused with 403 and changes
nothing. A body that is not a sane update (not JSON, nested deeper than any update, too big,
fields of the wrong type) gets a clear 400 and changes nothing. When another process holds the
database's write lock, the answer is 503 with Retry-After: Telegram sends the update again.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.channels.telegram.updates import WEBHOOK_PATH, TelegramUpdates
from bot.channels.webhook_http import busy, read_body, refuse
from bot.settings import Settings
from storage.database import DatabaseBusyError

log = logging.getLogger(__name__)

#: Telegram's updates nest a dozen levels at most (a reply to a message with a keyboard …).
MAX_DEPTH = 32
#: Telegram's update ids are positive and well inside 64 bits.
MAX_UPDATE_ID = 2**63 - 1


def nesting_depth(value: object, limit: int) -> int:
    """How deep JSON `value` nests, counting no further than `limit` + 1 (without recursion)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > limit:
                return depth
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def read_update_json(body: bytes) -> dict[str, Any] | str:
    """The update as JSON, or why it is not one (for the 400)."""
    try:
        data = json.loads(body)
    except RecursionError:
        return "The update is nested far deeper than any Telegram update."
    except (UnicodeDecodeError, ValueError):
        return "The body is not JSON."
    if not isinstance(data, dict):
        return "The body is not a Telegram update."
    if nesting_depth(data, MAX_DEPTH) > MAX_DEPTH:
        return "The update is nested far deeper than any Telegram update."
    update_id = data.get("update_id")
    if type(update_id) is not int or not 0 <= update_id <= MAX_UPDATE_ID:
        return "The body is not a Telegram update (update_id must be a whole number)."
    return data


class TelegramWebhook:
    def __init__(self, settings: Settings, updates: TelegramUpdates | None) -> None:
        self._settings = settings
        self._updates = updates

    async def handle(self, request: Request) -> Response:
        settings, updates = self._settings, self._updates
        if updates is None or settings.telegram_mode != "webhook":
            return refuse(404, "Telegram is not set up for webhooks on this service.")
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), settings.telegram_secret_token.encode()):
            log.warning("refused a Telegram request with a bad secret token")
            return refuse(403, "The secret token is missing or wrong.")
        body = await read_body(request)
        if isinstance(body, Response):
            return body
        data = read_update_json(body)
        if isinstance(data, str):
            return refuse(400, data)
        try:
            update = updates.parse(data)
        except ValueError:
            # Telegram's own updates always parse; this one was mangled on the way.
            log.warning("refused a Telegram update that does not parse")
            return refuse(400, "The update could not be read.")
        try:
            await updates.take(update)
        except DatabaseBusyError:
            log.warning("the database is busy; Telegram will send the update again")
            return busy()
        return Response(status_code=200)


def telegram_routes(settings: Settings, updates: TelegramUpdates | None) -> list[Route]:
    return [Route(WEBHOOK_PATH, TelegramWebhook(settings, updates).handle, methods=["POST"])]
