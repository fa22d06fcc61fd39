"""Browser tests of what every admin user meets first: logging in, the home page, the accounts
page, moving around by keyboard, reading at 200% zoom, and axe-core's accessibility check."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.admin.browser.conftest import Server, axe_check, log_in

pytestmark = pytest.mark.browser


def test_a_wrong_password_is_explained_and_the_right_one_opens_the_home_page(page: Page) -> None:
    page.goto("/admin/")
    expect(page).to_have_url("/admin/login?next=%2Fadmin%2F")
    log_in(page, "abby", "not her password")
    expect(page.get_by_role("alert")).to_contain_text("That username and password do not match.")
    expect(page.get_by_label("Username")).to_have_value("abby")
    log_in(page, "abby")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Abby Clarke")
    expect(page.get_by_text("You look after 1 resident.")).to_be_visible()
    # A catalyst is not shown what she cannot open.
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Accounts")).to_have_count(0)
    expect(nav.get_by_role("link", name="Residents")).to_be_visible()


def test_logging_out_leaves_the_admin_closed(page: Page) -> None:
    log_in(page, "sam")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You have logged out.")).to_be_visible()
    page.goto("/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")


def test_an_admin_ends_abbys_login_and_abby_is_asked_to_log_in_again(
    page: Page, browser: Browser, server: Server
) -> None:
    abby = browser.new_context(base_url=server.url)
    try:
        abbys_page = abby.new_page()
        log_in(abbys_page, "abby")
        log_in(page, "ada")
        page.get_by_role("link", name="Accounts").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Accounts")
        page.get_by_role("button", name="End this login of abby").click()
        expect(page.get_by_role("status")).to_have_text("That login has been ended.")
        expect(page.get_by_role("button", name="End this login of abby")).to_have_count(0)
        abbys_page.reload()
        expect(abbys_page.get_by_role("heading", level=1)).to_have_text("Log in")
    finally:
        abby.close()


def test_the_first_tab_reaches_the_skip_link_and_it_moves_focus_to_the_main_content(
    page: Page,
) -> None:
    log_in(page, "sam")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # shown while it has the focus
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Alerts").last).to_be_focused()


def test_every_link_and_button_on_the_home_page_is_reached_by_tab(page: Page) -> None:
    log_in(page, "ada")
    # Each control is marked in the page, so that the focused one can be named after a Tab.
    count = page.evaluate(
        """() => {
            const all = document.querySelectorAll('a[href], button, input, select, textarea');
            all.forEach((el, n) => el.dataset.tabCheck = String(n));
            return all.length;
        }"""
    )
    reached: set[str] = set()
    for _ in range(count + 3):
        page.keyboard.press("Tab")
        mark = page.evaluate("() => document.activeElement.dataset.tabCheck ?? ''")
        if mark:
            reached.add(mark)
    names = page.evaluate(
        """() => [...document.querySelectorAll('[data-tab-check]')]
            .filter(el => el.type !== 'hidden')
            .map(el => [el.dataset.tabCheck, el.textContent.trim()])"""
    )
    missed = [name for mark, name in names if mark not in reached]
    assert not missed, f"Tab never reaches: {missed}"


#: The pages people use most, to read at 200% zoom.
MAIN_PAGES = (
    "/admin/",
    "/admin/residents",
    "/admin/alerts",
    "/admin/flows",
    "/admin/flows/weekly_checkin",
    "/admin/figures",
    "/admin/webchat",
    "/admin/accounts",
    "/admin/audit",
)


def test_the_main_pages_read_at_200_percent_zoom_without_scrolling_sideways(page: Page) -> None:
    # 200% zoom on a 1280x800 laptop screen leaves 640x400 CSS pixels.
    page.set_viewport_size({"width": 640, "height": 400})
    page.goto("/admin/login")
    wide = [f"/admin/login: {_overflow(page)}"] if _overflow(page) else []
    log_in(page, "ada")
    for path in MAIN_PAGES:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if _overflow(page):
            wide.append(f"{path}: {_overflow(page)}")
    assert not wide, "these pages scroll sideways at 200% zoom:\n" + "\n".join(wide)


def _overflow(page: Page) -> str:
    """How far the page is wider than the window, in words; empty when it fits."""
    width, window = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    return f"{width}px wide in a {window}px window" if width > window else ""


def test_axe_finds_no_serious_problem_on_login_home_accounts_and_audit(page: Page) -> None:
    page.goto("/admin/login")
    axe_check(page)
    log_in(page, "abby", "wrong password here")
    axe_check(page)  # the login form with its error
    log_in(page, "ada")
    for path in ("/admin/", "/admin/accounts", "/admin/audit"):
        page.goto(path)
        axe_check(page)


def test_axe_finds_no_serious_problem_on_figures_web_chat_and_adding_a_resident(
    page: Page,
) -> None:
    log_in(page, "sam")
    for path in ("/admin/figures", "/admin/webchat", "/admin/residents/new"):
        page.goto(path)
        axe_check(page)
