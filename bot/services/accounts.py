"""This module contains the admin's accounts and logins: add an account, log in and out, find
the session behind a cookie, and end sessions.

Passwords are hashed with argon2 (argon2-cffi) and rehashed at login when the cost settings
change. Logins are throttled per account and per address: after `ACCOUNT_TRIES` failures for
one username, or `ADDRESS_TRIES` from one address, within `TRY_WINDOW`, further tries are
refused until the window has passed, even with the right password. A session ends when it has
been idle for the configured time, after `MAX_AGE`, when its owner logs out, or when an admin
ends it.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.services.access import Viewer
from bot.services.errors import Busy, Conflict, Invalid, NotFound, ServiceError
from bot.services.unit import Tx, reading, writing
from flows.engine import Clock
from storage import accounts, audit, people, rows
from storage.accounts import ROLES, Account, StaffSession
from storage.database import Database

__all__ = ["ROLES", "Account", "Accounts", "LoggedIn", "LoginRefused", "StaffSession"]

ACCOUNT_TRIES = 5
ADDRESS_TRIES = 20
TRY_WINDOW = timedelta(minutes=15)
MAX_AGE = timedelta(hours=12)
#: How stale `last_seen_at` may be before a request writes it again.
SEEN_RESOLUTION = timedelta(minutes=1)
MIN_PASSWORD = 10
USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


class LoginRefused(ServiceError):
    """A login did not succeed; the message never says whether the username exists."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class LoggedIn:
    """A new session: `secret` goes in the cookie once and is kept only hashed."""

    viewer: Viewer
    session: StaffSession
    secret: str


@dataclass(frozen=True, slots=True)
class LiveSession:
    """A session still in use, with whose it is, for the accounts page."""

    session: StaffSession
    account: Account


def viewer_of(account: Account) -> Viewer:
    return Viewer(
        account.id, account.username, account.display_name, account.role, account.person_id
    )


