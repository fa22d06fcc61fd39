"""This module contains a resident's escalation ladder in the admin: what happens when they do
not answer a check-in (the programme's ladder or their own), and the form that sets their own.

The form sits on the resident's page (the _resident_ladder.html partial) and has a page of its
own, which also says what happens at each step; a ladder that cannot be read is explained beside
the field with what was typed kept, and changes nothing. A catalyst sets only their own
residents' ladders; another's are "not found".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.responses import Response

from admin.web.framework import Page, PageRequest
from bot.services.access import Ability
from bot.services.checkin_ladder import LadderView
from bot.services.errors import Invalid

#: The form's one field: the resident's own ladder, blank for the programme's.
LADDER = "ladder"


@dataclass(frozen=True)
class LadderContext:
    ladder: LadderView = field(
        metadata={"help": "The resident, their own ladder if any, the programme's, the steps."}
    )
    errors: dict[str, str] = field(metadata={"help": "What is wrong with the form, by field."})
    values: dict[str, str] = field(metadata={"help": "What was typed, to show it again."})


async def ladder_page(page: PageRequest) -> Response:
    return await _render(page)


async def set_ladder(page: PageRequest) -> Response:
    resident_id = page.ids["resident_id"]
    typed = page.field(LADDER)
    try:
        saved = await page.site.services.ladders.set(page.user, resident_id, typed)
    except Invalid as exc:
        return await _render(page, {exc.field: exc.message}, {LADDER: typed}, status=400)
    name = saved.resident.preferred_name
    notice = (
        f"{name}'s own ladder is set: {saved.own}."
        if saved.own
        else f"{name} follows the programme's ladder: {saved.programme}."
    )
    return page.redirect(f"/admin/residents/{resident_id}/ladder", notice)


async def _render(
    page: PageRequest,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    *,
    status: int = 200,
) -> Response:
    ladder = await page.site.services.ladders.view(page.user, page.ids["resident_id"])
    return page.render(
        "resident_ladder.html",
        LadderContext(ladder=ladder, errors=errors or {}, values=values or {}),
        status=status,
    )


_LOOK_AFTER = Ability.LOOK_AFTER_RESIDENTS
_RESIDENT = "/residents/{resident_id}"

PAGES = (
    Page(f"{_RESIDENT}/ladder", "resident_ladder", ladder_page, needs=_LOOK_AFTER),
    Page(f"{_RESIDENT}/ladder", "set_ladder", set_ladder, ("POST",), needs=_LOOK_AFTER),
)
