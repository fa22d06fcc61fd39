"""This module contains the web chat pages: staff pick a resident who has web chat, then talk
as them to the bot (or start their check-in) and see the bot's replies, so that a new user can
try every feature in the browser. Every action is a form; admin/static/webchat.js only saves a
reload where JavaScript runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.responses import Response

from admin.web.framework import Page, PageRequest
from bot.services.access import Ability
from bot.services.errors import Invalid
from bot.services.records import Resident
from bot.services.webchat import Chat

#: Things a resident can say that do something, to try with one press.
PHRASES = (
    ("menu", "Ask what it can do"),
    ("not today", "Skip today"),
    ("later", "Ask again later"),
    ("less often", "Fewer check-ins"),
    ("pause until I'm home", "Pause for a while"),
    ("I'm back", "Start again after a pause"),
    ("HELP", "Carrier HELP word"),
    ("STOP", "Stop all messages"),
    ("START", "Start messages again"),
)


@dataclass(frozen=True)
class PickContext:
    residents: list[Resident] = field(metadata={"help": "Residents who have web chat."})


@dataclass(frozen=True)
class ChatContext:
    chat: Chat = field(metadata={"help": "The resident and their newest messages."})
    quick_replies: list[str] = field(
        metadata={"help": "Answers the bot's last message offered as buttons."}
    )
    phrases: tuple[tuple[str, str], ...] = field(
        metadata={"help": "Words to try, and what they do."}
    )
    errors: dict[str, str] = field(
        metadata={"help": "What is wrong with the message, if anything."}
    )
    values: dict[str, str] = field(metadata={"help": "What was typed, to show it again."})


async def pick_page(page: PageRequest) -> Response:
    residents = await page.site.services.webchat.residents()
    return page.render("webchat.html", PickContext(residents))


async def chat_page(page: PageRequest) -> Response:
    return await _render_chat(page, {}, {})


async def say(page: PageRequest) -> Response:
    resident_id = page.ids["resident_id"]
    text = page.field("text")
    try:
        turn = await page.site.services.webchat.say_as(page.user, resident_id, text)
    except Invalid as exc:
        return await _render_chat(page, {exc.field: exc.message}, {"text": text}, status=400)
    notice = (
        f"Sent. The bot answered with {len(turn.replies)} message"
        f"{'' if len(turn.replies) == 1 else 's'}."
        if turn.replies
        else "Sent. The bot has not answered (nothing needs an answer, or it is for a person)."
    )
    return page.redirect(f"/admin/webchat/{resident_id}#latest", notice)


async def start_checkin(page: PageRequest) -> Response:
    resident_id = page.ids["resident_id"]
    said = await page.site.services.webchat.start_checkin(page.user, resident_id)
    notice = "Check-in started." if said else "Check-in started, but nothing could be sent now."
    return page.redirect(f"/admin/webchat/{resident_id}#latest", notice)


async def _render_chat(
    page: PageRequest, errors: dict[str, str], values: dict[str, str], status: int = 200
) -> Response:
    chat = await page.site.services.webchat.chat(page.ids["resident_id"])
    last_out = next((m for m in reversed(chat.messages) if m.direction == "out"), None)
    quick = [b.get("label", "") for b in last_out.buttons] if last_out is not None else []
    return page.render(
        "webchat_chat.html",
        ChatContext(chat, [q for q in quick if q], PHRASES, errors, values),
        status=status,
    )


PAGES = (
    Page("/webchat", "webchat", pick_page, needs=Ability.WRITE_FLOWS),
    Page("/webchat/{resident_id}", "webchat_chat", chat_page, needs=Ability.WRITE_FLOWS),
    Page(
        "/webchat/{resident_id}",
        "webchat_say",
        say,
        methods=("POST",),
        needs=Ability.WRITE_FLOWS,
    ),
    Page(
        "/webchat/{resident_id}/checkin",
        "webchat_checkin",
        start_checkin,
        methods=("POST",),
        needs=Ability.WRITE_FLOWS,
    ),
)
