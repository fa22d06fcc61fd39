"""Tests of sealing at rest: what the file holds, finding an address by its hash through the
index, a wrong key, a database written before sealing, and rotating to a new key."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import aiosqlite
import pytest
from cryptography.fernet import Fernet

from storage import alerts, identities, messages, notes, people, resealing, sealing, sessions
from storage.database import Database, DataKeyError
from storage.migrations import migration_files
from storage.people import NewResident
from storage.spool import Spool

NUMBER = "+447700900123"
WORDS = "I had a fall in the kitchen last night"


def file_bytes(path: Path) -> bytes:
    found = b""
    for suffix in ("", "-wal"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            found += part.read_bytes()
    return found


def hidden_in(data: bytes, *texts: str) -> list[str]:
    """The texts that can be read in `data` as UTF-8 or UTF-16 (SQLite's text encodings)."""
    return [
        text
        for text in texts
        if any(text.encode(encoding) in data for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
    ]


async def add_pat(db: Database) -> int:
    async with db.write() as tx:
        catalyst = await people.add_person(tx, "catalyst", "Abigail", "Abigail Clarke")
        pat = await people.add_resident(
            tx, NewResident("Patsy", "Patricia", "Patricia Quinlan", catalyst_id=catalyst.id)
        )
        await identities.add_identity(tx, "sms", NUMBER, resident_id=pat.id)
        await messages.record_inbound(
            tx, channel="sms", provider_id="SM1", address=NUMBER, body=WORDS, resident_id=pat.id
        )
        await notes.add_note(tx, pat.id, author="Abigail Clarke", actor="catalyst:abby", body=WORDS)
        await alerts.alert_for(tx, pat, kind="risk", urgency="urgent", summary="Patsy fell")
        await sessions.save_session(
            tx,
            pat.id,
            {"flow_id": "f", "revision": 1, "status": "ended", "results": {"said": WORDS}},
            None,
        )
    return pat.id


async def test_a_file_holds_no_name_number_or_text_and_reads_them_back(tmp_path: Path) -> None:
    path = tmp_path / "companion.db"
    async with Database(path) as db:
        pat = await add_pat(db)
        async with db.read() as conn:
            resident = await people.get_resident(conn, pat)
            found = await identities.find_identity(conn, "sms", NUMBER)
            [message] = await messages.conversation(conn, pat)
            [note] = await notes.notes_of(conn, pat)
    assert resident is not None and resident.full_name == "Patricia Quinlan"
    assert found is not None and found.resident_id == pat and found.address == NUMBER
    assert message.body == WORDS and note.body == WORDS and note.author == "Abigail Clarke"
    names = ("Patsy", "Patricia", "Quinlan", "Abigail", "Clarke", NUMBER, WORDS, "fell")
    assert hidden_in(file_bytes(path), *names) == []


async def test_an_address_is_found_by_its_hash_through_the_unique_index(db: Database) -> None:
    async with db.read() as conn:
        hashes = sealing.lookup_hashes(NUMBER)
        sql = "EXPLAIN QUERY PLAN " + identities.FIND_SQL.format(", ".join("?" for _ in hashes))
        async with conn.execute(sql, ("sms", *hashes)) as cursor:
            plan = " ".join(str(row[3]) for row in await cursor.fetchall())
    assert "USING INDEX identities_address (channel=? AND address_hash=?)" in plan


async def test_the_same_address_twice_on_a_channel_is_refused(db: Database) -> None:
    await add_pat(db)
    with pytest.raises(sqlite3.IntegrityError):
        async with db.write() as tx:
            person = await people.add_person(tx, "buddy", "Bo", "Bo Bell")
            await identities.add_identity(tx, "sms", NUMBER, person_id=person.id)


async def test_another_key_is_told_plainly_at_open(tmp_path: Path) -> None:
    path = tmp_path / "companion.db"
    async with Database(path, sealing.KeyRing([sealing.new_key()])) as db:
        await add_pat(db)
    with pytest.raises(DataKeyError, match="COMPANION_DATA_KEY does not open the database"):
        await Database(path, sealing.KeyRing([sealing.new_key()])).open()


async def test_two_databases_with_their_own_keys_open_at_once(tmp_path: Path) -> None:
    first = Database(tmp_path / "one.db", sealing.KeyRing([sealing.new_key()]))
    second = Database(tmp_path / "two.db", sealing.KeyRing([sealing.new_key()]))
    async with first, second:
        one, two = await add_pat(first), await add_pat(second)
        async with second.read() as conn:
            assert (await people.get_resident(conn, two)) is not None
        async with first.read() as conn:
            assert (await people.get_resident(conn, one)) is not None


def write_plain_database(path: Path) -> None:
    """A database as the version before sealing left it: migrations 1 to 10, plain values."""
    with closing(sqlite3.connect(path)) as conn:
        for version, _, sql in migration_files():
            if version <= 10:
                conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;")
        now = "2026-11-24T10:00:00.000000+00:00"
        conn.executescript(
            f"""
            INSERT INTO people (id, role, first_name, full_name, created_at)
                VALUES (1, 'catalyst', 'Abigail', 'Abigail Clarke', '{now}');
            INSERT INTO residents (id, preferred_name, first_name, full_name, catalyst_id,
                created_at, updated_at)
                VALUES (1, 'Patsy', 'Patricia', 'Patricia Quinlan', 1, '{now}', '{now}');
            INSERT INTO identities (channel, address, resident_id, created_at)
                VALUES ('sms', '{NUMBER}', 1, '{now}');
            INSERT INTO messages (resident_id, direction, channel, address, body, purpose,
                status, created_at, updated_at)
                VALUES (1, 'in', 'sms', '{NUMBER}', '{WORDS}', 'reply', 'received', '{now}',
                '{now}');
            INSERT INTO resident_notes (resident_id, author, actor, body, at)
                VALUES (1, 'Abigail Clarke', 'catalyst:abby', '{WORDS}', '{now}');
            INSERT INTO sessions (id, resident_id, flow_id, revision, status, state, started_at,
                updated_at, context)
                VALUES (1, 1, 'f', 1, 'ended', '{{"said": "{WORDS}"}}', '{now}', '{now}', '{{}}');
            INSERT INTO results (resident_id, session_id, flow_id, name, value, label, category,
                at) VALUES (1, 1, 'f', 'said', '"{WORDS}"', '{WORDS}', 'answered', '{now}'),
                (1, 1, 'f', 'mood', '"good"', 'Good', 'good', '{now}');
            """
        )


async def test_a_database_written_before_sealing_is_sealed_at_its_first_open(
    tmp_path: Path,
) -> None:
    path = tmp_path / "companion.db"
    write_plain_database(path)
    assert hidden_in(file_bytes(path), "Quinlan", NUMBER, WORDS) != []
    async with Database(path) as db, db.read() as conn:
        resident = await people.get_resident(conn, 1)
        found = await identities.find_identity(conn, "sms", NUMBER)
        [message] = await messages.conversation(conn, 1)
        session = await sessions.get_session(conn, 1)
    assert resident is not None and resident.full_name == "Patricia Quinlan"
    assert found is not None and found.resident_id == 1
    assert message.body == WORDS and message.address == NUMBER
    assert session is not None and session.state == {"said": WORDS}
    assert hidden_in(file_bytes(path), "Abigail", "Quinlan", "Patsy", NUMBER, WORDS) == []
    with closing(sqlite3.connect(path)) as conn:
        # A choice's value is the flow's own id and stays countable in SQL.
        assert conn.execute("SELECT value FROM results WHERE name = 'mood'").fetchone() == (
            '"good"',
        )


async def test_rotation_reseals_everything_so_the_old_key_can_go(tmp_path: Path) -> None:
    path = tmp_path / "companion.db"
    old, new = sealing.new_key(), sealing.new_key()
    async with Database(path, sealing.KeyRing([old])) as db:
        pat = await add_pat(db)
    both = sealing.KeyRing([new, old])
    async with Database(path, both) as db:
        async with db.read() as conn:
            # Mid-rotation: found under either key's hash.
            assert await identities.find_identity(conn, "sms", NUMBER) is not None
        with sealing.in_force(both):
            progress = await resealing.reseal_all(db.write)
        with sealing.in_force(both):
            again = await resealing.reseal_all(db.write)
    assert progress.values >= 10 and progress.hashes == 1
    assert again.values == 0 and again.hashes == 0
    async with Database(path, sealing.KeyRing([new])) as db, db.read() as conn:
        found = await identities.find_identity(conn, "sms", NUMBER)
        resident = await people.get_resident(conn, pat)
        [note] = await notes.notes_of(conn, pat)
        [alert] = await alerts.list_alerts(conn)
    assert found is not None and found.resident_id == pat
    assert resident is not None and resident.preferred_name == "Patsy"
    assert note.body == WORDS and alert.summary == "Patsy fell"
    with pytest.raises(DataKeyError):
        await Database(path, sealing.KeyRing([old])).open()


def test_the_spool_keeps_numbers_and_texts_sealed(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "companion.db.spool")
    spool.append({"address": NUMBER, "text": WORDS})
    assert hidden_in(spool.path.read_bytes(), NUMBER, WORDS) == []
    [(record, _)] = spool.read_from(0)
    assert record == {"address": NUMBER, "text": WORDS}


def test_a_spool_line_from_before_sealing_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "companion.db.spool"
    path.write_text('{"text": "hello"}\n')
    assert [record for record, _ in Spool(path).read_from(0)] == [{"text": "hello"}]


async def test_a_value_no_key_opens_is_an_error_not_a_guess() -> None:
    stored = sealing.KeyRing([sealing.new_key()]).seal(WORDS)
    with pytest.raises(sealing.SealingError):
        sealing.unseal(stored)


def test_a_data_key_must_look_like_one() -> None:
    assert sealing.check_key(sealing.new_key())
    for bad in ("", "secret", "x" * 44, "é" * 44):
        with pytest.raises(ValueError):
            sealing.check_key(bad)


async def test_an_aiosqlite_connection_outside_a_database_uses_the_process_ring(
    tmp_path: Path,
) -> None:
    async with Database(tmp_path / "companion.db") as db:
        await add_pat(db)
    async with aiosqlite.connect(tmp_path / "companion.db") as conn:
        conn.row_factory = aiosqlite.Row
        assert [r.preferred_name for r in await people.list_residents(conn)] == ["Patsy"]


def first_version_seal(key: str, text: str) -> str:
    """A value as the first version of sealing stored it: "s1:" and a Fernet token."""
    return "s1:" + Fernet(key.encode()).encrypt(text.encode()).decode()


async def test_a_value_sealed_by_the_first_version_opens_and_rotation_reseals_it(
    tmp_path: Path,
) -> None:
    key = sealing.new_key()
    keys = sealing.KeyRing([key])
    path = tmp_path / "companion.db"
    async with Database(path, keys) as db:
        pat = await add_pat(db)
        async with db.write() as tx:
            await tx.execute(
                "UPDATE resident_notes SET body = ? WHERE resident_id = ?",
                (first_version_seal(key, "an older note"), pat),
            )
        async with db.read() as conn:
            [note] = await notes.notes_of(conn, pat)
        assert note.body == "an older note"
        with sealing.in_force(keys):
            progress = await resealing.reseal_all(db.write)
        assert progress.values == 1  # only the old one: the rest are sealed as now already
        async with db.read() as conn:
            [note] = await notes.notes_of(conn, pat)
        stored = await db.fetch_one("SELECT body FROM resident_notes")
    assert note.body == "an older note"
    assert stored is not None and stored[0].startswith(sealing.PREFIX)


def test_a_changed_byte_is_refused_not_misread() -> None:
    stored = sealing.seal(WORDS)
    assert sealing.unseal(stored) == WORDS
    middle = len(stored) // 2
    changed = stored[:middle] + ("A" if stored[middle] != "A" else "B") + stored[middle + 1 :]
    for damaged in (changed, stored[:-4], sealing.PREFIX + "not base64 at all!"):
        with pytest.raises(sealing.SealingError):
            sealing.unseal(damaged)
