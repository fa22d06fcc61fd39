"""Tests that inbound messages are kept once and outbound ones leave in order, never lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import messages, outbox, people
from storage.database import Database
from storage.people import NewResident

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


async def _resident(db: Database, name: str = "Pat") -> int:
    async with db.write() as tx:
        return (await people.add_resident(tx, NewResident(name, name, name))).id


async def test_a_replayed_provider_id_is_recorded_once(db: Database) -> None:
    pat = await _resident(db)
    async with db.write() as tx:
        first = await messages.record_inbound(
            tx,
            channel="sms",
            provider_id="SM1",
            address="+447700900001",
            body="1",
            resident_id=pat,
        )
        again = await messages.record_inbound(
            tx,
            channel="sms",
            provider_id="SM1",
            address="+447700900001",
            body="1",
            resident_id=pat,
        )
    assert not first.duplicate and again.duplicate
    assert again.message_id == first.message_id
    async with db.read() as conn:
        assert [m.body for m in await messages.conversation(conn, pat)] == ["1"]


async def _queue(
    db: Database, resident: int, body: str, due: datetime = NOW, *, routine: bool = True
) -> int:
    async with db.write() as tx:
        return await messages.queue_outbound(
            tx,
            channel="webchat",
            address=str(resident),
            body=body,
            purpose="checkins" if routine else "service",
            routine=routine,
            resident_id=resident,
            due_at=due,
        )


async def _due(db: Database, now: datetime = NOW) -> list[str]:
    async with db.read() as conn:
        return [item.body for item in await outbox.due(conn, now, 10)]


async def _send_first(db: Database, body: str, provider_id: str | None = "SM1") -> None:
    async with db.read() as conn:
        [item] = [i for i in await outbox.due(conn, NOW + timedelta(days=9), 10) if i.body == body]
    async with db.write() as tx:
        await outbox.settle_sent(tx, item, provider_id)


async def test_only_the_oldest_message_per_recipient_is_due_so_order_is_kept(db: Database) -> None:
    pat, lucy = await _resident(db, "Pat"), await _resident(db, "Lucy")
    await _queue(db, pat, "first")
    await _queue(db, pat, "second")
    await _queue(db, lucy, "hello Lucy")
    assert sorted(await _due(db)) == ["first", "hello Lucy"]
    await _send_first(db, "first")
    assert sorted(await _due(db)) == ["hello Lucy", "second"]


async def test_a_message_not_yet_due_waits(db: Database) -> None:
    pat = await _resident(db)
    await _queue(db, pat, "tomorrow", NOW + timedelta(days=1))
    assert await _due(db) == []
    assert await _due(db, NOW + timedelta(days=1)) == ["tomorrow"]


async def test_a_reply_goes_before_a_routine_message_held_for_later(db: Database) -> None:
    pat = await _resident(db)
    await _queue(db, pat, "how are you?", NOW + timedelta(hours=10))  # held for quiet hours
    await _queue(db, pat, "call 999", routine=False)
    await _queue(db, pat, "see you tuesday")  # routine: stays behind the held question
    assert await _due(db) == ["call 999"]


async def test_replies_come_first_and_keep_their_own_order(db: Database) -> None:
    pat, lucy = await _resident(db, "Pat"), await _resident(db, "Lucy")
    await _queue(db, lucy, "routine for Lucy")
    await _queue(db, pat, "reply one", routine=False)
    await _queue(db, pat, "reply two", routine=False)
    assert await _due(db) == ["reply one", "routine for Lucy"]
    await _send_first(db, "reply one")
    assert await _due(db) == ["reply two", "routine for Lucy"]


async def test_a_reply_being_retried_holds_up_later_replies_but_never_a_safety_message(
    db: Database,
) -> None:
    pat = await _resident(db)
    await _queue(db, pat, "first part of an answer", NOW + timedelta(seconds=30), routine=False)
    await _queue(db, pat, "second part", routine=False)
    await _queue(db, pat, "routine")
    assert await _due(db) == []  # the parts of one answer arrive in order
    async with db.write() as tx:
        await messages.queue_outbound(
            tx,
            channel="webchat",
            address=str(pat),
            body="call 999",
            purpose="safety",
            routine=False,
            resident_id=pat,
            due_at=NOW,
        )
    assert await _due(db) == ["call 999"]
    assert await _due(db, NOW + timedelta(seconds=30)) == ["call 999", "first part of an answer"]


async def test_the_reader_sees_what_the_writer_committed(db: Database) -> None:
    pat = await _resident(db)
    await _queue(db, pat, "in flight")
    assert await _due(db) == ["in flight"]  # still due until its send is recorded
    await _send_first(db, "in flight")
    assert await _due(db) == []


async def test_sent_retried_and_dropped_messages_show_their_status(db: Database) -> None:
    pat = await _resident(db)
    for body in ("sent", "retry", "dropped"):
        await _queue(db, pat, body)
    later = NOW + timedelta(minutes=1)
    async with db.read() as conn:
        [item] = await outbox.due(conn, NOW, 10)
    async with db.write() as tx:
        await outbox.settle_sent(tx, item, "SM123")
    async with db.read() as conn:
        [item] = await outbox.due(conn, NOW, 10)
    async with db.write() as tx:
        await outbox.settle_retry(tx, item, NOW + timedelta(seconds=30), "429 Too Many Requests")
    assert await _due(db) == []  # order: "dropped" waits for "retry"
    async with db.read() as conn:
        [item] = await outbox.due(conn, later, 10)
        assert item.attempts == 1
    async with db.write() as tx:
        await outbox.settle_sent(tx, item, None)
    async with db.read() as conn:
        [item] = await outbox.due(conn, later, 10)
    async with db.write() as tx:
        await outbox.settle_dropped(tx, item, "cancelled", "opted out")
    async with db.read() as conn:
        statuses = [(m.body, m.status, m.error) for m in await messages.conversation(conn, pat)]
    assert statuses == [
        ("sent", "sent", None),
        ("retry", "sent", None),
        ("dropped", "cancelled", "opted out"),
    ]
