"""This module contains the interface every channel implements, and its one exception."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol, runtime_checkable


class SendError(Exception):
    """A send that did not go. `permanent` errors are not retried (a blocked bot, a number
    that said STOP to its carrier); others are, after `retry_after` seconds when given."""

    def __init__(
        self,
        reason: str,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
        unreachable: bool = False,
        opted_out: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent or unreachable or opted_out
        self.retry_after = retry_after
        self.unreachable = unreachable
        self.opted_out = opted_out


@dataclass(frozen=True, slots=True)
class Outgoing:
    address: str
    body: str
    #: Quick replies as {"label", "answer"}; a channel without buttons ignores them.
    buttons: list[dict[str, str]]
    #: Our id for the message, so a button pressed later can say which message it was on.
    message_id: int = 0
    #: How long the provider may keep trying; after that the message is not worth delivering.
    valid_for: timedelta | None = None


class Channel(Protocol):
    name: str

    async def open(self) -> None:
        """Get ready to send (connections are made inside the running event loop)."""

    async def close(self) -> None:
        """Release connections; the channel may be opened again."""

    async def send(self, message: Outgoing) -> str:
        """Send one message; return the provider's id for it, or raise `SendError`."""


@runtime_checkable
class Paced(Protocol):
    """A channel that spaces messages to one address (Telegram: one a second to a chat)."""

    def ready_in(self, address: str) -> float:
        """Seconds until a message to `address` may go; 0 when it may go now. The dispatcher
        waits this out before its last checks, so nothing waits after them."""
