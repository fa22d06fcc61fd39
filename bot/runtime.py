"""This module contains `Runtime`: the running parts of Companion, built and started together.

It is the composition root's toolbox: the web app, the CLI and the tests build one `Runtime`
and hand its parts to whoever needs them (the admin and API get it through `create_app`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.channels.base import Channel
from bot.channels.intake import Intake
from bot.channels.telegram import WEBHOOK_PATH, TelegramChannel, TelegramUpdates, build_bot
from bot.channels.twilio import TwilioSms
from bot.channels.webchat import WebChat
from bot.clock import SystemClock
from bot.conversations import Conversations
from bot.data_key import key_ring
from bot.dispatcher import Dispatcher
from bot.flow_library import StoredFlows
from bot.pipeline import Pipeline
from bot.programme import Programme
from bot.rate_limit import RateLimiter
from bot.resume import PauseEnds
from bot.services.bundle import Services
from bot.settings import Settings
from bot.sweeps import Sweeps, start_ahead
from flows.engine import Clock
from storage import outbox, rows
from storage.database import Database
from storage.spool import Spool

log = logging.getLogger(__name__)

#: How often the scheduler's sweeps run, in seconds.
SWEEP_SECONDS = 10
#: How soon after a start the retention job first runs.
RETENTION_AFTER_START = timedelta(minutes=5)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    flows: StoredFlows
    conversations: Conversations
    pipeline: Pipeline
    dispatcher: Dispatcher
    sweeps: Sweeps
    clock: Clock
    channels: dict[str, Channel]
    #: Hands inbound messages to the pipeline, keeping them in a spool while the database is
    #: held by another process.
    intake: Intake
    #: Takes Telegram updates in (webhook or polling) when Telegram is on.
    telegram_updates: TelegramUpdates | None = None
    scheduler: AsyncIOScheduler | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    started: bool = False
    #: The use-case services, built once from the parts above and shared by every caller.
    services: Services = field(init=False)

    def __post_init__(self) -> None:
        self.services = Services.build(
            db=self.db,
            clock=self.clock,
            flows=self.flows,
            conversations=self.conversations,
            pipeline=self.pipeline,
            dispatcher=self.dispatcher,
            telegram=self.telegram_updates,
            telegram_status=lambda: self.settings.channel_status()["telegram"],
            programme=self.programme,
            session_idle=timedelta(minutes=self.settings.session_idle_minutes),
            pass_on_minutes=self.settings.pass_on_minutes,
            retention_months=self.settings.retention_months,
            languages=self.settings.languages,
        )

    @property
    def programme(self) -> Programme:
        """The programme's name and what new residents start with, from the settings."""
        return self.conversations.programme

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        clock: Clock | None = None,
        channels: dict[str, Channel] | None = None,
    ) -> Runtime:
        clock = clock or SystemClock()
        rows.use_clock(clock.now)
        keys = key_ring(settings)
        db = Database(settings.database, keys)
        flows = StoredFlows(db)
        conversations = Conversations(flows, clock, Programme.from_settings(settings))
        chosen: dict[str, Channel] = {"webchat": WebChat(), **provider_channels(settings)}
        chosen.update(channels or {})
        per_second = {"sms": settings.sms_per_second, "telegram": settings.telegram_per_second}
        limiters = {channel: RateLimiter(rate) for channel, rate in per_second.items()}
        dispatcher = Dispatcher(db, chosen, limiters, clock)
        pipeline = Pipeline(db, conversations, dispatcher.wake)
        sweeps = Sweeps(
            db,
            conversations,
            clock,
            timedelta(minutes=settings.pass_on_minutes),
            paced=start_ahead(per_second),
        )
        spool = Spool(db.path.with_name(db.path.name + ".spool"), keys)
        intake = Intake(pipeline.handle, spool)
        telegram = chosen.get("telegram")
        updates = (
            TelegramUpdates(
                telegram.bot,
                intake.handle_now,
                webhook_url=settings.public_url + WEBHOOK_PATH if settings.public_url else None,
                secret_token=settings.telegram_secret_token,
            )
            if isinstance(telegram, TelegramChannel)
            else None
        )
        return cls(
            settings,
            db,
            flows,
            conversations,
            pipeline,
            dispatcher,
            sweeps,
            clock,
            chosen,
            intake,
            updates,
        )

    async def open(self) -> None:
        """The database and flows, without background work (for the CLI and tests)."""
        await self.db.open()
        await self.flows.load()
        await self.flows.publish_builtin()

    async def start(self, *, background: bool = True) -> None:
        """Open everything; with `background`, run the scheduler and the dispatcher too."""
        if self.started:
            return
        await self.open()
        async with self.db.read() as conn:
            waiting = await outbox.pending_count(conn)
        if waiting:
            log.info("messages waiting in the outbox will be sent", extra={"n": waiting})
        if background:
            self.scheduler = AsyncIOScheduler(timezone="UTC")
            for job, name in self.sweep_jobs():
                self.scheduler.add_job(
                    job, "interval", seconds=SWEEP_SECONDS, id=name, max_instances=1, coalesce=True
                )
            # Old message texts go daily in the small hours, and once soon after a start, so a
            # service restarted every night still runs it.
            retention = self.services.retention.run_job
            self.scheduler.add_job(retention, "cron", hour=3, minute=30, id="retention")
            self.scheduler.add_job(
                retention, "date", run_date=datetime.now(UTC) + RETENTION_AFTER_START
            )
            self.scheduler.start()
            for channel in self.channels.values():
                await channel.open()
            self._tasks.append(asyncio.create_task(self.dispatcher.run_forever()))
            if self.telegram_updates is not None:
                self.telegram_updates.start()
            # Messages kept while the database was held, before a stop or crash, go in first.
            self.intake.start()
        self.started = True

    def sweep_jobs(self) -> tuple[tuple[Callable[[], Awaitable[int]], str], ...]:
        """The sweeps the scheduler runs every `SWEEP_SECONDS`, with their job names; tests
        run them the same way as they move their clock."""
        return (
            (self.sweeps.start_due_checkins, "checkins"),
            (self.sweeps.wake_sessions, "wakeups"),
            (self.sweeps.climb_ladders, "ladders"),
            (self.sweeps.pass_on_unacknowledged, "pass_on"),
            (PauseEnds(self.db, self.conversations, self.clock).resume_ended_pauses, "pauses"),
        )

    async def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        await self.intake.stop()
        if self.telegram_updates is not None:
            await self.telegram_updates.stop()
        for channel in self.channels.values():
            await channel.close()
        await self.db.close()
        self.started = False

    def health(self) -> dict[str, object]:
        channels = self.settings.channel_status()
        if self.telegram_updates is not None:
            channels["telegram"] = self.telegram_updates.state
        return {
            "database": "ok" if self.started else "closed",
            "scheduler": "running" if self.scheduler and self.scheduler.running else "stopped",
            "channels": channels,
        }


def provider_channels(settings: Settings) -> dict[str, Channel]:
    """The SMS and Telegram channels whose credentials are set."""
    found: dict[str, Channel] = {}
    if settings.twilio_enabled:
        found["sms"] = TwilioSms(settings)
    if settings.telegram_enabled:
        found["telegram"] = TelegramChannel(build_bot(settings))
    return found
