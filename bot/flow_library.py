"""This module contains `StoredFlows`: the flows the service runs, from the database.

The engine asks for flows synchronously, so every stored revision is compiled into memory at
start (and on publish); sessions then finish on the revision they began with.
"""

from __future__ import annotations

import functools
from dataclasses import replace

import aiosqlite

from bot.flow_files import SCENARIO_SUFFIX, builtin_flow_paths, read_text
from flows.loading import LoadedFlow, load_flow
from flows.types import Flow
from storage import flow_store
from storage.database import Database

BUILT_IN = "built-in"


class StoredFlows:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._flows: dict[tuple[str, int], Flow] = {}
        self._latest: dict[str, int] = {}

    def get(self, flow_id: str, revision: int | None = None) -> Flow | None:
        if revision is None:
            revision = self._latest.get(flow_id)
        return None if revision is None else self._flows.get((flow_id, revision))

    def ids(self) -> list[str]:
        return sorted(self._latest)

    async def load(self) -> None:
        async with self._db.read() as conn:
            for stored in await flow_store.all_revisions(conn):
                self._add(stored.source, stored.flow_id, stored.revision)

    async def publish_builtin(self) -> list[str]:
        """Publish each built-in flow whose file differs from its newest built-in revision, with
        its scenario file (NAME.test.yaml) as the revision's stored tests. A flow staff have
        published since keeps their revision until the built-in file itself changes."""
        changed = []
        for path in builtin_flow_paths():
            text, problem = read_text(path)
            loaded = _load(text or "", str(path))
            if problem or loaded.flow is None or not loaded.ok:
                raise RuntimeError(f"The built-in flow {path} is broken.")
            scenarios, _ = read_text(path.with_name(path.name[: -len(".yaml")] + SCENARIO_SUFFIX))
            async with self._db.write() as tx:
                stored = await _publish_builtin(
                    tx, loaded.flow.id, loaded.flow.name, text or "", scenarios or ""
                )
            if (stored.flow_id, stored.revision) not in self._flows:
                changed.append(stored.flow_id)
            self._add(stored.source, stored.flow_id, stored.revision)
        return changed

    def add_revision(self, stored: flow_store.FlowRevision) -> None:
        """Make a revision just stored live: new sessions start on it, running ones stay on
        the revision they began with."""
        self._add(stored.source, stored.flow_id, stored.revision)

    def _add(self, source: str, flow_id: str, revision: int) -> None:
        loaded = _load(source, f"{flow_id} revision {revision}")
        if loaded.flow is None:
            return  # stored flows were valid when published; a later format change may not be
        self._flows[(flow_id, revision)] = replace(loaded.flow, revision=revision)
        self._latest[flow_id] = max(revision, self._latest.get(flow_id, 0))


@functools.lru_cache(maxsize=256)
def _load(text: str, label: str) -> LoadedFlow:
    """A flow's text parsed and validated once per process: every start compiles the built-in
    flows and every stored revision, and the same text always gives the same (frozen) flow."""
    return load_flow(text, source=label)


async def _publish_builtin(
    tx: aiosqlite.Connection, flow_id: str, name: str, source: str, scenarios: str
) -> flow_store.FlowRevision:
    newest = await flow_store.latest_revision(tx, flow_id)
    builtin = await flow_store.latest_revision(tx, flow_id, by=BUILT_IN)
    if newest is not None and builtin is not None and builtin.source == source:
        # Unchanged file: staff's own revision (if newer) stays; the tests are brought up to date.
        if builtin.scenarios != scenarios:
            await flow_store.set_scenarios(tx, flow_id, builtin.revision, scenarios)
        return newest
    return await flow_store.publish(tx, flow_id, name, source, BUILT_IN, scenarios)
