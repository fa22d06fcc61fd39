"""This module contains a resident's privacy rights as use cases: export everything held about
them (as JSON and as a summary in plain words), and erase them (their personal data removed or
anonymised, the programme's figures kept). Both are written in the audit log.

The export's JSON has one stable shape, version 1; every time is ISO 8601 in UTC:

    {"format": "companion-resident-export", "version": 1, "exported_at": ...,
     "resident": {"id", "preferred_name", "first_name", "full_name", "language", "time_zone",
                  "quiet_hours": {"start", "end"}, "catalyst": {"id", "name"} | null,
                  "interests", "status", "paused_until", "erased_at"},
     "channels": [{"channel", "address", "reachable", "opted_out_at"}],
     "consents": {"now": {purpose: bool}, "history": [{"purpose", "channel", "given",
                  "source", "at", ...}]},
     "schedules": [{"kind", "flow_id", "rule", "starts_at", "next_due_at", "active"}],
     "conversations": [{"id", "flow_id", "revision", "status", "outcome", "started_at",
                        "updated_at", "state", "context"}],
     "results": [{"conversation_id", "flow_id", "name", "value", "label", "category", "at"}],
     "checkins": [{"due_at", "started_at", "moved_from", "channel", "status", "mood", "said",
                   "answered_at"}],
     "messages": [{"id", "direction", "channel", "address", "text", "purpose", "status",
                   "error", "at", "updated_at", "written_by"}],
     "alerts": [{"id", "kind", "urgency", "summary", "status", "raised_at",
                 "acknowledged_at", "acknowledged_by", "closed_at", "closed_by",
                 "closing_note"}],
     "notes": [{"at", "author", "text"}],
     "staff_messages": [{"message_id", "written_by", "at", "text"}],
     "audit": [{"at", "actor", "action", "detail"}],
     "safeguarding_record": [{"alert_id", "at", "event", "actor", "detail"}]}

Erasure keeps every row that a figure counts and removes what describes the resident (see
storage/erasure.py). It is refused while a safeguarding alert about them is open, and the
safeguarding record is kept: the programme has a legal duty to keep it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.services.access import Ability, Viewer
from bot.services.audit import resident_subject
from bot.services.errors import Conflict, Invalid, NotFound
from bot.services.lookups import resident_for_viewer, resident_or_not_found
from bot.services.unit import Tx, reading, writing
from flows.engine import Clock
from storage import (
    alerts,
    audit,
    checkins,
    consents,
    erasure,
    identities,
    notes,
    people,
    resident_export,
    resident_history,
    rows,
)
from storage.database import Database
from storage.records import Resident

EXPORT_FORMAT = "companion-resident-export"
EXPORT_VERSION = 1
#: As many rows of each kind as anyone could have: an export is everything.
EVERYTHING = 1_000_000
#: How the audit log names work done from the command line.
SHELL = "shell"

#: What an erased resident's message texts, alerts and closing notes say instead.
ERASED_TEXT = "(removed when the resident was erased)"
ERASED_ALERT = "About a resident who has since been erased."

#: Why the safeguarding record survives an erasure, in the words the admin and summary use.
SAFEGUARDING_KEPT = (
    "Any safeguarding record is kept, even when the rest is erased: the programme has a legal "
    "duty to keep it. It is encrypted and only staff can read it."
)

CHANNEL_WORDS = {"sms": "Text message (SMS)", "telegram": "Telegram", "webchat": "Web chat"}
PURPOSE_WORDS = {"checkins": "Check-ins", "events": "Event news", "buddying": "Buddying"}
DIRECTION_WORDS = {"in": "You wrote", "out": "We sent"}
CHECKIN_WORDS = {
    "waiting": "we asked how you were",
    "answered": "you answered",
    "not_today": "you said not today",
    "later": "you asked us to ask later",
    "missed": "no answer",
    "paused": "paused, so we did not ask",
    "declined": "you had stopped check-ins, so we did not ask",
    "ended": "the check-in ended early",
}
MOOD_WORDS = {"good": "good", "ok": "OK", "low": "not so good"}


@dataclass(frozen=True, slots=True)
class SummarySection:
    heading: str
    lines: list[str]


@dataclass(frozen=True, slots=True)
class ResidentExport:
    resident_id: int
    preferred_name: str
    #: The JSON shape in this module's docstring, as plain values.
    data: dict[str, Any]

    def as_json(self) -> str:
        return json.dumps(self.data, indent=2, ensure_ascii=False, default=str) + "\n"

    @property
    def summary(self) -> list[SummarySection]:
        return summary_of(self.data)

    def summary_text(self) -> str:
        """The summary as plain text, to print or give to the resident."""
        out = [f"What we hold about you, {self.data['resident']['preferred_name']}"]
        zone = _zone(self.data["resident"]["time_zone"])
        out.append(f"(exported {_when(self.data['exported_at'], zone)})")
        for section in self.summary:
            out += ["", section.heading, "-" * len(section.heading)]
            out += [f"- {line}" for line in section.lines]
        return "\n".join(out) + "\n"

    @property
    def filename(self) -> str:
        """A file name that names the resident by id only."""
        return f"resident-{self.resident_id}-data"


@dataclass(frozen=True, slots=True)
class ErasePreview:
    """What the erase page shows before the admin confirms."""

    resident: Resident
    erased_at: str | None
    #: Why erasing is refused now, in words; None when it may go ahead.
    refused: str | None
    #: What will be removed, as "12 message texts".
    removes: list[str]
    safeguarding_kept: str = SAFEGUARDING_KEPT


@dataclass(frozen=True, slots=True)
class Erasure:
    resident_id: int
    #: What was removed, by kind: counts only, never the removed text.
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return erasure.erased_name(self.resident_id)


def _plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {words or word + 's'}"


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/London")


def _when(stamp: str | None, zone: ZoneInfo) -> str:
    """A stored time as the resident reads it, on their own clock ("Tue 24 Nov 2026, 10:00")."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone)
    return f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M}"


