"""This module contains the unit of work the services share: a use case's database work runs
in one write transaction, its own or one the caller already holds.

A service method takes an optional `tx`; given one, it adds its work to that transaction (so a
caller can batch several use cases in one commit), otherwise it opens and commits its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiosqlite

from storage.database import Database

#: An open write transaction (or, for reads, a connection).
Tx = aiosqlite.Connection


@asynccontextmanager
async def writing(db: Database, tx: Tx | None = None) -> AsyncIterator[Tx]:
    if tx is not None:
        yield tx
        return
    async with db.write() as own:
        yield own


@asynccontextmanager
async def reading(db: Database, conn: Tx | None = None) -> AsyncIterator[Tx]:
    if conn is not None:
        yield conn
        return
    async with db.read() as own:
        yield own