class Accounts:
    def __init__(self, db: Database, clock: Clock, hasher: PasswordHasher, idle: timedelta) -> None:
        self.db = db
        self.clock = clock
        self.hasher = hasher
        self.idle = idle
        # Verifying against this when a username is unknown takes as long as a real check, so
        # the time a refusal takes does not tell which usernames exist.
        self._decoy = hasher.hash("not a password anyone has")

    async def add(
        self,
        username: str,
        display_name: str,
        role: str,
        password: str,
        *,
        person_id: int | None = None,
        by: str = "shell",
        tx: Tx | None = None,
    ) -> Account:
        username = username.strip().lower()
        display_name = display_name.strip()
        if not username or len(username) > 40 or not set(username) <= USERNAME_CHARS:
            raise Invalid(
                "username", "A username is 1 to 40 letters, digits, dots, dashes or underscores."
            )
        if not display_name or len(display_name) > 80:
            raise Invalid("display_name", "A name to show is 1 to 80 characters.")
        if role not in ROLES:
            raise Invalid("role", f"A role is one of {', '.join(ROLES)}, not '{role}'.")
        check_password(password, username)
        password_hash = self.hasher.hash(password)
        async with writing(self.db, tx) as work:
            if role == "catalyst":
                person = await people.get_person(work, person_id) if person_id else None
                if person is None or person.role != "catalyst":
                    raise Invalid("person_id", "A catalyst's account needs the catalyst it is for.")
            if await accounts.find_account(work, username) is not None:
                raise Conflict(f"There is already an account called '{username}'.")
            account = await accounts.add_account(
                work, username, display_name, role, password_hash, person_id
            )
            await audit.record(work, by, "added account", f"account:{account.id}", role=role)
        return account

    async def set_password(
        self, username: str, password: str, *, by: str = "shell", tx: Tx | None = None
    ) -> Account:
        """Give an account a new password; its sessions end, so old cookies stop working."""
        username = username.strip().lower()
        check_password(password, username)
        password_hash = self.hasher.hash(password)
        async with writing(self.db, tx) as work:
            account = await accounts.find_account(work, username)
            if account is None:
                raise Invalid("username", f"There is no account called '{username}'.")
            await accounts.set_password_hash(work, account.id, password_hash)
            await accounts.end_sessions_of(work, account.id, self._now_text(), by)
            await audit.record(work, by, "set password", f"account:{account.id}")
        return account

    async def set_switched_off(
        self, account_id: int, off: bool, by: Viewer, tx: Tx | None = None
    ) -> Account:
        """Switch an account off (its logins end at once, and it cannot log in) or back on.
        An admin cannot switch off their own account, so there is always one way back in."""
        if off and account_id == by.account_id:
            raise Conflict("You cannot switch off your own account.")
        async with writing(self.db, tx) as work:
            account = await accounts.get_account(work, account_id)
            if account is None:
                raise NotFound("account", account_id)
            now = self._now_text()
            await accounts.set_disabled(work, account_id, now if off else None)
            if off:
                await accounts.end_sessions_of(work, account_id, now, by.actor)
            action = "switched off account" if off else "switched on account"
            await audit.record(work, by.actor, action, f"account:{account_id}")
            changed = await accounts.get_account(work, account_id)
        assert changed is not None
        return changed

    async def find(self, username: str) -> Account | None:
        async with reading(self.db) as conn:
            return await accounts.find_account(conn, username.strip().lower())

    async def list_accounts(self) -> list[Account]:
        async with reading(self.db) as conn:
            return await accounts.list_accounts(conn)

    async def log_in(
        self, username: str, password: str, *, address: str, user_agent: str = ""
    ) -> LoggedIn:
        username = username.strip().lower()[:80]
        now = self.clock.now()
        wait = await self._throttled(username, address, now)
        if wait is not None:
            raise LoginRefused(
                "Too many tries. For your safety, logging in is paused for "
                f"{_minutes(wait)}. Ask an admin if you have forgotten your password.",
                retry_after=math.ceil(wait.total_seconds()),
            )
        async with reading(self.db) as conn:
            account = await accounts.find_account(conn, username)
        if not self._verify(account, password) or account is None:
            with contextlib.suppress(Busy):
                async with writing(self.db) as tx:
                    await accounts.record_failure(tx, username, address, rows.now_text(now))
            raise LoginRefused("That username and password do not match. Please try again.")
        if account.disabled_at is not None:
            raise LoginRefused("This account is switched off. Ask an admin to switch it back on.")
        async with writing(self.db) as tx:
            if self.hasher.check_needs_rehash(account.password_hash):
                await accounts.set_password_hash(tx, account.id, self.hasher.hash(password))
            await accounts.clear_failures(tx, username)
            session, secret = await accounts.start_session(
                tx, account.id, address, user_agent[:200]
            )
            viewer = viewer_of(account)
            await audit.record(tx, viewer.actor, "logged in", f"account:{account.id}")
        return LoggedIn(viewer, session, secret)

    async def session(self, secret: str) -> tuple[Viewer, StaffSession] | None:
        """The viewer and session behind a cookie, while it is live; notes that it was used."""
        if not secret or len(secret) > 100:
            return None
        now = self.clock.now()
        async with reading(self.db) as conn:
            found = await accounts.session_by_secret(conn, secret)
            account = await accounts.get_account(conn, found.account_id) if found else None
        if found is None or account is None or found.ended_at is not None:
            return None
        if account.disabled_at is not None:
            return None
        if self._expired(found, now):
            with contextlib.suppress(Busy):
                async with writing(self.db) as tx:
                    await accounts.end_session(tx, found.id, rows.now_text(now), "expired")
            return None
        if rows.now_text(now - SEEN_RESOLUTION) > found.last_seen_at:
            with contextlib.suppress(Busy):
                async with writing(self.db) as tx:
                    await accounts.touch_session(tx, found.id, rows.now_text(now))
        return viewer_of(account), found

    async def log_out(self, secret: str) -> None:
        async with writing(self.db) as tx:
            found = await accounts.session_by_secret(tx, secret)
            if found is not None:
                await accounts.end_session(tx, found.id, self._now_text(), "logged out")

    async def live_sessions(self) -> list[LiveSession]:
        now = self.clock.now()
        async with reading(self.db) as conn:
            found = await accounts.live_sessions(conn)
            owners = {a.id: a for a in await accounts.list_accounts(conn)}
        return [
            LiveSession(s, owners[s.account_id])
            for s in found
            if not self._expired(s, now) and s.account_id in owners
        ]

    async def end_session(self, session_id: int, by: Viewer, tx: Tx | None = None) -> None:
        async with writing(self.db, tx) as work:
            found = await accounts.get_session(work, session_id)
            if found is None:
                raise NotFound("session", session_id)
            await accounts.end_session(work, session_id, self._now_text(), by.actor)
            await audit.record(
                work, by.actor, "ended session", f"account:{found.account_id}", session=session_id
            )

    def _verify(self, account: Account | None, password: str) -> bool:
        try:
            return self.hasher.verify(account.password_hash if account else self._decoy, password)
        except (VerificationError, InvalidHashError):
            return False

    def _expired(self, session: StaffSession, now: datetime) -> bool:
        seen = datetime.fromisoformat(session.last_seen_at)
        started = datetime.fromisoformat(session.created_at)
        return now - seen > self.idle or now - started > MAX_AGE

    async def _throttled(self, username: str, address: str, now: datetime) -> timedelta | None:
        """How long this username or address must wait before trying again, or None."""
        since = rows.now_text(now - TRY_WINDOW)
        async with reading(self.db) as conn:
            by_name = await accounts.failures_since(conn, since, username=username)
            by_address = await accounts.failures_since(conn, since, address=address)
        waits = [
            datetime.fromisoformat(tries[-limit]) + TRY_WINDOW - now
            for tries, limit in ((by_name, ACCOUNT_TRIES), (by_address, ADDRESS_TRIES))
            if len(tries) >= limit
        ]
        return max(waits) if waits else None

    def _now_text(self) -> str:
        return rows.now_text(self.clock.now())


def check_password(password: str, username: str) -> None:
    """Refuse passwords that are easy to guess; length matters most (NCSC guidance)."""
    if len(password) < MIN_PASSWORD:
        raise Invalid("password", f"A password needs at least {MIN_PASSWORD} characters.")
    if len(password) > 200:
        raise Invalid("password", "A password can be at most 200 characters.")
    if username and username in password.lower():
        raise Invalid("password", "A password should not contain the username.")
    if len(set(password)) < 4:
        raise Invalid("password", "A password needs more than a few different characters.")


def _minutes(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
