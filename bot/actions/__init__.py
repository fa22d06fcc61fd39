"""This package carries out what flows ask of the bot: one handler per action kind, by kind.

The engine (flows/actions) runs most action kinds itself; the kinds that need the world
outside a conversation (alerts, schedules, consent, RSVPs, handing over to another flow) come
out as `ActionRequested` events, and each is handled by the module registered for its kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.actions import (
    alert_catalyst,
    change_rhythm,
    record_consent,
    record_rsvp,
    schedule_followup,
    start_flow,
)
from bot.actions.base import ActionCall, Handler

__all__ = ["ENGINE_KINDS", "HANDLERS", "ActionCall", "UnknownAction", "check_covers", "run"]

HANDLERS: Mapping[str, Handler] = {
    module.KIND: module.handle
    for module in (
        alert_catalyst,
        schedule_followup,
        record_consent,
        record_rsvp,
        start_flow,
        change_rhythm,
    )
}
#: Kinds the engine carries out within the conversation; they never reach the bot.
ENGINE_KINDS = frozenset({"say", "save", "set_field", "end_conversation"})


class UnknownAction(LookupError):
    """A flow asked for an action kind that no handler carries out."""


def check_covers(kinds: Iterable[str]) -> None:
    """Refuse to start when a flow action kind has no handler here (nor is run by the engine),
    since a flow using it would otherwise do nothing at all."""
    missing = sorted(set(kinds) - set(HANDLERS) - ENGINE_KINDS)
    if missing:
        raise UnknownAction(f"No handler for the flow action kinds: {', '.join(missing)}.")


async def run(kind: str, call: ActionCall) -> None:
    handler = HANDLERS.get(kind)
    if handler is None:
        raise UnknownAction(f"No handler for the flow action kind '{kind}'.")
    await handler(call)