def summary_of(data: dict[str, Any]) -> list[SummarySection]:
    """The export in plain words and headings, for the resident to read."""
    r = data["resident"]
    zone = _zone(r["time_zone"])

    def when(stamp: str | None) -> str:
        return _when(stamp, zone)

    catalyst = r["catalyst"]["name"] if r["catalyst"] else "nobody yet"
    details = [
        f"The name we call you: {r['preferred_name']}",
        f"Your first name: {r['first_name']}",
        f"Your full name: {r['full_name']}",
        f"Your Connection Catalyst: {catalyst}",
        f"Language: {r['language']}; time zone: {r['time_zone']}",
        f"No routine messages between {r['quiet_hours']['start']} and {r['quiet_hours']['end']}",
        f"Interests: {r['interests'] or 'none noted'}",
        f"Status: {r['status']}",
    ]
    if r["erased_at"]:
        details.append(f"Your personal data was erased on {when(r['erased_at'])}.")
    reach = [
        CHANNEL_WORDS.get(c["channel"], c["channel"])
        + ("" if c["channel"] == "webchat" else f": {c['address']}")
        + (f" (you said STOP on {when(c['opted_out_at'])})" if c["opted_out_at"] else "")
        for c in data["channels"]
    ] or ["We have no way to reach you."]
    agreed = [
        f"{PURPOSE_WORDS.get(p, p)}: {'yes' if given else 'no'}"
        for p, given in data["consents"]["now"].items()
    ]
    agreed += [
        f"On {when(c['at'])}: {'agreed to' if c['given'] else 'said no to'} "
        f"{PURPOSE_WORDS.get(c['purpose'], c['purpose']).lower()}"
        + (f" on {CHANNEL_WORDS.get(c['channel'], c['channel'])}" if c["channel"] else "")
        + f" ({c['source']})"
        for c in data["consents"]["history"]
    ]
    schedules = [
        f"{'Check-ins' if s['kind'] == 'checkin' else 'A follow-up'} ({s['flow_id']}): "
        + (f"next on {when(s['next_due_at'])}" if s["active"] and s["next_due_at"] else "stopped")
        for s in data["schedules"]
    ] or ["No check-ins are set."]
    conversations = [
        f"{c['flow_id']}, started {when(c['started_at'])}: {c['status']}"
        + (f" ({c['outcome']})" if c["outcome"] else "")
        for c in data["conversations"]
    ] or ["None yet."]
    answers = [
        f"{when(a['at'])}: {a['name']} = {a['label'] or a['value']}" for a in data["results"]
    ] or ["None yet."]
    checked_in = [
        f"{when(c['due_at'])}: {CHECKIN_WORDS.get(c['status'], c['status'])}"
        + (f", feeling {MOOD_WORDS.get(c['mood'], c['mood'])}" if c["mood"] else "")
        + (f' ("{c["said"]}")' if c["said"] else "")
        for c in data.get("checkins", [])
    ] or ["None yet."]
    messages = [
        f"{when(m['at'])} {DIRECTION_WORDS.get(m['direction'], m['direction'])} "
        f"({CHANNEL_WORDS.get(m['channel'], m['channel'])}, {m['status']}"
        + (f", written by {m['written_by']}" if m["written_by"] else "")
        + f"): {m['text']}"
        for m in data["messages"]
    ] or ["None yet."]
    raised = [
        f"{when(a['raised_at'])}: {a['summary']} ({a['urgency']}, {a['status']})"
        + (f"; closed by {a['closed_by']}: {a['closing_note']}" if a["closing_note"] else "")
        for a in data["alerts"]
    ] or ["None."]
    written = [f"{when(n['at'])}, {n['author']}: {n['text']}" for n in data["notes"]] or ["None."]
    looked = [f"{when(e['at'])}: {e['actor']} {e['action']}" for e in data["audit"]] or ["None."]
    safeguarding = [
        f"{when(e['at'])}: {e['event']} ({e['actor']})" for e in data["safeguarding_record"]
    ]
    safeguarding = [*(safeguarding or ["None."]), SAFEGUARDING_KEPT]
    return [
        SummarySection("Your details", details),
        SummarySection("How we reach you", reach),
        SummarySection("What you agreed to", agreed),
        SummarySection("When we check in", schedules),
        SummarySection(f"Your conversations ({len(data['conversations'])})", conversations),
        SummarySection(f"Your answers ({len(data['results'])})", answers),
        SummarySection(f"Your check-ins ({len(data.get('checkins', []))})", checked_in),
        SummarySection(f"Your messages ({len(data['messages'])})", messages),
        SummarySection(f"Alerts about you ({len(data['alerts'])})", raised),
        SummarySection(f"Notes about you ({len(data['notes'])})", written),
        SummarySection("Who has looked at or changed your record", looked),
        SummarySection("Safeguarding record", safeguarding),
    ]


