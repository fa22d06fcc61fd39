"""Tests of logging in to the admin: sessions, their cookie, idling out, throttling, ending a
login, and the CSRF checks on the login form and every POST."""

from __future__ import annotations

import html
from datetime import timedelta
from pathlib import Path

from starlette.testclient import TestClient

from bot.app import create_app
from bot.demo import seed_demo
from bot.runtime import Runtime
from bot.settings import Settings
from tests.admin.conftest import ORIGIN, PASSWORD, AdminWorld, add_accounts
from tests.bot.conftest import MovableClock


def test_abby_logs_in_and_sees_her_home_page_with_her_name(admin: AdminWorld) -> None:
    answer = admin.log_in("abby")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/admin/"
    cookie = answer.headers["set-cookie"]
    assert "companion_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie  # served over plain http here
    home = admin.get("/admin/")
    assert home.status_code == 200
    assert "Hello, Abby Clarke" in home.text
    assert "You look after 1 resident." in home.text


def test_a_wrong_password_is_refused_without_saying_whether_the_name_exists(
    admin: AdminWorld,
) -> None:
    wrong = admin.log_in("abby", "not her password")
    nobody = admin.log_in("nobody", "not her password")
    for answer in (wrong, nobody):
        assert answer.status_code == 401
        assert "That username and password do not match." in answer.text
        assert "companion_session" not in answer.headers.get("set-cookie", "")
    assert admin.get("/admin/").status_code == 303


def test_a_page_asked_for_before_logging_in_is_shown_after_it(admin: AdminWorld) -> None:
    admin.log_out()
    asked = admin.get("/admin/audit?actor=x")
    assert asked.status_code == 303
    assert asked.headers["location"] == "/admin/login?next=%2Fadmin%2Faudit%3Factor%3Dx"
    form = admin.client.get(asked.headers["location"])
    assert 'name="next" value="/admin/audit?actor=x"' in form.text


