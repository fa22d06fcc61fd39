"""This module contains the API's endpoints: residents, catalysts, schedules, conversations,
alerts, tokens and the web chat. Each handler parses, calls one service and renders."""

from __future__ import annotations

from typing import Any

from admin.api import models, render
from admin.api.framework import ID_SCHEMA, Endpoint, Query
from admin.api.params import query_id
from bot.services.access import Viewer
from bot.services.bundle import Services
from bot.services.catalysts import CatalystDetails
from bot.services.residents import ResidentDetails
from bot.services.schedules import RhythmRequest

#: Who an API token acts as where a service asks: it sees every resident, as staff do, and the
#: audit log names it "staff:api".
API_CLIENT = Viewer(0, "api", "API client", "staff", None)


def endpoints(services: Services) -> list[Endpoint]:
    async def list_residents(query: dict[str, str]) -> dict[str, Any]:
        found = await services.residents.list_residents(query_id(query, "catalyst_id"))
        return {"ok": True, "residents": [render.resident(r) for r in found]}

    async def create_resident(body: models.NewResident) -> dict[str, Any]:
        created = await services.residents.create(
            ResidentDetails(**body.model_dump()),
        )
        return {"ok": True, "resident": render.resident(created)}

    async def get_resident(resident_id: int) -> dict[str, Any]:
        return {
            "ok": True,
            "resident": render.resident(await services.residents.profile(resident_id)),
        }

    async def list_catalysts() -> dict[str, Any]:
        found = await services.catalysts.list_catalysts()
        return {"ok": True, "catalysts": [render.person(p) for p in found]}

    async def create_catalyst(body: models.NewCatalyst) -> dict[str, Any]:
        created = await services.catalysts.create(CatalystDetails(**body.model_dump()))
        return {"ok": True, "catalyst": render.person(created)}

    async def get_catalyst(catalyst_id: int) -> dict[str, Any]:
        return {"ok": True, "catalyst": render.person(await services.catalysts.get(catalyst_id))}

    async def resident_telegram_link(resident_id: int) -> dict[str, Any]:
        return {"ok": True, **render.link(await services.links.for_resident(resident_id))}

    async def catalyst_telegram_link(catalyst_id: int) -> dict[str, Any]:
        return {"ok": True, **render.link(await services.links.for_catalyst(catalyst_id))}

    async def set_alert_channel(catalyst_id: int, body: models.AlertChannel) -> dict[str, Any]:
        updated = await services.catalysts.set_alert_channel(catalyst_id, body.channel, body.phone)
        return {"ok": True, "catalyst": render.person(updated)}

    async def set_schedule(resident_id: int, body: models.CheckinSchedule) -> dict[str, Any]:
        saved = await services.schedules.set(resident_id, RhythmRequest(**body.model_dump()))
        return {"ok": True, "checkin_schedule": render.schedule(saved)}

    async def get_schedule(resident_id: int) -> dict[str, Any]:
        found = await services.schedules.get(resident_id)
        return {"ok": True, "checkin_schedule": render.schedule(found)}

    async def checkin_now(resident_id: int) -> dict[str, Any]:
        return {"ok": True, **render.checkin(await services.checkins.start_now(resident_id))}

    async def checkin_history(resident_id: int) -> dict[str, Any]:
        found = await services.checkins.history(resident_id)
        return {"ok": True, "checkins": [render.checkin_row(c) for c in found]}

    async def pause(resident_id: int, body: models.Pause) -> dict[str, Any]:
        until = await services.pauses.pause(API_CLIENT, resident_id, body.until or "")
        return {"ok": True, "paused_until": until.isoformat() if until else None}

    async def resume(resident_id: int) -> dict[str, Any]:
        return {"ok": True, "resumed": await services.pauses.resume(API_CLIENT, resident_id)}

    async def conversation(resident_id: int, query: dict[str, str]) -> dict[str, Any]:
        after = query_id(query, "after_id", minimum=0) or 0
        found = await services.conversation.messages(resident_id, after_id=after)
        return {"ok": True, "messages": [render.message(m) for m in found]}

    async def list_alerts(query: dict[str, str]) -> dict[str, Any]:
        found = await services.alerts.list_alerts(query.get("status"))
        return {"ok": True, "alerts": [render.alert(a) for a in found]}

    async def acknowledge(alert_id: int, body: models.Acknowledge) -> dict[str, Any]:
        done = await services.alerts.acknowledge(alert_id, body.by)
        return {"ok": True, "alert": render.alert(done)}

    async def webchat(resident_id: int, body: models.WebchatMessage) -> dict[str, Any]:
        turn = await services.webchat.say(resident_id, body.text, body.id)
        return {
            "ok": True,
            "duplicate": turn.duplicate,
            "route": turn.route,
            "replies": [render.message(m) for m in turn.replies],
        }

    async def list_tokens() -> dict[str, Any]:
        found = await services.tokens.list_tokens()
        return {"ok": True, "tokens": [render.token(t) for t in found]}

    async def revoke_token(token_id: int) -> dict[str, Any]:
        return {"ok": True, "token": render.token(await services.tokens.revoke(token_id))}

    return [
        Endpoint(
            "GET",
            "/residents",
            "List residents (optionally one catalyst's: ?catalyst_id=)",
            list_residents,
            query=(Query("catalyst_id", "Only this catalyst's residents", ID_SCHEMA),),
        ),
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
            "/residents/{resident_id}/checkins",
            "Every check-in that fell due, oldest first: how it went, mood, their words",
            checkin_history,
        ),
        Endpoint(
            "PUT",
            "/residents/{resident_id}/pause",
            "Pause check-ins until a day (YYYY-MM-DD) or, with no day, until resumed",
            pause,
            models.Pause,
        ),
        Endpoint(
            "POST",
            "/residents/{resident_id}/resume",
            "Resume paused check-ins; the resident hears hello again",
            resume,
        ),
        Endpoint(
            "GET",
            "/residents/{resident_id}/conversation",
            "Messages both ways with delivery status (?after_id=)",
            conversation,
            query=(
                Query(
                    "after_id",
                    "Only messages after this one (for polling)",
                    {"type": "integer", "minimum": 0, "maximum": ID_SCHEMA["maximum"]},
                ),
            ),
        ),
        Endpoint(
            "GET",
            "/alerts",
            "List alerts (?status=open|acknowledged)",
            list_alerts,
            query=(
                Query(
                    "status",
                    "Only alerts in this state",
                    {"type": "string", "enum": ["open", "acknowledged"]},
                ),
            ),
        ),
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
        Endpoint(
            "GET",
            "/tokens",
            "List API tokens: name, role, created, last used, revoked (admin tokens only)",
            list_tokens,
            admin_only=True,
        ),
        Endpoint(
            "POST",
            "/tokens/{token_id}/revoke",
            "Revoke an API token; it stops working at once (admin tokens only)",
            revoke_token,
            admin_only=True,
        ),
    ]
