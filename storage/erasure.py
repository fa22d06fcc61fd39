"""This module erases a resident's personal data while keeping the programme's figures.

Every row that is counted stays: the resident (with their names replaced), their messages
(direction, channel, purpose, status, dates; the text and address gone), their conversations
(the state emptied), their results (the category and any chosen answer kept, free text gone),
their alerts (words that name no one), their consents (purpose, channel, answer, date). What
only describes them goes: channels, start links, notes, who wrote a message in the admin.
Each function returns how many rows it changed, for the audit log; all of them run in the
caller's one transaction.

The safeguarding record is not touched: it must be kept, and the database refuses changes to it.
"""

from __future__ import annotations

import json
import re

import aiosqlite

from storage import rows, sealing

#: Result categories whose value is what the resident typed rather than a choice they picked:
#: an answer that was not understood ("other") and a value a flow saved ("saved"). An
#: "answered" value is removed too when it is text (a number is a figure and stays).
FREE_TEXT_CATEGORIES = ("other", "saved")


def erased_name(resident_id: int) -> str:
    """What an erased resident is called everywhere from then on."""
    return f"Erased resident R{resident_id}"


async def anonymise_resident(db: aiosqlite.Connection, resident_id: int) -> bool:
    """Replace the resident's names and interests and stop all messages to them; False if
    there is no such resident or they were erased already."""
    name = erased_name(resident_id)
    now = rows.now_text()
    cursor = await db.execute(
        "UPDATE residents SET preferred_name = ?, first_name = ?, full_name = ?, interests = '',"
        " status = 'stopped', paused_until = NULL, erased_at = ?, updated_at = ?"
        " WHERE id = ? AND erased_at IS NULL",
        (name, name, name, now, now, resident_id),
    )
    return cursor.rowcount == 1


async def remove_channels(db: aiosqlite.Connection, resident_id: int) -> int:
    """Forget the resident's numbers, chats and web chat; their old number writing in is then
    someone unknown. Unused Telegram start links for them go too."""
    await db.execute("DELETE FROM link_tokens WHERE resident_id = ?", (resident_id,))
    cursor = await db.execute("DELETE FROM identities WHERE resident_id = ?", (resident_id,))
    return cursor.rowcount


async def cancel_waiting_messages(db: aiosqlite.Connection, resident_id: int) -> int:
    """Take the resident's messages out of the outbox, marked as not sent."""
    cursor = await db.execute(
        "DELETE FROM outbox WHERE message_id IN"
        " (SELECT id FROM messages WHERE resident_id = ?) RETURNING message_id",
        (resident_id,),
    )
    cancelled = [int(row[0]) for row in await cursor.fetchall()]
    now = rows.now_text()
    for message_id in cancelled:
        await db.execute(
            "UPDATE messages SET status = 'cancelled', error = 'the resident was erased',"
            " updated_at = ? WHERE id = ?",
            (now, message_id),
        )
    return len(cancelled)


async def remove_message_texts(db: aiosqlite.Connection, resident_id: int, words: str) -> int:
    """Replace the text of every message to or from the resident with `words`, and remove the
    address it went to or came from and its buttons (which may repeat their words)."""
    now = rows.now_text()
    cursor = await db.execute(
        "UPDATE messages SET body = ?, address = NULL, buttons = '[]', body_removed_at = ?"
        " WHERE resident_id = ? AND body_removed_at IS NULL",
        (words, now, resident_id),
    )
    # Texts removed before (by the retention job) lose their address and buttons too.
    await db.execute(
        "UPDATE messages SET address = NULL, buttons = '[]' WHERE resident_id = ?",
        (resident_id,),
    )
    return cursor.rowcount


async def remove_staff_message_authors(db: aiosqlite.Connection, resident_id: int) -> int:
    """Forget who wrote each message sent to the resident from the admin."""
    cursor = await db.execute(
        "DELETE FROM staff_messages WHERE message_id IN"
        " (SELECT id FROM messages WHERE resident_id = ?)",
        (resident_id,),
    )
    return cursor.rowcount


async def remove_checkin_words(db: aiosqlite.Connection, resident_id: int) -> int:
    """Remove the resident's own words kept with their check-ins ("my knee is bad"), keeping
    each check-in's date, how it went and the mood (the figures and the catalyst's picture)."""
    cursor = await db.execute(
        "UPDATE checkins SET said = NULL WHERE resident_id = ? AND said IS NOT NULL",
        (resident_id,),
    )
    return cursor.rowcount


async def remove_notes(db: aiosqlite.Connection, resident_id: int) -> int:
    cursor = await db.execute("DELETE FROM resident_notes WHERE resident_id = ?", (resident_id,))
    return cursor.rowcount


