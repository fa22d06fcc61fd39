"""This module reads ids and other values from a request's path and query string, the one way
every route does: ids are ASCII digits within SQLite's 64-bit range (see bot.services.ids)."""

from __future__ import annotations

from admin.api.errors import ApiError
from bot.services.ids import MAX_ID, parse_id


def path_id(name: str, value: str) -> int:
    """An id from the path; anything else names nothing there is, so it is a 404."""
    number = parse_id(value)
    if number is None:
        raise ApiError(404, f"There is no {_kind(name)} '{value}'.")
    return number


def query_id(query: dict[str, str], name: str, *, minimum: int = 1) -> int | None:
    """An id from the query string, or None when it is not given; a bad one is a 422."""
    value = query.get(name)
    if value is None:
        return None
    number = parse_id(value, minimum=minimum)
    if number is None:
        message = f"{name} should be a whole number from {minimum} to {MAX_ID}, in digits 0-9."
        raise ApiError(422, message, [{"field": name, "message": message}])
    return number


def _kind(name: str) -> str:
    return name.removesuffix("_id").replace("_", " ")
