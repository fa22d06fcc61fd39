"""This module contains the small result types the repositories return."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Person:
    """Someone on the programme's side: a catalyst, staff member or buddy."""

    id: int
    role: str
    first_name: str
    full_name: str
    email: str | None
    alert_channel: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class Resident:
    id: int
    preferred_name: str
    first_name: str
    full_name: str
    language: str
    time_zone: str
    quiet_start: str
    quiet_end: str
    catalyst_id: int | None
    interests: str
    status: str
    paused_until: str | None
    #: The resident's own escalation ladder in staff's words; None follows the programme's.
    ladder: str | None = None


@dataclass(frozen=True, slots=True)
class Identity:
    """How someone is reached on one channel; `address` is a phone number, chat id, or id."""

    id: int
    channel: str
    address: str
    resident_id: int | None
    person_id: int | None
    reachable: bool
    opted_out_at: str | None


@dataclass(frozen=True, slots=True)
class Session:
    id: int
    resident_id: int
    flow_id: str
    revision: int
    status: str
    state: dict[str, Any]
    wake_at: str | None
    #: What the conversation is about and what started it, as template namespaces.
    context: dict[str, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Message:
    id: int
    resident_id: int | None
    direction: str
    channel: str
    body: str
    purpose: str
    status: str
    error: str | None
    created_at: str
    updated_at: str
    person_id: int | None = None
    address: str | None = None
    routine: bool = True
    provider_id: str | None = None
    #: SMS segments the message cost; None for other channels.
    segments: int | None = None
    #: The undelivered message this one was moved on from, on another channel.
    failover_of: int | None = None
    buttons: tuple[dict[str, str], ...] = ()
    session_id: int | None = None


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    resident_id: int | None
    catalyst_id: int | None
    kind: str
    urgency: str
    summary: str
    status: str
    created_at: str
    acknowledged_at: str | None
    acknowledged_by: str | None
    paged_at: str | None = None


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A message due to be sent, with what the dispatcher needs to send it."""

    id: int
    message_id: int
    recipient: str
    channel: str
    address: str | None
    body: str
    purpose: str
    routine: bool
    resident_id: int | None
    attempts: int
    due_at: str
    created_at: str
    buttons: list[dict[str, str]]
    person_id: int | None = None
    failover_of: int | None = None


@dataclass(frozen=True, slots=True)
class Schedule:
    id: int
    resident_id: int
    kind: str
    flow_id: str
    rule: str | None
    starts_at: str
    next_due_at: str | None
    active: bool
    #: Where the rhythm put the next slot when quiet hours moved it (UTC), for the catalyst.
    moved_from: str | None = None


@dataclass(frozen=True, slots=True)
class Checkin:
    """One check-in that fell due: how it went, and where its escalation ladder stands.

    Times are stored UTC ISO text; `said` is the resident's own words in answer, unsealed.
    See migration 0016 for what each status means."""

    id: int
    resident_id: int
    schedule_id: int | None
    session_id: int | None
    flow_id: str
    due_at: str
    started_at: str | None
    moved_from: str | None
    channel: str | None
    status: str
    mood: str | None
    said: str | None
    answered_at: str | None
    rung: int
    next_rung_at: str | None
    alert_id: int | None
