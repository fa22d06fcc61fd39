"""Every admin route that changes something refuses a request another site could forge: no
CSRF token, a wrong one, or the right one sent from a foreign origin. Each is refused with 403
and the database is exactly as it was. Routes are read from `ALL_PAGES`, so a new page is
checked as soon as it is registered."""

from __future__ import annotations

from dataclasses import dataclass

from tests.admin.conftest import AdminWorld
from tests.admin.route_walk import changed_tables, database_state, routes, set_scene

EVIL = "https://evil.example"


@dataclass(frozen=True)
class Forgery:
    """One way another site might try to send the form."""

    name: str
    token: str | None  # None: no token at all; "right": the session's own
    headers: dict[str, str]


FORGERIES = (
    Forgery("no token", None, {}),
    Forgery("a wrong token", "not-the-token", {}),
    Forgery("the right token from another site", "right", {"Origin": EVIL}),
    Forgery("the right token in the header from another site", "header", {"Origin": EVIL}),
    Forgery(
        "the right token, no Origin, another site's Referer",
        "right",
        {"Origin": "", "Referer": f"{EVIL}/page"},
    ),
)


def test_every_state_changing_route_refuses_a_forged_request_and_changes_nothing(
    admin: AdminWorld,
) -> None:
    scene = set_scene(admin)
    database = admin.runtime.settings.database
    admin.log_in("ada")
    token = admin.csrf()
    before = database_state(database)
    wrong: list[str] = []
    for page in routes("POST"):
        path = scene.path(page)
        for forgery in FORGERIES:
            form: dict[str, str] = {}
            headers = {"Origin": admin.origin, **forgery.headers}
            if forgery.token == "right":
                form["csrf_token"] = token
            elif forgery.token == "header":
                headers["X-CSRF-Token"] = token
            elif forgery.token is not None:
                form["csrf_token"] = forgery.token
            if not headers["Origin"]:
                del headers["Origin"]
            response = admin.client.post(path, data=form, headers=headers, follow_redirects=False)
            refused = response.status_code == 403 and "did not come from this site" in (
                response.text
            )
            if not refused:
                wrong.append(f"POST {path} with {forgery.name}: {response.status_code}")
    changed = changed_tables(before, database_state(database))
    assert not wrong, "not refused:\n" + "\n".join(wrong)
    assert not changed, f"forged requests changed: {', '.join(changed)}"
    # The login is still good, and the same forms with the token from our own page work.
    assert admin.get("/admin/").status_code == 200
    assert admin.post("/admin/logout").status_code == 303


def test_there_are_routes_to_check() -> None:
    # The walk above must not pass by checking nothing.
    assert {"log_out", "add_account", "end_session"} <= {p.name for p in routes("POST")}
