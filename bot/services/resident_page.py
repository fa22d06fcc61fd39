"""This module contains everything a resident's page shows, read at once for someone who may
see the resident, with the view in the audit log: their details, channels and consents, the
check-in rhythm, the conversation, alerts, results of past flows, life maps and notes.

Life maps are read from the `life_map` flow's results (area_home ... area_helping_others,
focus, second), one map per conversation, as the red, amber and green picture residents know.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.services import checkin_history
from bot.services.access import Viewer
from bot.services.audit import Audit, resident_subject
from bot.services.checkin_history import CheckinHistory
from bot.services.checkin_rhythm import RhythmForm, form_values
from bot.services.consent import ConsentSection, consent_section
from bot.services.conversation_view import ConversationLine, ConversationView
from bot.services.lookups import resident_for_viewer
from bot.services.notes import Note, Notes
from bot.services.pauses import paused_words
from bot.services.schedules import CheckinSchedule, schedule_view
from bot.services.unit import reading
from storage import checkin_starts, consents, identities, people, resident_history, schedules
from storage.checkin_starts import Queued
from storage.database import Database
from storage.records import Alert, Identity, Person, Resident
from storage.resident_history import Result

#: The flow whose results are a life map, and its areas in the order residents answer them.
LIFE_MAP_FLOW = "life_map"
LIFE_MAP_AREAS = (
    ("area_home", "Home"),
    ("area_health", "Health"),
    ("area_money", "Money"),
    ("area_friends", "Friends and family"),
    ("area_getting_out", "Getting out"),
    ("area_learning", "Learning"),
    ("area_helping_others", "Helping others"),
)
#: Each answer's colour and the words shown with it, so that colour is never the only signal.
LIFE_MAP_WORDS = {
    "red": "Red: stuck, needs help",
    "amber": "Amber: some worries",
    "green": "Green: going well",
    "skip": "Skipped",
}
#: The answer to "is there a second one?" that means there is not.
NO_SECOND = "done"
#: Results and alerts one page shows.
SHOWN = 100

CHANNEL_WORDS = {"sms": "SMS", "telegram": "Telegram", "webchat": "Web chat"}
PURPOSE_WORDS = {"checkins": "Check-ins", "events": "Event news", "buddying": "Buddying"}


@dataclass(frozen=True, slots=True)
class ChannelView:
    identity: Identity
    name: str
    #: "can be reached", "opted out (STOP) on ...", "cannot be reached".
    state: str
    usable: bool


@dataclass(frozen=True, slots=True)
class ConsentView:
    purpose: str
    name: str
    given: bool


@dataclass(frozen=True, slots=True)
class LifeMapArea:
    name: str
    #: red, amber, green, skip, or "none" for a part not answered.
    colour: str
    words: str


@dataclass(frozen=True, slots=True)
class LifeMap:
    session_id: int
    at: str
    areas: list[LifeMapArea]
    #: The parts the resident chose to work on, in their order.
    focus: list[str]


@dataclass(frozen=True, slots=True)
class WaitingCheckin:
    """A check-in due, waiting its turn to go: when it fell due (stored UTC text) and the
    channel it waits for, in words."""

    due_at: str
    channel: str


@dataclass(frozen=True, slots=True)
class ResidentPageView:
    resident: Resident
    catalyst: Person | None
    channels: list[ChannelView]
    consents: list[ConsentView]
    #: Consent per purpose and channel, its history, and the form to record a change.
    consent: ConsentSection
    schedule: CheckinSchedule | None
    rhythm_form: RhythmForm
    conversation: list[ConversationLine]
    alerts: list[Alert]
    results: list[Result]
    life_maps: list[LifeMap]
    notes: list[Note]
    checkins: CheckinHistory
    #: A check-in that fell due and waits for its channel to have room (many were due at once).
    waiting: WaitingCheckin | None = None


def _waiting(queued: Queued | None) -> WaitingCheckin | None:
    if queued is None:
        return None
    channel = CHANNEL_WORDS.get(queued.channel or "", "the first channel free")
    return WaitingCheckin(queued.due_at, channel)


def status_words(resident: Resident) -> str:
    if resident.status == "paused":
        return paused_words(resident)
    return {"active": "Active", "stopped": "Stopped: no messages", "unknown": "Not added yet"}.get(
        resident.status, resident.status
    )


def _channel(identity: Identity) -> ChannelView:
    if identity.opted_out_at:
        state, usable = "opted out (said STOP)", False
    elif not identity.reachable:
        state, usable = "cannot be reached (messages to it failed)", False
    else:
        state, usable = "can be reached", True
    return ChannelView(
        identity, CHANNEL_WORDS.get(identity.channel, identity.channel), state, usable
    )


def life_maps(results: list[Result]) -> list[LifeMap]:
    """Each life map in `results` (newest first), one per conversation, latest first."""
    by_session: dict[int, list[Result]] = {}
    for result in results:
        if result.flow_id == LIFE_MAP_FLOW:
            by_session.setdefault(result.session_id, []).append(result)
    maps = []
    for session_id, found in by_session.items():
        # Newest first, so the first answer seen for a name is the one that stands.
        answers: dict[str, Result] = {}
        for result in found:
            answers.setdefault(result.name, result)
        areas = []
        for name, title in LIFE_MAP_AREAS:
            answer = answers.get(name)
            colour = str(answer.value) if answer is not None else "none"
            if colour not in LIFE_MAP_WORDS:
                colour = "none"
            areas.append(LifeMapArea(title, colour, LIFE_MAP_WORDS.get(colour, "Not answered")))
        if all(area.colour == "none" for area in areas):
            continue
        focus = []
        first, second = answers.get("focus"), answers.get("second")
        if first is not None:
            focus.append(first.label)
        if second is not None and second.value not in (NO_SECOND, getattr(first, "value", None)):
            focus.append(second.label)
        maps.append(LifeMap(session_id, found[0].at, areas, focus))
    return sorted(maps, key=lambda found: found.session_id, reverse=True)


class ResidentPage:
    def __init__(
        self, db: Database, conversation: ConversationView, notes: Notes, audit: Audit
    ) -> None:
        self.db = db
        self.conversation = conversation
        self.notes = notes
        self.audit = audit

    async def view(self, viewer: Viewer, resident_id: int) -> ResidentPageView:
        """The resident's page for `viewer` (NotFound if they may not see them); the view is
        written to the audit log."""
        async with reading(self.db) as conn:
            resident = await resident_for_viewer(conn, viewer, resident_id)
            catalyst = (
                await people.get_person(conn, resident.catalyst_id)
                if resident.catalyst_id
                else None
            )
            given = await consents.current_consents(conn, resident.id)
            schedule = schedule_view(
                await schedules.checkin_schedule(conn, resident.id), resident.time_zone
            )
            results = await resident_history.results_of(conn, resident.id, SHOWN * 3)
            page = ResidentPageView(
                resident=resident,
                catalyst=catalyst,
                channels=[
                    _channel(found)
                    for found in await identities.identities_of_resident(conn, resident.id)
                ],
                consents=[
                    ConsentView(purpose, words, given.get(purpose, False))
                    for purpose, words in PURPOSE_WORDS.items()
                ],
                consent=await consent_section(conn, resident),
                schedule=schedule,
                rhythm_form=form_values(schedule.rule if schedule else None),
                conversation=await self.conversation.latest(viewer, resident.id, conn),
                alerts=await resident_history.alerts_about(conn, resident.id, SHOWN),
                results=results[:SHOWN],
                life_maps=life_maps(results),
                notes=await self.notes.of(viewer, resident.id, conn),
                checkins=await checkin_history.history(conn, resident),
                waiting=_waiting(await checkin_starts.queued_for(conn, resident.id)),
            )
        await self.audit.record(viewer.actor, "viewed", resident_subject(resident.id))
        return page
