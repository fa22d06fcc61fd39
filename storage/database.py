"""This module contains `Database`: the SQLite file, its one writer and its readers.

All writes go through one long-lived connection, one transaction at a time (`BEGIN IMMEDIATE`
under a lock), so a write never waits on SQLite's busy handler and a unit of work is whole.
Reads use their own connection and, in WAL mode, never wait for the writer.

Personal data is sealed with the database's key ring (storage/sealing.py), which is in force
inside `read()` and `write()`. The first open seals what an older version wrote plain and
leaves a sealed known value behind, so that a later open with another key stops at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import aiosqlite

from storage import resealing, sealing
from storage.migrations import apply_migrations

log = logging.getLogger(__name__)

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",  # durable across a process crash; WAL keeps it consistent
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    # What is deleted or overwritten (a plain value once sealed, an erased message) is zeroed
    # in the file, not left in free space for a copy of the file to reveal.
    "PRAGMA secure_delete = ON",
)

#: The known value sealed at the first open (table sealing_check), to tell a wrong key.
KEY_CHECK = "companion data key check"


class DataKeyError(sealing.SealingError):
    """The data key (COMPANION_DATA_KEY) is not the one this database was sealed with."""


class DatabaseClosedError(RuntimeError):
    """The database was used after `close()`."""


class DatabaseBusyError(RuntimeError):
    """The write lock could not be had in time: another process (a backup, a second copy of
    the service) holds SQLite's, or this one's writers are queued past the caller's bound."""


#: When the current task gives up waiting for the write lock (loop time), if it set a bound.
_write_deadline: ContextVar[float | None] = ContextVar("write_deadline", default=None)


@contextmanager
def waiting_at_most(seconds: float) -> Iterator[None]:
    """Within this block, a write waits at most `seconds` for this process's write lock (and
    then SQLite's own busy_timeout at most) before raising `DatabaseBusyError`."""
    token = _write_deadline.set(asyncio.get_running_loop().time() + seconds)
    try:
        yield
    finally:
        _write_deadline.reset(token)


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(exc)


def _make_private_folder(folder: Path) -> None:
    # Only the folder made here is its owner's alone: a parent that already exists, such as
    # /srv, is not ours to change.
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)


