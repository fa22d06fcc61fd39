"""This module contains the commands that run and look after the service: run, migrate,
backup and chat (tokens are in bot.cli_tokens)."""

from __future__ import annotations

import asyncio
import errno
import socket
import uuid
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import click
import uvicorn

from bot import logs
from bot.app import create_app
from bot.conversations import Route
from bot.data_key import KEY_PROBLEMS, check_opens, explain, key_ring
from bot.demo import DemoLogin, demo_logins, demo_token, seed_demo, seed_demo_history
from bot.inbound import InboundMessage
from bot.runtime import Runtime
from bot.settings import Settings, SettingsError
from storage import messages, people
from storage.database import Database


def load_settings() -> Settings:
    try:
        return Settings.load()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("run")
@click.option("--demo", is_flag=True, help="Seed the demo programme first (once).")
@click.option("--host", default=None, help="Listen address (default COMPANION_HOST).")
@click.option(
    "--port", default=None, type=click.IntRange(1, 65535), help="Port (default COMPANION_PORT)."
)
def run_command(demo: bool, host: str | None, port: int | None) -> None:
    """Serve webhooks, the JSON API and web chat on one port."""
    settings = load_settings()
    host = host or settings.host
    port = port or settings.port
    # The port first: a second copy started by mistake must stop before it touches the database
    # (migrating it, seeding the demo) that the first copy is using.
    listener = _listen(host, port)
    logs.configure(settings.log_level)
    settings.warn_about_defaults()
    # A wrong data key stops here with a plain message, not a traceback from the app's start.
    run_checked(check_opens(settings), settings)
    services = Runtime.build(settings)
    if demo:
        ids, token, logins = asyncio.run(_seed(settings))
        base = f"http://{host}:{port}"
        click.echo(
            f"Demo programme ready. Residents: {', '.join(f'{n} ({i})' for n, i in ids.items())}."
        )
        click.echo(f"API token for this demo (shown once): {token}")
        click.echo(
            f"Talk as Pat:  curl -s -H 'Authorization: Bearer {token}' -H 'Content-Type: "
            f'application/json\' -d \'{{"text": "hello"}}\' '
            f"{base}/api/v1/webchat/{ids['Pat']}/messages"
        )
        click.echo("Or in another terminal: ./.ci/companion chat Pat  (then /checkin)")
        click.echo(f"The admin: {base}/admin/  Logins for this run (new passwords each run):")
        for login in logins:
            click.echo(f"  {login.role:<9} {login.username:<6} password {login.password}")
    app = create_app(services)
    config = uvicorn.Config(
        app, host=host, port=port, log_level=settings.log_level, access_log=False
    )
    server = uvicorn.Server(config)
    server.run(sockets=[listener])
    if not server.started:
        raise SystemExit(3)  # what uvicorn.run exits with when the app fails to start


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port for uvicorn to serve on, or a ClickException saying why not."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise click.ClickException(f"cannot listen on {host}: {exc.strerror}") from None
    listener = socket.socket(family, kind, proto)
    # As uvicorn does: a restart may reuse the port while the old connections wind down.
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(address)
    except OSError as exc:
        listener.close()
        if exc.errno == errno.EADDRINUSE:
            raise click.ClickException(
                f"port {port} on {host} is in use: is Companion already running? "
                "Use --port (or COMPANION_PORT) to choose another."
            ) from None
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return listener


async def _seed(settings: Settings) -> tuple[dict[str, int], str, list[DemoLogin]]:
    services = Runtime.build(settings)
    await services.open()
    try:
        ids = await seed_demo(services)
        await seed_demo_history(services)
        return ids, await demo_token(services), await demo_logins(services)
    finally:
        await services.stop()


@click.command("migrate")
def migrate_command() -> None:
    """Bring the database up to date (also done at every start)."""
    settings = load_settings()

    run_checked(check_opens(settings), settings)
    click.echo(f"{settings.database} is up to date.")


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def backup_command(path: Path, force: bool) -> None:
    """Copy the database to PATH, consistently, even while the service runs; the copy is
    readable by its owner only."""
    settings = load_settings()
    if path.resolve() == settings.database.resolve():
        raise click.ClickException("The backup must go to another file than the database.")

    async def backup() -> None:
        async with Database(settings.database, key_ring(settings)) as db:
            await db.backup(path, overwrite=force)

    try:
        run_checked(backup(), settings)
    except FileExistsError:
        raise click.ClickException(
            f"{path} already exists; choose another file, or add --force to overwrite it."
        ) from None
    click.echo(f"Backed up {settings.database} to {path}.")


def run_checked(work: Coroutine[Any, Any, None], settings: Settings) -> None:
    """Run `work`, saying plainly when the data key does not open the database."""
    try:
        asyncio.run(work)
    except KEY_PROBLEMS as exc:
        raise click.ClickException(explain(settings, exc)) from None


@click.command("chat")
@click.argument("resident")
def chat_command(resident: str) -> None:
    """Be a resident (by id or preferred name) and talk to the bot in the terminal."""
    settings = load_settings()
    run_checked(_chat(settings, resident), settings)


async def _chat(settings: Settings, who: str) -> None:
    services = Runtime.build(settings)
    await services.start(background=False)
    try:
        async with services.db.read() as conn:
            found = [
                r
                for r in await people.list_residents(conn)
                if str(r.id) == who or r.preferred_name.lower() == who.lower()
            ]
        if not found:
            raise click.ClickException(f"There is no resident '{who}' (try: companion run --demo).")
        resident = found[0]
        click.echo(
            f"You are {resident.preferred_name}. Type a message; /checkin starts a check-in "
            "now; Ctrl-D stops."
        )
        while True:
            try:
                text = await asyncio.to_thread(input, f"{resident.preferred_name}> ")
            except EOFError:
                return
            if not text.strip():
                continue
            if text.strip() == "/checkin":
                async with services.db.write() as tx:
                    route = Route("webchat", str(resident.id))
                    sent = await services.conversations.start(tx, resident, "weekly_checkin", route)
            else:
                handled = await services.pipeline.handle(
                    InboundMessage("webchat", str(resident.id), text, uuid.uuid4().hex)
                )
                sent = list(handled.replies)
            await services.dispatcher.run_once()
            async with services.db.read() as conn:
                for message_id in sent:
                    message = await messages.get_message(conn, message_id)
                    if message is not None:
                        click.secho(f"bot> {message.body}", fg="cyan")
    finally:
        await services.stop()
