"""This module contains the domain errors the services raise; callers map them to their own
shape (the API to its error JSON, the CLI to a message)."""

from __future__ import annotations


class ServiceError(Exception):
    """Something the caller asked for cannot be done; `message` says why, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """The thing named by an id does not exist (or is not of the kind asked for)."""

    def __init__(self, kind: str, thing_id: int) -> None:
        super().__init__(f"There is no {kind} {thing_id}.")
        self.kind = kind
        self.thing_id = thing_id


class Invalid(ServiceError):
    """A value given is wrong: `field` names it, `detail` says what is wrong in a few words."""

    def __init__(self, field: str, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.detail = detail or message


class Conflict(ServiceError):
    """The request is fine, but the state of things does not allow it now."""


class Unavailable(ServiceError):
    """Something it needs is not ready yet; trying again later may work."""


class Busy(Unavailable):
    """The database is held by other work (a backup, another process): nothing was changed,
    and the same request may be sent again after `retry_after` seconds."""

    retry_after = 30

    def __init__(self) -> None:
        super().__init__(
            "The service is busy with other work; nothing was changed. Please try again shortly."
        )
