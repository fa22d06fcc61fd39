"""Tests of finding residents by name now that names are sealed: matched and sorted in Python,
by any of the three names, in any case, with accents or without, and only a page read whole."""

from __future__ import annotations

from pathlib import Path

from storage import people, resident_list
from storage.database import Database
from storage.people import NewResident
from storage.resident_list import ResidentFilter


async def add_residents(db: Database) -> dict[str, int]:
    async with db.write() as tx:
        abby = await people.add_person(tx, "catalyst", "Abby", "Abby Clarke")
        susie = await people.add_person(tx, "catalyst", "Susie", "Susie Khan")
        found = {}
        for preferred, first, full, catalyst in (
            ("zoë", "Zoë", "Zoë O'Brien", abby.id),
            ("Pat", "Patricia", "Patricia Fuller", abby.id),
            ("Bill", "William", "William Hart", susie.id),
            ("Álvaro", "Álvaro", "Álvaro Pérez", susie.id),
            ("patsy", "Patience", "Patience Okoro", susie.id),
        ):
            resident = await people.add_resident(
                tx, NewResident(preferred, first, full, catalyst_id=catalyst)
            )
            found[preferred] = resident.id
        await people.add_resident(tx, NewResident("Pat", "Pat", "Pat Unknown", status="unknown"))
    return found


async def names(db: Database, scope: ResidentFilter, limit: int = 50) -> list[str]:
    async with db.read() as conn:
        found = await resident_list.find_residents(conn, scope, limit)
    return [row.resident.preferred_name for row in found]


async def test_residents_are_sorted_by_preferred_name_in_any_case(db: Database) -> None:
    await add_residents(db)
    assert await names(db, ResidentFilter()) == ["Álvaro", "Bill", "Pat", "patsy", "zoë"]


async def test_a_name_matches_any_of_the_three_names_in_any_case(db: Database) -> None:
    await add_residents(db)
    assert await names(db, ResidentFilter(name="PAT")) == ["Pat", "patsy"]
    assert await names(db, ResidentFilter(name="william")) == ["Bill"]
    assert await names(db, ResidentFilter(name="o'brien")) == ["zoë"]
    assert await names(db, ResidentFilter(name="ÉREZ")) == ["Álvaro"]
    assert await names(db, ResidentFilter(name="zoe")) == ["zoë"]
    assert await names(db, ResidentFilter(name="%")) == []


async def test_filters_limit_and_catalyst_name_come_with_the_page(db: Database) -> None:
    ids = await add_residents(db)
    async with db.read() as conn:
        [pat] = await resident_list.find_residents(conn, ResidentFilter(name="fuller"), 10)
    assert pat.resident.id == ids["Pat"] and pat.catalyst_name == "Abby Clarke"
    assert await names(db, ResidentFilter(), limit=2) == ["Álvaro", "Bill"]
    assert await names(db, ResidentFilter(name="pat", status="active"), limit=1) == ["Pat"]


async def test_a_change_to_a_resident_shows_at_once_though_names_are_kept_in_memory(
    db: Database,
) -> None:
    ids = await add_residents(db)
    assert await names(db, ResidentFilter(name="bill")) == ["Bill"]
    async with db.write() as tx:
        await people.update_resident(tx, ids["Bill"], preferred_name="Will", status="paused")
        await people.add_resident(tx, NewResident("Aggie", "Agnes", "Agnes Bell"))
    assert await names(db, ResidentFilter(name="bill")) == []
    assert await names(db, ResidentFilter(name="will", status="paused")) == ["Will"]
    assert (await names(db, ResidentFilter()))[:2] == ["Aggie", "Álvaro"]
    async with db.write() as tx:
        await tx.execute("DELETE FROM residents WHERE id = ?", (ids["Pat"],))
    assert "Pat" not in await names(db, ResidentFilter())


async def test_another_database_at_the_same_path_is_not_shown_the_first_ones_residents(
    tmp_path: Path,
) -> None:
    path = tmp_path / "companion.db"
    async with Database(path) as first:
        await add_residents(first)
        assert await names(first, ResidentFilter(name="zoe")) == ["zoë"]
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    async with Database(path) as second:
        async with second.write() as tx:
            for n in range(6):  # as many changes as the first had
                await people.add_resident(tx, NewResident(f"Ann{n}", "Ann", "Ann Other"))
        assert await names(second, ResidentFilter(name="zoe")) == []
