"""This module contains the one channel-neutral inbound message every channel produces."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """A message from someone, as any channel hands it on.

    `address` is the sender on that channel (a phone number, a Telegram chat id, a web chat
    resident id); `provider_id` is the channel's own id for the message, unique per channel,
    so a replayed delivery is recognised.
    """

    channel: str
    address: str
    text: str
    provider_id: str
    #: A start-link token the sender opened (Telegram's /start payload): binds them to someone.
    link_token: str | None = None
    #: True when the provider has already answered a STOP, START or HELP itself (Twilio's
    #: Advanced Opt-Out): we record what it means, but a second reply would be one too many.
    provider_replied: bool = False
    #: For a button press: our id of the message the button was on.
    button_of: int | None = None


@dataclass(frozen=True, slots=True)
class Handled:
    """What the pipeline did: how it routed the message, and the replies it queued."""

    message_id: int
    route: str
    replies: tuple[int, ...] = ()
    duplicate: bool = False
