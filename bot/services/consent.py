"""This module contains consent: what each resident has agreed to, purpose by purpose
(check-ins, events, buddying) and channel by channel, and the record of every change.

A change comes from the resident in the chat, from a flow, from an import or the form that
added them, or from a catalyst or staff on their behalf, with a note of what the resident told
them. The history is only ever added to; the resident's page shows it in words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.services.access import Viewer
from bot.services.audit import resident_subject
from bot.services.errors import Invalid
from bot.services.lookups import resident_for_viewer
from bot.services.unit import Tx, reading, writing
from storage import audit, consents, identities, sessions
from storage.consents import PURPOSES, ConsentChange
from storage.database import Database
from storage.records import Resident

__all__ = [
    "CHANNEL_WORDS",
    "EVENTS_STOP_HINT",
    "EVERY_CHANNEL",
    "MAX_CONSENT_NOTE",
    "PURPOSES",
    "PURPOSE_WORDS",
    "Consent",
    "ConsentSection",
    "consent_section",
]

PURPOSE_WORDS = {"checkins": "Check-ins", "events": "Event news", "buddying": "Buddying"}
CHANNEL_WORDS = {"sms": "SMS", "telegram": "Telegram", "webchat": "Web chat"}
#: The line every event nudge carries, so a resident always knows how to stop event news: with
#: the nudge it must fit one SMS segment (the consent words stage understands it).
EVENTS_STOP_HINT = "Reply EVENTS OFF to stop event news."
#: What the form sends for a change on every channel at once.
EVERY_CHANNEL = "all"
#: The longest note on a change made on a resident's behalf.
MAX_CONSENT_NOTE = 1000
#: How a conversation ended because its purpose was withdrawn is recorded.
WITHDRAWN_OUTCOME = "consent_withdrawn"
#: Changes one page shows.
HISTORY_SHOWN = 100
#: How each source of a change reads on the resident's page.
SOURCE_WORDS = {
    "chat": "Said in the chat",
    "catalyst": "Recorded on their behalf",
    "form": "When they were added",
    "api": "Through the API",
    "demo": "Demo data",
}


@dataclass(frozen=True, slots=True)
class ConsentRow:
    """One purpose across the resident's channels, in words as well as yes or no."""

    purpose: str
    name: str
    #: (channel words, given) for each of the resident's channels, in the table's order.
    answers: list[tuple[str, bool]]


@dataclass(frozen=True, slots=True)
class ConsentEvent:
    """One change in the history, in words."""

    at: str
    what: str
    how: str
    who: str
    note: str


@dataclass(frozen=True, slots=True)
class ConsentSection:
    """What the resident's page shows of consent, and what its form offers."""

    #: The resident's channels as (value, words), the table's columns.
    channels: list[tuple[str, str]]
    rows: list[ConsentRow]
    history: list[ConsentEvent]
    purposes: dict[str, str]
    #: What the form's channel list offers: every channel, then each of theirs.
    channel_choices: list[tuple[str, str]]
    #: The longest note the form takes.
    max_note: int = MAX_CONSENT_NOTE


def how_words(source: str) -> str:
    if source.startswith("flow:"):
        return f"In a conversation ({source.removeprefix('flow:')})"
    if source.startswith("import"):
        return "From a spreadsheet import"
    if source.startswith("on their behalf"):
        return SOURCE_WORDS["catalyst"]  # as written before the actor and note had columns
    return SOURCE_WORDS.get(source, source)


def _event(change: ConsentChange, resident: Resident) -> ConsentEvent:
    purpose = PURPOSE_WORDS.get(change.purpose, change.purpose).lower()
    where = (
        "on every channel"
        if change.channel is None
        else f"on {CHANNEL_WORDS.get(change.channel, change.channel)}"
    )
    what = f"{'Agreed to' if change.given else 'Withdrew'} {purpose} {where}"
    if change.actor:
        who = change.actor
    elif change.source == "chat":
        who = resident.preferred_name
    else:
        who = "Companion"
    return ConsentEvent(change.at, what, how_words(change.source), who, change.note or "")


async def consent_section(conn: Tx, resident: Resident) -> ConsentSection:
    """The resident's consent as their page shows it (the caller has checked the viewer
    may see them)."""
    channels = [
        (found.channel, CHANNEL_WORDS.get(found.channel, found.channel))
        for found in await identities.identities_of_resident(conn, resident.id)
    ]
    channels = list(dict.fromkeys(channels))
    table = await consents.consent_table(conn, resident.id, [c for c, _ in channels])
    rows = [
        ConsentRow(
            purpose,
            PURPOSE_WORDS[purpose],
            [(words, table[purpose][channel]) for channel, words in channels],
        )
        for purpose in PURPOSES
    ]
    history = [
        _event(change, resident)
        for change in await consents.consent_changes(conn, resident.id, HISTORY_SHOWN)
    ]
    return ConsentSection(
        channels=channels,
        rows=rows,
        history=history,
        purposes=dict(PURPOSE_WORDS),
        channel_choices=[(EVERY_CHANNEL, "Every channel"), *channels],
    )


