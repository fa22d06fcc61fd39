"""Tests of API tokens: made with a role, checked, noted when used, listed and revoked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.runtime import Runtime
from bot.services.errors import Invalid, NotFound
from tests.bot.conftest import MovableClock


async def test_a_token_works_until_it_is_revoked(services: Runtime) -> None:
    tokens = services.services.tokens
    made = await tokens.create("laptop")
    assert made.token.role == "admin" and made.secret.startswith("cmp_")
    found = await tokens.authenticate(made.secret)
    assert found is not None and found.id == made.token.id
    revoked = await tokens.revoke(made.token.id)
    assert revoked.revoked_at is not None
    assert await tokens.authenticate(made.secret) is None
    again = await tokens.revoke(made.token.id)
    assert again.revoked_at == revoked.revoked_at


async def test_last_use_is_noted_to_the_minute(services: Runtime, clock: MovableClock) -> None:
    tokens = services.services.tokens
    made = await tokens.create("app", "client")
    await tokens.authenticate(made.secret)
    first = (await tokens.list_tokens())[0].last_used_at
    assert first is not None and first.startswith("2026-11-24T10:00")
    clock.advance(timedelta(seconds=30))
    await tokens.authenticate(made.secret)
    assert (await tokens.list_tokens())[0].last_used_at == first
    clock.advance(timedelta(minutes=2))
    await tokens.authenticate(made.secret)
    later = (await tokens.list_tokens())[0].last_used_at
    assert later is not None and later.startswith("2026-11-24T10:02")


async def test_a_token_is_listed_with_its_role_and_never_its_secret(services: Runtime) -> None:
    tokens = services.services.tokens
    made = await tokens.create("  app  ", "client")
    [listed] = await tokens.list_tokens()
    assert (listed.name, listed.role, listed.revoked_at) == ("app", "client", None)
    assert made.secret not in repr(listed)


async def test_bad_names_roles_and_ids_are_refused(services: Runtime) -> None:
    tokens = services.services.tokens
    for name, role, field in (
        ("", "admin", "name"),
        ("x" * 101, "admin", "name"),
        ("a", "root", "role"),
    ):
        with pytest.raises(Invalid) as refused:
            await tokens.create(name, role)
        assert refused.value.field == field
    assert await tokens.list_tokens() == []
    with pytest.raises(NotFound):
        await tokens.revoke(12)
