"""Tests of the database: migrations, one writer, whole transactions, closing and backup."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest

from storage import people
from storage.database import Database, DatabaseClosedError
from storage.migrations import migration_files


async def test_opening_a_new_file_applies_every_migration_with_wal_and_foreign_keys(
    tmp_path: Path,
) -> None:
    async with Database(tmp_path / "new.db") as db:
        version = await db.fetch_one("PRAGMA user_version")
        journal = await db.fetch_one("PRAGMA journal_mode")
        assert version is not None and version[0] == migration_files()[-1][0]
        assert journal is not None and journal[0] == "wal"
        with pytest.raises(sqlite3.IntegrityError):
            async with db.write() as tx:
                await tx.execute(
                    "INSERT INTO identities (channel, address, resident_id, created_at)"
                    " VALUES ('sms', '+447700900001', 999, 'now')"
                )


async def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "again.db"
    async with Database(path) as db, db.write() as tx:
        await people.add_person(tx, "catalyst", "Abby", "Abby Clarke")
    async with Database(path) as db:
        assert len(await db.fetch_all("SELECT * FROM people")) == 1


async def test_a_failed_transaction_changes_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.write() as tx:
            await people.add_person(tx, "catalyst", "Abby", "Abby Clarke")
            raise RuntimeError("boom")
    assert await db.fetch_all("SELECT * FROM people") == []


async def test_concurrent_writers_take_turns_and_all_commit(db: Database) -> None:
    async def add(n: int) -> None:
        async with db.write() as tx:
            await people.add_person(tx, "buddy", f"B{n}", f"Buddy {n}")
            await asyncio.sleep(0)

    await asyncio.gather(*(add(n) for n in range(50)))
    assert len(await db.fetch_all("SELECT * FROM people")) == 50


async def test_closing_twice_is_fine_and_use_after_close_is_a_named_error(tmp_path: Path) -> None:
    db = await Database(tmp_path / "c.db").open()
    await db.close()
    await db.close()
    with pytest.raises(DatabaseClosedError):
        async with db.write():
            pass
    with pytest.raises(DatabaseClosedError):
        await db.fetch_all("SELECT 1")


async def test_backup_is_a_consistent_copy_made_while_writing(db: Database, tmp_path: Path) -> None:
    async def keep_writing() -> None:
        for n in range(30):
            async with db.write() as tx:
                await people.add_person(tx, "buddy", f"B{n}", f"Buddy {n}")

    writer = asyncio.create_task(keep_writing())
    await db.backup(tmp_path / "backup" / "copy.db")
    await writer
    copy = sqlite3.connect(tmp_path / "backup" / "copy.db")
    count = copy.execute("SELECT COUNT(*) FROM people").fetchone()[0]
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert 0 <= count <= 30


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


async def test_the_database_and_its_wal_and_shm_files_are_readable_by_their_owner_only(
    tmp_path: Path,
) -> None:
    path = tmp_path / "var" / "companion.db"
    async with Database(path) as db:
        async with db.write() as tx:
            await people.add_person(tx, "catalyst", "Abby", "Abby Clarke")
        # While the database is open, SQLite keeps its -wal and -shm files beside it.
        for name in ("companion.db", "companion.db-wal", "companion.db-shm"):
            assert _mode(tmp_path / "var" / name) == 0o600, name
    assert _mode(tmp_path / "var") == 0o700


async def test_a_folder_that_already_exists_keeps_its_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    async with Database(shared / "companion.db"):
        pass
    assert _mode(shared) == 0o755


async def test_a_backup_is_readable_by_its_owner_only_and_never_overwrites_by_mistake(
    db: Database, tmp_path: Path
) -> None:
    target = tmp_path / "copies" / "monday.db"
    await db.backup(target)
    assert _mode(target) == 0o600 and _mode(target.parent) == 0o700
    target.write_bytes(b"last week's copy")
    target.chmod(0o644)
    with pytest.raises(FileExistsError):
        await db.backup(target)
    assert target.read_bytes() == b"last week's copy"
    await db.backup(target, overwrite=True)
    assert _mode(target) == 0o600
    with closing(sqlite3.connect(target)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
