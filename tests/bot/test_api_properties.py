"""Property-based tests: no body, path id or query value, however odd, makes the API answer
500; ids are plain ASCII digits within 64 bits or refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

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


id_texts = (
    st.text(min_size=1, max_size=30)
    | st.integers().map(str)
    | st.integers(min_value=2**63 - 5, max_value=2**70).map(str)
    | st.sampled_from(["１", "١", " 1", "+1", "1_000", "0", "-0", "1e3"])
)
id_routes = st.sampled_from(
    [
        "/residents/{}",
        "/residents/{}/checkin-schedule",
        "/residents/{}/conversation",
        "/catalysts/{}",
    ]
)


def _plain_id(text: str) -> bool:
    return bool(text) and all(c in "0123456789" for c in text) and 1 <= int(text) <= 2**63 - 1


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(route=id_routes, text=id_texts)
def test_a_path_id_that_is_not_plain_digits_in_range_is_404_never_500(
    client: tuple[TestClient, dict[str, str]], route: str, text: str
) -> None:
    test_client, headers = client
    path = "/api/v1" + route.format(quote(text, safe=""))
    response = test_client.get(path, headers=headers, follow_redirects=False)
    assert response.status_code < 500, response.text
    if not _plain_id(text):
        assert response.status_code == 404, (text, response.text)
        assert response.json()["ok"] is False


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(["catalyst_id", "after_id"]), text=id_texts | st.just(""))
def test_a_query_id_that_is_not_plain_digits_in_range_is_422_never_500(
    client: tuple[TestClient, dict[str, str]], name: str, text: str
) -> None:
    test_client, headers = client
    route = "/residents" if name == "catalyst_id" else "/residents/1/conversation"
    response = test_client.get(
        f"/api/v1{route}?{urlencode({name: text})}", headers=headers, follow_redirects=False
    )
    assert response.status_code < 500, response.text
    plain = _plain_id(text) or (name == "after_id" and text.strip("0") == "" and text != "")
    assert response.status_code == (200 if plain else 422), (text, response.text)
