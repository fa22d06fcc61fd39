"""Tests of check-ins through the JSON API: a resident's history as it happened, and pausing and
resuming their check-ins as the admin's form does."""

from __future__ import annotations

from tests.bot.test_api import Api, api

__all__ = ["api"]


def test_a_check_in_answered_in_the_web_chat_is_in_the_history(api: Api) -> None:
    pat = api.ids["Pat"]
    assert api.get(f"/residents/{pat}/checkins").json() == {"ok": True, "checkins": []}
    assert api.post(f"/residents/{pat}/checkins").status_code == 202
    api.post(f"/webchat/{pat}/messages", {"text": "not so good, my knee is bad"})
    [checkin] = api.get(f"/residents/{pat}/checkins").json()["checkins"]
    assert (checkin["status"], checkin["mood"], checkin["channel"]) == (
        "answered",
        "low",
        "webchat",
    )
    assert "knee" in checkin["said"] and checkin["answered_at"]


def test_a_pause_until_a_day_then_a_resume_with_hello(api: Api) -> None:
    pat = api.ids["Pat"]
    paused = api.put(f"/residents/{pat}/pause", {"until": "2026-12-14"})
    assert paused.json() == {"ok": True, "paused_until": "2026-12-14"}
    assert api.get(f"/residents/{pat}").json()["resident"]["status"] == "paused"
    resumed = api.post(f"/residents/{pat}/resume")
    assert resumed.json() == {"ok": True, "resumed": True}
    texts = [m["text"] for m in api.get(f"/residents/{pat}/conversation").json()["messages"]]
    assert texts[-1].startswith("Welcome back, Pat. It's Abby.")
    assert api.post(f"/residents/{pat}/resume").json() == {"ok": True, "resumed": False}


def test_a_pause_until_resumed_and_bad_days_change_nothing(api: Api) -> None:
    pat = api.ids["Pat"]
    for bad in ({"until": "14/12/2026"}, {"until": "2026-02-30"}, {"until": "2020-01-01"}):
        refused = api.put(f"/residents/{pat}/pause", bad)
        assert refused.status_code in (400, 422), (bad, refused.text)
        assert refused.json()["ok"] is False
        assert api.get(f"/residents/{pat}").json()["resident"]["status"] == "active"
    assert api.put(f"/residents/{pat}/pause", {}).json() == {"ok": True, "paused_until": None}
    assert api.put("/residents/999999/pause", {}).status_code == 404