def test_after_logging_in_it_never_sends_anyone_to_another_site(admin: AdminWorld) -> None:
    for target in ("https://evil.example/", "//evil.example/admin", "/admin\\@evil", "/api/v1"):
        admin.client.cookies.clear()
        form = admin.client.get("/admin/login")
        token = form.text.split('name="login_token" value="')[1].split('"')[0]
        answer = admin.client.post(
            "/admin/login",
            data={"username": "abby", "password": PASSWORD, "login_token": token, "next": target},
            headers={"Origin": ORIGIN},
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/admin/", target


def test_a_login_forced_by_another_site_is_refused(admin: AdminWorld) -> None:
    admin.client.cookies.clear()
    admin.client.get("/admin/login")
    no_token = admin.client.post(
        "/admin/login",
        data={"username": "abby", "password": PASSWORD},
        headers={"Origin": ORIGIN},
    )
    assert no_token.status_code == 403
    form = admin.client.get("/admin/login")
    token = form.text.split('name="login_token" value="')[1].split('"')[0]
    foreign = admin.client.post(
        "/admin/login",
        data={"username": "abby", "password": PASSWORD, "login_token": token},
        headers={"Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    assert admin.get("/admin/").status_code == 303


def test_five_wrong_passwords_pause_that_account_even_for_the_right_one(
    admin: AdminWorld,
) -> None:
    for _ in range(5):
        assert admin.log_in("abby", "guess guess guess").status_code == 401
    paused = admin.log_in("abby")
    assert paused.status_code == 429
    assert "Too many tries" in paused.text
    assert 0 < int(paused.headers["retry-after"]) <= 15 * 60
    assert admin.log_in("susie").status_code == 303  # another account is not paused
    admin.clock.advance(timedelta(minutes=16))
    assert admin.log_in("abby").status_code == 303


def test_many_failures_from_one_address_pause_logins_from_it(admin: AdminWorld) -> None:
    for n in range(20):
        assert admin.log_in(f"someone{n}", "guess guess guess").status_code == 401
    assert admin.log_in("sam").status_code == 429


def test_a_login_left_idle_ends_but_one_in_use_stays(admin: AdminWorld) -> None:
    admin.log_in("abby")
    for _ in range(4):
        admin.clock.advance(timedelta(minutes=20))
        assert admin.get("/admin/").status_code == 200
    admin.clock.advance(timedelta(minutes=31))
    idle = admin.get("/admin/")
    assert idle.status_code == 303
    assert idle.headers["location"].startswith("/admin/login")


def test_a_login_ends_after_twelve_hours_however_busy(admin: AdminWorld) -> None:
    admin.log_in("abby")
    for _ in range(12 * 4 + 1):
        admin.clock.advance(timedelta(minutes=15))
        admin.get("/admin/")
    assert admin.get("/admin/").status_code == 303


def test_logging_out_ends_the_session_on_the_server_too(admin: AdminWorld) -> None:
    admin.log_in("abby")
    secret = admin.client.cookies["companion_session"]
    assert admin.post("/admin/logout").status_code == 303
    admin.client.cookies.set("companion_session", secret)
    assert admin.get("/admin/").status_code == 303


def test_an_admin_ends_abbys_login_and_her_next_click_asks_for_the_password(
    admin: AdminWorld,
) -> None:
    admin.log_in("abby")
    abby = admin.client.cookies["companion_session"]
    admin.log_in("ada")
    accounts = admin.get("/admin/accounts")
    assert "Abby Clarke (abby)" in accounts.text
    sessions = admin.call(admin.runtime.services.accounts.live_sessions)
    (abbys,) = [s for s in sessions if s.account.username == "abby"]
    ended = admin.post(f"/admin/sessions/{abbys.session.id}/end")
    assert ended.status_code == 303
    assert "That login has been ended." in admin.get("/admin/accounts").text
    admin.client.cookies.clear()
    admin.client.cookies.set("companion_session", abby)
    assert admin.get("/admin/").status_code == 303
    entries = admin.call(admin.runtime.services.audit.entries, actor="admin:ada")
    assert any(e.action == "ended session" for e in entries)


def test_a_post_without_the_token_or_from_another_site_changes_nothing(
    admin: AdminWorld,
) -> None:
    admin.log_in("ada")
    form = {
        "username": "newbie",
        "display_name": "New Person",
        "role": "staff",
        "password": "a long enough password",
    }
    missing = admin.post("/admin/accounts", form, csrf=False)
    wrong = admin.post("/admin/accounts", {**form, "csrf_token": "not-the-token"})
    foreign = admin.post("/admin/accounts", form, headers={"Origin": "https://evil.example"})
    for answer in (missing, wrong, foreign):
        assert answer.status_code == 403
        assert "did not come from this site" in answer.text
    assert admin.call(admin.runtime.services.accounts.find, "newbie") is None
    made = admin.post("/admin/accounts", form)
    assert made.status_code == 303
    assert admin.call(admin.runtime.services.accounts.find, "newbie") is not None


def test_an_admin_adds_an_account_and_a_bad_one_is_explained(admin: AdminWorld) -> None:
    admin.log_in("ada")
    short = admin.post(
        "/admin/accounts",
        {"username": "lisa", "display_name": "Lisa", "role": "catalyst", "password": "short"},
    )
    assert short.status_code == 400
    assert "A password needs at least 10 characters." in short.text
    assert 'value="lisa"' in short.text  # what was typed is kept
    no_catalyst = admin.post(
        "/admin/accounts",
        {
            "username": "lisa",
            "display_name": "Lisa",
            "role": "catalyst",
            "password": "a long enough password",
        },
    )
    assert "A catalyst's account needs the catalyst it is for." in html.unescape(no_catalyst.text)
    taken = admin.post(
        "/admin/accounts",
        {
            "username": "ABBY",
            "display_name": "Abby",
            "role": "staff",
            "password": "a long enough password",
        },
    )
    assert taken.status_code == 409
    assert "There is already an account called 'abby'." in html.unescape(taken.text)


def test_a_catalyst_cannot_open_the_admins_pages(admin: AdminWorld) -> None:
    admin.log_in("abby")
    for path in ("/admin/accounts", "/admin/audit"):
        answer = admin.get(path)
        assert answer.status_code == 403
        assert "Your account cannot" in answer.text
    assert admin.post("/admin/sessions/1/end").status_code == 403


def test_the_audit_log_shows_who_logged_in(admin: AdminWorld) -> None:
    admin.log_in("abby")
    admin.log_in("ada")
    log = admin.get("/admin/audit?actor=catalyst:abby")
    assert log.status_code == 200
    assert "logged in" in log.text
    assert "admin:ada" not in log.text.split("<tbody>")[1]


def test_an_unknown_admin_address_is_a_page_not_json(admin: AdminWorld) -> None:
    admin.log_in("abby")
    answer = admin.get("/admin/no-such-page")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert "There is nothing at this address." in answer.text


def test_every_page_is_sent_with_headers_that_keep_it_private(admin: AdminWorld) -> None:
    for answer in (admin.get("/admin/login"), admin.get("/admin/no-such-page")):
        assert answer.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"


def test_behind_https_the_session_cookie_is_secure(tmp_path: Path) -> None:
    settings = Settings.load(
        environ={
            "COMPANION_DATABASE": str(tmp_path / "companion.db"),
            "COMPANION_PUBLIC_URL": "https://companion.example.org",
        },
        env_file=None,
    )
    runtime = Runtime.build(settings, clock=MovableClock())
    https = "https://companion.example.org"
    with TestClient(create_app(runtime, background=False), base_url=https) as client:
        assert client.portal is not None
        client.portal.call(seed_demo, runtime)
        client.portal.call(add_accounts, runtime)
        world = AdminWorld(client, runtime, {}, MovableClock(), origin=https)
        answer = world.log_in("sam")
        assert answer.status_code == 303
        assert "Secure" in answer.headers["set-cookie"]


def test_an_admin_switches_an_account_off_and_on_again(admin: AdminWorld) -> None:
    admin.log_in("abby")
    abby = admin.client.cookies["companion_session"]
    admin.log_in("ada")
    found = admin.call(admin.runtime.services.accounts.find, "abby")
    assert admin.post(f"/admin/accounts/{found.id}/switch", {"state": "off"}).status_code == 303
    assert "Account abby is switched off" in admin.get("/admin/accounts").text
    ada = admin.client.cookies["companion_session"]
    admin.client.cookies.clear()
    admin.client.cookies.set("companion_session", abby)
    assert admin.get("/admin/").status_code == 303  # her login ended
    refused = admin.log_in("abby")
    assert refused.status_code == 401
    assert "This account is switched off." in refused.text
    admin.client.cookies.clear()
    admin.client.cookies.set("companion_session", ada)
    admin.post(f"/admin/accounts/{found.id}/switch", {"state": "on"})
    assert admin.log_in("abby").status_code == 303


def test_an_admin_cannot_switch_off_their_own_account(admin: AdminWorld) -> None:
    admin.log_in("ada")
    me = admin.call(admin.runtime.services.accounts.find, "ada")
    answer = admin.post(f"/admin/accounts/{me.id}/switch", {"state": "off"})
    assert answer.status_code == 409
    assert "You cannot switch off your own account." in answer.text
    assert admin.get("/admin/").status_code == 200


def test_an_admin_sets_a_new_password_for_someone_who_forgot(admin: AdminWorld) -> None:
    admin.log_in("ada")
    weak = admin.post(
        "/admin/accounts/password", {"reset_username": "abby", "new_password": "short"}
    )
    assert weak.status_code == 400
    assert "A password needs at least 10 characters." in weak.text
    done = admin.post(
        "/admin/accounts/password",
        {"reset_username": "abby", "new_password": "a brand new password"},
    )
    assert done.status_code == 303
    assert admin.log_in("abby").status_code == 401
    assert admin.log_in("abby", "a brand new password").status_code == 303