def _create_private_file(path: Path, *, replace: bool = False) -> None:
    """Create `path` empty and readable by its owner only; raise FileExistsError if it exists,
    unless `replace`, which empties it and makes it owner-only too."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_EXCL)
    os.close(os.open(path, flags, 0o600))
    if replace:
        path.chmod(0o600)


class Database:
    """One SQLite file. Use `async with Database(path) as db:` or `open()` and `close()`."""

    def __init__(self, path: str | Path, keys: sealing.KeyRing | None = None) -> None:
        self.path = Path(path)
        #: The ring this database is sealed with; None uses the process's (`sealing.use_keys`).
        self.keys = keys
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._closed = False

    async def open(self) -> Database:
        if self._writer is not None:
            return self
        if self._closed:
            raise DatabaseClosedError(f"The database {self.path} has been closed.")
        _make_private_folder(self.path.parent)
        # The file is made owner-only before SQLite opens it, and SQLite gives the -wal and -shm
        # files the database's own mode: residents' names and messages are in all three.
        # If another process makes it first, its mode stands.
        with contextlib.suppress(FileExistsError):
            _create_private_file(self.path)
        self._writer = await self._connect()
        applied = await apply_migrations(self._writer)
        if applied:
            log.info("database migrated", extra={"applied": applied})
        try:
            with sealing.in_force(self.keys):
                await self._check_key()
        except BaseException:
            await self._writer.close()
            self._writer = None
            raise
        self._reader = await self._connect()
        return self

    async def _check_key(self) -> None:
        """Stop with DataKeyError when the key does not open this database; at the first open
        with sealing, seal what was written plain before it and remember the key."""
        async with (
            self.write() as tx,
            tx.execute("SELECT value FROM sealing_check WHERE name = 'check'") as cursor,
        ):
            row = await cursor.fetchone()
        if row is not None:
            try:
                opened = sealing.unseal(row[0])
            except sealing.SealingError:
                opened = None
            if opened != KEY_CHECK:
                raise DataKeyError(
                    f"COMPANION_DATA_KEY does not open the database {self.path}: it was sealed "
                    "with another key. Set COMPANION_DATA_KEY to that key (or, during a "
                    "rotation, the new key first and that one after it)."
                )
            return
        progress = await resealing.seal_plain(self.write)
        async with self.write() as tx:
            # Another process opening the new file at the same moment may have been first:
            # then its value stands, and is checked below.
            cursor = await tx.execute(
                "INSERT INTO sealing_check (name, value) VALUES ('check', ?)"
                " ON CONFLICT DO NOTHING",
                (sealing.seal(KEY_CHECK),),
            )
        if cursor.rowcount == 0:
            await self._check_key()
            return
        if progress.values:
            # The plain values' old pages are gone from the file (secure_delete); the log's
            # copies of them go too.
            await self._writer_connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            log.info(
                "personal data written before sealing is now sealed", extra={"n": progress.values}
            )

    def _writer_connection(self) -> aiosqlite.Connection:
        return self._require(self._writer)

    async def _connect(self) -> aiosqlite.Connection:
        connection = await aiosqlite.connect(self.path, isolation_level=None)
        connection.row_factory = aiosqlite.Row
        for pragma in PRAGMAS:
            await connection.execute(pragma)
        return connection

    async def close(self) -> None:
        """Wait for the write in progress, then close. Closing twice is fine."""
        if self._closed:
            return
        self._closed = True
        async with self._write_lock:
            for connection in (self._reader, self._writer):
                if connection is not None:
                    await connection.close()
            self._reader = self._writer = None

    async def __aenter__(self) -> Database:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[aiosqlite.Connection]:
        """One transaction: everything inside commits together, or not at all.

        Raises `DatabaseBusyError` when another process holds SQLite's write lock past
        busy_timeout, or this task's bound (`waiting_at_most`) passes in the queue."""
        deadline = _write_deadline.get()
        if deadline is None:
            await self._write_lock.acquire()
        else:
            try:
                async with asyncio.timeout_at(deadline):
                    await self._write_lock.acquire()
            except TimeoutError:
                raise DatabaseBusyError("The database's write lock was not free in time.") from None
        try:
            writer = self._require(self._writer)
            try:
                await writer.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if _is_busy(exc):
                    raise DatabaseBusyError(
                        "Another process holds the database's write lock."
                    ) from exc
                raise
            try:
                with sealing.in_force(self.keys):
                    yield writer
            except BaseException:
                await writer.execute("ROLLBACK")
                raise
            else:
                await writer.execute("COMMIT")
        finally:
            self._write_lock.release()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        reader = self._require(self._reader)
        with sealing.in_force(self.keys):
            yield reader

    def _require(self, connection: aiosqlite.Connection | None) -> aiosqlite.Connection:
        if self._closed or connection is None:
            raise DatabaseClosedError(f"The database {self.path} is not open.")
        return connection

    async def backup(self, target: str | Path, *, overwrite: bool = False) -> None:
        """A consistent copy made while the service runs (SQLite's online backup), readable by
        its owner only. An existing `target` raises FileExistsError unless `overwrite`."""
        target = Path(target)
        _make_private_folder(target.parent)
        _create_private_file(target, replace=overwrite)
        async with aiosqlite.connect(target) as copy:
            await self._require(self._reader).backup(copy)

    async def fetch_one(self, sql: str, params: Any = ()) -> aiosqlite.Row | None:
        async with self.read() as db, db.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetch_all(self, sql: str, params: Any = ()) -> list[aiosqlite.Row]:
        async with self.read() as db, db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())


@asynccontextmanager
async def savepoint(tx: aiosqlite.Connection, name: str) -> AsyncIterator[None]:
    """Work inside SAVEPOINT `name` of `tx`: kept when it succeeds; undone, with the rest of the
    transaction kept, when it raises (the exception goes on to the caller, to log or work
    around), so one item of a batch that fails never undoes the others."""
    await tx.execute(f"SAVEPOINT {name}")
    try:
        yield
    except Exception:
        await tx.execute(f"ROLLBACK TO {name}")
        await tx.execute(f"RELEASE {name}")
        raise
    await tx.execute(f"RELEASE {name}")
