"""This module contains `Services`: one of each use-case service, built once by the
composition root and shared by the JSON API, the admin pages and the CLI."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher

from bot.channels.telegram import TelegramUpdates
from bot.conversations import Conversations
from bot.dispatcher import Dispatcher
from bot.flow_library import StoredFlows
from bot.pipeline import Pipeline
from bot.programme import Programme
from bot.services.accounts import Accounts
from bot.services.alerts import Alerts
from bot.services.audit import Audit
from bot.services.calendar_feed import CalendarFeed
from bot.services.catalysts import Catalysts
from bot.services.checkin_ladder import CheckinLadders
from bot.services.checkin_rhythm import CheckinRhythm
from bot.services.checkins import Checkins
from bot.services.consent import Consent
from bot.services.conversation_view import ConversationView
from bot.services.dashboard import Dashboard
from bot.services.duty import DutyList
from bot.services.figures import Figures
from bot.services.flow_editor import FlowEditor
from bot.services.flow_simulator import FlowSimulator
from bot.services.flow_tests import FlowTests
from bot.services.flow_translations import FlowTranslations
from bot.services.links import Links
from bot.services.messages_out import MessagesOut
from bot.services.notes import Notes
from bot.services.pauses import Pauses
from bot.services.privacy import Privacy
from bot.services.qr import LinkCards
from bot.services.resident_import import NewResidents
from bot.services.resident_page import ResidentPage
from bot.services.resident_search import ResidentSearch
from bot.services.residents import Residents
from bot.services.results_export import ResultsExport
from bot.services.retention import Retention
from bot.services.safeguarding_texts import SafeguardingTexts
from bot.services.schedules import Schedules
from bot.services.tokens import Tokens
from bot.services.webchat import WebChatService
from flows.engine import Clock
from storage.database import Database


@dataclass(frozen=True)
class Services:
    residents: Residents
    catalysts: Catalysts
    schedules: Schedules
    checkins: Checkins
    alerts: Alerts
    links: Links
    consent: Consent
    tokens: Tokens
    conversation: ConversationView
    webchat: WebChatService
    accounts: Accounts
    audit: Audit
    dashboard: Dashboard
    figures: Figures
    results_export: ResultsExport
    new_residents: NewResidents
    link_cards: LinkCards
    resident_search: ResidentSearch
    resident_page: ResidentPage
    notes: Notes
    messages_out: MessagesOut
    rhythm: CheckinRhythm
    flow_editor: FlowEditor
    flow_simulator: FlowSimulator
    flow_tests: FlowTests
    flow_translations: FlowTranslations
    safeguarding_texts: SafeguardingTexts
    duty: DutyList
    privacy: Privacy
    retention: Retention
    pauses: Pauses
    calendar_feed: CalendarFeed
    ladders: CheckinLadders

    @classmethod
    def build(
        cls,
        *,
        db: Database,
        clock: Clock,
        flows: StoredFlows,
        conversations: Conversations,
        pipeline: Pipeline,
        dispatcher: Dispatcher,
        telegram: TelegramUpdates | None,
        telegram_status: Callable[[], str],
        programme: Programme,
        session_idle: timedelta = timedelta(minutes=30),
        password_hasher: PasswordHasher | None = None,
        languages: Sequence[str] | None = None,
        pass_on_minutes: float = 10,
        retention_months: int = 12,
    ) -> Services:
        consent = Consent(db, conversations.purpose_of)
        return cls(
            residents=Residents(db, consent, programme),
            catalysts=Catalysts(db),
            schedules=Schedules(db, clock, flows),
            checkins=Checkins(db, conversations, dispatcher.wake),
            alerts=Alerts(db, clock),
            links=Links(db, clock, telegram, telegram_status),
            consent=consent,
            tokens=Tokens(db, clock),
            conversation=ConversationView(db),
            webchat=WebChatService(db, pipeline, dispatcher),
            accounts=Accounts(db, clock, password_hasher or PasswordHasher(), session_idle),
            audit=Audit(db),
            dashboard=Dashboard(db),
            figures=Figures(db, ResultsExport(db, flows, clock), clock, programme.time_zone),
            results_export=ResultsExport(db, flows, clock),
            new_residents=NewResidents(db, clock, flows, programme),
            link_cards=LinkCards(db, Links(db, clock, telegram, telegram_status), Audit(db)),
            resident_search=ResidentSearch(db),
            resident_page=ResidentPage(db, ConversationView(db), Notes(db), Audit(db)),
            notes=Notes(db),
            messages_out=MessagesOut(db, clock, dispatcher.wake),
            rhythm=CheckinRhythm(db, Schedules(db, clock, flows)),
            flow_editor=FlowEditor(db, flows),
            flow_simulator=FlowSimulator(db, clock, programme, FlowEditor(db, flows)),
            flow_tests=FlowTests(FlowEditor(db, flows)),
            flow_translations=FlowTranslations(FlowEditor(db, flows)),
            safeguarding_texts=SafeguardingTexts(db, clock, languages),
            duty=DutyList(db, pass_on_minutes),
            privacy=Privacy(db, clock),
            retention=Retention(db, clock, retention_months),
            pauses=Pauses(db, clock, conversations),
            calendar_feed=CalendarFeed(db, clock),
            ladders=CheckinLadders(db, programme),
        )
