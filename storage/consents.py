"""This module stores consent per purpose and per channel as a history: never updated, only
added to. The answer for a purpose on a channel is the newest row for that channel or for every
channel (channel NULL), whichever came last."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import aiosqlite

from storage import rows, sealing

PURPOSES = ("checkins", "events", "buddying")


@dataclass(frozen=True, slots=True)
class ConsentChange:
    """One row of the history: a purpose given or withdrawn, on one channel or on all (None)."""

    id: int
    purpose: str
    channel: str | None
    given: bool
    #: How: "chat", "catalyst", "flow:<flow id>", "import", "form", "api", "demo".
    source: str
    at: str
    #: The staff account that recorded it on the resident's behalf, if one did.
    actor: str | None
    #: What the resident told them, for a change made on their behalf.
    note: str | None


async def record_consent(
    db: aiosqlite.Connection,
    resident_id: int,
    purpose: str,
    given: bool,
    source: str,
    channel: str | None = None,
    *,
    actor: str | None = None,
    note: str | None = None,
) -> None:
    if purpose not in PURPOSES:
        raise ValueError(f"Purpose '{purpose}' is not one of {', '.join(PURPOSES)}.")
    await db.execute(
        "INSERT INTO consents (resident_id, purpose, channel, given, source, at, actor, note)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            resident_id,
            purpose,
            channel,
            int(given),
            source,
            rows.now_text(),
            actor,
            sealing.seal_optional(note),
        ),
    )


class _Answer(NamedTuple):
    row_id: int
    given: bool


_NEVER = _Answer(0, False)
_Newest = dict[tuple[str, str | None], _Answer]


async def _newest(db: aiosqlite.Connection, resident_id: int) -> _Newest:
    """Each (purpose, channel)'s newest answer (channel None: every channel)."""
    # SQLite gives the bare columns of the row holding MAX(id) in a grouped query.
    async with db.execute(
        "SELECT purpose, channel, MAX(id) AS row_id, given FROM consents WHERE resident_id = ?"
        " GROUP BY purpose, channel",
        (resident_id,),
    ) as cursor:
        return {
            (row["purpose"], row["channel"]): _Answer(int(row["row_id"]), bool(row["given"]))
            for row in await cursor.fetchall()
        }


def _answer(newest: _Newest, purpose: str, channel: str | None) -> bool:
    every = newest.get((purpose, None), _NEVER)
    own = newest.get((purpose, channel), _NEVER) if channel is not None else _NEVER
    # The later of the two counts; a purpose never answered is no.
    return (own if own.row_id > every.row_id else every).given


async def consents_on_channel(
    db: aiosqlite.Connection, resident_id: int, channel: str
) -> dict[str, bool]:
    """Each purpose's answer on `channel`: the newest row for it or for every channel."""
    newest = await _newest(db, resident_id)
    return {purpose: _answer(newest, purpose, channel) for purpose in PURPOSES}


async def consent_table(
    db: aiosqlite.Connection, resident_id: int, channels: Iterable[str]
) -> dict[str, dict[str, bool]]:
    """Each purpose's answer on each of `channels`: {purpose: {channel: given}}."""
    newest = await _newest(db, resident_id)
    wanted = list(channels)
    return {
        purpose: {channel: _answer(newest, purpose, channel) for channel in wanted}
        for purpose in PURPOSES
    }


async def current_consents(db: aiosqlite.Connection, resident_id: int) -> dict[str, bool]:
    """Each purpose's answer anywhere: yes when the newest every-channel answer is yes, or a
    later answer for one channel is; a purpose never answered is False. Whether a message may
    go on a channel is `consents_on_channel`'s to say (the dispatcher asks it)."""
    newest = await _newest(db, resident_id)
    answers: dict[str, bool] = {}
    for purpose in PURPOSES:
        every = newest.get((purpose, None), _NEVER)
        later = [
            answer
            for (found, channel), answer in newest.items()
            if found == purpose and channel is not None and answer.row_id > every.row_id
        ]
        answers[purpose] = every.given or any(answer.given for answer in later)
    return answers


async def consent_changes(
    db: aiosqlite.Connection, resident_id: int, limit: int | None = None
) -> list[ConsentChange]:
    """The history, newest first (at most `limit` rows)."""
    async with db.execute(
        "SELECT id, purpose, channel, given, source, at, actor, note FROM consents"
        " WHERE resident_id = ? ORDER BY id DESC LIMIT ?",
        (resident_id, -1 if limit is None else limit),
    ) as cursor:
        return [
            ConsentChange(
                id=int(r["id"]),
                purpose=r["purpose"],
                channel=r["channel"],
                given=bool(r["given"]),
                source=r["source"],
                at=r["at"],
                actor=r["actor"],
                note=sealing.unseal_optional(r["note"]),
            )
            for r in await cursor.fetchall()
        ]


async def consent_history(db: aiosqlite.Connection, resident_id: int) -> list[dict[str, object]]:
    """The history, oldest first, as plain data (for exports and the link stage)."""
    return [
        {
            "purpose": change.purpose,
            "channel": change.channel,
            "given": change.given,
            "source": change.source,
            "at": change.at,
            "actor": change.actor,
            "note": change.note,
        }
        for change in reversed(await consent_changes(db, resident_id))
    ]
