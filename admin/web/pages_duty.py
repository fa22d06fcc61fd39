"""This module contains the duty list page: who urgent safeguarding alerts go to besides the
resident's catalyst, in order, and the forms that add, move and remove people on it."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.responses import Response

from admin.web.framework import Page, PageRequest
from bot.services.access import Ability
from bot.services.duty import DutyView
from bot.services.errors import Invalid


@dataclass(frozen=True)
class DutyContext:
    duty: DutyView = field(metadata={"help": "Who is on duty, in order, and who could be."})
    error: str = field(default="", metadata={"help": "Why the last change was refused."})


async def duty_page(page: PageRequest) -> Response:
    return page.render("duty.html", DutyContext(await page.site.services.duty.view(page.user)))


async def _change(page: PageRequest, action: str) -> Response:
    duty = page.site.services.duty
    raw = page.field("person_id")
    try:
        if not raw.isdigit() or len(raw) > 12:
            raise Invalid("person_id", "Choose a person from the list.")
        change = {"add": duty.add, "remove": duty.remove, "up": duty.move_up}[action]
        person = await change(page.user, int(raw))
    except Invalid as exc:
        view = await duty.view(page.user)
        return page.render("duty.html", DutyContext(view, exc.message), status=400)
    words = {
        "add": "is now on the duty list",
        "remove": "is off the duty list",
        "up": "has moved up the list",
    }[action]
    return page.redirect("/admin/duty", f"{person.name} {words}.")


async def add(page: PageRequest) -> Response:
    return await _change(page, "add")


async def remove(page: PageRequest) -> Response:
    return await _change(page, "remove")


async def move_up(page: PageRequest) -> Response:
    return await _change(page, "up")


PAGES = (
    Page("/duty", "duty", duty_page, needs=Ability.MANAGE_DUTY_LIST),
    Page("/duty/add", "duty_add", add, methods=("POST",), needs=Ability.MANAGE_DUTY_LIST),
    Page("/duty/remove", "duty_remove", remove, methods=("POST",), needs=Ability.MANAGE_DUTY_LIST),
    Page("/duty/up", "duty_up", move_up, methods=("POST",), needs=Ability.MANAGE_DUTY_LIST),
)
