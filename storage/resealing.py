"""This module seals what was written before sealing existed, and reseals everything with the
newest key (`companion keys rotate`), in batches so that the service is never held for long.

Sealing the plain values needs to know which columns hold personal data (`PLAIN_COLUMNS`: the
columns of the tables that existed before migration 0011). Rotation needs no list: every text
value in every table that is sealed (`sealing.is_sealed`) is resealed, so a table added later,
sealed from the start, is rotated too; and every column named X_hash beside a sealed column X
is rewritten as X's lookup hash under the newest key.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

import aiosqlite

from storage import sealing
from storage.rows import FREE_RESULT_CATEGORIES

#: Rows read and rewritten per transaction.
BATCH = 500

#: The columns that held personal data written plain before migration 0011, per table.
PLAIN_COLUMNS: dict[str, tuple[str, ...]] = {
    "people": ("first_name", "full_name"),
    "residents": ("preferred_name", "first_name", "full_name"),
    "identities": ("address",),
    "messages": ("body", "address"),
    "resident_notes": ("author", "body"),
    "staff_messages": ("sent_by",),
    "staff_accounts": ("display_name",),
    "alerts": ("summary", "closing_note"),
    "sessions": ("state", "context"),
    "results": ("label", "value"),
}

#: Columns sealed only in some rows, (table, column) -> whether this row's value is sealed:
#: a choice's result value stays plain (see rows.result_value).
_SEALED_WHEN: dict[tuple[str, str], Callable[[aiosqlite.Row], bool]] = {
    ("results", "value"): lambda row: row["category"] in FREE_RESULT_CATEGORIES,
}

#: A table whose rows may be rewritten only while a row is in it (the safeguarding record's
#: trigger lets its sealed text be resealed, and nothing else).
_REKEY_FLAG = "sealing_rekey"


@dataclass
class Progress:
    """What a pass changed: values sealed or resealed, and lookup hashes written."""

    values: int = 0
    hashes: int = 0
    tables: dict[str, int] = field(default_factory=dict)

    def count(self, table: str, values: int, hashes: int) -> None:
        self.values += values
        self.hashes += hashes
        if values or hashes:
            self.tables[table] = self.tables.get(table, 0) + values + hashes


#: One write transaction (`Database.write`): the batches take turns with the service's writes.
Transaction = Callable[[], AbstractAsyncContextManager[aiosqlite.Connection]]


async def seal_plain(transaction: Transaction) -> Progress:
    """Seal every value in PLAIN_COLUMNS still stored plain, and fill in missing lookup
    hashes; one transaction per BATCH rows."""
    progress = Progress()
    async with transaction() as db:
        tables = await _tables(db)
    for table, columns in PLAIN_COLUMNS.items():
        if table not in tables:
            continue
        sealer = _plain_sealer(table, columns, tables[table].columns)
        await _each_batch(transaction, table, tables[table], sealer, progress)
    return progress


async def reseal_all(transaction: Transaction) -> Progress:
    """Reseal every sealed value in every table with the newest key and rewrite every lookup
    hash under it (plain values in PLAIN_COLUMNS are sealed first)."""
    progress = await seal_plain(transaction)
    ring = sealing.ring()
    async with transaction() as db:
        tables = await _tables(db)
    for table, info in tables.items():
        text_columns = [name for name in info.columns if name not in info.key]

        def reseal(
            row: aiosqlite.Row, names: list[str] = text_columns
        ) -> tuple[dict[str, str], int]:
            changed: dict[str, str] = {}
            for name in names:
                value = row[name]
                if (
                    isinstance(value, str)
                    and sealing.is_sealed(value)
                    and not ring.is_current(value)
                ):
                    changed[name] = ring.reseal(value)
            hashes = 0
            for name in names:
                hashed = f"{name}_hash"
                value = row[name]
                if hashed in names and isinstance(value, str):
                    wanted = ring.lookup_hash(ring.unseal(value))
                    if row[hashed] != wanted:
                        changed[hashed] = wanted
                        hashes += 1
            return changed, hashes

        await _each_batch(transaction, table, info, reseal, progress)
    return progress


@dataclass(frozen=True)
class _Table:
    columns: list[str]
    #: The columns that name a row: ["rowid"], or a WITHOUT ROWID table's primary key.
    key: list[str]


async def _tables(db: aiosqlite.Connection) -> dict[str, _Table]:
    async with db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ) as cursor:
        found = [(row[0], row[1] or "") for row in await cursor.fetchall()]
    tables: dict[str, _Table] = {}
    for name, sql in found:
        async with db.execute(f'PRAGMA table_info("{name}")') as cursor:
            info = list(await cursor.fetchall())
        columns = [row[1] for row in info]
        if "WITHOUT ROWID" in sql.upper():
            key = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]
        else:
            key = ["rowid"]
        tables[name] = _Table(columns, key)
    return tables


Rewrite = Callable[[aiosqlite.Row], tuple[dict[str, str], int]]


def _plain_sealer(table: str, columns: tuple[str, ...], present: list[str]) -> Rewrite:
    def seal(row: aiosqlite.Row) -> tuple[dict[str, str], int]:
        changed: dict[str, str] = {}
        for name in columns:
            value = row[name]
            if not isinstance(value, str) or sealing.is_sealed(value):
                continue
            sealed_when = _SEALED_WHEN.get((table, name))
            if sealed_when is None or sealed_when(row):
                changed[name] = sealing.seal(value)
        hashes = 0
        for name in columns:
            hashed = f"{name}_hash"
            if hashed in present and row[hashed] is None and isinstance(row[name], str):
                changed[hashed] = sealing.lookup_hash(sealing.unseal(row[name]))
                hashes += 1
        return changed, hashes

    return seal


async def _each_batch(
    transaction: Transaction, table: str, info: _Table, rewrite: Rewrite, progress: Progress
) -> None:
    key = info.key
    keys = ", ".join(key)
    select = ", ".join([f"{name} AS {name}" if name == "rowid" else name for name in key])
    after: tuple[Any, ...] | None = None
    while True:
        where = f"WHERE ({keys}) > ({', '.join('?' for _ in key)})" if after else ""
        async with transaction() as db:
            flag = _REKEY_FLAG in (await _tables_named(db))
            async with db.execute(
                f'SELECT {select}, * FROM "{table}" {where} ORDER BY {keys} LIMIT ?',
                (*(after or ()), BATCH),
            ) as cursor:
                batch = list(await cursor.fetchall())
            if flag:
                await db.execute(f"INSERT INTO {_REKEY_FLAG} (started_at) VALUES ('now')")
            values = hashes = 0
            for row in batch:
                changed, hashed = rewrite(row)
                if not changed:
                    continue
                values += len(changed) - hashed
                hashes += hashed
                assignments = ", ".join(f'"{name}" = ?' for name in changed)
                condition = " AND ".join(f"{name} = ?" for name in key)
                await db.execute(
                    f'UPDATE "{table}" SET {assignments} WHERE {condition}',
                    (*changed.values(), *(row[name] for name in key)),
                )
            if flag:
                await db.execute(f"DELETE FROM {_REKEY_FLAG}")
        progress.count(table, values, hashes)
        if len(batch) < BATCH:
            return
        after = tuple(batch[-1][name] for name in key)


async def _tables_named(db: aiosqlite.Connection) -> set[str]:
    async with db.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cursor:
        return {row[0] for row in await cursor.fetchall()}
