"""This module contains pausing a resident's check-ins from the admin: until a day (they start
again by themselves then, with a hello) or until resumed, and resuming them at once.

The form sits on the resident's page (the _resident_pause.html partial) and has a page of its
own, where a mistake is explained beside the field with what was typed kept, and changes
nothing. A catalyst can pause only their own residents; another's are "not found".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.responses import Response

from admin.web.framework import Page, PageRequest
from bot.services.access import Ability
from bot.services.errors import Invalid
from bot.services.pauses import day_words
from bot.services.records import Resident

#: The form's one field: the day check-ins start again, blank for no end.
UNTIL = "pause_until"


@dataclass(frozen=True)
class PauseContext:
    resident: Resident = field(metadata={"help": "Whose check-ins the form pauses."})
    errors: dict[str, str] = field(metadata={"help": "What is wrong with the form, by field."})
    values: dict[str, str] = field(metadata={"help": "What was typed, to show it again."})


async def pause_page(page: PageRequest) -> Response:
    return await _render(page)


async def pause(page: PageRequest) -> Response:
    resident_id = page.ids["resident_id"]
    typed = page.field(UNTIL)
    try:
        ends = await page.site.services.pauses.pause(page.user, resident_id, typed)
    except Invalid as exc:
        return await _render(page, {exc.field: exc.message}, {UNTIL: typed}, status=400)
    until = f"until {day_words(ends)}" if ends else "until someone resumes them"
    return page.redirect(f"/admin/residents/{resident_id}#pause", f"Check-ins paused {until}.")


async def resume(page: PageRequest) -> Response:
    resident_id = page.ids["resident_id"]
    resumed = await page.site.services.pauses.resume(page.user, resident_id)
    notice = (
        "Check-ins start again, and a hello is on its way."
        if resumed
        else "Check-ins were not paused: nothing changed."
    )
    return page.redirect(f"/admin/residents/{resident_id}#pause", notice)


async def _render(
    page: PageRequest,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    *,
    status: int = 200,
) -> Response:
    resident = await page.site.services.pauses.view(page.user, page.ids["resident_id"])
    return page.render(
        "resident_pause.html",
        PauseContext(resident=resident, errors=errors or {}, values=values or {}),
        status=status,
    )


_LOOK_AFTER = Ability.LOOK_AFTER_RESIDENTS
_RESIDENT = "/residents/{resident_id}"

PAGES = (
    Page(f"{_RESIDENT}/pause", "resident_pause", pause_page, needs=_LOOK_AFTER),
    Page(f"{_RESIDENT}/pause", "pause_checkins", pause, ("POST",), needs=_LOOK_AFTER),
    Page(f"{_RESIDENT}/resume", "resume_checkins", resume, ("POST",), needs=_LOOK_AFTER),
)
