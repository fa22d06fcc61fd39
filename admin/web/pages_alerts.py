"""This module contains the alerts pages: the inbox (a catalyst's own residents' alerts, or
everyone's for staff with mine / all / unassigned; urgent first, then newest; of one kind if
asked), one alert with its history, "I'm on it", and closing an alert with a note of what was
done."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.responses import Response

from admin.web.framework import Page, PageRequest
from bot.services.access import Ability
from bot.services.alerts import (
    KIND_WORDS,
    SHOW_WORDS,
    STATUS_WORDS,
    STATUSES,
    AlertItem,
    Inbox,
)
from bot.services.errors import Invalid


@dataclass(frozen=True)
class InboxContext:
    inbox: Inbox = field(metadata={"help": "The alerts shown, the state and filter chosen."})
    statuses: tuple[str, ...] = field(metadata={"help": "The states, for the tabs."})
    status_words: dict[str, str] = field(metadata={"help": "Each state in words."})
    show_words: dict[str, str] = field(metadata={"help": "Each staff filter in words."})
    kind_words: dict[str, str] = field(metadata={"help": "Each kind of alert, to filter by."})


@dataclass(frozen=True)
class AlertContext:
    item: AlertItem = field(metadata={"help": "The alert, with its history."})
    errors: dict[str, str] = field(metadata={"help": "What is wrong with the closing form."})
    values: dict[str, str] = field(metadata={"help": "What was typed, to show it again."})


async def inbox_page(page: PageRequest) -> Response:
    status = page.query("status", "open")[:20] or "open"
    show = page.query("show", "all")[:20] or "all"
    kind = page.query("kind")[:20]
    inbox = await page.site.services.alerts.inbox(page.user, status, show, kind)
    return page.render(
        "alerts.html", InboxContext(inbox, STATUSES, STATUS_WORDS, SHOW_WORDS, KIND_WORDS)
    )


async def alert_page(page: PageRequest) -> Response:
    return await _render_alert(page, {}, {})


async def acknowledge(page: PageRequest) -> Response:
    alert_id = page.ids["alert_id"]
    item = await page.site.services.alerts.acknowledge_as(page.user, alert_id)
    if item.acknowledged_by and item.acknowledged_by != _me(page):
        notice = f"{item.acknowledged_by} is already on alert {item.reference}."
    else:
        notice = f"You are on alert {item.reference}."
    back = f"/admin/alerts/{alert_id}" if page.field("back") == "alert" else "/admin/alerts"
    return page.redirect(back, notice)


async def close(page: PageRequest) -> Response:
    alert_id = page.ids["alert_id"]
    note = page.field("note")
    try:
        item = await page.site.services.alerts.close(page.user, alert_id, note)
    except Invalid as exc:
        return await _render_alert(page, {exc.field: exc.message}, {"note": note}, status=400)
    return page.redirect(f"/admin/alerts/{alert_id}", f"Alert {item.reference} is closed.")


async def add_to_record(page: PageRequest) -> Response:
    alert_id = page.ids["alert_id"]
    note = page.field("record_note")
    try:
        item = await page.site.services.alerts.add_to_record(page.user, alert_id, note)
    except Invalid as exc:
        errors = {"record_note": exc.message}
        return await _render_alert(page, errors, {"record_note": note}, status=400)
    return page.redirect(
        f"/admin/alerts/{alert_id}", f"Your note is in the record of alert {item.reference}."
    )


def _me(page: PageRequest) -> str:
    return f"{page.user.username} ({page.user.role})"


async def _render_alert(
    page: PageRequest, errors: dict[str, str], values: dict[str, str], status: int = 200
) -> Response:
    item = await page.site.services.alerts.alert(page.user, page.ids["alert_id"])
    return page.render("alert.html", AlertContext(item, errors, values), status=status)


PAGES = (
    Page("/alerts", "alerts", inbox_page, needs=Ability.LOOK_AFTER_RESIDENTS),
    Page("/alerts/{alert_id}", "alert", alert_page, needs=Ability.LOOK_AFTER_RESIDENTS),
    Page(
        "/alerts/{alert_id}/acknowledge",
        "acknowledge_alert",
        acknowledge,
        methods=("POST",),
        needs=Ability.LOOK_AFTER_RESIDENTS,
    ),
    Page(
        "/alerts/{alert_id}/record",
        "add_to_alert_record",
        add_to_record,
        methods=("POST",),
        needs=Ability.LOOK_AFTER_RESIDENTS,
    ),
    Page(
        "/alerts/{alert_id}/close",
        "close_alert",
        close,
        methods=("POST",),
        needs=Ability.LOOK_AFTER_RESIDENTS,
    ),
)
