"""Tests of the API's check-in schedule for what issue 11 adds: a one-off check-in at a date and
time, a check-in flow that must be written for check-ins, and a slot quiet hours moved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot.app import create_app
from bot.demo import demo_token, seed_demo
from tests.bot.conftest import MovableClock, make_services
from tests.bot.test_api import Api


@pytest.fixture
def schedule_api(tmp_path: Path) -> Iterator[Api]:
    services = make_services(tmp_path, MovableClock())
    with TestClient(create_app(services, background=False)) as client:
        assert client.portal is not None
        ids = client.portal.call(seed_demo, services)
        token = client.portal.call(demo_token, services)
        yield Api(client, token, ids, services)


def test_a_one_off_check_in_is_set_and_described_back(schedule_api: Api) -> None:
    path = f"/residents/{schedule_api.ids['Pat']}/checkin-schedule"
    response = schedule_api.put(path, {"every": "once", "on": "2026-12-08", "at": "21:00"})
    assert response.status_code == 200, response.text
    schedule = response.json()["checkin_schedule"]
    assert schedule["description"] == "Once, on Tuesday 8 December at 9pm"
    # 21:00 is in Pat's quiet hours: it goes at 09:00 the next morning, and says so.
    assert schedule["next_due_at"].startswith("2026-12-09T09:00")
    assert schedule["moved_from"].startswith("2026-12-08T21:00")
    assert schedule_api.get(path).json()["checkin_schedule"] == schedule


def test_a_one_off_with_a_bad_date_or_a_flow_not_for_check_ins_is_refused(
    schedule_api: Api,
) -> None:
    path = f"/residents/{schedule_api.ids['Pat']}/checkin-schedule"
    before = schedule_api.get(path).json()
    assert schedule_api.put(path, {"every": "once", "on": "8/12", "at": "10:00"}).status_code == 422
    other = schedule_api.put(path, {"every": "week", "at": "10:00", "flow": "event_nudge"})
    assert other.status_code == 422 and "not a check-in" in other.json()["error"]
    assert schedule_api.get(path).json() == before
