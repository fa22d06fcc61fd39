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


async def _queue(db: Database, resident: int, body: str, due: datetime = NOW) -> int:
    async with db.write() as tx:
        return await messages.queue_outbound(
            tx,
            channel="webchat",
            address=str(resident),
            body=body,
            purpose="checkins",
            routine=True,
            resident_id=resident,
            due_at=due,
        )


async def test_only_the_oldest_message_per_recipient_is_claimed_so_order_is_kept(
    db: Database,
) -> None:
    pat, lucy = await _resident(db, "Pat"), await _resident(db, "Lucy")
    await _queue(db, pat, "first")
    await _queue(db, pat, "second")
    await _queue(db, lucy, "hello Lucy")
    async with db.write() as tx:
        claimed = await outbox.claim_due(tx, NOW, 10)
    assert sorted(item.body for item in claimed) == ["first", "hello Lucy"]
    async with db.write() as tx:
        assert await outbox.claim_due(tx, NOW, 10) == []  # claimed rows are not handed out twice
        for item in claimed:
            await outbox.settle_sent(tx, item, f"id-{item.id}")
        assert [item.body for item in await outbox.claim_due(tx, NOW, 10)] == ["second"]


async def test_a_message_not_yet_due_waits(db: Database) -> None:
    pat = await _resident(db)
    await _queue(db, pat, "tomorrow", NOW + timedelta(days=1))
    async with db.write() as tx:
        assert await outbox.claim_due(tx, NOW, 10) == []
        assert [i.body for i in await outbox.claim_due(tx, NOW + timedelta(days=1), 10)] == [
            "tomorrow"
        ]


async def test_claims_left_by_a_crash_are_released_at_start(db: Database) -> None:
    pat = await _resident(db)
    await _queue(db, pat, "in flight")
    async with db.write() as tx:
        assert len(await outbox.claim_due(tx, NOW, 10)) == 1
    async with db.write() as tx:  # the process died here; on restart:
        assert await outbox.release_claims(tx) == 1
        assert [i.body for i in await outbox.claim_due(tx, NOW, 10)] == ["in flight"]


async def test_sent_retried_and_dropped_messages_show_their_status(db: Database) -> None:
    pat = await _resident(db)
    for body in ("sent", "retry", "dropped"):
        await _queue(db, pat, body)
    async with db.write() as tx:
        [item] = await outbox.claim_due(tx, NOW, 10)
        await outbox.settle_sent(tx, item, "SM123")
        [item] = await outbox.claim_due(tx, NOW, 10)
        await outbox.settle_retry(tx, item, NOW + timedelta(seconds=30), "429 Too Many Requests")
        assert await outbox.claim_due(tx, NOW, 10) == []  # order: "dropped" waits for "retry"
        [item] = await outbox.claim_due(tx, NOW + timedelta(minutes=1), 10)
        assert item.attempts == 1
        await outbox.settle_sent(tx, item, None)
        [item] = await outbox.claim_due(tx, NOW + timedelta(minutes=1), 10)
        await outbox.settle_dropped(tx, item, "cancelled", "opted out")
    async with db.read() as conn:
        statuses = [(m.body, m.status, m.error) for m in await messages.conversation(conn, pat)]
    assert statuses == [
        ("sent", "sent", None),
        ("retry", "sent", None),
        ("dropped", "cancelled", "opted out"),
    ]
