"""Fixtures for the admin's browser tests: the real app served by uvicorn on a free local port
with the demo programme and an account of each role, Debian's Chromium driven by Playwright,
a `log_in` helper and an `axe_check` helper that fails on serious or critical accessibility
problems.

The server runs in a thread of this process, on an event loop of its own, so that a test can
set the scene and check what changed through the same services the pages use (`server.call`).
The browser is launched once per test session and each test gets a fresh context (no cookies).
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import socket
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    sync_playwright,
)

from bot.app import create_app
from bot.demo import seed_demo
from bot.runtime import Runtime
from tests.admin.conftest import PASSWORD, add_accounts
from tests.bot.conftest import MovableClock, make_services

T = TypeVar("T")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _axe_script() -> Path:
    """axe-core's script as axe-playwright-python ships it (found, not imported: the package
    has no type information and only its file is needed)."""
    spec = importlib.util.find_spec("axe_playwright_python")
    assert spec is not None and spec.origin is not None, "axe-playwright-python is installed"
    return Path(spec.origin).parent / "axe.min.js"


AXE_SCRIPT = _axe_script()
#: The WCAG 2.2 AA rule sets (axe tags), and the impacts that fail a page.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_FAILING = {"serious", "critical"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives the admin in Debian's Chromium through Playwright"
    )


class Server:
    """The app served over real HTTP, with its services reachable from the test."""

    def __init__(self, runtime: Runtime, clock: MovableClock) -> None:
        self.runtime = runtime
        self.clock = clock
        self.ids: dict[str, int] = {}
        self._loop = asyncio.new_event_loop()
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(runtime, background=True), log_level="warning", access_log=False
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._serve, name="admin-server", daemon=True)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._server.serve(sockets=[self._socket]))

    def start(self) -> None:
        self._thread.start()
        # uvicorn sets `started` once the app's lifespan has opened the database.
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the admin server did not start")
            self._thread.join(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._loop.close()
        self._socket.close()

    def call(self, work: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine (a service call) on the server's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=30)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A fresh admin for each test: its own database, the demo programme, four accounts."""
    clock = MovableClock()
    running = Server(make_services(tmp_path, clock), clock)
    running.start()
    try:
        running.ids = running.call(seed_demo(running.runtime))
        running.call(add_accounts(running.runtime))
        yield running
    finally:
        running.stop()


def browser_environment() -> dict[str, str | float | bool]:
    """This process's environment without libfaketime: the browser runs on real time (its TLS,
    timers and caches misbehave on a shifted clock), while the server keeps the test's time."""
    return {
        name: value
        for name, value in os.environ.items()
        if name != "LD_PRELOAD" and not name.startswith("FAKETIME")
    }


# Package scope, not session: Playwright's sync API keeps an event loop running in this thread
# while it is open, and the rest of the suite calls asyncio.run. It ends with this folder.
@pytest.fixture(scope="package")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    launched = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=browser_environment()
    )
    yield launched
    launched.close()


@pytest.fixture
def context(browser: Browser, server: Server) -> Iterator[BrowserContext]:
    fresh = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 800})
    fresh.set_default_timeout(10_000)
    yield fresh
    fresh.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A tab in a fresh context; at the end, any Content-Security-Policy violation the pages
    caused (an inline style or script that the browser refused) fails the test."""
    tab = context.new_page()
    refused: dict[str, None] = {}  # what, on which page; once each, in order

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused[f"{tab.url}: {message.text.split('. ')[0]}"] = None

    tab.on("console", note)
    yield tab
    assert not refused, "the browser refused:\n" + "\n".join(refused)


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would, and wait for the page it leads to."""
    if "/admin/login" not in page.url:
        page.goto("/admin/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


@dataclass(frozen=True)
class AxeProblem:
    rule: str
    impact: str
    help: str
    targets: list[str]

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}): {self.help} at {', '.join(self.targets)}"


def axe_check(page: Page) -> None:
    """Run axe-core on the page as it is and fail on any serious or critical WCAG problem."""
    # Evaluated through the driver, not added as a <script>: the admin's Content-Security-Policy
    # rightly refuses inline scripts.
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: tags}).then(r => r.violations)", AXE_TAGS
    )
    problems = [
        AxeProblem(
            v["id"],
            v["impact"],
            v["help"],
            [" ".join(map(str, n["target"])) for n in v["nodes"]],
        )
        for v in found
        if v.get("impact") in AXE_FAILING
    ]
    assert not problems, f"axe finds on {page.url}:\n" + "\n".join(map(str, problems))
