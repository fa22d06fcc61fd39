"""This module contains fake Twilio and Telegram servers on loopback for the real SDKs to call."""

from __future__ import annotations

from aiohttp import web


async def serve_on_loopback(app: web.Application) -> tuple[web.AppRunner, int]:
    """Start `app` on a free loopback port; return its runner (to clean up) and the port."""
    # handler_cancellation stops a delayed answer once the client has given up on it, and the
    # short shutdown_timeout keeps a test's teardown from waiting on such an answer.
    runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=0.5)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, runner.addresses[0][1]
