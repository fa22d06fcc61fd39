"""Property-based tests: no body, however odd, makes the API answer 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from bot.app import create_app
from bot.demo import demo_token, seed_demo
from tests.bot.conftest import MovableClock, make_services

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
fields = st.sampled_from(
    [
        "preferred_name",
        "first_name",
        "full_name",
        "phone",
        "time_zone",
        "catalyst_id",
        "consents",
        "text",
        "id",
        "every",
        "days",
        "at",
        "rule",
        "flow",
        "quiet_start",
        "by",
    ]
)
bodies = st.dictionaries(fields, json_values, max_size=6) | json_values
paths = st.sampled_from(
    [
        "/residents",
        "/catalysts",
        "/webchat/1/messages",
        "/residents/1/checkin-schedule",
        "/alerts/1/acknowledge",
        "/residents/1/checkins",
    ]
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    folder: Path = tmp_path_factory.mktemp("api")
    services = make_services(folder, MovableClock())
    with TestClient(create_app(services, background=False)) as test_client:
        assert test_client.portal is not None
        test_client.portal.call(seed_demo, services)
        token = test_client.portal.call(demo_token, services)
        yield test_client, {"Authorization": f"Bearer {token}"}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=paths, body=bodies)
def test_no_body_makes_the_api_answer_500(
    client: tuple[TestClient, dict[str, str]], path: str, body: Any
) -> None:
    test_client, headers = client
    method = "put" if path.endswith("checkin-schedule") else "post"
    response = test_client.request(method, f"/api/v1{path}", json=body, headers=headers)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.json()["ok"] is False and response.json()["error"]
