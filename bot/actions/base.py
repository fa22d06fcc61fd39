"""This module contains what every flow action handler is given, and the shape of a handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiosqlite

from storage.records import Resident


@dataclass(slots=True)
class ActionCall:
    """One action a flow asked the bot to carry out, in the transaction of the turn."""

    tx: aiosqlite.Connection
    resident: Resident
    #: The flow whose step asked for it, for the audit trail and consent's source.
    flow_id: str
    params: dict[str, Any]
    #: What the conversation is about (its stored context: the event, the pairing).
    about: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: A flow to start once this conversation has ended (set by `start_flow`).
    hand_over: str | None = None


#: A handler does its work in `call.tx`; it may set `call.hand_over`.
Handler = Callable[[ActionCall], Awaitable[None]]
