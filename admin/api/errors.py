"""This module contains the API's one error type and its fixed JSON shape."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from starlette.responses import JSONResponse

from bot.services.errors import Busy, Conflict, Invalid, NotFound, ServiceError, Unavailable


class ApiError(Exception):
    """An error the client can act on: a status, a sentence, and per-field details."""

    def __init__(
        self,
        status: int,
        error: str,
        errors: list[dict[str, Any]] | None = None,
        *,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.errors = errors or []
        self.retry_after = retry_after


def error_response(
    status: int,
    error: str,
    errors: list[dict[str, Any]] | None = None,
    *,
    retry_after: int | None = None,
) -> JSONResponse:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return JSONResponse(
        {"ok": False, "error": error, "errors": errors or [], "status": status},
        status_code=status,
        headers=headers,
    )


def from_validation(exc: ValidationError) -> ApiError:
    """Pydantic's findings as plain field messages, e.g. {"field": "name", "message": …}."""
    errors = [
        {"field": ".".join(str(part) for part in item["loc"]) or "body", "message": item["msg"]}
        for item in exc.errors(include_url=False, include_input=False)
    ]
    fields = ", ".join(e["field"] for e in errors)
    return ApiError(422, f"The request has invalid values: {fields}.", errors)


def from_service(exc: ServiceError) -> ApiError:
    """A service's domain error as the API's: the status its kind means, the same sentence."""
    if isinstance(exc, Invalid):
        return ApiError(422, exc.message, [{"field": exc.field, "message": exc.detail}])
    if isinstance(exc, NotFound):
        return ApiError(404, exc.message)
    if isinstance(exc, Conflict):
        return ApiError(409, exc.message)
    if isinstance(exc, Busy):
        return ApiError(503, exc.message, retry_after=exc.retry_after)
    if isinstance(exc, Unavailable):
        return ApiError(503, exc.message)
    return ApiError(400, exc.message)
