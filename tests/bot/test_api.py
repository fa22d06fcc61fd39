"""Tests of the JSON API as a client uses it: tokens, residents, schedules, web chat, errors."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from bot.app import create_app
from bot.demo import demo_token, seed_demo
from bot.runtime import Runtime
from tests.bot.conftest import MovableClock, make_services


class Api:
    def __init__(
        self, client: TestClient, token: str, ids: dict[str, int], services: Runtime
    ) -> None:
        self.client = client
        self.services = services
        self.ids = ids
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str) -> Any:
        return self.client.get(f"/api/v1{path}", headers=self.headers)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.client.post(f"/api/v1{path}", json=body, headers=self.headers, **kwargs)

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(f"/api/v1{path}", json=body, headers=self.headers)


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    services = make_services(tmp_path, MovableClock())
    with TestClient(create_app(services, background=False)) as client:
        assert client.portal is not None  # the app's own event loop, running its lifespan
        ids = client.portal.call(seed_demo, services)
        token = client.portal.call(demo_token, services)
        yield Api(client, token, ids, services)


def test_every_api_route_needs_a_valid_token(api: Api) -> None:
    for response in (
        api.client.get("/api/v1/residents"),
        api.client.get("/api/v1/residents", headers={"Authorization": "Bearer nope"}),
    ):
        assert response.status_code == 401
        assert response.json()["ok"] is False and "token" in response.json()["error"]


def test_talking_as_pat_in_web_chat_returns_the_bots_replies(api: Api) -> None:
    pat = api.ids["Pat"]
    started = api.post(f"/residents/{pat}/checkins")
    assert started.status_code == 202
    response = api.post(f"/webchat/{pat}/messages", {"text": "1", "id": "web-1"})
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["replies"]] == [
        "That's lovely to hear, Pat. I'll check in again as usual. Message me here any time."
    ]
    again = api.post(f"/webchat/{pat}/messages", {"text": "1", "id": "web-1"})
    assert again.json()["duplicate"] is True and again.json()["replies"] == []
    conversation = api.get(f"/residents/{pat}/conversation").json()["messages"]
    assert [(m["direction"], m["status"]) for m in conversation] == [
        ("out", "sent"),
        ("in", "received"),
        ("out", "sent"),
    ]


def test_a_resident_is_created_with_channels_and_consents_and_read_back(api: Api) -> None:
    body = {
        "preferred_name": "Grace",
        "first_name": "Grace",
        "full_name": "Grace Oduya",
        "phone": "+447700900123",
        "consents": {"checkins": True},
        "catalyst_id": 1,
    }
    created = api.post("/residents", body)
    assert created.status_code == 201, created.text
    resident = api.get(f"/residents/{created.json()['resident']['id']}").json()["resident"]
    assert resident["consents"] == {"checkins": True, "events": False, "buddying": False}
    assert {c["channel"] for c in resident["channels"]} == {"webchat", "sms"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"first_name": "A", "full_name": "A B"}, "preferred_name"),
        ({"preferred_name": "A", "first_name": "A", "full_name": "A", "phone": "07700"}, "phone"),
        (
            {"preferred_name": "A", "first_name": "A", "full_name": "A", "time_zone": "Mars/Base"},
            "time_zone",
        ),
        (
            {"preferred_name": "A", "first_name": "A", "full_name": "A", "catalyst_id": 99},
            "catalyst_id",
        ),
        ({"preferred_name": "A", "first_name": "A", "full_name": "A", "colour": "red"}, "colour"),
    ],
)
def test_bad_resident_details_are_422_naming_the_field_and_change_nothing(
    api: Api, body: dict[str, Any], field: str
) -> None:
    before = len(api.get("/residents").json()["residents"])
    response = api.post("/residents", body)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    assert len(api.get("/residents").json()["residents"]) == before


def test_a_check_in_rhythm_is_set_in_plain_words_and_described_back(api: Api) -> None:
    pat = api.ids["Pat"]
    response = api.put(
        f"/residents/{pat}/checkin-schedule", {"every": "week", "days": ["thursday"], "at": "2pm"}
    )
    assert response.status_code == 200, response.text
    schedule = response.json()["checkin_schedule"]
    assert schedule["description"] == "Every Thursday at 2pm"
    assert schedule["next_due_at"].startswith("2026-11-26T14:00")
    bad = api.put(
        f"/residents/{pat}/checkin-schedule", {"every": "week", "days": ["funday"], "at": "2pm"}
    )
    assert bad.status_code == 422 and "funday" in bad.json()["error"]


def test_alerts_are_listed_and_acknowledged(api: Api) -> None:
    api.post(f"/webchat/{api.ids['Lucy']}/messages", {"text": "hello there"})
    [alert] = api.get("/alerts?status=open").json()["alerts"]
    done = api.post(f"/alerts/{alert['id']}/acknowledge", {"by": "susie"})
    assert done.json()["alert"]["status"] == "acknowledged"
    assert api.get("/alerts?status=open").json()["alerts"] == []


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("post", "/webchat/1/messages", {"content": b"{not json"}, 400),
        ("post", "/webchat/1/messages", {"json": ["a list"]}, 422),
        ("post", "/webchat/1/messages", {"json": {"text": ""}}, 422),
        ("post", "/webchat/99999/messages", {"json": {"text": "hi"}}, 404),
        ("get", "/residents/abc", {}, 404),
        ("get", "/residents/0", {}, 404),
        ("get", "/alerts?status=maybe", {}, 422),
        ("get", "/nowhere", {}, 404),
        ("delete", "/residents", {}, 405),
    ],
)
def test_bad_requests_get_a_clear_error_never_a_500(
    api: Api, method: str, path: str, kwargs: dict[str, Any], status: int
) -> None:
    response = api.client.request(method, f"/api/v1{path}", headers=api.headers, **kwargs)
    assert response.status_code == status
    assert response.json()["ok"] is False and response.json()["error"]


def test_the_openapi_document_lists_every_route(api: Api) -> None:
    document = api.client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/webchat/{resident_id}/messages" in document["paths"]
    assert "NewResident" in document["components"]["schemas"]


def test_healthz_reports_database_scheduler_and_channels(api: Api) -> None:
    health = api.client.get("/healthz").json()
    assert health["database"] == "ok"
    assert health["channels"]["webchat"] == "on"
    assert health["channels"]["sms"].startswith("off")


def test_admin_imports_nothing_from_storage_and_of_bot_only_the_services() -> None:
    admin = Path(__file__).resolve().parents[2] / "admin"
    imported: dict[str, str] = {}
    for source in admin.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update({alias.name: source.name for alias in node.names})
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported[node.module] = source.name
    assert imported, "the walk found admin's imports"
    wrong = {
        name: where
        for name, where in imported.items()
        if name.split(".")[0] == "storage"
        or (name.split(".")[0] == "bot" and not name.startswith("bot.services"))
    }
    assert wrong == {}


def test_the_401_says_what_to_do(api: Api) -> None:
    response = api.client.get("/api/v1/residents", headers={"Authorization": "Bearer cmp_nope"})
    assert response.status_code == 401
    assert "companion tokens create" in response.json()["error"]


def test_an_admin_lists_tokens_and_a_revoked_token_stops_working_at_once(api: Api) -> None:
    assert api.client.portal is not None
    made = api.client.portal.call(api.services.services.tokens.create, "phone app", "client")
    phone = {"Authorization": f"Bearer {made.secret}"}
    assert api.client.get("/api/v1/residents", headers=phone).status_code == 200
    listed = api.get("/tokens").json()["tokens"]
    assert [(t["name"], t["role"], t["revoked"]) for t in listed] == [
        ("demo", "admin", False),
        ("phone app", "client", False),
    ]
    assert listed[1]["last_used_at"] is not None and "secret" not in listed[1]
    revoked = api.post(f"/tokens/{made.token.id}/revoke")
    assert revoked.status_code == 200 and revoked.json()["token"]["revoked"] is True
    refused = api.client.get("/api/v1/residents", headers=phone)
    assert refused.status_code == 401 and "revoked" in refused.json()["error"]
    assert api.get("/tokens").json()["tokens"][1]["revoked_at"] is not None
    assert api.post("/tokens/999/revoke").status_code == 404


def test_a_client_token_may_not_manage_tokens(api: Api) -> None:
    assert api.client.portal is not None
    made = api.client.portal.call(api.services.services.tokens.create, "phone app", "client")
    phone = {"Authorization": f"Bearer {made.secret}"}
    for method, path in (("get", "/tokens"), ("post", "/tokens/1/revoke")):
        response = api.client.request(method, f"/api/v1{path}", headers=phone)
        assert response.status_code == 403 and "admin token" in response.json()["error"]
    assert api.get("/tokens").json()["tokens"][0]["revoked"] is False


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/residents?catalyst_id=99999999999999999999999", 422),
        ("/residents?catalyst_id=9223372036854775808", 422),
        ("/residents?catalyst_id=%EF%BC%91", 422),  # '１', a fullwidth one
        ("/residents?catalyst_id=%D9%A1", 422),  # '١', an Arabic-Indic one
        ("/residents?catalyst_id=%201", 422),
        ("/residents?catalyst_id=%2B1", 422),
        ("/residents?catalyst_id=1_000", 422),
        ("/residents?catalyst_id=0", 422),
        ("/residents/1/conversation?after_id=99999999999999999999999", 422),
        ("/residents/1/conversation?after_id=-1", 422),
        ("/residents/99999999999999999999999", 404),
        ("/residents/%EF%BC%91", 404),
        ("/residents/%D9%A1/checkin-schedule", 404),
        ("/residents/%201", 404),
        ("/catalysts/+1", 404),
        ("/catalysts/1_000", 404),
        ("/residents/9223372036854775807", 404),
    ],
)
def test_ids_in_other_forms_or_past_64_bits_are_refused_never_read_as_1(
    api: Api, path: str, status: int
) -> None:
    response = api.get(path)
    assert response.status_code == status, response.text
    assert response.json()["ok"] is False and response.json()["error"]


def test_plain_ids_in_queries_are_read(api: Api) -> None:
    catalysts = api.get("/catalysts").json()["catalysts"]
    abby = next(c["id"] for c in catalysts if c["first_name"] == "Abby")
    mine = api.get(f"/residents?catalyst_id={abby}").json()["residents"]
    assert [r["preferred_name"] for r in mine] == ["Pat"]
    assert api.get(f"/residents/{api.ids['Pat']}/conversation?after_id=0").status_code == 200


def test_the_openapi_document_describes_tokens_and_query_ids(api: Api) -> None:
    paths = api.client.get("/api/v1/openapi.json").json()["paths"]
    assert "403" in paths["/api/v1/tokens"]["get"]["responses"]
    assert "/api/v1/tokens/{token_id}/revoke" in paths
    [catalyst] = paths["/api/v1/residents"]["get"]["parameters"]
    assert (catalyst["in"], catalyst["schema"]["maximum"]) == ("query", 2**63 - 1)


def test_a_residents_channels_say_what_she_agreed_to_on_each(api: Api) -> None:
    body = {
        "preferred_name": "Ada",
        "first_name": "Ada",
        "full_name": "Ada Byrne",
        "phone": "+447700900124",
        "consents": {"checkins": True, "events": True},
    }
    created = api.post("/residents", body)
    assert created.status_code == 201, created.text
    resident = api.get(f"/residents/{created.json()['resident']['id']}").json()["resident"]
    by_channel = {c["channel"]: c["consents"] for c in resident["channels"]}
    assert by_channel["sms"] == {"checkins": True, "events": True, "buddying": False}
    assert by_channel["webchat"] == by_channel["sms"]
