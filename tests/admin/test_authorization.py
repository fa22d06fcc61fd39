"""The authorization matrix: every admin route, asked for as nobody, as a catalyst, as staff and
as an admin, with real ids in its path. Nobody is sent to the login page and changes nothing;
a role without the page's ability gets 403; a catalyst asking about another catalyst's resident
gets 404; everyone else gets the page. Routes are read from `ALL_PAGES`, so a new page is walked
as soon as it is registered."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from admin.web.framework import Page
from admin.web.pages import ALL_PAGES
from bot.services.access import ABILITIES
from tests.admin.conftest import ACCOUNTS, AdminWorld
from tests.admin.route_walk import (
    about_a_resident,
    changed_tables,
    database_state,
    routes,
    set_scene,
)

#: Who asks, in this order: an admin last, since some of what it may do (end Susie's login,
#: switch her account off) is done for real.
ROLES = ("abby", "sam", "ada")


@dataclass(frozen=True)
class Answer:
    who: str
    method: str
    path: str
    expected: str
    got: str
    ok: bool


def _table(answers: list[Answer]) -> str:
    wrong = [a for a in answers if not a.ok]
    width = max(len(a.path) for a in wrong)
    lines = [f"{'who':<8} {'method':<6} {'path':<{width}}  {'expected':<28} got"]
    lines += [
        f"{a.who:<8} {a.method:<6} {a.path:<{width}}  {a.expected:<28} {a.got}" for a in wrong
    ]
    return f"{len(wrong)} of {len(answers)} answers are wrong:\n" + "\n".join(lines)


def _got(response: httpx.Response) -> str:
    if response.is_redirect:
        return f"{response.status_code} to {response.headers['location']}"
    return str(response.status_code)


def _to_login(response: httpx.Response) -> bool:
    return response.status_code == 303 and response.headers["location"].startswith("/admin/login")


def _ask(admin: AdminWorld, method: str, path: str) -> httpx.Response:
    if method == "GET":
        return admin.get(path)
    return admin.post(path, {})


def _allowed(role: str, page: Page) -> bool:
    return page.needs is None or page.needs in ABILITIES[role]


def test_every_admin_route_answers_nobody_and_each_role_as_it_should(admin: AdminWorld) -> None:
    scene = set_scene(admin)
    database = admin.runtime.settings.database
    answers: list[Answer] = []

    admin.log_out()
    before = database_state(database)
    for method in ("GET", "POST"):
        for page in routes(method):
            path = scene.path(page)
            # A stranger's request carries no session, so no token either.
            response = admin.get(path) if method == "GET" else admin.post(path, {}, csrf=False)
            answers.append(
                Answer(
                    "nobody",
                    method,
                    path,
                    "303 to /admin/login",
                    _got(response),
                    _to_login(response),
                )
            )
    changed = changed_tables(before, database_state(database))
    answers.append(
        Answer(
            "nobody",
            "*",
            "(the database)",
            "unchanged",
            ", ".join(changed) or "unchanged",
            not changed,
        )
    )

    for username in ROLES:
        role = ACCOUNTS[username][1]
        for method in ("GET", "POST"):
            for page in routes(method):
                path = scene.path(page)
                admin.log_in(username)
                response = _ask(admin, method, path)
                got = _got(response)
                if not _allowed(role, page):
                    expected, ok = "403", response.status_code == 403
                elif method == "GET":
                    expected, ok = "200", response.status_code == 200
                elif page.name == "log_out":
                    expected, ok = "303 to /admin/login?out=1", got == "303 to /admin/login?out=1"
                else:
                    # An empty form: a page explains what is missing, or does what needs no
                    # input. 503 is a plain "not available here" (Telegram is off in tests).
                    expected = "done or explained"
                    ok = response.status_code not in (403, 404) and (
                        response.status_code < 500 or response.status_code == 503
                    )
                    ok = ok and not _to_login(response)
                answers.append(Answer(username, method, path, expected, got, ok))
                if role == "catalyst" and about_a_resident(page):
                    lucys = scene.path(page, about_lucy=True)
                    admin.log_in(username)
                    response = _ask(admin, method, lucys)
                    wanted = 404 if _allowed(role, page) else 403
                    answers.append(
                        Answer(
                            username,
                            method,
                            lucys + " (Lucy's)",
                            str(wanted),
                            _got(response),
                            response.status_code == wanted,
                        )
                    )

    assert all(a.ok for a in answers), _table(answers)


def test_only_the_login_form_is_served_without_a_login() -> None:
    public = {(page.path, page.methods) for page in ALL_PAGES if page.public}
    assert public == {("/login", ("GET",)), ("/login", ("POST",))}


def test_every_route_that_changes_something_says_which_ability_it_needs_or_is_for_everyone() -> (
    None
):
    # A POST open to every logged-in account is a decision: only logging out is.
    open_to_all = {page.name for page in routes("POST") if page.needs is None}
    assert open_to_all == {"log_out"}
