"""This module contains the pages for looking after residents: the list with its search, and a
resident's page (details, channels and consents, check-in rhythm, conversation, alerts, results
and life maps, notes) with its three forms: set the rhythm, add a note, send a message.

Every page and form asks the services with the viewer, so a catalyst reaching for another
catalyst's resident gets the same 404 as for an id that does not exist. Adding a resident is
another module's page (/admin/residents/new).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.responses import Response

from admin.web.framework import Page, PageRequest
from bot.services.access import Ability
from bot.services.checkin_rhythm import UNITS, RhythmForm
from bot.services.errors import Invalid
from bot.services.ids import parse_id
from bot.services.messages_out import MAX_MESSAGE
from bot.services.notes import MAX_NOTE
from bot.services.records import Resident
from bot.services.resident_page import CHANNEL_WORDS, ResidentPageView, status_words
from bot.services.resident_search import STATUSES, ResidentFilter, ResidentListing

#: The days of the week, as the rhythm form offers them (value, words).
WEEKDAYS = (
    ("monday", "Monday"),
    ("tuesday", "Tuesday"),
    ("wednesday", "Wednesday"),
    ("thursday", "Thursday"),
    ("friday", "Friday"),
    ("saturday", "Saturday"),
    ("sunday", "Sunday"),
)


@dataclass(frozen=True)
class ResidentsContext:
    listing: ResidentListing = field(
        metadata={"help": "The residents found (by preferred name), and catalysts to filter by."}
    )
    search: ResidentFilter = field(metadata={"help": "What was searched for, to show it again."})
    statuses: dict[str, str] = field(metadata={"help": "Statuses to search by, and their words."})
    status_words: Callable[[Resident], str] = field(
        metadata={"help": "Says a resident's status in words."}
    )


@dataclass(frozen=True)
class ResidentContext:
    page: ResidentPageView = field(metadata={"help": "Everything the resident's page shows."})
    status_words: Callable[[Resident], str] = field(
        metadata={"help": "Says a resident's status in words."}
    )
    rhythm: RhythmForm = field(
        metadata={"help": "The rhythm form's values: as typed after a mistake, else the rhythm."}
    )
    units: dict[str, str] = field(metadata={"help": "What 'every' can be, and its words."})
    checkin_flows: list[tuple[str, str]] = field(
        metadata={"help": "The check-in flows the rhythm can run: (id, name)."}
    )
    weekdays: tuple[tuple[str, str], ...] = field(metadata={"help": "Days the form offers."})
    channel_words: dict[str, str] = field(metadata={"help": "Each channel's name in words."})
    errors: dict[str, str] = field(metadata={"help": "What is wrong with a form, by field."})
    values: dict[str, str] = field(metadata={"help": "What was typed in a note or message."})
    max_note: int = field(metadata={"help": "The longest note, in characters."})
    max_message: int = field(metadata={"help": "The longest message, in characters."})


async def residents_page(page: PageRequest) -> Response:
    catalyst = page.query("catalyst")
    catalyst_id = parse_id(catalyst) if catalyst else None
    if catalyst and catalyst_id is None:
        raise Invalid("catalyst", "Choose a catalyst from the list.")
    search = ResidentFilter(
        name=page.query("name")[:100], catalyst_id=catalyst_id, status=page.query("status")
    )
    listing = await page.site.services.resident_search.search(page.user, search)
    return page.render(
        "residents.html",
        ResidentsContext(
            listing=listing, search=search, statuses=STATUSES, status_words=status_words
        ),
    )


async def resident_page(page: PageRequest) -> Response:
    return await _render_resident(page)


async def set_rhythm(page: PageRequest) -> Response:
    resident_id = page.ids["resident_id"]
    typed = RhythmForm(
        every=page.field("every"),
        interval=page.field("interval"),
        days=page.fields("days"),
        at=page.field("at"),
        on=page.field("on"),
        flow=page.field("flow"),
    )
    try:
        saved = await page.site.services.rhythm.set(page.user, resident_id, typed)
    except Invalid as exc:
        return await _render_resident(page, {exc.field: exc.message}, rhythm=typed, status=400)
    return page.redirect(
        f"/admin/residents/{resident_id}#rhythm",
        f"Check-ins set: {saved.description or saved.rule}.",
    )


async def add_note(page: PageRequest) -> Response:
    resident_id = page.ids["resident_id"]
    text = page.field("note")
    try:
        await page.site.services.notes.add(page.user, resident_id, text)
    except Invalid as exc:
        return await _render_resident(page, {"note": exc.message}, {"note": text}, status=400)
    return page.redirect(f"/admin/residents/{resident_id}#notes", "Note added.")


async def send_message(page: PageRequest) -> Response:
    resident_id = page.ids["resident_id"]
    text = page.field("message")
    try:
        sent = await page.site.services.messages_out.send(page.user, resident_id, text)
    except Invalid as exc:
        return await _render_resident(page, {"message": exc.message}, {"message": text}, status=400)
    channel = CHANNEL_WORDS.get(sent.channel, sent.channel)
    notice = f"Message to {sent.resident_name} queued on {channel} ({sent.sms})."
    if sent.held_until:
        notice += f" It is quiet hours for {sent.resident_name}: it will go at {sent.held_until}."
    return page.redirect(f"/admin/residents/{resident_id}#conversation", notice)


async def _render_resident(
    page: PageRequest,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    *,
    rhythm: RhythmForm | None = None,
    status: int = 200,
) -> Response:
    view = await page.site.services.resident_page.view(page.user, page.ids["resident_id"])
    return page.render(
        "resident.html",
        ResidentContext(
            page=view,
            status_words=status_words,
            rhythm=rhythm or view.rhythm_form,
            units=UNITS,
            checkin_flows=page.site.services.rhythm.flow_choices(),
            weekdays=WEEKDAYS,
            channel_words=CHANNEL_WORDS,
            errors=errors or {},
            values=values or {},
            max_note=MAX_NOTE,
            max_message=MAX_MESSAGE,
        ),
        status=status,
    )


_LOOK_AFTER = Ability.LOOK_AFTER_RESIDENTS
_RESIDENT = "/residents/{resident_id}"

PAGES = (
    Page("/residents", "residents", residents_page, needs=_LOOK_AFTER),
    Page(_RESIDENT, "resident", resident_page, needs=_LOOK_AFTER),
    Page(f"{_RESIDENT}/rhythm", "set_rhythm", set_rhythm, ("POST",), needs=_LOOK_AFTER),
    Page(f"{_RESIDENT}/notes", "add_note", add_note, ("POST",), needs=_LOOK_AFTER),
    Page(f"{_RESIDENT}/messages", "send_message", send_message, ("POST",), needs=_LOOK_AFTER),
)
