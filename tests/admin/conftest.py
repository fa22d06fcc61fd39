"""Fixtures for the admin's page tests: the app in-process on a real SQLite file with the demo
programme, and an account of each role to log in as."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from starlette.testclient import TestClient

from bot.app import create_app
from bot.demo import seed_demo
from bot.runtime import Runtime
from tests.bot.conftest import MovableClock, make_services

PASSWORD = "correct horse battery"
ORIGIN = "http://testserver"

#: username -> (name shown, role, the catalyst it is for)
ACCOUNTS = {
    "ada": ("Ada Admin", "admin", None),
    "sam": ("Sam Staff", "staff", None),
    "abby": ("Abby Clarke", "catalyst", "Abby"),
    "susie": ("Susie Khan", "catalyst", "Susie"),
}

#: A quick hasher for tests: the service's own costs are argon2-cffi's defaults.
QUICK_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


class AdminWorld:
    """The admin, the demo programme, and one browser-like client whose login can change."""

    def __init__(
        self,
        client: TestClient,
        runtime: Runtime,
        ids: dict[str, int],
        clock: MovableClock,
        origin: str = ORIGIN,
    ) -> None:
        self.origin = origin
        self.client = client
        self.runtime = runtime
        self.ids = ids
        self.clock = clock

    def call(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        """Run an async function on the app's own event loop (services, storage)."""
        assert self.client.portal is not None
        return self.client.portal.call(lambda: function(*args, **kwargs))

    def log_in(self, username: str, password: str = PASSWORD) -> httpx.Response:
        self.client.cookies.clear()
        form = self.client.get("/admin/login")
        token = _value(form.text, "login_token")
        response: httpx.Response = self.client.post(
            "/admin/login",
            data={"username": username, "password": password, "login_token": token},
            headers={"Origin": self.origin},
            follow_redirects=False,
        )
        return response

    def log_out(self) -> None:
        self.client.cookies.clear()

    def csrf(self) -> str:
        page = self.client.get("/admin/")
        found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
        assert found, "a logged-in page carries the session's CSRF token"
        return found.group(1)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        response: httpx.Response = self.client.get(path, follow_redirects=False, **kwargs)
        return response

    def post(
        self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True, **kwargs: Any
    ) -> httpx.Response:
        """POST a form as our own page would: with the session's CSRF token and our Origin."""
        body = dict(data or {})
        if csrf:
            body.setdefault("csrf_token", self.csrf())
        headers = {"Origin": self.origin, **kwargs.pop("headers", {})}
        response: httpx.Response = self.client.post(
            path, data=body, headers=headers, follow_redirects=False, **kwargs
        )
        return response


def _value(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"the page has a {name} field"
    return found.group(1)


async def add_accounts(runtime: Runtime) -> None:
    services = runtime.services
    services.accounts.hasher = QUICK_HASHER
    catalysts = {c.first_name: c.id for c in await services.catalysts.list_catalysts()}
    for username, (name, role, catalyst) in ACCOUNTS.items():
        await services.accounts.add(
            username,
            name,
            role,
            PASSWORD,
            person_id=catalysts[catalyst] if catalyst else None,
            by="test",
        )


@pytest.fixture
def admin(tmp_path: Path) -> Iterator[AdminWorld]:
    clock = MovableClock()
    runtime = make_services(tmp_path, clock)
    with TestClient(create_app(runtime, background=False), base_url=ORIGIN) as client:
        assert client.portal is not None
        ids = client.portal.call(seed_demo, runtime)
        client.portal.call(add_accounts, runtime)
        yield AdminWorld(client, runtime, ids, clock)
