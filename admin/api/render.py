"""This module turns what the services return into the API's JSON objects."""

from __future__ import annotations

from typing import Any

from bot.services.alerts import AlertView
from bot.services.checkins import StartedCheckin
from bot.services.links import StartLink
from bot.services.records import Checkin, Message, Person
from bot.services.residents import ResidentProfile
from bot.services.schedules import CheckinSchedule
from bot.services.tokens import ApiToken


def resident(profile: ResidentProfile) -> dict[str, Any]:
    r = profile.resident
    return {
        "id": r.id,
        "preferred_name": r.preferred_name,
        "first_name": r.first_name,
        "full_name": r.full_name,
        "language": r.language,
        "time_zone": r.time_zone,
        "quiet_hours": {"start": r.quiet_start, "end": r.quiet_end},
        "catalyst_id": r.catalyst_id,
        "interests": r.interests,
        "status": r.status,
        "channels": [
            {
                "channel": i.channel,
                "address": i.address,
                "reachable": i.reachable,
                "opted_out": i.opted_out_at is not None,
                # What the resident agreed to on this channel: the dispatcher goes by it.
                "consents": profile.channel_consents.get(i.channel, {}),
            }
            for i in profile.channels
        ],
        "consents": profile.consents,
        "checkin_schedule": schedule(profile.checkin_schedule),
    }


def person(found: Person) -> dict[str, Any]:
    return {
        "id": found.id,
        "first_name": found.first_name,
        "full_name": found.full_name,
        "email": found.email,
        "alert_channel": found.alert_channel,
    }


def checkin_row(found: Checkin) -> dict[str, Any]:
    """One check-in that fell due: when, how it went, the mood and the resident's own words."""
    return {
        "due_at": found.due_at,
        "started_at": found.started_at,
        "moved_from": found.moved_from,
        "flow": found.flow_id,
        "channel": found.channel,
        "status": found.status,
        "mood": found.mood,
        "said": found.said,
        "answered_at": found.answered_at,
        "ladder_rung": found.rung,
    }


def schedule(found: CheckinSchedule | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "flow": found.flow,
        "rule": found.rule,
        "description": found.description,
        "next_due_at": found.next_due_at,
        "active": found.active,
        "moved_from": found.moved_from,
    }


def checkin(started: StartedCheckin) -> dict[str, Any]:
    return {"flow": started.flow, "channel": started.channel, "messages": started.messages}


def link(made: StartLink) -> dict[str, Any]:
    return {"link": made.url, "expires_at": made.expires_at}


def message(found: Message) -> dict[str, Any]:
    return {
        "id": found.id,
        "direction": found.direction,
        "channel": found.channel,
        "text": found.body,
        "status": found.status,
        "error": found.error,
        "segments": found.segments,
        "at": found.created_at,
    }


def alert(view: AlertView) -> dict[str, Any]:
    a = view.alert
    return {
        "id": a.id,
        "resident_id": a.resident_id,
        "kind": a.kind,
        "urgency": a.urgency,
        "summary": a.summary,
        "reference": view.reference,
        "status": a.status,
        "created_at": a.created_at,
        "acknowledged_by": a.acknowledged_by,
    }


def token(found: ApiToken) -> dict[str, Any]:
    """A token's record; the token itself is never shown again after it is made."""
    return {
        "id": found.id,
        "name": found.name,
        "role": found.role,
        "created_at": found.created_at,
        "last_used_at": found.last_used_at,
        "revoked_at": found.revoked_at,
        "revoked": found.revoked_at is not None,
    }
