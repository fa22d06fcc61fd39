"""This module contains what the short CLI commands share: run a use case against the
configured database, turning a service's error into a plain message and exit status 1."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from bot.data_key import KEY_PROBLEMS, explain
from bot.runtime import Runtime
from bot.services.bundle import Services
from bot.services.errors import ServiceError
from bot.settings import Settings, SettingsError

T = TypeVar("T")


def with_services(use: Callable[[Services], Awaitable[T]]) -> T:
    """Run `use` with the services on the configured database, then close it."""
    try:
        settings = Settings.load()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None

    async def run() -> T:
        try:
            runtime = Runtime.build(settings)
            await runtime.db.open()
        except KEY_PROBLEMS as exc:
            raise click.ClickException(explain(settings, exc)) from None
        try:
            return await use(runtime.services)
        except ServiceError as exc:
            raise click.ClickException(exc.message) from None
        finally:
            await runtime.db.close()

    return asyncio.run(run())
