"""Versioned schema migrations: numbered SQL files applied once each, in order, at start."""

from __future__ import annotations

from importlib import resources

import aiosqlite


def migration_files() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every `NNNN_name.sql` in this package, in order."""
    found = []
    for entry in resources.files(__package__).iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


async def current_version(db: aiosqlite.Connection) -> int:
    async with db.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def apply_migrations(db: aiosqlite.Connection) -> list[str]:
    """Apply every migration newer than the file's `user_version`; return their names."""
    applied = []
    for version, name, sql in migration_files():
        if version <= await current_version(db):
            continue
        # executescript commits as it goes, so each file runs inside its own transaction.
        await db.executescript(
            f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;"
        )
        applied.append(name)
    return applied
