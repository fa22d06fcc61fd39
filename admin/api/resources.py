"""This module contains the API's endpoints: residents, catalysts, schedules, conversations,
alerts and the web chat. Each handler is a few lines over the services it is given."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from admin.api import models
from admin.api.errors import ApiError
from admin.api.framework import Endpoint
from bot import linking, paging
from bot.conversations import preferred_route
from bot.inbound import InboundMessage
from bot.runtime import Runtime
from bot.timing.rhythm import Rhythm, RhythmError, describe, next_due, parse_rule, rhythm_from_words
from storage import alerts, consents, identities, messages, people, schedules
from storage.people import NewResident
from storage.records import Resident


def endpoints(services: Runtime) -> list[Endpoint]:
    db = services.db

    async def _resident(resident_id: int) -> Resident:
        async with db.read() as conn:
            resident = await people.get_resident(conn, resident_id)
        if resident is None:
            raise ApiError(404, f"There is no resident {resident_id}.")
        return resident

    async def resident_json(resident: Resident) -> dict[str, Any]:
        async with db.read() as conn:
            ids = await identities.identities_of_resident(conn, resident.id)
            given = await consents.current_consents(conn, resident.id)
            schedule = await schedules.checkin_schedule(conn, resident.id)
        return {
            "id": resident.id,
            "preferred_name": resident.preferred_name,
            "first_name": resident.first_name,
            "full_name": resident.full_name,
            "language": resident.language,
            "time_zone": resident.time_zone,
            "quiet_hours": {"start": resident.quiet_start, "end": resident.quiet_end},
            "catalyst_id": resident.catalyst_id,
            "interests": resident.interests,
            "status": resident.status,
            "channels": [
                {
                    "channel": i.channel,
                    "address": i.address,
                    "reachable": i.reachable,
                    "opted_out": i.opted_out_at is not None,
                }
                for i in ids
            ],
            "consents": given,
            "checkin_schedule": _schedule_json(schedule, resident.time_zone),
        }

    async def list_residents(query: dict[str, str]) -> dict[str, Any]:
        catalyst = query.get("catalyst_id")
        if catalyst is not None and not catalyst.isdigit():
            raise ApiError(422, "catalyst_id should be a number.")
        async with db.read() as conn:
            found = await people.list_residents(conn, int(catalyst) if catalyst else None)
        return {"ok": True, "residents": [await resident_json(r) for r in found]}

    async def create_resident(body: models.NewResident) -> dict[str, Any]:
        async with db.write() as tx:
            if body.catalyst_id is not None:
                catalyst = await people.get_person(tx, body.catalyst_id)
                if catalyst is None or catalyst.role != "catalyst":
                    raise ApiError(
                        422,
                        f"There is no catalyst {body.catalyst_id}.",
                        [{"field": "catalyst_id", "message": "no such catalyst"}],
                    )
            for channel, address in (("sms", body.phone), ("telegram", body.telegram_chat_id)):
                if address and await identities.find_identity(tx, channel, address):
                    raise ApiError(
                        422,
                        f"That {channel} address already belongs to someone.",
                        [
                            {
                                "field": "phone" if channel == "sms" else "telegram_chat_id",
                                "message": "already in use",
                            }
                        ],
                    )
            resident = await people.add_resident(
                tx,
                NewResident(
                    body.preferred_name,
                    body.first_name,
                    body.full_name,
                    body.language,
                    body.time_zone,
                    body.quiet_start,
                    body.quiet_end,
                    body.catalyst_id,
                    body.interests,
                ),
            )
            await identities.add_identity(tx, "webchat", str(resident.id), resident_id=resident.id)
            if body.phone:
                await identities.add_identity(tx, "sms", body.phone, resident_id=resident.id)
            if body.telegram_chat_id:
                await identities.add_identity(
                    tx, "telegram", body.telegram_chat_id, resident_id=resident.id
                )
            for purpose, given in body.consents.items():
                await consents.record_consent(tx, resident.id, purpose, given, "api")
        return {"ok": True, "resident": await resident_json(resident)}

    async def get_resident(resident_id: int) -> dict[str, Any]:
        return {"ok": True, "resident": await resident_json(await _resident(resident_id))}

    async def list_catalysts() -> dict[str, Any]:
        async with db.read() as conn:
            found = await people.list_people(conn, "catalyst")
        return {"ok": True, "catalysts": [_person_json(p) for p in found]}

    async def create_catalyst(body: models.NewCatalyst) -> dict[str, Any]:
        async with db.write() as tx:
            person = await people.add_person(
                tx, "catalyst", body.first_name, body.full_name, body.email, body.alert_channel
            )
            if body.phone:
                if await identities.find_identity(tx, "sms", body.phone):
                    raise ApiError(
                        422,
                        "That phone number already belongs to someone.",
                        [{"field": "phone", "message": "already in use"}],
                    )
                await identities.add_identity(tx, "sms", body.phone, person_id=person.id)
        return {"ok": True, "catalyst": _person_json(person)}

    async def get_catalyst(catalyst_id: int) -> dict[str, Any]:
        return {"ok": True, "catalyst": _person_json(await _catalyst(catalyst_id))}

    async def _catalyst(catalyst_id: int) -> Any:
        async with db.read() as conn:
            person = await people.get_person(conn, catalyst_id)
        if person is None or person.role != "catalyst":
            raise ApiError(404, f"There is no catalyst {catalyst_id}.")
        return person

    def _bot_username() -> str:
        updates = services.telegram_updates
        if updates is None:
            status = services.settings.channel_status()["telegram"]
            raise ApiError(409, f"Telegram is {status}.")
        if updates.username is None:
            raise ApiError(503, "Telegram is not connected yet; try again in a minute.")
        return updates.username

    async def _link(resident_id: int | None, person_id: int | None) -> dict[str, Any]:
        username = _bot_username()
        async with db.write() as tx:
            link = await linking.new_link(
                tx,
                resident_id=resident_id,
                person_id=person_id,
                created_by="api",
                now=services.clock.now(),
            )
        return {
            "ok": True,
            "link": linking.link_url(username, link.token),
            "expires_at": link.expires_at.isoformat(timespec="seconds"),
        }

    async def resident_telegram_link(resident_id: int) -> dict[str, Any]:
        resident = await _resident(resident_id)
        return await _link(resident.id, None)

    async def catalyst_telegram_link(catalyst_id: int) -> dict[str, Any]:
        person = await _catalyst(catalyst_id)
        return await _link(None, person.id)

    async def set_alert_channel(catalyst_id: int, body: models.AlertChannel) -> dict[str, Any]:
        person = await _catalyst(catalyst_id)
        async with db.write() as tx:
            if body.phone:
                owner = await identities.find_identity(tx, "sms", body.phone)
                if owner is not None and owner.person_id != person.id:
                    raise ApiError(
                        422,
                        "That phone number already belongs to someone.",
                        [{"field": "phone", "message": "already in use"}],
                    )
                current = await identities.identity_of(tx, "sms", person_id=person.id)
                if current is not None and current.address != body.phone:
                    await identities.remove_identity(tx, current.id)
                if owner is None:
                    await identities.add_identity(tx, "sms", body.phone, person_id=person.id)
            if body.channel is not None and not await identities.identity_of(
                tx, body.channel, person_id=person.id
            ):
                field, need = (
                    ("phone", "give their phone number")
                    if body.channel == "sms"
                    else ("channel", "link their Telegram first (POST …/telegram-link)")
                )
                raise ApiError(
                    422,
                    f"{person.first_name} has no {body.channel} yet: {need}.",
                    [{"field": field, "message": f"no {body.channel} address"}],
                )
            await people.set_alert_channel(tx, person.id, body.channel)
            updated = await people.get_person(tx, person.id)
        return {"ok": True, "catalyst": _person_json(updated)}

    async def set_schedule(resident_id: int, body: models.CheckinSchedule) -> dict[str, Any]:
        resident = await _resident(resident_id)
        now = services.clock.now()
        start = now.astimezone(ZoneInfo(resident.time_zone))
        try:
            if body.rule:
                rhythm = Rhythm(parse_rule(body.rule), resident.time_zone, start)
            elif body.every and body.at:
                rhythm = rhythm_from_words(
                    body.every, body.days or None, body.at, resident.time_zone, start, body.interval
                )
            else:
                raise ApiError(422, "Give either 'rule', or 'every' and 'at' (and 'days').")
        except RhythmError as exc:
            raise ApiError(
                422, str(exc), [{"field": "rule" if body.rule else "every", "message": str(exc)}]
            ) from None
        if services.flows.get(body.flow) is None:
            raise ApiError(
                422,
                f"There is no flow '{body.flow}'.",
                [{"field": "flow", "message": "no such flow"}],
            )
        async with db.write() as tx:
            schedule = await schedules.set_checkin(
                tx,
                resident.id,
                flow_id=body.flow,
                rule=rhythm.rule,
                starts_at=start,
                next_due_at=next_due(rhythm, now),
            )
        return {"ok": True, "checkin_schedule": _schedule_json(schedule, resident.time_zone)}

    async def get_schedule(resident_id: int) -> dict[str, Any]:
        resident = await _resident(resident_id)
        async with db.read() as conn:
            schedule = await schedules.checkin_schedule(conn, resident.id)
        return {"ok": True, "checkin_schedule": _schedule_json(schedule, resident.time_zone)}

    async def checkin_now(resident_id: int) -> dict[str, Any]:
        resident = await _resident(resident_id)
        async with db.write() as tx:
            route = await preferred_route(tx, resident.id)
            if route is None:
                raise ApiError(409, f"{resident.preferred_name} has no channel we can reach.")
            schedule = await schedules.checkin_schedule(tx, resident.id)
            flow = schedule.flow_id if schedule else "weekly_checkin"
            queued = await services.conversations.start(tx, resident, flow, route)
        services.dispatcher.wake()
        return {"ok": True, "flow": flow, "channel": route.channel, "messages": queued}

    async def conversation(resident_id: int, query: dict[str, str]) -> dict[str, Any]:
        resident = await _resident(resident_id)
        after = query.get("after_id", "0")
        if not after.isdigit():
            raise ApiError(422, "after_id should be a number.")
        async with db.read() as conn:
            found = await messages.conversation(conn, resident.id, after_id=int(after))
        return {"ok": True, "messages": [_message_json(m) for m in found]}

    async def list_alerts(query: dict[str, str]) -> dict[str, Any]:
        status = query.get("status")
        if status not in (None, "open", "acknowledged"):
            raise ApiError(422, "status should be 'open' or 'acknowledged'.")
        async with db.read() as conn:
            found = await alerts.list_alerts(conn, status=status)
        return {"ok": True, "alerts": [_alert_json(a) for a in found]}

    async def acknowledge(alert_id: int, body: models.Acknowledge) -> dict[str, Any]:
        async with db.write() as tx:
            alert = await alerts.get_alert(tx, alert_id)
            if alert is None:
                raise ApiError(404, f"There is no alert {alert_id}.")
            await alerts.acknowledge_alert(tx, alert_id, body.by)
            alert = await alerts.get_alert(tx, alert_id)
        assert alert is not None
        return {"ok": True, "alert": _alert_json(alert)}

    async def webchat(resident_id: int, body: models.WebchatMessage) -> dict[str, Any]:
        resident = await _resident(resident_id)
        handled = await services.pipeline.handle(
            InboundMessage(
                "webchat",
                str(resident.id),
                body.text,
                body.id or uuid.uuid4().hex,
            )
        )
        await services.dispatcher.run_once()
        async with db.read() as conn:
            replies = [await messages.get_message(conn, i) for i in handled.replies]
        return {
            "ok": True,
            "duplicate": handled.duplicate,
            "route": handled.route,
            "replies": [_message_json(m) for m in replies if m is not None],
        }

    return [
        Endpoint("GET", "/residents", "List residents (optionally ?catalyst_id=)", list_residents),
        Endpoint("POST", "/residents", "Add a resident", create_resident, models.NewResident, 201),
        Endpoint("GET", "/residents/{resident_id}", "One resident", get_resident),
        Endpoint("GET", "/catalysts", "List catalysts", list_catalysts),
        Endpoint("POST", "/catalysts", "Add a catalyst", create_catalyst, models.NewCatalyst, 201),
        Endpoint("GET", "/catalysts/{catalyst_id}", "One catalyst", get_catalyst),
        Endpoint(
            "PUT",
            "/catalysts/{catalyst_id}/alert-channel",
            "Choose how the catalyst hears of alerts: sms, telegram or none",
            set_alert_channel,
            models.AlertChannel,
        ),
        Endpoint(
            "POST",
            "/catalysts/{catalyst_id}/telegram-link",
            "A single-use link that connects the catalyst's Telegram chat, for alerts",
            catalyst_telegram_link,
            status=201,
        ),
        Endpoint(
            "POST",
            "/residents/{resident_id}/telegram-link",
            "A single-use, expiring t.me link that connects the resident's Telegram chat",
            resident_telegram_link,
            status=201,
        ),
        Endpoint(
            "PUT",
            "/residents/{resident_id}/checkin-schedule",
            "Set the check-in rhythm",
            set_schedule,
            models.CheckinSchedule,
        ),
        Endpoint(
            "GET", "/residents/{resident_id}/checkin-schedule", "The check-in rhythm", get_schedule
        ),
        Endpoint(
            "POST",
            "/residents/{resident_id}/checkins",
            "Start a check-in now",
            checkin_now,
            None,
            202,
        ),
        Endpoint(
            "GET",
            "/residents/{resident_id}/conversation",
            "Messages both ways with delivery status (?after_id=)",
            conversation,
        ),
        Endpoint("GET", "/alerts", "List alerts (?status=open|acknowledged)", list_alerts),
        Endpoint(
            "POST",
            "/alerts/{alert_id}/acknowledge",
            "Acknowledge an alert",
            acknowledge,
            models.Acknowledge,
        ),
        Endpoint(
            "POST",
            "/webchat/{resident_id}/messages",
            "Speak as the resident; the bot's replies come back",
            webchat,
            models.WebchatMessage,
        ),
    ]


def _person_json(person: Any) -> dict[str, Any]:
    return {
        "id": person.id,
        "first_name": person.first_name,
        "full_name": person.full_name,
        "email": person.email,
        "alert_channel": person.alert_channel,
    }


def _schedule_json(schedule: Any, zone: str) -> dict[str, Any] | None:
    if schedule is None:
        return None
    starts = datetime.fromisoformat(schedule.starts_at).astimezone(ZoneInfo(zone))
    rhythm = Rhythm(schedule.rule, zone, starts) if schedule.rule else None
    return {
        "flow": schedule.flow_id,
        "rule": schedule.rule,
        "description": describe(rhythm) if rhythm else None,
        "next_due_at": schedule.next_due_at,
        "active": schedule.active,
    }


def _message_json(message: Any) -> dict[str, Any]:
    return {
        "id": message.id,
        "direction": message.direction,
        "channel": message.channel,
        "text": message.body,
        "status": message.status,
        "error": message.error,
        "segments": message.segments,
        "at": message.created_at,
    }


def _alert_json(alert: Any) -> dict[str, Any]:
    return {
        "id": alert.id,
        "resident_id": alert.resident_id,
        "kind": alert.kind,
        "urgency": alert.urgency,
        "summary": alert.summary,
        "reference": paging.reference(alert),
        "status": alert.status,
        "created_at": alert.created_at,
        "acknowledged_by": alert.acknowledged_by,
    }