class Consent:
    def __init__(self, db: Database, purpose_of: Callable[[str, int], str] | None = None) -> None:
        self.db = db
        #: A flow's purpose by id and revision, so that consent withdrawn on a resident's
        #: behalf also ends a conversation of that purpose waiting for their reply.
        self.purpose_of = purpose_of

    async def current(self, resident_id: int, conn: Tx | None = None) -> dict[str, bool]:
        """Each purpose's answer on some channel (see `storage.consents.current_consents`)."""
        async with reading(self.db, conn) as work:
            return await consents.current_consents(work, resident_id)

    async def on_channel(
        self, resident_id: int, channel: str, conn: Tx | None = None
    ) -> dict[str, bool]:
        """Each purpose's answer on `channel`: what the dispatcher goes by."""
        async with reading(self.db, conn) as work:
            return await consents.consents_on_channel(work, resident_id, channel)

    async def by_channel(
        self, resident_id: int, conn: Tx | None = None
    ) -> dict[str, dict[str, bool]]:
        """Each of the resident's channels' answer for each purpose: {channel: {purpose: given}}."""
        async with reading(self.db, conn) as work:
            theirs = [i.channel for i in await identities.identities_of_resident(work, resident_id)]
            table = await consents.consent_table(work, resident_id, theirs)
        return {channel: {p: table[p][channel] for p in PURPOSES} for channel in theirs}

    async def record(
        self,
        resident_id: int,
        given: dict[str, bool],
        source: str,
        tx: Tx | None = None,
        *,
        channel: str | None = None,
        actor: str | None = None,
        note: str | None = None,
    ) -> None:
        """Record consent given or withdrawn for each purpose in `given`, on `channel` (None:
        every channel); `actor` and `note` for a change made on the resident's behalf."""
        for purpose in given:
            if purpose not in PURPOSES:
                raise Invalid(
                    "consents", f"'{purpose}' is not a purpose; use {', '.join(PURPOSES)}."
                )
        async with writing(self.db, tx) as work:
            for purpose, yes in given.items():
                await consents.record_consent(
                    work, resident_id, purpose, yes, source, channel, actor=actor, note=note
                )

    async def record_for_resident(
        self,
        viewer: Viewer,
        resident_id: int,
        *,
        purpose: str,
        channel: str,
        given: str,
        note: str,
        tx: Tx | None = None,
    ) -> str:
        """A catalyst or staff records consent given or withdrawn on the resident's behalf,
        with a note of what the resident told them; audited. Invalid (nothing saved) for a
        bad choice or a missing note. Returns the change in words."""
        if purpose not in PURPOSES:
            raise Invalid(
                "consent_purpose", "Choose what it is for: check-ins, events or buddying."
            )
        if given not in ("yes", "no"):
            raise Invalid("consent_given", "Choose whether they agreed or withdrew.")
        text = note.strip()
        if not text:
            raise Invalid(
                "consent_note",
                "Write what they told you, for example: She told me on the phone she'd like "
                "events.",
            )
        if len(text) > MAX_CONSENT_NOTE:
            raise Invalid(
                "consent_note",
                f"A note can be at most {MAX_CONSENT_NOTE} characters; this one has {len(text)}.",
            )
        async with writing(self.db, tx) as work:
            resident = await resident_for_viewer(work, viewer, resident_id)
            theirs = {i.channel for i in await identities.identities_of_resident(work, resident.id)}
            if channel != EVERY_CHANNEL and channel not in theirs:
                raise Invalid(
                    "consent_channel", "Choose every channel or one of the resident's channels."
                )
            on = None if channel == EVERY_CHANNEL else channel
            await consents.record_consent(
                work,
                resident.id,
                purpose,
                given == "yes",
                "catalyst",
                on,
                actor=viewer.actor,
                note=text,
            )
            if given == "no":
                table = await consents.consent_table(work, resident.id, theirs)
                if not any(table[purpose].values()):
                    # Nowhere left to reach them for it: a conversation of that purpose ends.
                    await self._end_waiting(work, resident.id, purpose)
            change = ConsentChange(0, purpose, on, given == "yes", "catalyst", "", None, None)
            what = _event(change, resident).what
            await audit.record(
                work, viewer.actor, "recorded consent", resident_subject(resident.id), change=what
            )
        return what

    async def _end_waiting(self, tx: Tx, resident_id: int, purpose: str) -> None:
        """End the resident's waiting conversation if it is of `purpose`: its next message
        would be refused, and their reply to it would go unanswered."""
        waiting = await sessions.waiting_session(tx, resident_id)
        if waiting is None or self.purpose_of is None:
            return
        if self.purpose_of(waiting.flow_id, waiting.revision) == purpose:
            await sessions.end_waiting(tx, resident_id, WITHDRAWN_OUTCOME)

    async def view(self, viewer: Viewer, resident_id: int) -> tuple[Resident, ConsentSection]:
        """The resident and their consent, for `viewer` (NotFound if they may not see them);
        the view is written to the audit log."""
        async with reading(self.db) as conn:
            resident = await resident_for_viewer(conn, viewer, resident_id)
            section = await consent_section(conn, resident)
        async with writing(self.db) as tx:
            await audit.record(tx, viewer.actor, "viewed", resident_subject(resident.id))
        return resident, section
