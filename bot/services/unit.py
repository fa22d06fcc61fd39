"""This module contains the unit of work the services share: a use case's database work runs
in one write transaction, its own or one the caller already holds.

A service method takes an optional `tx`; given one, it adds its work to that transaction (so a
caller can batch several use cases in one commit), otherwise it opens and commits its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import aiosqlite

from bot.services.errors import Busy
from storage.database import Database, DatabaseBusyError, waiting_at_most

#: An open write transaction (or, for reads, a connection).
Tx = aiosqlite.Connection


#: Seconds a request waits for the write lock before it is answered "busy, try again".
WRITE_WAIT = 10.0


@asynccontextmanager
async def writing(db: Database, tx: Tx | None = None) -> AsyncIterator[Tx]:
    """The caller's transaction, or one of our own. When the database is held elsewhere (a
    backup) past WRITE_WAIT, raise `Busy`: nothing was written, and the caller may try again."""
    if tx is not None:
        yield tx
        return
    with busy_as_unavailable():
        async with db.write() as own:
            yield own


@contextmanager
def busy_as_unavailable() -> Iterator[None]:
    """Within this block, a write waits at most WRITE_WAIT and a busy database is `Busy`."""
    try:
        with waiting_at_most(WRITE_WAIT):
            yield
    except DatabaseBusyError as exc:
        raise Busy() from exc


@asynccontextmanager
async def reading(db: Database, conn: Tx | None = None) -> AsyncIterator[Tx]:
    if conn is not None:
        yield conn
        return
    async with db.read() as own:
        yield own
