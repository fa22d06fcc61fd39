"""This module contains alerts as staff and catalysts see them: the inbox (open, acknowledged or
closed; urgent first, then newest), one alert with its history, "I'm on it", and closing an
alert with a note of what was done. A catalyst sees only alerts about their own residents.

The JSON API's plain listing and acknowledgement (`list_alerts`, `acknowledge`) are here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from bot import paging
from bot.clock import SystemClock
from bot.services.access import Ability, Viewer
from bot.services.audit import actor_words, resident_subject
from bot.services.errors import Conflict, Invalid, NotFound
from bot.services.safeguarding_record import record_history
from bot.services.unit import Tx, reading, writing
from flows.engine import Clock
from storage import alerts, audit, safeguarding
from storage.alerts import SHOWS, InboxAlert
from storage.database import Database
from storage.records import Alert, Person

STATUSES = ("open", "acknowledged", "closed")
#: The longest closing note kept.
NOTE_LIMIT = 2000

#: What each kind of alert is about, in words for the inbox.
KIND_WORDS = {
    "risk": "May need help now",
    "help": "Texted HELP",
    "low": "Feeling low",
    "call": "Would like a call",
    "missed": "Missed check-in",
    "all_clear": "All clear: replied after a missed check-in",
    "flow": "From a check-in or conversation",
    "message": "A message for their catalyst",
    "opted_out": "Asked for no more messages",
    "pace": "Asked to change how often we check in",
    "undeliverable": "Could not be reached",
    "channel": "Can no longer be reached on one channel",
    "rsvp": "Answered an event invitation",
    "link": "Needs a new Telegram link",
    "unknown_sender": "A message from someone we don't know yet",
    "consent": "Changed which messages they want",
    "privacy": "Asked about their data",
}
URGENCY_WORDS = {"urgent": "Urgent", "routine": "Routine"}
STATUS_WORDS = {"open": "Open", "acknowledged": "Someone is on it", "closed": "Closed"}
SHOW_WORDS = {
    "all": "All alerts",
    "mine": "Mine (my residents, or alerts I am on)",
    "unassigned": "Unassigned (nobody's resident: these come to staff)",
}


@dataclass(frozen=True, slots=True)
class AlertView:
    alert: Alert
    #: The reference the catalyst's page quoted, so they can find the alert it was about.
    reference: str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: str
    what: str


@dataclass(frozen=True, slots=True)
class AlertItem:
    """One alert, ready to show: its words, who it is about, what raised it, who is on it."""

    id: int
    reference: str
    kind: str
    kind_words: str
    urgency: str
    urgency_words: str
    status: str
    status_words: str
    summary: str
    resident_id: int | None
    resident_name: str | None
    created_at: str
    #: "3 hours ago", by the service's clock.
    age: str
    message_body: str | None
    message_at: str | None
    acknowledged_at: str | None
    acknowledged_by: str | None
    closed_at: str | None
    closed_by: str | None
    closing_note: str | None
    history: list[HistoryEntry] = field(default_factory=list)
    #: True when `history` is the alert's safeguarding record (only ever added to).
    record: bool = False


@dataclass(frozen=True, slots=True)
class Inbox:
    items: list[AlertItem]
    status: str
    show: str
    #: How many alerts are in each state, for the tabs.
    counts: dict[str, int]
    #: Whether this viewer sees everyone's alerts (and so may choose mine / all / unassigned).
    staff: bool
    #: Only alerts of this kind (a key of KIND_WORDS); empty for every kind.
    kind: str = ""


def _view(alert: Alert) -> AlertView:
    return AlertView(alert, paging.reference(alert))


def who(actor: str | None) -> str | None:
    """An actor as people read it ("abby (catalyst)"), or None."""
    return actor_words(actor) if actor else actor


def age_words(stamp: str, now: datetime) -> str:
    seconds = max(0, int((now - datetime.fromisoformat(stamp)).total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"


class Alerts:
    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or SystemClock()

    async def list_alerts(self, status: str | None = None) -> list[AlertView]:
        if status is not None and status not in STATUSES:
            raise Invalid("status", "status should be 'open', 'acknowledged' or 'closed'.")
        async with reading(self.db) as conn:
            return [_view(a) for a in await alerts.list_alerts(conn, status=status)]

    async def acknowledge(self, alert_id: int, by: str, tx: Tx | None = None) -> AlertView:
        async with writing(self.db, tx) as work:
            found = await alerts.get_alert(work, alert_id)
            if found is None:
                raise NotFound("alert", alert_id)
            if await alerts.acknowledge_alert(work, alert_id, by):
                await _keep_record(work, found, "acknowledged", by)
            alert = await alerts.get_alert(work, alert_id)
        assert alert is not None
        return _view(alert)

    async def inbox(
        self, viewer: Viewer, status: str = "open", show: str = "all", kind: str = ""
    ) -> Inbox:
        """The viewer's inbox: a catalyst's own residents' alerts; everyone's for staff, who
        may narrow it to theirs or to alerts about nobody's resident. Urgent alerts come first,
        then the newest; `kind` narrows it to one kind of alert (missed check-ins, calls...)."""
        if status not in STATUSES:
            raise Invalid("status", "Choose open, acknowledged or closed alerts.")
        if show not in SHOWS:
            raise Invalid("show", "Choose all, mine or unassigned alerts.")
        if kind and kind not in KIND_WORDS:
            raise Invalid("kind", "Choose a kind of alert from the list.")
        staff = viewer.may(Ability.STAFF_ALERTS)
        scope = None if staff else (viewer.person_id or -1)
        async with reading(self.db) as conn:
            found = await alerts.inbox(
                conn,
                status=status,
                catalyst_id=scope,
                show=show if staff else "all",
                person_id=viewer.person_id,
                actor=viewer.actor,
                kind=kind or None,
            )
            counts = await alerts.inbox_counts(conn, catalyst_id=scope)
        now = self.clock.now()
        return Inbox(
            [self._item(a, now) for a in found],
            status,
            show if staff else "all",
            {s: counts.get(s, 0) for s in STATUSES},
            staff,
            kind,
        )

    async def alert(self, viewer: Viewer, alert_id: int) -> AlertItem:
        """One alert with its history; its viewing is written in the audit log."""
        async with writing(self.db) as work:
            found = await self._visible(work, viewer, alert_id)
            await audit.record(work, viewer.actor, "viewed alert", _subject(found), alert=alert_id)
            record = await safeguarding.entries_for_alert(work, alert_id)
        item = self._item(found, self.clock.now(), with_history=True)
        if record:
            lines = record_history(record, found.resident_name)
            item = replace(item, history=[HistoryEntry(*line) for line in lines], record=True)
        return item

    async def add_to_record(self, viewer: Viewer, alert_id: int, note: str) -> AlertItem:
        """Add a note to a safeguarding alert's record, open or closed: the record is only
        ever added to, never edited."""
        note = _checked_note(note, "Write what you want added to the record.")
        async with writing(self.db) as work:
            found = await self._visible(work, viewer, alert_id)
            if not await safeguarding.has_record(work, alert_id):
                raise Invalid("note", "Only a safeguarding alert has a record to add to.")
            await safeguarding.add_entry(
                work, alert_id, found.alert.resident_id, "note", viewer.actor, note=note
            )
            await audit.record(
                work, viewer.actor, "added to safeguarding record", _subject(found), alert=alert_id
            )
        return await self.alert(viewer, alert_id)

    async def acknowledge_as(self, viewer: Viewer, alert_id: int) -> AlertItem:
        """ "I'm on it": the viewer takes the alert. Already taken, it stays with whoever took
        it; a closed alert cannot be taken."""
        async with writing(self.db) as work:
            found = await self._visible(work, viewer, alert_id)
            if found.alert.status == "closed":
                raise Conflict(f"Alert {paging.reference(found.alert)} is already closed.")
            if await alerts.acknowledge_alert(work, alert_id, viewer.actor):
                await audit.record(
                    work, viewer.actor, "acknowledged alert", _subject(found), alert=alert_id
                )
                await _keep_record(work, found.alert, "acknowledged", viewer.actor)
            after = await alerts.inbox_alert(work, alert_id)
        assert after is not None
        return self._item(after, self.clock.now())

    async def close(self, viewer: Viewer, alert_id: int, note: str) -> AlertItem:
        """Close the alert with a note of what was done; a blank or overlong note changes
        nothing."""
        note = _checked_note(
            note, "Write a note of what was done (for example: rang her, she is fine)."
        )
        async with writing(self.db) as work:
            found = await self._visible(work, viewer, alert_id)
            if not await alerts.close_alert(work, alert_id, viewer.actor, note):
                raise Conflict(f"Alert {paging.reference(found.alert)} is already closed.")
            await audit.record(work, viewer.actor, "closed alert", _subject(found), alert=alert_id)
            await _keep_record(work, found.alert, "closed", viewer.actor, note=note)
            after = await alerts.inbox_alert(work, alert_id)
        assert after is not None
        return self._item(after, self.clock.now())

    async def _visible(self, conn: Tx, viewer: Viewer, alert_id: int) -> InboxAlert:
        """The alert, if this viewer may see it; otherwise the same NotFound as for no alert."""
        found = await alerts.inbox_alert(conn, alert_id)
        if found is None:
            raise NotFound("alert", alert_id)
        if viewer.may(Ability.STAFF_ALERTS):
            return found
        if found.alert.resident_id is None or not viewer.sees_resident(found.resident_catalyst_id):
            raise NotFound("alert", alert_id)
        return found

    def _item(self, found: InboxAlert, now: datetime, *, with_history: bool = False) -> AlertItem:
        a = found.alert
        return AlertItem(
            id=a.id,
            reference=paging.reference(a),
            kind=a.kind,
            kind_words=KIND_WORDS.get(a.kind, a.kind.replace("_", " ").capitalize()),
            urgency=a.urgency,
            urgency_words=URGENCY_WORDS.get(a.urgency, a.urgency),
            status=a.status,
            status_words=STATUS_WORDS.get(a.status, a.status),
            summary=a.summary,
            resident_id=a.resident_id,
            resident_name=found.resident_name,
            created_at=a.created_at,
            age=age_words(a.created_at, now),
            message_body=found.message_body,
            message_at=found.message_at,
            acknowledged_at=a.acknowledged_at,
            acknowledged_by=who(a.acknowledged_by),
            closed_at=found.closed_at,
            closed_by=who(found.closed_by),
            closing_note=found.closing_note,
            history=_history(found) if with_history else [],
        )


def _checked_note(note: str, empty: str) -> str:
    note = note.strip()
    if not note:
        raise Invalid("note", empty)
    if len(note) > NOTE_LIMIT:
        raise Invalid("note", f"The note is too long: at most {NOTE_LIMIT} characters.")
    return note


async def _keep_record(work: Tx, alert: Alert, event: str, actor: str, **detail: str) -> None:
    """Someone has the alert: write it in its safeguarding record (if it has one), and stop
    passing it down the duty list."""
    await safeguarding.stop_passing_on(work, alert.id)
    if await safeguarding.has_record(work, alert.id):
        await safeguarding.add_entry(work, alert.id, alert.resident_id, event, actor, **detail)


def _subject(found: InboxAlert) -> str:
    resident_id = found.alert.resident_id
    return resident_subject(resident_id) if resident_id is not None else f"alert:{found.alert.id}"


def _history(found: InboxAlert) -> list[HistoryEntry]:
    """What happened to the alert, oldest first."""
    a = found.alert
    entries = []
    if found.message_at and found.message_body is not None:
        entries.append(HistoryEntry(found.message_at, "The message that raised it came in."))
    entries.append(HistoryEntry(a.created_at, "The alert was raised."))
    if a.paged_at and a.paged_at > a.created_at:
        entries.append(HistoryEntry(a.paged_at, "Word of it was sent to their catalyst or staff."))
    if a.acknowledged_at:
        entries.append(
            HistoryEntry(a.acknowledged_at, f"{who(a.acknowledged_by)} said they are on it.")
        )
    if found.closed_at:
        entries.append(HistoryEntry(found.closed_at, f"{who(found.closed_by)} closed it."))
    return sorted(entries, key=lambda e: e.at)


#: What came of an "OK A12" sent from the chat alerts are paged to.
TAKEN, ALREADY_TAKEN, ALREADY_CLOSED, NOT_THEIRS = "taken", "already", "closed", "unknown"


async def acknowledge_from_chat(tx: Tx, person: Person, alert_id: int) -> tuple[str, str | None]:
    """A catalyst or staff member takes an alert by replying to its page; return what came of
    it and who has it. Staff may take any alert; a catalyst, one about their own resident or
    one they were paged about from the duty list."""
    found = await alerts.inbox_alert(tx, alert_id)
    if found is None or not await _may_take(tx, person, found):
        return NOT_THEIRS, None
    if found.alert.status == "closed":
        return ALREADY_CLOSED, None
    actor = f"{person.role}:{person.first_name}"
    if not await alerts.acknowledge_alert(tx, alert_id, actor):
        return ALREADY_TAKEN, who(found.alert.acknowledged_by)
    await audit.record(tx, actor, "acknowledged alert by reply", _subject(found), alert=alert_id)
    await _keep_record(tx, found.alert, "acknowledged", actor)
    return TAKEN, None


async def _may_take(tx: Tx, person: Person, found: InboxAlert) -> bool:
    if person.role == "staff" or found.resident_catalyst_id == person.id:
        return True
    return found.alert.kind == "risk" and person.id in {
        p.id for p in await safeguarding.duty_list(tx)
    }
