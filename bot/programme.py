"""This module contains `Programme`: what the operator's settings say about the programme
itself (its name, and what a new resident starts with), in the words the services need."""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import Settings
from storage.people import NewResident


@dataclass(frozen=True, slots=True)
class Programme:
    name: str = "Companion"
    #: A new resident's time zone and quiet hours ("HH:MM" on their own clock).
    time_zone: str = "Europe/London"
    quiet_start: str = "20:00"
    quiet_end: str = "09:00"
    #: The languages residents may write in: every message is checked for risk in each.
    languages: tuple[str, ...] = ("en", "pl", "ro", "lt", "bn", "ur", "pt")
    #: What happens when nobody answers a check-in (bot/timing/ladder.py), unless a resident
    #: has their own; and how many misses in a row make the missed check-in alert urgent.
    checkin_ladder: str = "2h reminder, 2h other channel, 4h missed"
    misses_for_urgent: int = 3

    @classmethod
    def from_settings(cls, settings: Settings) -> Programme:
        return cls(
            settings.programme_name,
            settings.timezone,
            settings.quiet_start.strftime("%H:%M"),
            settings.quiet_end.strftime("%H:%M"),
            tuple(settings.languages),
            checkin_ladder=settings.checkin_ladder,
            misses_for_urgent=settings.misses_for_urgent,
        )

    def new_resident(
        self,
        preferred_name: str,
        first_name: str,
        full_name: str,
        *,
        language: str = "en",
        time_zone: str | None = None,
        quiet_start: str | None = None,
        quiet_end: str | None = None,
        catalyst_id: int | None = None,
        interests: str = "",
        status: str = "active",
    ) -> NewResident:
        """A resident to add, with the programme's time zone and quiet hours unless given."""
        return NewResident(
            preferred_name,
            first_name,
            full_name,
            language,
            time_zone or self.time_zone,
            quiet_start or self.quiet_start,
            quiet_end or self.quiet_end,
            catalyst_id,
            interests,
            status,
        )

    @property
    def team(self) -> str:
        """Who speaks for a resident's catalyst while they have none: "the Companion team"."""
        return f"the {self.name} team"
