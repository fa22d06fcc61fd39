"""This module contains the API's request bodies, checked by pydantic with plain messages."""

from __future__ import annotations

import re
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, available_timezones

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from bot.services.ids import MAX_ID

PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")
HHMM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def _phone(value: str) -> str:
    if not PHONE.match(value):
        raise ValueError("a phone number in international form, e.g. +447700900123")
    return value


#: A phone number in E.164 form, the form Twilio uses.
Phone = Annotated[str, AfterValidator(_phone), Field(description="E.164, e.g. +447700900123")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class NewCatalyst(Body):
    first_name: str = Field(min_length=1, max_length=60)
    full_name: str = Field(min_length=1, max_length=120)
    email: str | None = Field(default=None, max_length=200)
    alert_channel: Literal["sms", "telegram"] | None = None
    phone: Phone | None = None


class NewResident(Body):
    preferred_name: str = Field(min_length=1, max_length=60)
    first_name: str = Field(min_length=1, max_length=60)
    full_name: str = Field(min_length=1, max_length=120)
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
    #: Left out: the programme's (COMPANION_TIMEZONE, COMPANION_QUIET_START and _END).
    time_zone: str | None = None
    quiet_start: str | None = None
    quiet_end: str | None = None
    catalyst_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    interests: str = Field(default="", max_length=500)
    phone: Phone | None = None
    telegram_chat_id: str | None = Field(default=None, pattern=r"^-?[0-9]{1,20}$")
    consents: dict[Literal["checkins", "events", "buddying"], bool] = Field(default_factory=dict)

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value not in available_timezones():
            raise ValueError(f"a time zone such as Europe/London, not '{value}'")
        ZoneInfo(value)
        return value

    @field_validator("quiet_start", "quiet_end")
    @classmethod
    def _hhmm(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not HHMM.match(value):
            raise ValueError("a time as HH:MM, e.g. 20:00")
        return value


class CheckinSchedule(Body):
    """Either plain words (every, days, at), a one-off (every "once", on, at) or an RFC 5545
    rule; and the check-in flow it runs (one whose purpose is check-ins)."""

    every: Literal["day", "week", "fortnight", "month", "once"] | None = None
    days: list[str] = Field(default_factory=list, max_length=7)
    at: str | None = Field(default=None, max_length=10)
    interval: int = Field(default=1, ge=1, le=12)
    rule: str | None = Field(default=None, max_length=300)
    flow: str = Field(default="weekly_checkin", pattern=r"^[A-Za-z0-9_-]{1,60}$")
    on: str | None = Field(
        default=None,
        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        description="The date of a one-off check-in (every: once), YYYY-MM-DD.",
    )


class Pause(Body):
    """Pause a resident's check-ins until a day (they start again that morning), or until
    resumed (no day)."""

    until: str | None = Field(
        default=None,
        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        description="The day check-ins start again, YYYY-MM-DD; leave out to pause until resumed.",
    )


class WebchatMessage(Body):
    text: str = Field(min_length=1, max_length=2000)
    id: str | None = Field(
        default=None, max_length=100, description="Your id for the message; a repeat is ignored."
    )


class Acknowledge(Body):
    by: str = Field(default="api", min_length=1, max_length=100)


class AlertChannel(Body):
    """How a catalyst hears of alerts: by SMS to `phone`, in the Telegram chat they linked, or
    (null) only in the admin."""

    channel: Literal["sms", "telegram"] | None
    phone: Phone | None = None