class Privacy:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def export(self, viewer: Viewer, resident_id: int) -> ResidentExport:
        """Everything held about a resident the viewer may see (NotFound otherwise); the export
        is written in the audit log."""
        async with writing(self.db) as tx:
            resident = await resident_for_viewer(tx, viewer, resident_id)
            return await self._export(tx, resident, viewer.actor)

    async def export_from_shell(self, resident_id: int) -> ResidentExport:
        async with writing(self.db) as tx:
            resident = await resident_or_not_found(tx, resident_id)
            return await self._export(tx, resident, SHELL)

    async def _export(self, tx: Tx, resident: Resident, actor: str) -> ResidentExport:
        # Read and audited in one transaction, so the log says exactly what was handed out.
        data = await _gather(tx, resident, rows.now_text(self.clock.now()))
        await audit.record(
            tx,
            actor,
            "exported their data",
            resident_subject(resident.id),
            messages=len(data["messages"]),
            notes=len(data["notes"]),
        )
        return ResidentExport(resident.id, resident.preferred_name, data)

    async def preview(self, viewer: Viewer, resident_id: int) -> ErasePreview:
        """What erasing the resident would remove, and whether it is refused now."""
        _may_erase(viewer, resident_id)
        async with reading(self.db) as conn:
            resident = await resident_for_viewer(conn, viewer, resident_id)
            erased_at = await resident_export.erased_at(conn, resident.id)
            refused = await _refusal(conn, resident, erased_at)
            data = await _gather(conn, resident, "")
        removes = [
            "their names and interests",
            _plural(len(data["channels"]), "way to reach them", "ways to reach them")
            + " (numbers and chats)",
            _plural(len(data["messages"]), "message text"),
            _plural(len(data["notes"]), "note"),
            "what they typed in their answers (the answers picked from a list stay, unnamed)",
            "what their conversations remembered",
            _plural(len(data["alerts"]), "alert summary", "alert summaries")
            + " (replaced by words naming no one)",
            "their check-in schedule (stopped)",
        ]
        return ErasePreview(resident, erased_at, refused, removes)

    async def erase(self, viewer: Viewer, resident_id: int, typed_name: str) -> Erasure:
        """Erase a resident once the admin has typed their preferred name; Invalid when it does
        not match, Conflict while a safeguarding alert about them is open."""
        _may_erase(viewer, resident_id)
        async with writing(self.db) as tx:
            resident = await resident_for_viewer(tx, viewer, resident_id)
            if typed_name.strip().casefold() != resident.preferred_name.strip().casefold():
                raise Invalid(
                    "name",
                    f"Type {resident.preferred_name}'s preferred name exactly as shown, to "
                    "confirm that this is the resident to erase.",
                )
            return await self._erase(tx, resident, viewer.actor)

    async def erase_from_shell(self, resident_id: int) -> Erasure:
        async with writing(self.db) as tx:
            resident = await resident_or_not_found(tx, resident_id)
            return await self._erase(tx, resident, SHELL)

    async def _erase(self, tx: Tx, resident: Resident, actor: str) -> Erasure:
        refused = await _refusal(tx, resident, await resident_export.erased_at(tx, resident.id))
        if refused:
            raise Conflict(refused)
        rid = resident.id
        removed = {
            "outbox messages cancelled": await erasure.cancel_waiting_messages(tx, rid),
            "message texts": await erasure.remove_message_texts(tx, rid, ERASED_TEXT),
            "admin message authors": await erasure.remove_staff_message_authors(tx, rid),
            "channels": await erasure.remove_channels(tx, rid),
            "notes": await erasure.remove_notes(tx, rid),
            "free-text answers": await erasure.remove_free_text_results(tx, rid),
            "check-in words": await erasure.remove_checkin_words(tx, rid),
            "conversation states": await erasure.empty_sessions(tx, rid),
            "schedules stopped": await erasure.stop_schedules(tx, rid),
            "consent notes": await erasure.remove_consent_notes(tx, rid),
        }
        alert_ids = await erasure.anonymise_alerts(tx, rid, ERASED_ALERT, ERASED_TEXT)
        removed["alert summaries"] = len(alert_ids)
        removed["alert pages"] = await erasure.remove_alert_pages(tx, alert_ids, ERASED_TEXT)
        await erasure.anonymise_resident(tx, rid)
        # Counts only: the log must not keep what was erased.
        await audit.record(tx, actor, "erased", resident_subject(rid), removed=removed)
        return Erasure(rid, removed)


