"""This module helps the tests that walk every admin route (authorization, CSRF): real ids for
each path parameter, the routes themselves, and a fingerprint of the whole database to show that
a refused request changed nothing.

Path parameters are filled by name. A page with a parameter named here for the first time makes
those tests fail with a message saying which name to add, so that no route is left unwalked.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from admin.web.framework import Page
from admin.web.pages import ALL_PAGES
from tests.admin.conftest import AdminWorld

PARAM = re.compile(r"{(\w+)(?::\w+)?}")

#: Columns a request may change without doing anything: each logged-in request marks its
#: session as seen (that is how a login idles out).
NOT_A_CHANGE = {"staff_sessions": {"last_seen_at"}}


@dataclass(frozen=True)
class Scene:
    """Real values for path parameters: `mine` about Pat (Abby's resident), `theirs` about Lucy
    (Susie's), the same for anything that is not about a resident."""

    mine: dict[str, str]
    theirs: dict[str, str]

    def path(self, page: Page, *, about_lucy: bool = False) -> str:
        values = self.theirs if about_lucy else self.mine
        missing = [name for name in params(page) if name not in values]
        assert not missing, (
            f"{page.name} ({page.path}) has path parameters {missing} that "
            "tests/admin/route_walk.py cannot fill yet: add a real value for them in set_scene"
        )
        return "/admin" + PARAM.sub(lambda m: values[m.group(1)], page.path)


def params(page: Page) -> list[str]:
    return PARAM.findall(page.path)


def about_a_resident(page: Page) -> bool:
    """Whether the route shows or changes one resident's things, so that a catalyst must get
    404 for another catalyst's resident."""
    return any(name in RESIDENT_SCOPED for name in params(page))


#: Parameters whose value belongs to one resident (and so to one catalyst).
RESIDENT_SCOPED = {"resident_id", "alert_id", "note_id", "message_id"}


def set_scene(admin: AdminWorld) -> Scene:
    """Give the demo programme what the routes' ids point at: a fall alert each for Pat and
    Lucy, said through the web chat as residents say it, and a login of Susie's for an admin
    to end; return the values for every parameter name the admin's routes use."""
    services = admin.runtime.services
    pat, lucy = admin.ids["Pat"], admin.ids["Lucy"]
    for resident in (pat, lucy):
        admin.call(services.webchat.say, resident, "I've had a fall and can't get up")
    alerts = {v.alert.resident_id: v.alert.id for v in admin.call(services.alerts.list_alerts)}
    assert pat in alerts and lucy in alerts, "a fall said in the web chat raises an alert"
    admin.log_in("susie")
    susie = admin.call(services.accounts.find, "susie")
    (susies_session,) = [
        s.session.id
        for s in admin.call(services.accounts.live_sessions)
        if s.account.username == "susie"
    ]
    admin.log_out()
    (revision, *_) = admin.call(services.flow_editor.revisions, "weekly_checkin")
    common = {
        "flow_key": "weekly_checkin",
        "kind_key": "fall",
        "revision_id": str(revision.number),
        "session_id": str(susies_session),
        "account_id": str(susie.id),
    }
    return Scene(
        mine={**common, "resident_id": str(pat), "alert_id": str(alerts[pat])},
        theirs={**common, "resident_id": str(lucy), "alert_id": str(alerts[lucy])},
    )


def routes(method: str) -> list[Page]:
    """Every admin page served for `method`, the login form's own pages left out (they are
    public and have their own tests)."""
    return [p for p in ALL_PAGES if method in p.methods and not p.public]


def database_state(database: Path) -> dict[str, str]:
    """A fingerprint of every table's rows, by table, read straight from the SQLite file."""
    state: dict[str, str] = {}
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            columns = [d[0] for d in cursor.description]
            kept = [i for i, c in enumerate(columns) if c not in NOT_A_CHANGE.get(table, set())]
            digest = hashlib.sha256()
            # Sorted: some tables have no rowid to order by, and the order is not a change.
            for line in sorted(repr([row[i] for i in kept]) for row in cursor):
                digest.update(line.encode())
            state[table] = digest.hexdigest()
    conn.close()
    return state


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
