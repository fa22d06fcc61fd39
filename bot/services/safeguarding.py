"""This module contains safeguarding's use case for a message that signals risk: which risk, the
fixed reply in the language the resident wrote in, the urgent alert, and the alert's record.

It runs inside the inbound message's own transaction (the pipeline's safeguarding stage calls
it), so the reply, the alert and the record are written together with the message, or not at
all. The detector and the replies are the ones staff keep in the admin
(`bot.services.safeguarding_texts`), on top of the files under bot/triage/.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from bot.services.safeguarding_texts import detector_for, reply_for
from bot.triage.language import identify
from bot.triage.safeguarding import KIND_WORDS, RiskMatch
from storage import alerts, safeguarding, sessions
from storage.records import Resident


@dataclass(frozen=True, slots=True)
class RiskResponse:
    """What was done about a risk message: the alert raised, and the replies to send (none
    when the resident has opted out of messages there: a person still follows it up)."""

    risk: RiskMatch
    alert_id: int
    replies: tuple[str, ...]


async def assess(tx: aiosqlite.Connection, text: str, languages: Sequence[str]) -> RiskMatch | None:
    """The most pressing risk `text` signals, by every configured language's phrases."""
    detector = await detector_for(tx, languages)
    return detector.triage(text)


def reply_languages(
    risk: RiskMatch, text: str, record_language: str, languages: Sequence[str]
) -> tuple[str, ...]:
    """The languages to reply in: the one the resident wrote in, and also the one on their
    record when that differs (a wrong guess must never leave them with a reply they cannot
    read). The phrase that matched says the language best when it is not English, since an
    English word ("help") turns up in messages in any language."""
    written = risk.language if risk.language != "en" else identify(text, languages) or "en"
    ordered = [written]
    if record_language != written and record_language in languages:
        ordered.append(record_language)
    return tuple(ordered)


async def respond(
    tx: aiosqlite.Connection,
    resident: Resident,
    risk: RiskMatch,
    *,
    text: str,
    message_id: int,
    channel: str,
    opted_out: bool,
    languages: Sequence[str],
) -> RiskResponse:
    """Raise the alert for `risk`, start its record, and choose the fixed replies."""
    kind_words = KIND_WORDS[risk.kind]
    known = resident.status != "unknown"
    who = resident.preferred_name if known else f"Someone we don't know yet (by {channel})"
    alert = await alerts.alert_for(
        tx,
        resident,
        kind="risk",
        urgency="urgent" if risk.urgent else "routine",
        summary=f"{who} may need help now: {kind_words.lower()}. Please contact them.",
        message_id=message_id,
    )
    await safeguarding.add_entry(
        tx,
        alert.id,
        resident.id,
        "raised",
        "system",
        said=text,
        kind=str(risk.kind),
        kind_words=kind_words,
        language=risk.language,
        phrase=risk.phrase,
        urgent=risk.urgent,
        channel=channel,
    )
    if risk.urgent:
        # A person is taking over: a check-in waiting for an answer must not carry on with
        # reminders ("Just checking: how are you?") after someone has said they are in danger.
        await sessions.end_waiting(tx, resident.id, "safeguarding")
    if opted_out:
        await safeguarding.add_entry(
            tx,
            alert.id,
            resident.id,
            "reply_held",
            "system",
            why=f"they had asked for no more messages by {channel}; a person follows it up",
        )
        return RiskResponse(risk, alert.id, ())
    languages_chosen = reply_languages(risk, text, resident.language, languages)
    replies = tuple(
        dict.fromkeys([await reply_for(tx, risk.kind, language) for language in languages_chosen])
    )
    return RiskResponse(risk, alert.id, replies)


async def replied(
    tx: aiosqlite.Connection, response: RiskResponse, resident: Resident, text: str
) -> None:
    """Write in the record that a fixed reply went (it is queued ahead of anything routine)."""
    await safeguarding.add_entry(tx, response.alert_id, resident.id, "replied", "system", text=text)
