"""This module benchmarks the admin's pages on a programme of 10,000 residents.

Run: .venv/bin/python -m tests.benchmarks.bench_admin

A real `Runtime` on a temporary SQLite file holds RESIDENTS residents shared among the four
demo catalysts, each with a weekly check-in and MESSAGES_EACH messages they sent. The ASGI app
is called in-process through httpx's ASGI transport (no network, no server), logged in as staff
Sam and as catalyst Abby. Each page is asked for REQUESTS times; reported: requests per second
and p50/p99 latency. Baseline, in the same run: `GET /healthz` through the same app (routing and
the ASGI round trip, no database), and a login (one argon2 check at the service's own cost,
which is the price of a login by design). Nothing here asserts on time; it reports.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bot.app import create_app
from bot.demo import seed_demo
from bot.runtime import Runtime
from bot.settings import Settings
from bot.timing.rhythm import next_due, rhythm_from_words
from storage import messages, people, schedules

RESIDENTS = 10_000
MESSAGES_EACH = 2
REQUESTS = 200
PASSWORD = "a benchmark password"
ORIGIN = "http://bench"


async def seed(runtime: Runtime) -> None:
    await seed_demo(runtime)
    catalysts = await runtime.services.catalysts.list_catalysts()
    now = runtime.clock.now()
    async with runtime.db.write() as tx:
        for n in range(RESIDENTS):
            catalyst = catalysts[n % len(catalysts)]
            resident = await people.add_resident(
                tx,
                runtime.programme.new_resident(
                    f"Resident{n}", f"First{n}", f"First{n} Family{n}", catalyst_id=catalyst.id
                ),
            )
            rhythm = rhythm_from_words("week", ["tuesday"], "10:00", "Europe/London", now)
            await schedules.set_checkin(
                tx,
                resident.id,
                flow_id="weekly_checkin",
                rule=rhythm.rule,
                starts_at=now,
                next_due_at=next_due(rhythm, now),
            )
            for m in range(MESSAGES_EACH):
                await messages.record_inbound(
                    tx,
                    channel="webchat",
                    provider_id=f"bench-{n}-{m}",
                    address=str(resident.id),
                    body="grand, thanks",
                    resident_id=resident.id,
                )
    by_name = {c.first_name: c.id for c in catalysts}
    await runtime.services.accounts.add("sam", "Sam Staff", "staff", PASSWORD)
    await runtime.services.accounts.add(
        "abby", "Abby Clarke", "catalyst", PASSWORD, person_id=by_name["Abby"]
    )


async def log_in(client: httpx.AsyncClient, username: str) -> None:
    client.cookies.clear()
    form = await client.get("/admin/login")
    token = re.search(r'name="login_token" value="([^"]*)"', form.text)
    assert token is not None
    answer = await client.post(
        "/admin/login",
        data={"username": username, "password": PASSWORD, "login_token": token.group(1)},
        headers={"Origin": ORIGIN},
    )
    assert answer.status_code == 303, answer.status_code


async def measure(name: str, client: httpx.AsyncClient, path: str, times: int) -> None:
    durations = []
    for _ in range(times):
        start = time.perf_counter_ns()
        answer = await client.get(path)
        durations.append(time.perf_counter_ns() - start)
        assert answer.status_code == 200, (path, answer.status_code)
    cuts = statistics.quantiles(durations, n=100)
    total = sum(durations) / 1e9
    print(
        f"{name:<48} {times / total:8.0f}/s   p50 {cuts[49] / 1e6:7.2f} ms"
        f"   p99 {cuts[98] / 1e6:7.2f} ms"
    )


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings.load(
            environ={"COMPANION_DATABASE": str(Path(folder) / "bench.db")}, env_file=None
        )
        runtime = Runtime.build(settings)
        await runtime.start(background=False)
        try:
            started = time.perf_counter()
            await seed(runtime)
            print(f"seeded {RESIDENTS:,} residents in {time.perf_counter() - started:.1f} s")
            app = create_app(runtime, background=False)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as client:
                await measure("baseline: GET /healthz", client, "/healthz", REQUESTS)
                logins = []
                for _ in range(10):
                    start = time.perf_counter()
                    await log_in(client, "sam")
                    logins.append(time.perf_counter() - start)
                print(
                    f"{'baseline: a login (argon2 at its own cost)':<48} p50 "
                    f"{statistics.median(logins) * 1000:7.2f} ms"
                )
                pat = (await runtime.services.residents.list_residents())[0].resident.id
                await measure("staff: home page", client, "/admin/", REQUESTS)
                await measure(
                    "staff: residents list (first 200 of 10,004)",
                    client,
                    "/admin/residents",
                    REQUESTS // 4,
                )
                await measure(
                    "staff: residents search by name",
                    client,
                    "/admin/residents?name=resident12",
                    REQUESTS,
                )
                await measure(
                    "staff: weekly check-in flow editor",
                    client,
                    "/admin/flows/weekly_checkin",
                    REQUESTS // 4,
                )
                await measure("staff: alerts inbox", client, "/admin/alerts", REQUESTS)
                await log_in(client, "abby")
                await measure(
                    "catalyst: her residents list (first 200 of 2,501)",
                    client,
                    "/admin/residents",
                    REQUESTS // 4,
                )
                await measure(
                    "catalyst: a resident's page (audited)",
                    client,
                    f"/admin/residents/{pat}",
                    REQUESTS,
                )
        finally:
            await runtime.stop()


if __name__ == "__main__":
    asyncio.run(main())