async def remove_free_text_results(db: aiosqlite.Connection, resident_id: int) -> int:
    """Remove what the resident typed from their results, keeping each one's name, category
    and date (and the value of a choice, which the figures count)."""
    async with db.execute(
        "SELECT id, value, label, category FROM results WHERE resident_id = ?", (resident_id,)
    ) as cursor:
        found = await cursor.fetchall()
    removed = 0
    for row in found:
        value = json.loads(_open(row["value"]) or "null")
        free_text = row["category"] in FREE_TEXT_CATEGORIES or (
            row["category"] == "answered" and isinstance(value, str)
        )
        if free_text and (value is not None or _open(row["label"])):
            await db.execute(
                "UPDATE results SET value = 'null', label = '' WHERE id = ?", (row["id"],)
            )
            removed += 1
    return removed


async def empty_sessions(db: aiosqlite.Connection, resident_id: int) -> int:
    """End the resident's conversation waiting for a reply, and empty what every conversation
    remembered (their answers, their name, what it was about)."""
    now = rows.now_text()
    await db.execute(
        "UPDATE sessions SET status = 'ended', outcome = 'erased', wake_at = NULL"
        " WHERE resident_id = ? AND status = 'waiting'",
        (resident_id,),
    )
    cursor = await db.execute(
        "UPDATE sessions SET state = '{}', context = '{}', updated_at = ?"
        " WHERE resident_id = ? AND NOT (state = '{}' AND context = '{}')",
        (now, resident_id),
    )
    return cursor.rowcount


async def stop_schedules(db: aiosqlite.Connection, resident_id: int) -> int:
    # A slot the sweep claimed a moment ago and has not started yet goes too.
    await db.execute("DELETE FROM checkin_queue WHERE resident_id = ?", (resident_id,))
    cursor = await db.execute(
        "UPDATE schedules SET active = 0, next_due_at = NULL, updated_at = ?"
        " WHERE resident_id = ? AND (active = 1 OR next_due_at IS NOT NULL)",
        (rows.now_text(), resident_id),
    )
    return cursor.rowcount


async def anonymise_alerts(
    db: aiosqlite.Connection, resident_id: int, summary: str, note: str
) -> list[int]:
    """Replace each alert's summary (and closing note) about the resident with words that name
    no one; return the alerts' ids. Kind, urgency, state and dates stay for the figures."""
    cursor = await db.execute(
        "UPDATE alerts SET summary = ?,"
        " closing_note = CASE WHEN closing_note IS NULL THEN NULL ELSE ? END"
        " WHERE resident_id = ? RETURNING id",
        (summary, note, resident_id),
    )
    return sorted(int(row[0]) for row in await cursor.fetchall())


def _page_pattern(alert_ids: list[int]) -> re.Pattern[str]:
    references = "|".join(str(alert_id) for alert_id in alert_ids)
    return re.compile(rf"\balert A(?:{references}):")


async def remove_alert_pages(db: aiosqlite.Connection, alert_ids: list[int], words: str) -> int:
    """Replace the text of the pages sent to catalysts and staff about these alerts (a page on
    Telegram carries the alert's summary, which may quote the resident)."""
    if not alert_ids:
        return 0
    pattern = _page_pattern(alert_ids)
    placeholders = ", ".join("?" for _ in alert_ids)
    async with db.execute(
        f"SELECT min(created_at) FROM alerts WHERE id IN ({placeholders})", alert_ids
    ) as cursor:
        row = await cursor.fetchone()
    first = row[0] if row and row[0] else ""
    # Pages are found by the alert reference in their text, which is sealed, so each page's
    # text is opened here: only pages sent since the first of the alerts, through the index
    # of texts still kept.
    async with db.execute(
        "SELECT id, body FROM messages WHERE body_removed_at IS NULL AND created_at >= ?"
        " AND person_id IS NOT NULL AND purpose = 'alert' AND direction = 'out'",
        (first,),
    ) as cursor:
        found = [int(row[0]) for row in await cursor.fetchall() if pattern.search(_open(row[1]))]
    now = rows.now_text()
    for message_id in found:
        await db.execute(
            "UPDATE messages SET body = ?, body_removed_at = ? WHERE id = ?",
            (words, now, message_id),
        )
    return len(found)


def _open(stored: str) -> str:
    try:
        return sealing.unseal(stored)
    except sealing.SealingError:
        return ""


async def remove_consent_notes(db: aiosqlite.Connection, resident_id: int) -> int:
    """Consents stay as facts (purpose, channel, given, how, when); any note written with one
    (the consent table has one from migration 0013 on) goes."""
    async with db.execute("SELECT name FROM pragma_table_info('consents')") as cursor:
        columns = {row[0] for row in await cursor.fetchall()}
    if "note" not in columns:
        return 0
    cursor = await db.execute(
        "UPDATE consents SET note = NULL WHERE resident_id = ? AND note IS NOT NULL",
        (resident_id,),
    )
    return cursor.rowcount
