"""A real conversation, then the database file, its write-ahead log and a backup read as bytes,
without the key: no name, number, chat id or message text of anyone in it can be found."""

from __future__ import annotations

from pathlib import Path

from bot.inbound import InboundMessage
from bot.runtime import Runtime
from bot.services.access import Viewer
from storage import identities, messages, people
from tests.bot.helpers import open_alerts, say, start_checkin

PAT_NUMBER = "+447700900123"
LUCY_CHAT = "918273645"
PAT_SAYS = "my granddaughter Marigold finished the jigsaw"
LUCY_SAYS = "the sewing circle was lovely today"
NOTE = "Patricia's neighbour Bartholomew has a spare key"
CATALYST_WRITES = "Lovely to hear about the jigsaw club, see you Thursday"
CLOSING = "Rang Patricia, Marigold is staying the night"

#: What must never be readable in the files: names (demo people and the words above),
#: the number and chat id, and what was said and written.
SECRETS = (
    "Patricia Fuller",
    "Fuller",
    "Abby Clarke",
    "Clarke",
    "Lucy Adeyemi",
    "Adeyemi",
    PAT_NUMBER,
    "7700900123",
    LUCY_CHAT,
    "Marigold",
    "Bartholomew",
    "granddaughter",
    "sewing circle",
    "jigsaw club",
    "fallen",
    PAT_SAYS,
    LUCY_SAYS,
)


def readable(data: bytes) -> list[str]:
    """The secrets that can be read in `data` as UTF-8 or either UTF-16 (SQLite's encodings)."""
    return [
        secret
        for secret in SECRETS
        if any(secret.encode(codec) in data for codec in ("utf-8", "utf-16-le", "utf-16-be"))
    ]


async def test_a_copy_of_the_files_alone_reveals_nobody(
    services: Runtime, demo: dict[str, int], tmp_path: Path
) -> None:
    pat, lucy = demo["Pat"], demo["Lucy"]
    async with services.db.write() as tx:
        await identities.add_identity(tx, "sms", PAT_NUMBER, resident_id=pat)
        await identities.add_identity(tx, "telegram", LUCY_CHAT, resident_id=lucy)
        resident = await people.get_resident(tx, pat)
    assert resident is not None and resident.catalyst_id is not None
    abby = Viewer(1, "abby", "Abby Clarke", "catalyst", resident.catalyst_id)

    # A check-in answered by SMS, a word from Lucy on Telegram, and a fall.
    await start_checkin(services, pat)
    await services.pipeline.handle(InboundMessage("sms", PAT_NUMBER, "3", "SM-1"))
    await services.pipeline.handle(InboundMessage("sms", PAT_NUMBER, PAT_SAYS, "SM-2"))
    await services.pipeline.handle(InboundMessage("telegram", LUCY_CHAT, LUCY_SAYS, "u1"))
    await say(services, pat, "I've fallen and can't get up")
    await services.services.notes.add(abby, pat, NOTE)
    await services.services.messages_out.send(abby, pat, CATALYST_WRITES)
    await services.dispatcher.run_once()
    risk = [alert for alert in await open_alerts(services) if alert.resident_id == pat]
    assert risk, "the fall raised an alert"
    await services.services.alerts.close(abby, risk[0].id, CLOSING)

    # It all reads back with the key, so it was stored.
    async with services.db.read() as conn:
        conversation = await messages.conversation(conn, pat)
    assert PAT_SAYS in [message.body for message in conversation]

    database = services.db.path
    wal = database.with_name(database.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0, "the log holds the latest writes"
    backup = tmp_path / "backup.db"
    await services.db.backup(backup)
    assert readable(database.read_bytes()) == []
    assert readable(wal.read_bytes()) == []
    assert readable(backup.read_bytes()) == []
