"""This module contains `Programme`: what the operator's settings say about the programme
itself (its name, and what a new resident starts with), in the words the services need."""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import Settings


@dataclass(frozen=True, slots=True)
class Programme:
    name: str = "Companion"
    #: A new resident's time zone and quiet hours ("HH:MM" on their own clock).
    time_zone: str = "Europe/London"
    quiet_start: str = "20:00"
    quiet_end: str = "09:00"

    @classmethod
    def from_settings(cls, settings: Settings) -> Programme:
        return cls(
            settings.programme_name,
            settings.timezone,
            settings.quiet_start.strftime("%H:%M"),
            settings.quiet_end.strftime("%H:%M"),
        )

    @property
    def team(self) -> str:
        """Who speaks for a resident's catalyst while they have none: "the Companion team"."""
        return f"the {self.name} team"
