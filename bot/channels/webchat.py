"""This module contains the web chat channel: no provider, so a message is delivered at once.

The web chat reads a resident's conversation from the database, so "sending" only needs an id.
"""

from __future__ import annotations

import uuid

from bot.channels.base import Outgoing


class WebChat:
    name = "webchat"

    async def open(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def send(self, message: Outgoing) -> str:
        return f"webchat-{uuid.uuid4().hex}"
