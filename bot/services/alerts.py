"""This module contains alerts as staff see them: listed (open, acknowledged or all), and
acknowledged by someone, with the short reference that pages quote."""

from __future__ import annotations

from dataclasses import dataclass

from bot import paging
from bot.services.errors import Invalid, NotFound
from bot.services.unit import Tx, reading, writing
from storage import alerts
from storage.database import Database
from storage.records import Alert

STATUSES = ("open", "acknowledged")


@dataclass(frozen=True, slots=True)
class AlertView:
    alert: Alert
    #: The reference the catalyst's page quoted, so they can find the alert it was about.
    reference: str


def _view(alert: Alert) -> AlertView:
    return AlertView(alert, paging.reference(alert))


class Alerts:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def list_alerts(self, status: str | None = None) -> list[AlertView]:
        if status is not None and status not in STATUSES:
            raise Invalid("status", "status should be 'open' or 'acknowledged'.")
        async with reading(self.db) as conn:
            return [_view(a) for a in await alerts.list_alerts(conn, status=status)]

    async def acknowledge(self, alert_id: int, by: str, tx: Tx | None = None) -> AlertView:
        async with writing(self.db, tx) as work:
            if await alerts.get_alert(work, alert_id) is None:
                raise NotFound("alert", alert_id)
            await alerts.acknowledge_alert(work, alert_id, by)
            alert = await alerts.get_alert(work, alert_id)
        assert alert is not None
        return _view(alert)
