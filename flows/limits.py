"""This module holds the engine's limits, set in one place."""

from __future__ import annotations

#: Steps one event may run before the engine stops the session as a runaway.
MAX_STEPS_PER_TURN = 100
#: How deep `run:` may nest flows inside flows.
MAX_FLOW_DEPTH = 8
#: Replies longer than this are cut before understanding (a pasted essay is still free text).
MAX_REPLY_CHARS = 2000
