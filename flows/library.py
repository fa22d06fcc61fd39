"""This module contains `MemoryLibrary`, a flow library held in memory, with revisions."""

from __future__ import annotations

from dataclasses import replace

from flows.types import Flow


class MemoryLibrary:
    """Flows by id; publishing a flow again adds a revision and keeps the old ones for sessions."""

    def __init__(self, flows: list[Flow] | None = None) -> None:
        self._revisions: dict[str, list[Flow]] = {}
        for flow in flows or []:
            self.publish(flow)

    def publish(self, flow: Flow) -> Flow:
        revisions = self._revisions.setdefault(flow.id, [])
        published = replace(flow, revision=len(revisions) + 1)
        revisions.append(published)
        return published

    def get(self, flow_id: str, revision: int | None = None) -> Flow | None:
        revisions = self._revisions.get(flow_id)
        if not revisions:
            return None
        if revision is None:
            return revisions[-1]
        if 1 <= revision <= len(revisions):
            return revisions[revision - 1]
        return None

    def ids(self) -> list[str]:
        return sorted(self._revisions)
