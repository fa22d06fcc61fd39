"""This module contains `Site`: what every admin page is handed (the services and the
programme), and the short notices a page leaves for the next one after a redirect."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from bot.services.bundle import Services


@dataclass
class Site:
    services: Services
    #: The programme's name as residents and staff know it (COMPANION_PROGRAMME_NAME).
    programme_name: str
    #: Cookies get the Secure flag: the service is reached over https (COMPANION_PUBLIC_URL).
    secure_cookies: bool = False
    #: The service's public origin ("https://companion.example.org"), also accepted in `Origin`.
    public_origin: str | None = None
    #: Notices to show on the next page a session sees ("Saved."), kept in memory: they are
    #: a courtesy, and losing one in a restart loses nothing.
    _notices: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))

    def notify(self, session_id: int, text: str) -> None:
        self._notices[session_id].append(text)

    def take_notices(self, session_id: int) -> list[str]:
        return self._notices.pop(session_id, [])
