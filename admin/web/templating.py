"""This module contains the admin's Jinja2 templates: autoescaped everywhere, undefined names
are errors, and a few filters for showing times and counts in plain words."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import jinja2
from starlette.templating import Jinja2Templates

LONDON = ZoneInfo("Europe/London")


def _when(stamp: str | datetime | None, zone: str = "Europe/London") -> str:
    """A stored UTC time as people read it: "Tue 1 Dec 2026, 10:05"."""
    if not stamp:
        return ""
    moment = stamp if isinstance(stamp, datetime) else datetime.fromisoformat(stamp)
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def build_templates() -> Jinja2Templates:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("admin", "templates"),
        # Everything is escaped: people's words are shown as typed, never as markup.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["when"] = _when
    environment.filters["plural"] = _plural
    return Jinja2Templates(env=environment)