def _may_erase(viewer: Viewer, resident_id: int) -> None:
    if not viewer.may(Ability.ERASE_RESIDENTS):
        raise NotFound("resident", resident_id)


async def _refusal(conn: Tx, resident: Resident, erased_at: str | None) -> str | None:
    if erased_at:
        return f"Resident R{resident.id} was erased already, on {erased_at}."
    if await alerts.has_open_risk(conn, resident.id):
        return (
            f"{resident.preferred_name} has a safeguarding alert that is still open. Close it "
            "(with a note of what was done) before erasing their data."
        )
    return None


async def _gather(conn: Tx, resident: Resident, now: str) -> dict[str, Any]:
    """Everything held about `resident`, in the export's JSON shape."""
    rid = resident.id
    catalyst = await people.get_person(conn, resident.catalyst_id) if resident.catalyst_id else None
    conversation = await resident_history.latest_conversation(conn, rid, EVERYTHING)
    alert_rows: list[dict[str, Any]] = []
    for found in await resident_history.alerts_about(conn, rid, EVERYTHING):
        closing = await alerts.inbox_alert(conn, found.id)
        alert_rows.append(
            {
                "id": found.id,
                "kind": found.kind,
                "urgency": found.urgency,
                "summary": found.summary,
                "status": found.status,
                "raised_at": found.created_at,
                "acknowledged_at": found.acknowledged_at,
                "acknowledged_by": found.acknowledged_by,
                "closed_at": closing.closed_at if closing else None,
                "closed_by": closing.closed_by if closing else None,
                "closing_note": closing.closing_note if closing else None,
            }
        )
    alert_rows.sort(key=lambda a: int(a["id"]))
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": now,
        "resident": {
            "id": rid,
            "preferred_name": resident.preferred_name,
            "first_name": resident.first_name,
            "full_name": resident.full_name,
            "language": resident.language,
            "time_zone": resident.time_zone,
            "quiet_hours": {"start": resident.quiet_start, "end": resident.quiet_end},
            "catalyst": {"id": catalyst.id, "name": catalyst.full_name} if catalyst else None,
            "interests": resident.interests,
            "status": resident.status,
            "paused_until": resident.paused_until,
            "erased_at": await resident_export.erased_at(conn, rid),
        },
        "channels": [
            {
                "channel": found.channel,
                "address": found.address,
                "reachable": found.reachable,
                "opted_out_at": found.opted_out_at,
            }
            for found in await identities.identities_of_resident(conn, rid)
        ],
        "consents": {
            "now": await consents.current_consents(conn, rid),
            "history": await consents.consent_history(conn, rid),
        },
        "schedules": [
            {
                "kind": s.kind,
                "flow_id": s.flow_id,
                "rule": s.rule,
                "starts_at": s.starts_at,
                "next_due_at": s.next_due_at,
                "active": s.active,
            }
            for s in await resident_export.schedules_of(conn, rid)
        ],
        "conversations": [
            {
                "id": s.session.id,
                "flow_id": s.session.flow_id,
                "revision": s.session.revision,
                "status": s.session.status,
                "outcome": s.outcome,
                "started_at": s.started_at,
                "updated_at": s.updated_at,
                "state": s.session.state,
                "context": s.session.context,
            }
            for s in await resident_export.sessions_of(conn, rid)
        ],
        "results": [
            {
                "conversation_id": r.session_id,
                "flow_id": r.flow_id,
                "name": r.name,
                "value": r.value,
                "label": r.label,
                "category": r.category,
                "at": r.at,
            }
            for r in reversed(await resident_history.results_of(conn, rid, EVERYTHING))
        ],
        "checkins": [
            {
                "due_at": c.due_at,
                "started_at": c.started_at,
                "moved_from": c.moved_from,
                "channel": c.channel,
                "status": c.status,
                "mood": c.mood,
                "said": c.said,
                "answered_at": c.answered_at,
            }
            for c in await checkins.history(conn, rid)
        ],
        "messages": [
            {
                "id": line.message.id,
                "direction": line.message.direction,
                "channel": line.message.channel,
                "address": line.message.address,
                "text": line.message.body,
                "purpose": line.message.purpose,
                "status": line.message.status,
                "error": line.message.error,
                "at": line.message.created_at,
                "updated_at": line.message.updated_at,
                "written_by": line.sent_by,
            }
            for line in conversation
        ],
        "alerts": alert_rows,
        "notes": [
            {"at": n.at, "author": n.author, "text": n.body}
            for n in reversed(await notes.notes_of(conn, rid, EVERYTHING))
        ],
        "staff_messages": [
            {
                "message_id": line.message.id,
                "written_by": line.sent_by,
                "at": line.message.created_at,
                "text": line.message.body,
            }
            for line in conversation
            if line.sent_by is not None
        ],
        "audit": [
            {
                "at": e["at"],
                "actor": e["actor"],
                "action": e["action"],
                "detail": json.loads(e["detail"] or "{}"),
            }
            for e in reversed(await audit.entries(conn, EVERYTHING, subject=resident_subject(rid)))
        ],
        "safeguarding_record": await resident_export.safeguarding_entries(conn, rid),
    }
