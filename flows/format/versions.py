"""This module upgrades flow documents written for an older `format` to the current one.

Each format change adds one small function here, `MIGRATIONS[n]`, that turns a format-n document
into format n+1, with its own test data in `tests/flows/testdata/migrations/`. Format 1 is the
first, so the chain is empty today; the loader already runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

CURRENT_FORMAT = 1

#: format n -> a function that returns the same flow written in format n + 1.
MIGRATIONS: Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class FormatVersionError(ValueError):
    def __init__(self, message: str, version: Any) -> None:
        super().__init__(message)
        self.version = version


def upgrade(
    document: dict[str, Any],
    migrations: Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]] = MIGRATIONS,
    current: int = CURRENT_FORMAT,
) -> dict[str, Any]:
    """Return `document` in the current format, running each migration in turn."""
    version = document.get("format")
    if version is None:
        raise FormatVersionError(
            f"The flow has no 'format'. Add 'format: {current}' at the top.", version
        )
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FormatVersionError(
            f"'format' should be a whole number such as {current}, not '{version}'.", version
        )
    if version > current:
        raise FormatVersionError(
            f"This flow is written in format {version}, but this Companion reads formats up to "
            f"{current}. Update Companion, or save the flow from an older copy.",
            version,
        )
    while version < current:
        document = migrations[version](document)
        version += 1
        document["format"] = version
    return document
