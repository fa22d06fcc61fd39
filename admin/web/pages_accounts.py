"""This module contains the admin-only pages: accounts and live sessions (add an account, end
a session), and the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.responses import Response

from admin.web.framework import Page, PageRequest
from bot.services.access import Ability
from bot.services.accounts import ROLES, Account, LiveSession
from bot.services.audit import AuditEntry
from bot.services.errors import Conflict, Invalid
from bot.services.ids import parse_id
from bot.services.records import Person


@dataclass(frozen=True)
class AccountsContext:
    accounts: list[Account] = field(metadata={"help": "Every account, by role then username."})
    sessions: list[LiveSession] = field(metadata={"help": "Logins in use now, newest first."})
    catalysts: list[Person] = field(metadata={"help": "Catalysts an account can be for."})
    roles: tuple[str, ...] = field(metadata={"help": "The roles an account can have."})
    errors: dict[str, str] = field(metadata={"help": "What is wrong with the form, by field."})
    values: dict[str, str] = field(metadata={"help": "What was typed, to show it again."})


@dataclass(frozen=True)
class AuditContext:
    entries: list[AuditEntry] = field(metadata={"help": "The newest entries first."})
    subject: str = field(metadata={"help": "Only entries about this subject, when given."})
    actor: str = field(metadata={"help": "Only entries by this account, when given."})


async def accounts_page(page: PageRequest) -> Response:
    return await _render_accounts(page, {}, {})


async def add_account(page: PageRequest) -> Response:
    values = {name: page.field(name) for name in ("username", "display_name", "role", "person_id")}
    person_id = parse_id(values["person_id"]) if values["person_id"] else None
    try:
        await page.site.services.accounts.add(
            values["username"],
            values["display_name"],
            values["role"],
            page.secret("password"),
            person_id=person_id if values["role"] == "catalyst" else None,
            by=page.user.actor,
        )
    except Invalid as exc:
        return await _render_accounts(page, {exc.field: exc.message}, values, status=400)
    except Conflict as exc:
        return await _render_accounts(page, {"username": exc.message}, values, status=409)
    return page.redirect("/admin/accounts", f"Account {values['username'].lower()} added.")


async def end_session(page: PageRequest) -> Response:
    await page.site.services.accounts.end_session(page.ids["session_id"], page.user)
    return page.redirect("/admin/accounts", "That login has been ended.")


async def switch_account(page: PageRequest) -> Response:
    off = page.field("state") == "off"
    changed = await page.site.services.accounts.set_switched_off(
        page.ids["account_id"], off, page.user
    )
    state = "switched off; its logins have ended" if off else "switched back on"
    return page.redirect("/admin/accounts", f"Account {changed.username} is {state}.")


async def reset_password(page: PageRequest) -> Response:
    username = page.field("reset_username")
    try:
        await page.site.services.accounts.set_password(
            username, page.secret("new_password"), by=page.user.actor
        )
    except Invalid as exc:
        field = "new_password" if exc.field == "password" else "reset_username"
        return await _render_accounts(page, {field: exc.message}, {"reset_username": username}, 400)
    return page.redirect(
        "/admin/accounts", f"New password set for {username.lower()}; their logins have ended."
    )


async def audit_page(page: PageRequest) -> Response:
    subject, actor = page.query("subject")[:100], page.query("actor")[:100]
    entries = await page.site.services.audit.entries(subject=subject or None, actor=actor or None)
    return page.render("audit.html", AuditContext(entries=entries, subject=subject, actor=actor))


async def _render_accounts(
    page: PageRequest, errors: dict[str, str], values: dict[str, str], status: int = 200
) -> Response:
    services = page.site.services
    return page.render(
        "accounts.html",
        AccountsContext(
            accounts=await services.accounts.list_accounts(),
            sessions=await services.accounts.live_sessions(),
            catalysts=await services.catalysts.list_catalysts(),
            roles=ROLES,
            errors=errors,
            values=values,
        ),
        status=status,
    )


PAGES = (
    Page("/accounts", "accounts", accounts_page, needs=Ability.MANAGE_ACCOUNTS),
    Page("/accounts", "add_account", add_account, methods=("POST",), needs=Ability.MANAGE_ACCOUNTS),
    Page(
        "/sessions/{session_id}/end",
        "end_session",
        end_session,
        methods=("POST",),
        needs=Ability.MANAGE_ACCOUNTS,
    ),
    Page(
        "/accounts/{account_id}/switch",
        "switch_account",
        switch_account,
        methods=("POST",),
        needs=Ability.MANAGE_ACCOUNTS,
    ),
    Page(
        "/accounts/password",
        "reset_password",
        reset_password,
        methods=("POST",),
        needs=Ability.MANAGE_ACCOUNTS,
    ),
    Page("/audit", "audit", audit_page, needs=Ability.READ_AUDIT),
)
